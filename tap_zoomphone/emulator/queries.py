"""Which records a list, sync or truth query covers, in the order Zoom serves them.

Queries walk only the days they need and keep light entries (time, id, call); full records
are built later, for one page at a time. Each (user, day) keeps its record ids once computed,
and account-wide results are cached per snapshot so the pages of one crawl do not redo the work.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, NamedTuple

from tap_zoomphone.emulator.call_history import element_id
from tap_zoomphone.emulator.call_logs import log_id
from tap_zoomphone.emulator.calls import MAX_TALK, UNANSWERED_WAIT, day_of

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable, Iterator

    from tap_zoomphone.emulator.calls import Call, CallBook

# The longest call, so a window on end times also looks at calls that started earlier.
LONGEST_CALL = MAX_TALK + UNANSWERED_WAIT[1]
# Per-user results are small and many; account-wide ones are few and can be large.
USER_CACHE_SIZE = 256
ACCOUNT_CACHE_SIZE = 4
# (user, day) pairs whose record ids are kept: as many as the call generator keeps days.
DAY_CACHE_SIZE = 65_536

# A user's log of one call: (call, log id).
LogRow = tuple["Call", str]
# One element of a user's call: (call, leg, element id, element start, element end).
ElementRow = tuple["Call", int, str, int, int]


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
        self._logs_of_day = functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._day_logs)
        self._elements_of_day = functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._day_elements)

    def _logs(self, rows: Iterable[tuple[int, LogRow]], scope: Scope) -> list[Entry]:
        """Entries of (owner, log row) pairs that pass the scope's filters, in list order."""
        start, end, by_end, snapshot_ms, delay, missed, phone = scope
        out: list[Entry] = []
        for owner, (call, ident) in rows:
            time = call.end if by_end else call.start
            if not start <= time <= end or (call.end + delay) * 1000 > snapshot_ms:
                continue
            if missed and not call.missed_by(owner):
                continue
            if phone and phone not in self._numbers(call):
                continue
            out.append(Entry(-time, ident, call, owner))
        out.sort(key=_order)
        return out

    def _day_logs(self, user: int, day: int) -> tuple[LogRow, ...]:
        """A user's logs of one day, ids computed once (they are digests)."""
        return tuple((call, log_id(call, user)) for call in self._book.user_calls(user, day, day))

    def _user_log_rows(self, user: int, first: int, last: int) -> Iterator[tuple[int, LogRow]]:
        for day in self._book.days(first, last):
            for row in self._logs_of_day(user, day):
                yield user, row

    def user_logs(self, user: int, scope: Scope, *, keep: bool = True) -> list[Entry]:
        """List a user's call logs in a scope, newest first.

        Args:
            user: User index.
            scope: The filters.
            keep: Cache the result (a one-off walk such as a warm-up need not).

        Returns:
            The entries.
        """
        first, last = scope.days()

        def build() -> list[Entry]:
            return self._logs(self._user_log_rows(user, first, last), scope)

        return self._per_user.get(("user_logs", user, scope), build) if keep else build()

    def account_logs(self, scope: Scope) -> list[Entry]:
        """List every user's call logs in a scope, newest first (a call between users twice).

        Args:
            scope: The filters.

        Returns:
            The entries.
        """
        first, last = scope.days()

        def rows() -> Iterator[tuple[int, LogRow]]:
            for user in range(self._book.users):
                yield from self._user_log_rows(user, first, last)

        return self._account.get(("account_logs", scope), lambda: self._logs(rows(), scope))

    def account_history(self, scope: Scope, *, keep: bool = True) -> list[Entry]:
        """List the account's calls (one entry per call) in a scope, newest first.

        Args:
            scope: The filters (`missed` and `phone` are ignored).
            keep: Cache the result (a one-off walk such as a warm-up need not).

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

        return self._account.get(("account_history", scope), build) if keep else build()

    def _day_elements(self, user: int, day: int) -> tuple[ElementRow, ...]:
        """The elements of a user's calls of one day, ids and times computed once."""
        rows = []
        for call in self._book.user_calls(user, day, day):
            for leg in range(call.legs):
                start, _, end = call.leg_times(leg)
                rows.append((call, leg, element_id(call, leg), start, end))
        return tuple(rows)

    def _element_rows(self, user: int, first: int, last: int) -> Iterator[ElementRow]:
        for day in self._book.days(first, last):
            yield from self._elements_of_day(user, day)

    def user_elements(self, user: int, scope: Scope, *, keep: bool = True) -> list[Entry]:
        """List the elements of a user's calls in a scope, newest first.

        Args:
            user: User index.
            scope: The filters, applied to each element's own start or end time.
            keep: Cache the result (a one-off walk such as a warm-up need not).

        Returns:
            The entries.
        """
        first, last = scope.days()
        start, end, by_end, snapshot_ms, delay = scope[:5]

        def build() -> list[Entry]:
            out = []
            for call, leg, ident, begin, finish in self._element_rows(user, first, last):
                time = finish if by_end else begin
                if start <= time <= end and (call.end + delay) * 1000 <= snapshot_ms:
                    out.append(Entry(-time, ident, call, leg))
            out.sort(key=_order)
            return out

        return self._per_user.get(("user_elements", user, scope), build) if keep else build()

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
            first = day_of(since - LONGEST_CALL)
            if kind == "L":
                out = [
                    Entry((call.end + delay) * 1000, ident, call, user)
                    for _, (call, ident) in self._user_log_rows(user, first, today)
                    if call.start >= since
                ]
            else:
                out = [
                    Entry((call.end + delay) * 1000, ident, call, leg)
                    for call, leg, ident, begin, _ in self._element_rows(user, first, today)
                    if begin >= since
                ]
            out.sort(key=_order)
            return out

        entries = self._per_user.get(key, build)
        # Cached for the whole day: cut what is not visible yet.
        return entries[: bisect.bisect_right(entries, now_ms, key=_rank)]


def _order(entry: Entry) -> tuple[int, str]:
    return entry.rank, entry.id


def _rank(entry: Entry) -> int:
    return entry.rank
