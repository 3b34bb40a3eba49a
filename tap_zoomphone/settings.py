"""The tap's settings: declared once (SDK, Meltano, README) and checked before any request."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th

from tap_zoomphone.api import RetryPolicy
from tap_zoomphone.errors import ConfigError
from tap_zoomphone.pacing import plan_daily_cap, plan_limits
from tap_zoomphone.windows import parse_moment

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_PAGE_SIZE = 300
MAX_SYNC_COUNT = 250
DAILY_LIMIT_CHOICES = ("fail", "succeed")
BACKFILL_METHODS = ("auto", "sync", "list")

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
        th.IntegerType,
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
        th.IntegerType,
        default=MAX_SYNC_COUNT,
        title="Sync Count",
        description="Records per request on the sync endpoints (1-250).",
    ),
    th.Property(
        "backfill_method",
        th.StringType,
        default="auto",
        allowed_values=list(BACKFILL_METHODS),
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
        th.NumberType,
        default=24,
        title="Lookback Hours",
        description=(
            "How far before the last bookmark date-based increments start again, so calls logged "
            "late are not missed."
        ),
    ),
    th.Property(
        "max_workers",
        th.IntegerType,
        default=8,
        title="Max Workers",
        description=(
            "Users (or date windows) read at the same time; requests stay within the rate budget."
        ),
    ),
    th.Property(
        "rate_limit_plan",
        th.StringType,
        default="business",
        title="Rate Limit Plan",
        description=(
            "Zoom plan whose rate limits to pace requests by: 'pro', 'business', or a number: the "
            "account's Medium-label requests per second (Light gets twice, Heavy half of it)."
        ),
    ),
    th.Property(
        "rate_limit_headroom",
        th.NumberType,
        default=0.1,
        title="Rate Limit Headroom",
        description=(
            "Share of each rate limit left unused for the account's other apps (0-0.9); Zoom's "
            "limits are account-wide."
        ),
    ),
    th.Property(
        "daily_limit_share",
        th.NumberType,
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
        th.IntegerType,
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
        allowed_values=list(DAILY_LIMIT_CHOICES),
        title="On Daily Limit",
        description=(
            "When Zoom's daily cap is reached the run stops with a resumable STATE and then "
            "'fail's (exit status 75) or 'succeed's (exit status 0, partial data)."
        ),
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        title="Max Retries",
        description="Retries of one request after 5xx, resets, timeouts or malformed answers.",
    ),
    th.Property(
        "max_retry_seconds",
        th.NumberType,
        default=900,
        title="Max Retry Seconds",
        description=(
            "Longest time one request is retried (429 waits included) before the run fails."
        ),
    ),
    th.Property(
        "retry_backoff_seconds",
        th.NumberType,
        default=1,
        title="Retry Backoff Seconds",
        description="First wait between retries; it doubles each time (with jitter), up to 60 s.",
    ),
    th.Property(
        "request_timeout",
        th.NumberType,
        default=60,
        title="Request Timeout",
        description="Seconds to wait for Zoom to answer one request.",
    ),
    th.Property(
        "state_interval_seconds",
        th.NumberType,
        default=10,
        title="State Interval Seconds",
        description="How often a STATE message is emitted during a run.",
    ),
    th.Property(
        "progress_interval_seconds",
        th.NumberType,
        default=10,
        title="Progress Interval Seconds",
        description="How often a progress line is logged during a run.",
    ),
).to_dict()


@dataclass(frozen=True)
class Settings:
    """Validated settings for one run."""

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
    lookback: datetime.timedelta
    backfill_method: str
    max_workers: int
    rate_limits: dict[str, float]
    headroom: float
    daily_share: float
    daily_cap: int
    on_daily_limit: str
    retry: RetryPolicy
    state_interval: float
    progress_interval: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Check the config as a whole; the first problem becomes one clear ConfigError."""
        for key in ("account_id", "client_id", "client_secret"):
            if not str(config.get(key) or "").strip():
                msg = (
                    f"Missing setting {key}: set it in the config file or as "
                    f"TAP_ZOOMPHONE_{key.upper()} (Zoom app credentials)."
                )
                raise ConfigError(msg)
        start = parse_setting_time(config.get("start_date"), "start_date")
        end = parse_setting_time(config.get("end_date"), "end_date", end_of_day=True)
        if start and end and end < start:
            msg = f"end_date ({config['end_date']}) is before start_date ({config['start_date']})."
            raise ConfigError(msg)
        user_ids = config.get("user_ids")
        if user_ids is not None:
            cleaned = tuple(dict.fromkeys(str(u).strip() for u in user_ids if str(u).strip()))
            if not cleaned:
                msg = (
                    "user_ids is empty: list at least one user id, email or 'me', or leave it out."
                )
                raise ConfigError(msg)
            user_ids = cleaned
        headroom = _number(config, "rate_limit_headroom", 0.1, 0, 0.9)
        daily_share = _number(config, "daily_limit_share", 0.5, 0, 1)
        if daily_share <= 0:
            msg = "daily_limit_share must be above 0 and at most 1, not 0."
            raise ConfigError(msg)
        plan = config.get("rate_limit_plan") or "business"
        return cls(
            account_id=str(config["account_id"]).strip(),
            client_id=str(config["client_id"]).strip(),
            client_secret=str(config["client_secret"]),
            api_url=_url(config, "api_url", "https://api.zoom.us/v2"),
            oauth_url=_url(config, "oauth_url", "https://zoom.us/oauth/token"),
            start=start,
            end=end,
            user_ids=user_ids,
            page_size=int(
                _number(config, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE, whole=True)
            ),
            call_log_type=_choice(config, "call_log_type", "all", ("all", "missed")),
            time_type=_choice(config, "time_type", "startTime", ("startTime", "endTime")),
            phone_number=(str(config["phone_number"]).strip() or None)
            if config.get("phone_number")
            else None,
            sync_count=int(
                _number(config, "sync_count", MAX_SYNC_COUNT, 1, MAX_SYNC_COUNT, whole=True)
            ),
            lookback=datetime.timedelta(hours=_number(config, "lookback_hours", 24, 0, 24 * 31)),
            backfill_method=_choice(config, "backfill_method", "auto", BACKFILL_METHODS),
            max_workers=int(_number(config, "max_workers", 8, 1, 64, whole=True)),
            rate_limits=plan_limits(plan),
            headroom=headroom,
            daily_share=daily_share,
            daily_cap=int(
                _number(config, "heavy_daily_limit", plan_daily_cap(plan), 1, 10**9, whole=True)
            ),
            on_daily_limit=_choice(config, "on_daily_limit", "fail", DAILY_LIMIT_CHOICES),
            retry=RetryPolicy(
                max_retries=int(_number(config, "max_retries", 8, 0, 100, whole=True)),
                max_seconds=_number(config, "max_retry_seconds", 900, 0, 86400),
                base_wait=_number(config, "retry_backoff_seconds", 1, 0, 60),
                timeout=_number(config, "request_timeout", 60, 0.1, 3600),
            ),
            state_interval=_number(config, "state_interval_seconds", 10, 0, 3600),
            progress_interval=_number(config, "progress_interval_seconds", 10, 0.1, 3600),
        )


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


def _number(  # noqa: PLR0913  # one place for every numeric setting's bounds
    config: Mapping[str, Any],
    name: str,
    default: float,
    low: float,
    high: float,
    *,
    whole: bool = False,
) -> float:
    value = config.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not low <= number <= high or (whole and not number.is_integer()):
        kind = "a whole number" if whole else "a number"
        msg = f"{name} must be {kind} from {low:g} to {high:g}, not {value!r}."
        raise ConfigError(msg)
    return number


def _choice(config: Mapping[str, Any], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = config.get(name) or default
    if value not in choices:
        msg = f"{name} must be one of {', '.join(choices)}, not {value!r}."
        raise ConfigError(msg)
    return str(value)


def _url(config: Mapping[str, Any], name: str, default: str) -> str:
    value = str(config.get(name) or default).strip()
    if not value.startswith(("https://", "http://")):
        msg = f"{name} must be an http(s) URL, not {value!r}."
        raise ConfigError(msg)
    return value.rstrip("/")
