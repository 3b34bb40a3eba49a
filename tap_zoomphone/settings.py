"""The tap's settings: one JSON schema (defaults, bounds, choices), and the typed view of it.

`SETTINGS` is what the SDK, Meltano and the README table show. `Settings.from_config` checks a
config against that same schema, fills in its defaults, and turns the first problem into one
clear line, before any request is made: no default or bound is written anywhere else.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped]  # no stubs; used for one validator
from singer_sdk import typing as th

from tap_zoomphone.zoom.errors import ConfigError
from tap_zoomphone.zoom.moments import parse_moment
from tap_zoomphone.zoom.pacing import account_plan_daily_cap, account_plan_limits
from tap_zoomphone.zoom.retries import RetryPolicy

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_PAGE_SIZE = 300
MAX_SYNC_COUNT = 250
CREDENTIALS = ("account_id", "client_id", "client_secret")
# The levels of the singer_sdk.metrics logger, with the METRIC lines each lets through.
METRICS_LOG_LEVELS = ("debug", "info", "warning")
# A plan name, or the account's Medium-label rate as a number or as numeric text.
# A plan name, or the account's Medium-label rate as a number or as numeric text (each keyword
# applies to its own type).
RATE_LIMIT_PLAN: dict[str, Any] = {
    "type": ["string", "number"],
    "pattern": r"(?i)^\s*(pro|business|[0-9]*\.?[0-9]+)\s*$",
    "exclusiveMinimum": 0,
}

SETTINGS = th.PropertiesList(
    th.Property(
        "account_id",
        th.StringType,
        required=True,
        title="Account ID",
        description="Zoom account ID of the Server-to-Server OAuth app.",
    ),
    th.Property(
        "client_id",
        th.StringType,
        required=True,
        secret=True,
        title="Client ID",
        description="Client ID of the Server-to-Server OAuth app.",
    ),
    th.Property(
        "client_secret",
        th.StringType,
        required=True,
        secret=True,
        title="Client Secret",
        description="Client secret of the Server-to-Server OAuth app.",
    ),
    th.Property(
        "api_url",
        th.StringType,
        default="https://api.zoom.us/v2",
        title="API URL",
        description="Base URL of Zoom's API (https://api.zoomgov.com/v2 for Zoom for Government).",
    ),
    th.Property(
        "oauth_url",
        th.StringType,
        default="https://zoom.us/oauth/token",
        title="OAuth URL",
        description="Token endpoint (https://zoomgov.com/oauth/token for Zoom for Government).",
    ),
    th.Property(
        "start_date",
        th.StringType,
        title="Start Date",
        description=(
            "Earliest call to extract, as a date (2026-06-01) or date-time (2026-06-01T08:00:00Z). "
            "Default: six months ago, the oldest data Zoom serves; older dates are clamped to that."
        ),
    ),
    th.Property(
        "end_date",
        th.StringType,
        title="End Date",
        description=(
            "Latest call to extract (date or date-time). Default: now. Setting it makes the run a "
            "one-off extract of that range that neither reads nor moves the incremental bookmarks."
        ),
    ),
    th.Property(
        "user_ids",
        th.ArrayType(th.StringType),
        title="User IDs",
        description=(
            "Phone users to read: Zoom user ids, emails, or 'me'. Default: every user listed by "
            "GET /phone/users."
        ),
    ),
    th.Property(
        "page_size",
        th.IntegerType(minimum=1, maximum=MAX_PAGE_SIZE),
        default=MAX_PAGE_SIZE,
        title="Page Size",
        description="Records per page on the list endpoints (1-300).",
    ),
    th.Property(
        "call_log_type",
        th.StringType,
        default="all",
        allowed_values=["all", "missed"],
        title="Call Log Type",
        description="Which call logs the list endpoints return: all or missed.",
    ),
    th.Property(
        "time_type",
        th.StringType,
        default="startTime",
        allowed_values=["startTime", "endTime"],
        title="Time Type",
        description="Whether date windows apply to the call's start time or its end time.",
    ),
    th.Property(
        "phone_number",
        th.StringType,
        title="Phone Number",
        description="Only call logs of this phone number (list endpoints).",
    ),
    th.Property(
        "sync_count",
        th.IntegerType(minimum=1, maximum=MAX_SYNC_COUNT),
        default=MAX_SYNC_COUNT,
        title="Sync Count",
        description="Records per request on the sync endpoints (1-250).",
    ),
    th.Property(
        "backfill_method",
        th.StringType,
        default="auto",
        allowed_values=["auto", "sync", "list"],
        title="Backfill Method",
        description=(
            "How call_logs and user_call_history read a user's history the first time: 'auto' "
            "walks it through the sync endpoint (FSync, then BSync) and checks a sample of users "
            "against the list endpoint, switching to month windows if anything differs; 'sync' "
            "walks without the check; 'list' reads month windows (one Heavy request per user "
            "and month)."
        ),
    ),
    th.Property(
        "lookback_hours",
        th.NumberType(minimum=0, maximum=24 * 31),
        default=24,
        title="Lookback Hours",
        description=(
            "How far before the last bookmark date-based increments start again, so calls logged "
            "late are not missed."
        ),
    ),
    th.Property(
        "settle_hours",
        th.NumberType(minimum=1, maximum=24 * 60),
        default=48,
        title="Settle Hours",
        description=(
            "How long after a call starts its record may still appear or change in Zoom "
            "(Zoom documents no bound). call_logs, user_call_history and call_history read the "
            "calls of this window again, account-wide, twice per settle time, and emit what is "
            "new or changed under the same primary key: every record that appears or changes "
            "within this time after its call started reaches the destination in its final form."
        ),
    ),
    th.Property(
        "sweep_hours",
        th.NumberType(minimum=1, maximum=24 * 30),
        default=24,
        title="Sweep Hours",
        description=(
            "Between sweeps, call_logs and user_call_history read only the users named with a new "
            "or changed call by one account-wide read of call history since the last run; every "
            "this many hours (and on a first run) a sweep lists the users and reads each by its "
            "sync token. A user skipped by mistake is read within this time plus the run interval."
        ),
    ),
    th.Property(
        "max_workers",
        th.IntegerType(minimum=1, maximum=64),
        default=8,
        title="Max Workers",
        description=(
            "Requests in flight at once (users, date windows, a window's calls); they stay "
            "within the rate budget."
        ),
    ),
    th.Property(
        "rate_limit_plan",
        th.CustomType(RATE_LIMIT_PLAN),
        default="business",
        title="Rate Limit Plan",
        description=(
            "Zoom plan whose rate limits to pace requests by: 'pro', 'business', or a number (or "
            "numeric text): the account's Medium-label requests per second (Light gets twice, "
            "Heavy half of it). Where Zoom's X-RateLimit headers report limits, they win."
        ),
    ),
    th.Property(
        "rate_limit_headroom",
        th.CustomType({"type": ["number"], "minimum": 0, "maximum": 0.9}),
        default=0.1,
        title="Rate Limit Headroom",
        description=(
            "Share of each rate limit left unused for the account's other apps (0-0.9); Zoom's "
            "limits are account-wide."
        ),
    ),
    th.Property(
        "daily_limit_share",
        th.NumberType(exclusive_minimum=0, maximum=1),
        default=0.5,
        title="Daily Limit Share",
        description=(
            "Largest share (above 0, at most 1) of the account's Heavy daily cap this tap uses "
            "per UTC day, leaving the rest to the account's other apps. Counted from Zoom's "
            "daily X-RateLimit headers where Zoom sends them, else from this run's requests."
        ),
    ),
    th.Property(
        "heavy_daily_limit",
        th.IntegerType(minimum=1),
        title="Heavy Daily Limit",
        description=(
            "The account's daily cap of Heavy and Resource-intensive requests, for when Zoom "
            "does not report it. Default: the plan's (15,000 pro, 30,000 business)."
        ),
    ),
    th.Property(
        "on_daily_limit",
        th.StringType,
        default="fail",
        allowed_values=["fail", "succeed"],
        title="On Daily Limit",
        description=(
            "When Zoom's daily cap is reached the run stops with a resumable STATE and then "
            "'fail's (exit status 75) or 'succeed's (exit status 0, partial data)."
        ),
    ),
    th.Property(
        "max_retries",
        th.IntegerType(minimum=0, maximum=100),
        default=8,
        title="Max Retries",
        description="Retries of one request after 5xx, resets, timeouts or malformed answers.",
    ),
    th.Property(
        "max_retry_seconds",
        th.NumberType(minimum=0, maximum=86400),
        default=900,
        title="Max Retry Seconds",
        description=(
            "Longest time one request is retried (429 waits included) before the run fails."
        ),
    ),
    th.Property(
        "retry_backoff_seconds",
        th.NumberType(minimum=0, maximum=60),
        default=1,
        title="Retry Backoff Seconds",
        description="First wait between retries; it doubles each time (with jitter), up to 60 s.",
    ),
    th.Property(
        "request_timeout",
        th.NumberType(exclusive_minimum=0, maximum=3600),
        default=60,
        title="Request Timeout",
        description="Seconds to wait for Zoom to answer one request.",
    ),
    th.Property(
        "state_interval_seconds",
        th.NumberType(minimum=0, maximum=3600),
        default=10,
        title="State Interval Seconds",
        description="How often a STATE message is emitted during a run.",
    ),
    th.Property(
        "progress_interval_seconds",
        th.NumberType(exclusive_minimum=0, maximum=3600),
        default=10,
        title="Progress Interval Seconds",
        description="How often a progress line is logged during a run.",
    ),
    th.Property(
        "metrics_log_level",
        th.StringType,
        allowed_values=list(METRICS_LOG_LEVELS),
        title="Metrics Log Level",
        description=(
            "Which of the SDK's METRIC log lines to write: 'info', one record_count and one "
            "sync_duration per stream; 'debug', also an http_request_duration per request; "
            "'warning', none. Default: the tap's log level (TAP_ZOOMPHONE_LOGLEVEL or LOGLEVEL, "
            "else info)."
        ),
    ),
).to_dict()
PROPERTIES: dict[str, dict[str, Any]] = SETTINGS["properties"]


@dataclass(frozen=True)
class Settings:
    """Validated settings for one run, typed for the code that uses them."""

    account_id: str
    client_id: str
    client_secret: str
    api_url: str
    oauth_url: str
    start: datetime.datetime | None
    end: datetime.datetime | None
    user_ids: tuple[str, ...] | None
    page_size: int
    call_log_type: str
    time_type: str
    phone_number: str | None
    sync_count: int
    backfill_method: str
    lookback: datetime.timedelta
    settle: datetime.timedelta
    sweep: datetime.timedelta
    max_workers: int
    rate_limits: dict[str, float]
    headroom: float
    daily_share: float
    daily_cap: int
    on_daily_limit: str
    retry: RetryPolicy
    state_interval: float
    progress_interval: float
    metrics_log_level: str | None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Check the config against SETTINGS; the first problem becomes one clear ConfigError."""
        for key in CREDENTIALS:
            if not str(config.get(key) or "").strip():
                msg = (
                    f"Missing setting {key}: set it in the config file or as "
                    f"TAP_ZOOMPHONE_{key.upper()} (Zoom app credentials)."
                )
                raise ConfigError(msg)
        values = _checked(config)
        start = parse_setting_time(values.get("start_date"), "start_date")
        end = parse_setting_time(values.get("end_date"), "end_date", end_of_day=True)
        if start and end and end < start:
            msg = f"end_date ({values['end_date']}) is before start_date ({values['start_date']})."
            raise ConfigError(msg)
        plan = values["rate_limit_plan"]
        return cls(
            account_id=str(values["account_id"]).strip(),
            client_id=str(values["client_id"]).strip(),
            client_secret=str(values["client_secret"]),
            api_url=_url(values, "api_url"),
            oauth_url=_url(values, "oauth_url"),
            start=start,
            end=end,
            user_ids=_user_ids(values.get("user_ids")),
            page_size=values["page_size"],
            call_log_type=values["call_log_type"],
            time_type=values["time_type"],
            phone_number=str(values.get("phone_number") or "").strip() or None,
            sync_count=values["sync_count"],
            backfill_method=values["backfill_method"],
            lookback=datetime.timedelta(hours=values["lookback_hours"]),
            settle=datetime.timedelta(hours=values["settle_hours"]),
            sweep=datetime.timedelta(hours=values["sweep_hours"]),
            max_workers=values["max_workers"],
            rate_limits=account_plan_limits(plan),
            headroom=values["rate_limit_headroom"],
            daily_share=values["daily_limit_share"],
            daily_cap=values.get("heavy_daily_limit") or account_plan_daily_cap(plan),
            on_daily_limit=values["on_daily_limit"],
            retry=RetryPolicy(
                max_retries=values["max_retries"],
                max_seconds=values["max_retry_seconds"],
                base_wait=values["retry_backoff_seconds"],
                timeout=values["request_timeout"],
            ),
            state_interval=values["state_interval_seconds"],
            progress_interval=values["progress_interval_seconds"],
            metrics_log_level=values.get("metrics_log_level"),
        )


def _checked(config: Mapping[str, Any]) -> dict[str, Any]:
    """The config with numeric text read as numbers, checked, and the schema's defaults added."""
    values = {name: config[name] for name in PROPERTIES if config.get(name) not in (None, "")}
    for name, value in values.items():
        if _kinds(PROPERTIES[name]) & {"integer", "number"}:
            values[name] = _number(value)
    schema = {"type": "object", "properties": PROPERTIES}
    for error in jsonschema.Draft7Validator(schema).iter_errors(values):
        name = str(error.path[0]) if error.path else ""
        raise ConfigError(_problem(name, values.get(name)))
    defaults = {name: p["default"] for name, p in PROPERTIES.items() if "default" in p}
    return {**defaults, **values}


def _kinds(prop: dict[str, Any]) -> set[str]:
    kind = prop.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _number(value: object) -> object:
    """A number (the SDK reads JSON decimals as Decimal) or numeric text as int or float.

    Anything else is returned unchanged, for the schema check to name.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _problem(name: str, value: object) -> str:
    """What is wrong with one setting, said from its schema (the value itself only if safe)."""
    prop = PROPERTIES.get(name, {})
    shown = "" if prop.get("secret") else f", not {value!r}"
    if "enum" in prop:
        return f"{name} must be one of {', '.join(map(str, prop['enum']))}{shown}."
    if name == "rate_limit_plan":
        return (
            f"rate_limit_plan must be 'pro', 'business' or a number of requests per second{shown}."
        )
    kinds = _kinds(prop)
    if kinds & {"integer", "number"}:
        kind = "a whole number" if "integer" in kinds else "a number"
        return f"{name} must be {kind} {_bounds(prop)}{shown}.".replace(" .", ".")
    if "array" in kinds:
        return f"{name} must be a list of texts{shown}."
    return f"{name} must be {' or '.join(sorted(kinds)) or 'valid'}{shown}."


def _bounds(prop: dict[str, Any]) -> str:
    low, high = prop.get("minimum"), prop.get("maximum")
    above = prop.get("exclusiveMinimum")
    if above is not None:
        return f"above {above:g}" + (f" and at most {high:g}" if high is not None else "")
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    if low is not None:
        return f"of at least {low:g}"
    return ""


def parse_setting_time(
    value: object, name: str, *, end_of_day: bool = False
) -> datetime.datetime | None:
    """A date or date-time setting as aware UTC (a date-only end means its last second)."""
    if value is None or value == "":
        return None
    try:
        return parse_moment(str(value), end_of_day=end_of_day)
    except ValueError:
        msg = (
            f"{name} {str(value).strip()!r} is not a date or date-time; use e.g. 2026-06-01 or "
            "2026-06-01T08:00:00Z."
        )
        raise ConfigError(msg) from None


def _user_ids(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    cleaned = tuple(dict.fromkeys(str(u).strip() for u in value if str(u).strip()))  # type: ignore[attr-defined]
    if not cleaned:
        msg = "user_ids is empty: list at least one user id, email or 'me', or leave it out."
        raise ConfigError(msg)
    return cleaned


def _url(values: Mapping[str, Any], name: str) -> str:
    """An https URL; plain http only to a loopback host (the emulator): it carries secrets."""
    value = str(values[name]).strip()
    parts = urlsplit(value)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        msg = f"{name} must be an http(s) URL, not {value!r}."
        raise ConfigError(msg)
    if parts.scheme == "http" and not _loopback(parts.hostname):
        msg = (
            f"{name} {value} is not https: credentials and tokens travel only over TLS "
            "(plain http is accepted for loopback hosts such as the bundled emulator)."
        )
        raise ConfigError(msg)
    return value.rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
