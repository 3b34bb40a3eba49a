"""Which records a list, sync or truth query covers, in the order Zoom serves them.

Queries walk only the days they need and keep light entries (time, id, call); full records
are built later, for one page at a time. Account-wide results are cached per snapshot so the
pages of one crawl do not redo the work.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, NamedTuple

from tap_zoomphone.emulator.call_history import element_id
from tap_zoomphone.emulator.call_logs import log_id
from tap_zoomphone.emulator.calls import MAX_TALK, UNANSWERED_WAIT, day_of

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable

    from tap_zoomphone.emulator.calls import Call, CallBook

# The longest call, so a window on end times also looks at calls that started earlier.
LONGEST_CALL = MAX_TALK + UNANSWERED_WAIT[1]
# Per-user results are small and many; account-wide ones are few and can be large.
USER_CACHE_SIZE = 256
ACCOUNT_CACHE_SIZE = 4


class Entry(NamedTuple):
    """A listed record before it is built.

    Attributes:
        rank: Sort key: negative time for lists (newest first), visible_at ms for feeds.
        id: Record id (ties are ordered by it).
        call: The call.
        part: Owner user index (call logs) or element index (call history); -1 for calls.
    """

    rank: int
    id: str
    call: Call
    part: int


class Scope(NamedTuple):
    """The filters of a list query.

    Attributes:
        start: First epoch second (inclusive).
        end: Last epoch second (inclusive).
        by_end: Filter and sort on the end time instead of the start time.
        snapshot_ms: Only records visible at this instant count.
        delay: The ingest delay (seconds) in force.
        missed: Only missed calls (`type=missed`).
        phone: Only calls involving this number.
    """

    start: int
    end: int
    by_end: bool
    snapshot_ms: int
    delay: int
    missed: bool = False
    phone: str | None = None

    def days(self) -> tuple[int, int]:
        """Return the first and last day whose calls can fall in the scope.

        Returns:
            Day ordinals.
        """
        first = self.start - (LONGEST_CALL if self.by_end else 0)
        last = min(self.end, self.snapshot_ms // 1000)
        return day_of(first), day_of(last)

    def keeps(self, call: Call, time: int) -> bool:
        """Whether the scope's time and visibility filters keep a call.

        Args:
            call: The call.
            time: The record's filtered time.

        Returns:
            True when kept.
        """
        return self.start <= time <= self.end and (call.end + self.delay) * 1000 <= self.snapshot_ms


class _Lru:
    """A small thread-safe LRU of query results."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, list[Entry]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], list[Entry]]) -> list[Entry]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        result = build()  # outside the lock: concurrent builds of one key are merely wasted work
        with self._lock:
            self._items[key] = result
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return result


class Queries:
    """Answers list, feed and truth queries over a CallBook.

    Args:
        book: The calls.
        numbers: Returns the phone numbers a call shows (for the `phone_number` filter).
        uuid: Returns a call's call-history UUID.
    """

    def __init__(
        self,
        book: CallBook,
        numbers: Callable[[Call], tuple[str, ...]],
        uuid: Callable[[Call], str],
    ) -> None:
        """Prepare the result cache."""
        self._book = book
        self._numbers = numbers
        self._uuid = uuid
        self._per_user = _Lru(USER_CACHE_SIZE)
        self._account = _Lru(ACCOUNT_CACHE_SIZE)

    def _logs(self, calls: Iterable[Call], scope: Scope, owners: int | None) -> list[Entry]:
        out: list[Entry] = []
        for call in calls:
            time = call.end if scope.by_end else call.start
            if not scope.keeps(call, time):
                continue
            if scope.phone and scope.phone not in self._numbers(call):
                continue
            users = call.users if owners is None else (owners,)
            out.extend(
                Entry(-time, log_id(call, user), call, user)
                for user in users
                if not scope.missed or call.missed_by(user)
            )
        out.sort(key=_order)
        return out

    def user_logs(self, user: int, scope: Scope) -> list[Entry]:
        """List a user's call logs in a scope, newest first.

        Args:
            user: User index.
            scope: The filters.

        Returns:
            The entries.
        """
        first, last = scope.days()
        return self._per_user.get(
            ("user_logs", user, scope),
            lambda: self._logs(self._book.user_calls(user, first, last), scope, user),
        )

    def account_logs(self, scope: Scope) -> list[Entry]:
        """List every user's call logs in a scope, newest first (a call between users twice).

        Args:
            scope: The filters.

        Returns:
            The entries.
        """
        first, last = scope.days()
        return self._account.get(
            ("account_logs", scope),
            lambda: self._logs(self._book.account_calls(first, last), scope, None),
        )

    def account_history(self, scope: Scope) -> list[Entry]:
        """List the account's calls (one entry per call) in a scope, newest first.

        Args:
            scope: The filters (`missed` and `phone` are ignored).

        Returns:
            The entries.
        """
        first, last = scope.days()

        def build() -> list[Entry]:
            out = [
                Entry(-time, "", call, -1)
                for call in self._book.account_calls(first, last)
                if scope.keeps(call, time := call.end if scope.by_end else call.start)
            ]
            # Build the uuids only for what passed the filters.
            return sorted((e._replace(id=self._uuid(e.call)) for e in out), key=_order)

        return self._account.get(("account_history", scope), build)

    def user_elements(self, user: int, scope: Scope) -> list[Entry]:
        """List the elements of a user's calls in a scope, newest first.

        Args:
            user: User index.
            scope: The filters, applied to each element's own start or end time.

        Returns:
            The entries.
        """
        first, last = scope.days()

        def build() -> list[Entry]:
            out = []
            for call in self._book.user_calls(user, first, last):
                for leg in range(call.legs):
                    start, _, end = call.leg_times(leg)
                    time = end if scope.by_end else start
                    if scope.keeps(call, time):
                        out.append(Entry(-time, element_id(call, leg), call, leg))
            out.sort(key=_order)
            return out

        return self._per_user.get(("user_elements", user, scope), build)

    def feed(self, user: int, kind: str, since: int, now_ms: int, delay: int) -> list[Entry]:
        """Return a user's sync feed: visible records ordered by (visible_at, id), oldest first.

        Args:
            user: User index.
            kind: "L" (call logs) or "H" (call-history elements).
            since: Readable boundary (epoch seconds): older records (by their start time,
                as the list endpoints and the ground truth count them) are not in the feed.
            now_ms: The emulator's now in milliseconds.
            delay: The ingest delay (seconds) in force.

        Returns:
            The entries, `rank` being visible_at in milliseconds.
        """
        today = day_of(now_ms // 1000)
        key = ("feed", user, kind, since, today, delay)

        def build() -> list[Entry]:
            out: list[Entry] = []
            for call in self._book.user_calls(user, day_of(since - LONGEST_CALL), today):
                ms = (call.end + delay) * 1000
                if kind == "L":
                    if call.start >= since:
                        out.append(Entry(ms, log_id(call, user), call, user))
                    continue
                out.extend(
                    Entry(ms, element_id(call, leg), call, leg)
                    for leg in range(call.legs)
                    if call.leg_times(leg)[0] >= since
                )
            out.sort(key=_order)
            return out

        entries = self._per_user.get(key, build)
        # Cached for the whole day: cut what is not visible yet.
        return entries[: bisect.bisect_right(entries, now_ms, key=_rank)]


def _order(entry: Entry) -> tuple[int, str]:
    return entry.rank, entry.id


def _rank(entry: Entry) -> int:
    return entry.rank
