"""The emulator's settings: one dataclass, read live by every request."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from zoomphone_emulator.faults import ENDPOINT_NAMES

# Union of the OAuth scopes the emulated endpoints accept (OpenAPI `security` blocks).
PHONE_READ_SCOPES: tuple[str, ...] = (
    "phone:read",
    "phone:read:admin",
    "phone_call_log:read",
    "phone_call_log:read:admin",
    "phone:read:list_users:admin",
    "phone:read:list_call_logs",
    "phone:read:list_call_logs:admin",
    "phone:read:call_log:admin",
    "phone_recording:read:admin",
    "phone:read:list_call_recordings:admin",
    "phone_voicemail:read:admin",
    "phone:read:list_voicemails:admin",
    "phone_sms:read",
    "phone_sms:read:admin",
    "phone:read:list_sms_sessions",
    "phone:read:list_sms_sessions:admin",
    "phone:read:sms_session",
    "phone:read:sms_session:admin",
    "phone:read:list_sites:admin",
    "phone:read:list_call_queues:admin",
    "phone:read:list_auto_receptionists:admin",
    "phone:read:common_area:admin",
    "phone:read:list_shared_line_groups:admin",
    "phone:read:list_devices:admin",
    "phone:read:list_numbers:admin",
    "phone:read:list_emergency_addresses:admin",
    "phone:read:list_call_queue_members:admin",
    "phone:read:user_setting:admin",
    "phone:read:call_charges:admin",
    "phone:read:sms_charges:admin",
    "phone:read:recording_transcript:admin",
    "phone:read:ai_call_summary:admin",
    "phone:read:call_qos:admin",
)

MAX_USERS = 10_000
MAX_SITES = 1_000
MAX_DEVICES = 100_000
# Largest count of each kind of extension (their extension numbers are 3-digit ranges).
MAX_EXTENSIONS = {
    "auto_receptionists": 100,
    "call_queues": 50,
    "shared_line_groups": 50,
    "common_areas": 200,
}
# The rate labels an endpoint can carry.
LABELS = ("Light", "Medium", "Heavy")
# The rate-limited routes (routes.ROUTES without OAuth): the keys `labels` and `retired` accept.
LABELLED_ROUTES = tuple(name for name in ENDPOINT_NAMES if name != "oauth")

_CHOICES: dict[str, tuple[object, ...]] = {
    "isync_order": ("asc", "desc"),
    "isync_follows": ("visible", "start"),
    "plan": ("pro", "business", "off"),
    "call_logs_label": LABELS,
    "old_from": ("clamp", "error"),
    "call_history_array": ("call_history", "call_logs"),
    "user_call_history_array": ("call_logs", "call_elements"),
    "call_path_array": ("call_path", "call_elements", "both"),
    "unknown_users_error": ("1001", "300", "invalid"),
}


@dataclass
class EmulatorConfig:
    """Everything that shapes the emulated account and the API's behaviour.

    `seed`, `users`, `calls_per_user`, `history_days`, `clock_start`, `frozen`, the
    settling of calls (`late_share` to `change_median_hours`) and the
    fields that size the account (`recording_share` to `devices`) are read once, when the
    emulator is built; every other field is read on each request, so tests may change them
    between runs on a live emulator.

    Attributes:
        seed: Seed of all generated data (same seed, same users, calls and ids).
        users: Number of phone users (1..10,000).
        calls_per_user: Average calls per user over `history_days`.
        history_days: Days of history before the starting clock.
        clock_start: Emulator time at construction; None means the real UTC now.
        frozen: When True the clock only moves through `advance()`.
        account_id: Account id the OAuth endpoint accepts.
        client_id: OAuth client id.
        client_secret: OAuth client secret.
        access_token_ttl: Access token lifetime (seconds of emulator time).
        page_token_ttl: `next_page_token` lifetime (seconds of emulator time).
        sync_token_ttl: `sync_token` lifetime (seconds of emulator time).
        isync_order: "asc" or "desc": the order ISync serves new records in.
        bsync_days: How many days back BSync reaches: it never serves a record that started
            before now minus this many days, and answers an empty page with the same token
            once its walk gets there (as at the six-month edge); None means the six-month edge
            only. FSync, ISync and the list endpoints are unaffected.
        bsync_served: When False, every sync request with `sync_type=BSync` answers 400 code
            300 "Invalid parameter: sync_type." (a Zoom that does not serve BSync).
        ingest_delay: Seconds after a call ends before its records are served.
        late_share: Share of calls whose records become visible later than the ingest delay
            (a log-normal delay with a long tail: settling.py); 0 by default.
        late_median_hours: Median of that extra delay.
        change_share: Share of calls whose records change once after they become visible
            (consolidated: talk time, duration and end time grow); 0 by default.
        change_median_hours: Median time from a record's visibility to its change.
        isync_follows: What a user's sync feed (ISync) is ordered by: "visible" (when a
            record became visible, or changed) or "start" (the call's start: a record that
            appears or changes after the token passed its start is not served again).
        plan: "pro", "business" or "off" (no rate limiting, and no `X-RateLimit-*`
            headers on answers that are not 429s, except those of `daily_headers`).
        rate_limits: Per-label per-second limits overriding the plan's, e.g. {"Heavy": 3}.
        daily_cap: Daily cap of Heavy requests; None means the plan's default.
        call_logs_label: Rate label of `/phone/users/{userId}/call_logs`.
        labels: Per-endpoint rate labels keyed by route name (LABELLED_ROUTES), e.g.
            {"user_call_logs": "Medium", "users": "Heavy"}; they win over `call_logs_label`.
            The label in force is the one limited, counted and reported.
        daily_headers: Successful answers of requests that count against the daily cap
            (Heavy) carry the daily headers (`X-RateLimit-Type: Daily-limit`, the cap as
            `Limit`, what is left of the emulator day's cap after this request as
            `Remaining`) instead of the per-second ones; sent even with plan "off", where
            the cap is reported but not enforced.
        old_from: What a `from` older than six months does: "clamp" or "error".
        page_token_error_code: Zoom error code of an invalid or expired page token.
        call_history_array: Array name of `/phone/call_history` ("call_logs" = old name).
        user_call_history_array: Array name of the user call-history endpoints.
        call_path_array: Array name(s) of `/phone/call_history/{uuid}` ("both" serves both).
        last_page_token: `/phone/call_history` returns a token on its last page too.
        latency_ms: Delay added to every API request.
        jitter_ms: Uniform random delay (0..jitter) added on top of `latency_ms`.
        scopes: Scopes granted to new access tokens.
        unknown_users_error: Answer for an unknown user: "1001" (404/1001),
            "300" (404/300, the call-history wording) or "invalid" (400/300 "Invalid user id.").
        broken_users: User ids or emails whose call-log endpoints answer 400 code 3001.
        unknown_fields: About 1 in 50 records carries an undocumented extra field.
        render_cache_mb: Memory budget (MiB) of the rendered-record cache; beyond it the
            least recently used records are dropped; 0 renders every record afresh.
        recording_share: Share of answered calls that are recorded (each recording is in
            `/phone/recordings` and flagged in the call's logs).
        voicemail_share: Share of calls that end in voicemail (those to a user are in
            `/phone/voice_mails`); the other outcomes keep their proportions.
        sms_sessions_per_user: SMS sessions (conversations) each user starts over
            `history_days` on average; each call queue and auto receptionist, and the
            account's service endpoint, start half as many. New ones keep starting as the
            clock moves on.
        sms_per_session: Average messages of a session (within 30 days of its start).
        sites: Number of phone sites; None means one per 25 users, at most 6. Setting it
            spreads the users over that many sites.
        call_queues: Number of call queues (0..50).
        auto_receptionists: Number of auto receptionists (1..100; each site's main auto
            receptionist is one of them).
        common_areas: Number of common areas (0..200), each with one desk phone when there
            are devices enough.
        shared_line_groups: Number of shared line groups (0..50).
        devices: Number of desk phones: one per common area first, then every fourth of the
            rest unassigned and the others assigned to users in turn.
        retired: Route names (LABELLED_ROUTES) whose endpoints are gone: they answer what
            Zoom answers for an unknown path (404 `{"code": 404, "message": "Not found"}`).
    """

    seed: int = 1
    users: int = 10
    calls_per_user: int = 200
    history_days: int = 200
    clock_start: datetime | None = None
    frozen: bool = False
    account_id: str = "emulator-account"
    client_id: str = "emulator-client"
    client_secret: str = "emulator-secret"  # noqa: S105 - a fake credential for a local emulator
    access_token_ttl: int = 3599
    page_token_ttl: int = 900
    sync_token_ttl: int = 7 * 86400
    isync_order: Literal["asc", "desc"] = "asc"
    bsync_days: int | None = None
    bsync_served: bool = True
    ingest_delay: int = 30
    late_share: float = 0.0
    late_median_hours: float = 3.0
    change_share: float = 0.0
    change_median_hours: float = 2.0
    isync_follows: Literal["visible", "start"] = "visible"
    plan: Literal["pro", "business", "off"] = "business"
    rate_limits: dict[str, int] | None = None
    daily_cap: int | None = None
    call_logs_label: Literal["Light", "Medium", "Heavy"] = "Heavy"
    labels: dict[str, str] | None = None
    daily_headers: bool = False
    old_from: Literal["clamp", "error"] = "clamp"
    page_token_error_code: int = 400
    call_history_array: Literal["call_history", "call_logs"] = "call_history"
    user_call_history_array: Literal["call_logs", "call_elements"] = "call_logs"
    call_path_array: Literal["call_path", "call_elements", "both"] = "call_path"
    last_page_token: bool = True
    latency_ms: float = 0
    jitter_ms: float = 0
    scopes: tuple[str, ...] = PHONE_READ_SCOPES
    unknown_users_error: Literal["1001", "300", "invalid"] = "1001"
    broken_users: tuple[str, ...] = field(default=())
    unknown_fields: bool = True
    render_cache_mb: int = 1024
    recording_share: float = 0.3
    voicemail_share: float = 0.1
    sms_sessions_per_user: int = 40
    sms_per_session: int = 4
    sites: int | None = None
    call_queues: int = 3
    auto_receptionists: int = 2
    common_areas: int = 3
    shared_line_groups: int = 2
    devices: int = 12
    retired: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        """Validate the settings as soon as they are built."""
        self.validate()

    def validate(self) -> None:
        """Raise ValueError when a setting is out of range.

        Raises:
            ValueError: naming the offending field.
        """
        if not 1 <= self.users <= MAX_USERS:
            msg = f"users must be 1..{MAX_USERS}, got {self.users}"
            raise ValueError(msg)
        if self.calls_per_user < 0 or self.history_days < 1:
            msg = "calls_per_user must be >= 0 and history_days >= 1"
            raise ValueError(msg)
        if self.render_cache_mb < 0:
            msg = f"render_cache_mb must be >= 0, got {self.render_cache_mb}"
            raise ValueError(msg)
        for name, allowed in _CHOICES.items():
            if getattr(self, name) not in allowed:
                msg = f"{name} must be one of {allowed}, got {getattr(self, name)!r}"
                raise ValueError(msg)
        if self.clock_start is not None and self.clock_start.tzinfo is None:
            msg = "clock_start must be timezone-aware"
            raise ValueError(msg)
        if self.bsync_days is not None and self.bsync_days < 0:
            msg = f"bsync_days must be >= 0 or None, got {self.bsync_days}"
            raise ValueError(msg)
        _check_labels(self.labels)
        self._check_account()
        _check_retired(self.retired)

    def _check_account(self) -> None:
        """Refuse shares and counts that do not make an account."""
        for name in ("recording_share", "voicemail_share", "late_share", "change_share"):
            if not 0 <= getattr(self, name) <= 1:
                msg = f"{name} must be 0..1, got {getattr(self, name)}"
                raise ValueError(msg)
        if self.late_median_hours <= 0 or self.change_median_hours <= 0:
            msg = "late_median_hours and change_median_hours must be > 0"
            raise ValueError(msg)
        if self.sms_sessions_per_user < 0 or self.sms_per_session < 1:
            msg = "sms_sessions_per_user must be >= 0 and sms_per_session >= 1"
            raise ValueError(msg)
        if self.sites is not None and not 1 <= self.sites <= MAX_SITES:
            msg = f"sites must be 1..{MAX_SITES} or None, got {self.sites}"
            raise ValueError(msg)
        if not 0 <= self.devices <= MAX_DEVICES:
            msg = f"devices must be 0..{MAX_DEVICES}, got {self.devices}"
            raise ValueError(msg)
        for name, most in MAX_EXTENSIONS.items():
            least = 1 if name == "auto_receptionists" else 0
            if not least <= getattr(self, name) <= most:
                msg = f"{name} must be {least}..{most}, got {getattr(self, name)}"
                raise ValueError(msg)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EmulatorConfig:
        """Build a config from JSON-like data (lists become tuples, ISO strings datetimes).

        Args:
            data: EmulatorConfig field names and values.

        Returns:
            The validated config.

        Raises:
            ValueError: on an unknown field name or a bad value.
        """
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            msg = f"unknown EmulatorConfig fields: {', '.join(unknown)}"
            raise ValueError(msg)
        values = dict(data)
        for name in ("scopes", "broken_users", "retired"):
            if name in values:
                values[name] = tuple(values[name])
        if isinstance(values.get("clock_start"), str):
            values["clock_start"] = datetime.fromisoformat(values["clock_start"])
        return cls(**values)


def _check_labels(labels: dict[str, str] | None) -> None:
    """Refuse per-endpoint labels naming an unknown route or an unknown label.

    Args:
        labels: The `labels` setting.

    Raises:
        ValueError: naming the offending entry.
    """
    if labels is None:
        return
    if not isinstance(labels, dict):  # e.g. a list in a JSON config file
        msg = f"labels must be a mapping of route name to label, got {labels!r}"
        raise ValueError(msg)  # noqa: TRY004 - validate() promises ValueError
    for route, label in labels.items():
        if route not in LABELLED_ROUTES:
            msg = f"labels: unknown route {route!r}, expected one of {LABELLED_ROUTES}"
            raise ValueError(msg)
        if label not in LABELS:
            msg = f"labels[{route!r}] must be one of {LABELS}, got {label!r}"
            raise ValueError(msg)


def _check_retired(retired: tuple[str, ...]) -> None:
    """Refuse retired routes that are not rate-limited API routes.

    Args:
        retired: The `retired` setting.

    Raises:
        ValueError: naming the offending entry.
    """
    if isinstance(retired, str):  # a bare string would retire its letters
        msg = f"retired must be a list of route names, got {retired!r}"
        raise ValueError(msg)  # noqa: TRY004 - validate() promises ValueError
    for route in retired:
        if route not in LABELLED_ROUTES:
            msg = f"retired: unknown route {route!r}, expected one of {LABELLED_ROUTES}"
            raise ValueError(msg)
