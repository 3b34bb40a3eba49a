"""Ground truth: the ids a complete extraction must return, as of the emulator's now.

Only visible records inside the readable range (the last six months) count. The answers come
straight from the call generator, bypassing windows, paging, tokens and faults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zoomphone_emulator.call_history import element_id
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.windows import readable_start

if TYPE_CHECKING:
    from datetime import datetime

    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.directory import PhoneUser


class GroundTruth:
    """Sets of ids per endpoint family.

    Args:
        config: The live settings (for the ingest delay).
        clock: The emulator clock.
        account: The account's data.
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock, account: PhoneAccount) -> None:
        """Keep the collaborators."""
        self._config = config
        self._clock = clock
        self._account = account

    def readable_start(self) -> datetime:
        """Return the six-month boundary: nothing older can be read.

        Returns:
            Midnight UTC six calendar months before the emulator's now.
        """
        return readable_start(self._clock.now())

    def _scope(self, start: datetime | None, end: datetime | None, *, by_end: bool) -> Scope:
        now = self._clock.now()
        boundary = readable_start(now).timestamp()
        first = max(start.timestamp(), boundary) if start else boundary
        last = min(end.timestamp(), now.timestamp()) if end else now.timestamp()
        return Scope(
            int(-(-first // 1)),
            int(last),
            by_end,
            int(now.timestamp() * 1000),
            self._config.ingest_delay,
        )

    def _user(self, user_id: str) -> PhoneUser:
        user = self._account.directory.find(user_id)
        if user is None:
            msg = f"unknown user {user_id!r}"
            raise KeyError(msg)
        return user

    def call_log_ids(
        self,
        user_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        time_type: str = "startTime",
    ) -> set[str]:
        """Return the ids of a user's call logs (what `call_logs` and `call_logs/sync` hold).

        Args:
            user_id: User id, email or "me".
            start: Inclusive lower bound (None: the six-month boundary).
            end: Inclusive upper bound (None: now).
            time_type: "startTime" or "endTime": which time the bounds apply to.

        Returns:
            The call-log ids.
        """
        scope = self._scope(start, end, by_end=time_type == "endTime")
        return {e.id for e in self._account.queries.user_logs(self._user(user_id).index, scope)}

    def account_call_log_ids(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the ids of every user's call logs (what `/phone/call_logs` holds).

        Args:
            start: Inclusive lower bound on `date_time` (None: the six-month boundary).
            end: Inclusive upper bound (None: now).

        Returns:
            The call-log ids.
        """
        return {
            e.id for e in self._account.queries.account_logs(self._scope(start, end, by_end=False))
        }

    def call_history_uuids(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the call-history UUIDs of the account's calls (`/phone/call_history`).

        Args:
            start: Inclusive lower bound on `start_time` (None: the six-month boundary).
            end: Inclusive upper bound (None: now).

        Returns:
            The UUIDs.
        """
        scope = self._scope(start, end, by_end=False)
        return {e.id for e in self._account.queries.account_history(scope)}

    def user_call_history_ids(
        self, user_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the element ids of a user's call history (under either array name).

        Args:
            user_id: User id, email or "me".
            start: Inclusive lower bound on the element's `start_time`.
            end: Inclusive upper bound (None: now).

        Returns:
            The element ids.
        """
        scope = self._scope(start, end, by_end=False)
        index = self._user(user_id).index
        return {e.id for e in self._account.queries.user_elements(index, scope)}

    def call_element_ids(self, uuid: str) -> set[str]:
        """Return the element ids of one call's path (empty when not visible or readable).

        Args:
            uuid: The call-history UUID.

        Returns:
            The element ids.
        """
        call = self._account.find_call(uuid)
        now = self._clock.now()
        if (
            call is None
            or call.visible_at(self._config.ingest_delay) > now.timestamp()
            or call.start < readable_start(now).timestamp()
        ):
            return set()
        return {element_id(call, leg) for leg in range(call.legs)}
