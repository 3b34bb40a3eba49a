"""The eight Zoom Phone endpoints: parameters, paging, sync and record shapes.

Each handler takes the path argument and the query, and returns the response body and the
number of records in it; rule violations raise ApiError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tap_zoomphone.emulator.call_history import (
    account_call_history,
    call_path,
    user_call_element,
)
from tap_zoomphone.emulator.call_logs import account_call_log, user_call_log
from tap_zoomphone.emulator.errors import ApiError
from tap_zoomphone.emulator.paging import DEFAULT_PAGE_SIZE, NO_WINDOW, Pager, positive_int
from tap_zoomphone.emulator.sync import SyncFeeds
from tap_zoomphone.emulator.tokens import NO_USER
from tap_zoomphone.emulator.windows import readable_start

if TYPE_CHECKING:
    from tap_zoomphone.emulator.account import PhoneAccount
    from tap_zoomphone.emulator.clock import EmulatorClock
    from tap_zoomphone.emulator.config import EmulatorConfig
    from tap_zoomphone.emulator.directory import PhoneUser
    from tap_zoomphone.emulator.queries import Entry
    from tap_zoomphone.emulator.tokens import Signer

Payload = tuple[dict[str, Any], int]

USERS_CAP = 100
LOG_TIME_TYPES = ("startTime", "endTime")
HISTORY_TIME_TYPES = ("start_time", "end_time")


class Endpoints:
    """Request handlers of the emulated API.

    Args:
        config: The live settings.
        clock: The emulator clock.
        account: The account's data.
        signer: Key for page and sync tokens.
    """

    def __init__(
        self, config: EmulatorConfig, clock: EmulatorClock, account: PhoneAccount, signer: Signer
    ) -> None:
        """Keep the collaborators."""
        self.config = config
        self.clock = clock
        self.account = account
        self.pager = Pager(config, clock, signer)
        self.feeds = SyncFeeds(config, clock, account.queries, signer)

    def user(self, key: str) -> PhoneUser:
        """Resolve a `userId` (id, email or "me").

        Args:
            key: The path argument.

        Returns:
            The user.

        Raises:
            ApiError: for an unknown user, in the configured form.
        """
        found = self.account.directory.find(key)
        if found is not None:
            return found
        style = self.config.unknown_users_error
        if style == "invalid":
            raise ApiError(400, 300, "Invalid user id.")
        raise ApiError(404, 300 if style == "300" else 1001, f"User does not exist: {key}.")

    def _readable_user(self, key: str) -> PhoneUser:
        """Resolve a user whose call records are requested (broken users fail here)."""
        user = self.user(key)
        broken = set(self.config.broken_users)
        if user.id in broken or user.email in broken:
            raise ApiError(400, 3001, "Error retrieving call logs.")
        return user

    # -- endpoints -----------------------------------------------------------------------

    def users(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        page_size = positive_int(query, "page_size", DEFAULT_PAGE_SIZE, USERS_CAP)
        cursor = self.pager.cursor("users", NO_USER, query)
        offset = cursor.offset if cursor else 0
        users = self.account.directory.users
        page = [u.record() for u in users[offset : offset + page_size]]
        following = offset + page_size
        token = ""
        if following < len(users):
            token = self.pager.token(
                "users", NO_USER, query, window=NO_WINDOW, offset=following, snapshot_ms=0
            )
        body = {
            "next_page_token": token,
            "page_size": page_size,
            "total_records": len(users),
            "users": page,
        }
        return body, len(page)

    def user_call_logs(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_logs.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, envelope = self.pager.page(
            "user_call_logs",
            user.index,
            query,
            LOG_TIME_TYPES,
            lambda scope: self.account.queries.user_logs(user.index, scope),
        )
        records = [self._user_log(e, sync=False) for e in page]
        return {"call_logs": records, **envelope}, len(records)

    def _user_log(self, entry: Entry, *, sync: bool) -> dict[str, Any]:
        owner = self.account.directory.users[entry.part]
        facts = self.account.facts.facts(entry.call)
        return user_call_log(entry.call, facts, owner, sync=sync, extras=self.config.unknown_fields)

    def user_call_logs_sync(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_logs/sync.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, token = self.feeds.serve(user.index, "L", query)
        records = [self._user_log(e, sync=True) for e in page]
        return {"call_logs": records, "sync_token": token}, len(records)

    def account_call_logs(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/call_logs.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        page, envelope = self.pager.page(
            "account_call_logs", NO_USER, query, LOG_TIME_TYPES, self.account.queries.account_logs
        )
        users = self.account.directory.users
        records = [
            account_call_log(
                e.call,
                self.account.facts.facts(e.call),
                users[e.part],
                extras=self.config.unknown_fields,
            )
            for e in page
        ]
        return {"call_logs": records, **envelope}, len(records)

    def call_history(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/call_history.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        page, envelope = self.pager.page(
            "call_history",
            NO_USER,
            query,
            HISTORY_TIME_TYPES,
            self.account.queries.account_history,
            token_on_last_page=self.config.last_page_token,
        )
        array = self.config.call_history_array
        records = [
            account_call_history(
                e.call,
                self.account.facts.facts(e.call),
                old_name=array == "call_logs",
                extras=self.config.unknown_fields,
            )
            for e in page
        ]
        return {array: records, **envelope}, len(records)

    def _elements(self, page: list[Entry], *, sync: bool) -> tuple[str, list[dict[str, Any]]]:
        array = self.config.user_call_history_array
        records = [
            user_call_element(
                e.call,
                self.account.facts.facts(e.call),
                e.part,
                old_name=array == "call_logs",
                sync=sync,
                extras=self.config.unknown_fields,
            )
            for e in page
        ]
        return array, records

    def user_call_history(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_history.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, envelope = self.pager.page(
            "user_call_history",
            user.index,
            query,
            HISTORY_TIME_TYPES,
            lambda scope: self.account.queries.user_elements(user.index, scope),
        )
        array, records = self._elements(page, sync=False)
        return {array: records, **envelope}, len(records)

    def user_call_history_sync(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_history/sync.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, token = self.feeds.serve(user.index, "H", query)
        array, records = self._elements(page, sync=True)
        return {array: records, "sync_token": token}, len(records)

    def call_history_detail(self, arg: str, _query: dict[str, str]) -> Payload:
        """GET /phone/call_history/{callHistoryUuid}.

        Args:
            arg: The call-history UUID.
            _query: Unused.

        Returns:
            Body and record count (the call's elements).

        Raises:
            ApiError: 404 code 3001 for an unknown, not yet visible or unreadable call.
        """
        call = self.account.find_call(arg)
        now = self.clock.now()
        if (
            call is None
            or call.visible_at(self.config.ingest_delay) > now.timestamp()
            or call.start < readable_start(now).timestamp()
        ):
            raise ApiError(404, 3001, "Call history does not exist.")
        body = call_path(
            call,
            self.account.facts.facts(call),
            arrays=self.config.call_path_array,
            extras=self.config.unknown_fields,
        )
        return body, call.legs
