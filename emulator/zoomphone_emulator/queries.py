"""Which records a list, sync or truth query covers, in the order Zoom serves them.

Queries walk only the days they need and keep light entries (time, id, call); full records
are built later, for one page at a time. A day's entries of a user (or of an owner of calls)
are built once, ids computed and sorted; whole days inside a window are taken as they are.
Results are cached per scope so the pages of one crawl do not redo the work.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from zoomphone_emulator.call_history import element_id
from zoomphone_emulator.call_logs import log_id
from zoomphone_emulator.calls import MAX_TALK, UNANSWERED_WAIT, day_of

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable

    from zoomphone_emulator.calls import Call, CallBook

# The longest call, so a window on end times also looks at calls that started earlier.
LONGEST_CALL = MAX_TALK + UNANSWERED_WAIT[1]
# Per-user results are small and many; account-wide ones are few and can be large.
USER_CACHE_SIZE = 256
ACCOUNT_CACHE_SIZE = 4
# Days of entries kept per kind (logs, elements, calls): as many as the generator keeps days.
DAY_CACHE_SIZE = 65_536


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


class Day(NamedTuple):
    """One day's entries: a user's logs or call-history elements, or an owner's calls.

    Attributes:
        entries: Ranked by start time, newest first, as list queries serve them.
        earliest: The first start time among them.
        latest: The last start time among them.
        ends: The last end time of their calls, late visibility included (all are visible
            from ends + ingest delay).
    """

    entries: tuple[Entry, ...]
    earliest: int
    latest: int
    ends: int

    @classmethod
    def of(cls, entries: list[Entry]) -> Day:
        """Sort entries and note their bounds.

        Args:
            entries: Entries ranked by negative start time.

        Returns:
            The day.
        """
        if not entries:
            return EMPTY_DAY
        entries.sort()
        ends = max(e.call.end + e.call.late for e in entries)
        return cls(tuple(entries), -entries[-1].rank, -entries[0].rank, ends)


EMPTY_DAY = Day((), 0, 0, 0)


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

    def covers(self, day: Day) -> bool:
        """Whether every entry of a day passes the time and visibility filters (by start time).

        Args:
            day: A user's day.

        Returns:
            True when the day can be taken whole.
        """
        return (
            self.start <= day.earliest
            and day.latest <= self.end
            and (day.ends + self.delay) * 1000 <= self.snapshot_ms
        )


V = TypeVar("V")


class Lru(Generic[V]):
    """A small thread-safe LRU of query results.

    Args:
        size: How many results it keeps.
    """

    def __init__(self, size: int) -> None:
        """Start empty."""
        self._size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """Return the result of a key, building it when it is not kept.

        Args:
            key: What identifies the result.
            build: Makes the result.

        Returns:
            The result.
        """
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
        """Prepare the result caches."""
        self._book = book
        self._numbers = numbers
        self._uuid = uuid
        self._per_user: Lru[list[Entry]] = Lru(USER_CACHE_SIZE)
        self._account: Lru[list[Entry]] = Lru(ACCOUNT_CACHE_SIZE)
        self._logs_of_day = functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._day_logs)
        self._elements_of_day = functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._day_elements)
        self._calls_of_day = functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._day_calls)

    def _day_logs(self, user: int, day: int) -> Day:
        """A user's logs of the calls of one day (ids are digests: computed once)."""
        calls = self._book.user_calls(user, day, day)
        return Day.of([Entry(-call.start, log_id(call, user), call, user) for call in calls])

    def _day_elements(self, user: int, day: int) -> Day:
        """The elements of a user's calls of one day, ranked by each element's start."""
        return Day.of(
            [
                Entry(-call.leg_times(leg)[0], element_id(call, leg), call, leg)
                for call in self._book.user_calls(user, day, day)
                for leg in range(call.legs)
            ]
        )

    def _days(self, scope: Scope) -> range:
        first, last = scope.days()
        return self._book.days(first, last)

    def _logs(self, users: Iterable[int], scope: Scope) -> list[Entry]:
        """Users' logs that pass the scope's filters, in list order."""
        start, end, by_end, snapshot_ms, delay, missed, phone = scope
        whole_days = not (by_end or missed or phone)
        out: list[Entry] = []
        for user in users:
            for day in self._days(scope):
                logs = self._logs_of_day(user, day)
                if whole_days and scope.covers(logs):
                    out.extend(logs.entries)  # the common case: no per-record work at all
                    continue
                for entry in logs.entries:
                    call = entry.call
                    time = call.end if by_end else call.start
                    if not start <= time <= end or call.visible_at(delay) * 1000 > snapshot_ms:
                        continue
                    if missed and not call.missed_by(user):
                        continue
                    if phone and phone not in self._numbers(call):
                        continue
                    out.append(entry._replace(rank=-time) if by_end else entry)
        out.sort()  # (rank, id): ids are unique, so entries never compare their calls
        return out

    def user_logs(self, user: int, scope: Scope, *, keep: bool = True) -> list[Entry]:
        """List a user's call logs in a scope, newest first.

        Args:
            user: User index.
            scope: The filters.
            keep: Cache the result (a one-off walk such as a warm-up need not).

        Returns:
            The entries.
        """
        if not keep:
            return self._logs((user,), scope)
        return self._per_user.get(("user_logs", user, scope), lambda: self._logs((user,), scope))

    def account_logs(self, scope: Scope) -> list[Entry]:
        """List every user's call logs in a scope, newest first (a call between users twice).

        Args:
            scope: The filters.

        Returns:
            The entries.
        """
        users = range(self._book.users)
        return self._account.get(("account_logs", scope), lambda: self._logs(users, scope))

    def _day_calls(self, kind: int, owner: int, day: int) -> Day:
        """An owner's calls of one day with their UUIDs (four blake2b rounds: computed once)."""
        calls = self._book.calls(kind, owner, day)
        return Day.of([Entry(-call.start, self._uuid(call), call, -1) for call in calls])

    def account_history(self, scope: Scope, *, keep: bool = True) -> list[Entry]:
        """List the account's calls (one entry per call) in a scope, newest first.

        Args:
            scope: The filters (`missed` and `phone` are ignored).
            keep: Cache the result (a one-off walk such as a warm-up need not).

        Returns:
            The entries.
        """
        start, end, by_end, snapshot_ms, delay = scope[:5]

        def build() -> list[Entry]:
            out: list[Entry] = []
            for day in self._days(scope):
                for kind, owner in self._book.owners():
                    calls = self._calls_of_day(kind, owner, day)
                    if not by_end and scope.covers(calls):
                        out.extend(calls.entries)
                        continue
                    for entry in calls.entries:
                        call = entry.call
                        time = call.end if by_end else call.start
                        if start <= time <= end and call.visible_at(delay) * 1000 <= snapshot_ms:
                            out.append(entry._replace(rank=-time) if by_end else entry)
            out.sort()
            return out

        return self._account.get(("account_history", scope), build) if keep else build()

    def user_elements(self, user: int, scope: Scope, *, keep: bool = True) -> list[Entry]:
        """List the elements of a user's calls in a scope, newest first.

        Args:
            user: User index.
            scope: The filters, applied to each element's own start or end time.
            keep: Cache the result (a one-off walk such as a warm-up need not).

        Returns:
            The entries.
        """
        start, end, by_end, snapshot_ms, delay = scope[:5]

        def build() -> list[Entry]:
            out: list[Entry] = []
            for day in self._days(scope):
                elements = self._elements_of_day(user, day)
                if not by_end and scope.covers(elements):
                    out.extend(elements.entries)
                    continue
                for entry in elements.entries:
                    call = entry.call
                    time = call.leg_times(entry.part)[2] if by_end else -entry.rank
                    if start <= time <= end and call.visible_at(delay) * 1000 <= snapshot_ms:
                        out.append(entry._replace(rank=-time) if by_end else entry)
            out.sort()  # elements may start the day after their call: days can overlap
            return out

        return self._per_user.get(("user_elements", user, scope), build) if keep else build()

    def feed(  # noqa: PLR0913 - a feed's coordinates and ordering
        self,
        user: int,
        kind: str,
        since: int,
        now_ms: int,
        delay: int,
        *,
        follows: str = "visible",
    ) -> list[Entry]:
        """Return a user's sync feed as of now: visible records, oldest first.

        Ordered by (visible_at, id) when ISync follows visibility: a record that changed is
        at its change instead. Ordered by (start, id) when it follows the start.

        Args:
            user: User index.
            kind: "L" (call logs) or "H" (call-history elements).
            since: Readable boundary (epoch seconds): older records (by their start time,
                as the list endpoints and the ground truth count them) are not in the feed.
            now_ms: The emulator's now in milliseconds.
            delay: The ingest delay (seconds) in force.
            follows: "visible" or "start" (the emulator's `isync_follows`).

        Returns:
            The entries, `rank` being the position in milliseconds.
        """
        today = day_of(now_ms // 1000)
        key = ("feed", user, kind, since, today, delay, follows)
        of_day = self._logs_of_day if kind == "L" else self._elements_of_day
        by_start = follows == "start"

        def build() -> list[Entry]:
            out: list[Entry] = []
            for day in self._book.days(day_of(since - LONGEST_CALL), today):
                for entry in of_day(user, day).entries:
                    if -entry.rank < since:
                        continue
                    call = entry.call
                    if by_start:
                        out.append(entry._replace(rank=-entry.rank * 1000))
                        continue
                    out.append(entry._replace(rank=call.visible_at(delay) * 1000))
                    changed = call.changed_at(delay)
                    if changed is not None:  # the same record again, where it changed
                        out.append(entry._replace(rank=changed * 1000))
            out.sort()
            return out

        entries = self._per_user.get(key, build)
        # Cached for the whole day: cut what is not visible yet.
        if by_start:
            return [e for e in entries if e.call.visible_at(delay) * 1000 <= now_ms]
        served = entries[: bisect.bisect_right(entries, now_ms, key=_rank)]
        if not self._book.changes:
            return served
        # A changed record is served at its change only, once it changed.
        return [e for e in served if not _moved(e, delay, now_ms)]


def _moved(entry: Entry, delay: int, now_ms: int) -> bool:
    """Whether this is a record's first position in a feed and it has since changed."""
    changed = entry.call.changed_at(delay)
    return changed is not None and changed * 1000 <= now_ms and entry.rank < changed * 1000


def _rank(entry: Entry) -> int:
    return entry.rank


def feed_start(kind: str, entry: Entry) -> int:
    """Return the start time by which a feed entry's age is judged (the feed's `since`).

    Args:
        kind: "L" (call logs: the call's start) or "H" (call-history elements: the element's).
        entry: An entry of `Queries.feed`.

    Returns:
        Epoch seconds.
    """
    call = entry.call
    return call.start if kind == "L" else call.leg_times(entry.part)[0]
