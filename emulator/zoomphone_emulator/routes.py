"""Every route of the emulated API: method, path pattern, rate label and accepted scopes.

Declarations only: the pipeline (pipeline.py) applies them, and `handlers.Handlers` names the
handler serving each route by the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

USER = r"/v2/phone/users/(?P<arg>[^/]+)"


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint of the API.

    Attributes:
        name: Endpoint name (stats, faults, the handler table in handlers.py).
        method: HTTP method.
        pattern: Path pattern; the `arg` group is the path parameter.
        label: Rate label; None for OAuth, "call_logs" for the configurable one (the
            `labels` setting overrides any label but OAuth's).
        scopes: Scopes of which the token needs at least one.
    """

    name: str
    method: str
    pattern: re.Pattern[str]
    label: str | None
    scopes: tuple[str, ...] = ()


_LOG_SCOPES = (
    "phone:read",
    "phone:read:admin",
    "phone_call_log:read",
    "phone_call_log:read:admin",
    "phone:read:list_call_logs",
    "phone:read:list_call_logs:admin",
)
_SYNC_SCOPES = (
    "phone:read:admin",
    "phone:read",
    "phone:read:list_call_logs",
    "phone:read:list_call_logs:admin",
)
_ADMIN_LOG_SCOPES = (
    "phone:read:admin",
    "phone_call_log:read:admin",
    "phone:read:list_call_logs:admin",
)
ROUTES = (
    Route("oauth", "POST", re.compile(r"/oauth/token"), None),
    Route(
        "users",
        "GET",
        re.compile(r"/v2/phone/users"),
        "Medium",
        ("phone:read:admin", "phone:read:list_users:admin"),
    ),
    Route("user_call_logs", "GET", re.compile(USER + r"/call_logs"), "call_logs", _LOG_SCOPES),
    Route(
        "user_call_logs_sync", "GET", re.compile(USER + r"/call_logs/sync"), "Medium", _SYNC_SCOPES
    ),
    Route(
        "account_call_logs", "GET", re.compile(r"/v2/phone/call_logs"), "Heavy", _ADMIN_LOG_SCOPES
    ),
    Route("call_history", "GET", re.compile(r"/v2/phone/call_history"), "Heavy", _ADMIN_LOG_SCOPES),
    Route(
        "user_call_history",
        "GET",
        re.compile(USER + r"/call_history"),
        "Medium",
        (
            "phone:read:admin",
            "phone_call_log:read",
            "phone:read:list_call_logs:admin",
            "phone:read:list_call_logs",
        ),
    ),
    Route(
        "user_call_history_sync",
        "GET",
        re.compile(USER + r"/call_history/sync"),
        "Medium",
        _SYNC_SCOPES,
    ),
    Route(
        "call_history_detail",
        "GET",
        re.compile(r"/v2/phone/call_history/(?P<arg>[^/]+)"),
        "Light",
        ("phone:read:admin", "phone_call_log:read:admin", "phone:read:call_log:admin"),
    ),
    Route(
        "recordings",
        "GET",
        re.compile(r"/v2/phone/recordings"),
        "Medium",
        ("phone:read:admin", "phone_recording:read:admin", "phone:read:list_call_recordings:admin"),
    ),
    Route(
        "voice_mails",
        "GET",
        re.compile(r"/v2/phone/voice_mails"),
        "Heavy",
        ("phone:read:admin", "phone_voicemail:read:admin", "phone:read:list_voicemails:admin"),
    ),
    Route(
        "sms_sessions",
        "GET",
        re.compile(r"/v2/phone/sms/sessions"),
        "Medium",
        (
            "phone:read:admin",
            "phone_sms:read",
            "phone_sms:read:admin",
            "phone:read:list_sms_sessions",
            "phone:read:list_sms_sessions:admin",
        ),
    ),
    Route(
        "sms_session_detail",
        "GET",
        re.compile(r"/v2/phone/sms/sessions/(?P<arg>[^/]+)"),
        "Medium",
        (
            "phone:read:admin",
            "phone:read",
            "phone_sms:read",
            "phone_sms:read:admin",
            "phone:read:sms_session",
            "phone:read:sms_session:admin",
        ),
    ),
    *(
        Route(name, "GET", re.compile(rf"/v2/phone/{name}"), "Medium", ("phone:read:admin", scope))
        for name, scope in (
            ("sites", "phone:read:list_sites:admin"),
            ("call_queues", "phone:read:list_call_queues:admin"),
            ("auto_receptionists", "phone:read:list_auto_receptionists:admin"),
            ("common_areas", "phone:read:common_area:admin"),
            ("shared_line_groups", "phone:read:list_shared_line_groups:admin"),
            ("devices", "phone:read:list_devices:admin"),
            ("numbers", "phone:read:list_numbers:admin"),
            ("emergency_addresses", "phone:read:list_emergency_addresses:admin"),
        )
    ),
    Route(
        "recording_transcript",
        "GET",
        re.compile(r"/v2/phone/recording_transcript/download/(?P<arg>[^/]+)"),
        "Light",
        (
            "phone:read",
            "phone:read:admin",
            "phone_recording:read",
            "phone_recording:read:admin",
            "phone:read:recording_transcript",
            "phone:read:recording_transcript:admin",
        ),
    ),
    Route(
        "ai_call_summary",
        "GET",
        re.compile(r"/v2/phone/user/(?P<arg>[^/]+/ai_call_summary/[^/]+)"),
        "Medium",
        (
            "phone:read:admin",
            "phone:read",
            "phone:read:ai_call_summary",
            "phone:read:ai_call_summary:admin",
        ),
    ),
    Route(
        "call_queue_analytics",
        "GET",
        re.compile(r"/v2/phone/call_queue_analytics"),
        "Medium",
        ("phone:read:admin", "phone:read:list_call_queues:admin"),
    ),
    Route(
        "call_qos",
        "GET",
        re.compile(r"/v2/phone/metrics/call_logs/(?P<arg>[^/]+)/qos"),
        "Light",
        ("phone:read:admin", "phone:read:call_qos:admin"),
    ),
    Route(
        "call_charges",
        "GET",
        re.compile(r"/v2/phone/reports/call_charges"),
        "Heavy",
        ("phone:read:admin", "phone:read:call_charges:admin"),
    ),
    Route(
        "sms_charges",
        "GET",
        re.compile(r"/v2/phone/reports/sms_charges"),
        "Heavy",
        ("phone:read:admin", "phone:read:sms_charges:admin"),
    ),
    Route(
        "user_settings",
        "GET",
        re.compile(USER + r"/settings"),
        "Light",
        (
            "phone:read",
            "phone:read:admin",
            "phone:read:user_setting:admin",
            "phone:read:user_setting",
        ),
    ),
    Route(
        "call_queue_members",
        "GET",
        re.compile(r"/v2/phone/call_queues/(?P<arg>[^/]+)/members"),
        "Medium",
        ("phone:read:admin", "phone:read:list_call_queue_members:admin"),
    ),
)
# Where transcript downloads redirect to: a file host outside the API, with signed URLs.
FILES = Route(
    "transcript_file", "GET", re.compile(r"/files/transcripts/(?P<arg>[^/]+)\.json"), None
)


def match_route(method: str, path: str) -> tuple[Route | None, str]:
    """Find the route of a request.

    Args:
        method: HTTP method.
        path: URL path.

    Returns:
        (route or None, decoded path argument).
    """
    for route in (*ROUTES, FILES):
        found = route.pattern.fullmatch(path)
        if found and route.method == method:
            return route, unquote(found.groupdict().get("arg") or "")
    return None, ""
