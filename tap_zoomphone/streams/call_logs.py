"""Call logs: per user (backfill, then the sync endpoint) and account-wide (month windows)."""

from __future__ import annotations

from tap_zoomphone.reading.account import AccountWindowStream
from tap_zoomphone.reading.endpoints import (
    CALL_LOG_TYPE,
    PHONE_NUMBER,
    TIME_TYPE,
    Endpoint,
)
from tap_zoomphone.reading.per_user import PerUserStream
from tap_zoomphone.zoom.pacing import HEAVY, MEDIUM

CALL_LOGS = ("call_logs",)


class CallLogsStream(PerUserStream):
    """Call logs of each phone user (legacy); incremental with one Zoom sync token per user.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/users/{userId}/call_logs
    and .../call_logs/sync. Scopes: phone:read:admin or phone_call_log:read:admin.
    Rate labels: Heavy (list; Medium in the 2026 spec, budgeted as Heavy), Medium (sync).
    """

    name = "call_logs"
    primary_keys = ("id",)
    listing = Endpoint(
        "/phone/users/{user_id}/call_logs",
        HEAVY,
        CALL_LOGS,
        page_cap=300,
        params=(CALL_LOG_TYPE, TIME_TYPE, PHONE_NUMBER),
    )
    syncing = Endpoint(
        "/phone/users/{user_id}/call_logs/sync", MEDIUM, CALL_LOGS, page_cap=250, sized_by="count"
    )
    time_field = "date_time"
    successor = "user_call_history"
    # Zoom has sunset these endpoints: where it switched them off, they answer 404.
    selected_by_default = False


class AccountCallLogsStream(AccountWindowStream):
    """Call logs of every user of the account in one stream (admin; legacy).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/call_logs
    Scopes: phone:read:admin or phone_call_log:read:admin.
    """

    name = "account_call_logs"
    primary_keys = ("id",)
    endpoint = Endpoint(
        "/phone/call_logs", HEAVY, CALL_LOGS, page_cap=300, params=(CALL_LOG_TYPE, TIME_TYPE)
    )
    successor = "call_history"
    selected_by_default = False
