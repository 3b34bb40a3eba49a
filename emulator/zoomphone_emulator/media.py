"""Call recordings and voicemails: which calls have them, whose they are, when they count.

They come from the calls: a recording is an answered call the facts mark recorded (the
account-side user's), a voicemail a call that ended in voicemail on a user (the callee's). Each
is served once its call is (`ingest_delay` after it ends), so new ones appear as the clock
moves on, like calls.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from zoomphone_emulator.calls import OUTSIDE, day_of
from zoomphone_emulator.ids import hex_id
from zoomphone_emulator.queries import LONGEST_CALL, Lru

if TYPE_CHECKING:
    from zoomphone_emulator.calls import Call, CallBook
    from zoomphone_emulator.facts import FactsBook
    from zoomphone_emulator.queries import Scope

DAY_CACHE_SIZE = 65_536
LIST_CACHE_SIZE = 8
# A voicemail is trashed (at some point after it arrives) when its id's first two hex digits
# are below this (about 1 in 8).
TRASHED_BELOW = 32
TRASH_DELAY_HOURS = (1, 20 * 24)


class Media(NamedTuple):
    """A recording or voicemail before it is rendered.

    Attributes:
        rank: Sort key: the negative of the time the list filters on (newest first).
        id: Recording or voicemail id.
        call: Its call.
        owner: Index of the user it belongs to.
    """

    rank: int
    id: str
    call: Call
    owner: int


def answered_at(call: Call) -> int:
    """Return when a call was picked up (by a person or voicemail): the media's `date_time`.

    Args:
        call: The call.

    Returns:
        Epoch seconds.
    """
    return call.start + call.wait


def trashed_at(item: Media) -> int | None:
    """Return when a voicemail goes to the trash, or None for one that never does.

    Args:
        item: A voicemail.

    Returns:
        Epoch seconds (some hours to days after it arrives), or None.
    """
    mark = int(item.id[:4], 16)
    if mark >> 8 >= TRASHED_BELOW:
        return None
    low, high = TRASH_DELAY_HOURS
    hours = low + (mark & 0xFF) * (high - low) // 0xFF
    return item.call.end + hours * 3600


class MediaBook:
    """Lists the recordings and voicemails of the account's calls.

    Args:
        book: The calls.
        facts: Their facts (who, recorded or not, ids).
    """

    def __init__(self, book: CallBook, facts: FactsBook) -> None:
        """Prepare the caches."""
        self._book = book
        self._facts = facts
        self._of_day = (
            functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._recordings_of_day),
            functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._voicemails_of_day),
        )
        self._lists: Lru[list[Media]] = Lru(LIST_CACHE_SIZE)

    def _recordings_of_day(self, kind: int, owner: int, day: int) -> tuple[Media, ...]:
        """The recordings of an owner's calls of one day (the facts say which are recorded)."""
        out = []
        for call in self._book.calls(kind, owner, day):
            facts = self._facts.facts(call)
            if facts.recording_id is not None and facts.home.user is not None:
                out.append(Media(0, facts.recording_id, call, facts.home.user.index))
        return tuple(out)

    def _voicemails_of_day(self, kind: int, owner: int, day: int) -> tuple[Media, ...]:
        """The voicemails of an owner's calls of one day (the calls alone tell: no facts)."""
        return tuple(
            Media(0, hex_id(call.key, "voicemail"), call, call.callee)
            for call in self._book.calls(kind, owner, day)
            if call.outcome == "voicemail" and call.callee != OUTSIDE
        )

    def _list(self, which: int, scope: Scope) -> list[Media]:
        start, end, by_end, snapshot_ms, delay = scope[:5]

        def build() -> list[Media]:
            last = min(end, snapshot_ms // 1000)
            out = []
            for day in self._book.days(day_of(start - LONGEST_CALL), day_of(last)):
                for kind, owner in self._book.owners():
                    for item in self._of_day[which](kind, owner, day):
                        call = item.call
                        time = call.end if by_end else answered_at(call)
                        if start <= time <= end and call.visible_at(delay) * 1000 <= snapshot_ms:
                            out.append(item._replace(rank=-time))
            out.sort()
            return out

        return self._lists.get((which, scope), build)

    def recordings(self, scope: Scope) -> list[Media]:
        """List the recordings in a scope, newest first.

        Args:
            scope: The window (on `date_time`, or on `end_time` when `by_end`), the
                visibility snapshot and the ingest delay; `missed` and `phone` are ignored.

        Returns:
            The recordings.
        """
        return self._list(0, scope)

    def voicemails(self, scope: Scope) -> list[Media]:
        """List the voicemails in a scope, newest first (in the trash or not).

        Args:
            scope: The window on `date_time`, the visibility snapshot and the ingest delay.

        Returns:
            The voicemails.
        """
        return self._list(1, scope._replace(by_end=False))
