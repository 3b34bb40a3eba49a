"""Call logs: per user (list endpoint to backfill, sync endpoint after) and account-wide."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_zoomphone.pacing import HEAVY, MEDIUM
from tap_zoomphone.streams.account import AccountWindowStream
from tap_zoomphone.streams.per_user import PerUserStream

if t.TYPE_CHECKING:
    from tap_zoomphone.settings import Settings


class CallLogsStream(PerUserStream):
    """Call logs of each phone user; incremental with one Zoom sync token per user.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/users/{userId}/call_logs
    and .../call_logs/sync. Scopes: phone:read:admin or phone_call_log:read:admin.
    Rate labels: Heavy (list; Medium in the 2026 spec, budgeted as Heavy), Medium (sync).
    Page caps: 300 (list), 250 (sync).
    """

    name = "call_logs"
    primary_keys = ("id",)
    list_path = "/phone/users/{user_id}/call_logs"
    sync_path = "/phone/users/{user_id}/call_logs/sync"
    list_label = HEAVY
    sync_label = MEDIUM
    records_keys = ("call_logs",)

    @override
    def list_params(self) -> dict[str, t.Any]:
        return {
            **call_log_params(self.zoom.settings),
            "phone_number": self.zoom.settings.phone_number,
        }

    @override
    def list_filters(self) -> str:
        settings = self.zoom.settings
        used = [
            name
            for name, value in (
                ("type", settings.call_log_type != "all"),
                ("phone_number", settings.phone_number),
            )
            if value
        ]
        return " and ".join(used)


class AccountCallLogsStream(AccountWindowStream):
    """Call logs of every user of the account in one stream (admin).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/call_logs
    Scopes: phone:read:admin or phone_call_log:read:admin. Rate label: Heavy. Page cap: 300.
    """

    name = "account_call_logs"
    path = "/phone/call_logs"
    primary_keys = ("id",)
    records_keys = ("call_logs",)
    selected_by_default = False

    @override
    def list_params(self) -> dict[str, t.Any]:
        return call_log_params(self.zoom.settings)


def call_log_params(settings: Settings) -> dict[str, t.Any]:
    """The list parameters both call-log endpoints share."""
    return {
        "page_size": settings.page_size,
        "type": settings.call_log_type,
        "time_type": settings.time_type,
    }
