"""The sync model of `call_logs/sync` and `call_history/sync`: FSync, ISync, BSync.

A feed is ordered by (visible_at, id), or by (start, id) when ISync follows the start
(`isync_follows`; a record that changed is at its change when ISync follows visibility). A
token records the delivered span (and, for ISync in descending order, a pending gap), so a
client that stores every token and repeats ISync until an empty page receives each record
exactly once (once more after it changed, when ISync follows visibility). BSync can be made
to reach back fewer days than the six months (`bsync_days`) or not to be served at all
(`bsync_served`).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from zoomphone_emulator.errors import invalid_sync_token, reject_parameter
from zoomphone_emulator.paging import positive_int
from zoomphone_emulator.queries import feed_start
from zoomphone_emulator.tokens import Cursor, SyncSpan, SyncTokens
from zoomphone_emulator.windows import readable_start

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.queries import Entry, Queries
    from zoomphone_emulator.tokens import Signer

SYNC_TYPES = ("FSync", "ISync", "BSync")
DEFAULT_COUNT = 30
COUNT_CAP = 250


def _position(entry: Entry) -> tuple[int, str]:
    return entry.rank, entry.id


def _cursor(entry: Entry) -> Cursor:
    return Cursor(entry.rank, entry.id)


def _after(feed: list[Entry], cursor: Cursor) -> int:
    """Index of the first entry strictly after `cursor`."""
    return bisect.bisect_right(feed, (cursor.ms, cursor.id), key=_position)


def _before(feed: list[Entry], cursor: Cursor) -> int:
    """Index of the first entry at or after `cursor` (entries before it are older)."""
    return bisect.bisect_left(feed, (cursor.ms, cursor.id), key=_position)


def full_sync(feed: list[Entry], count: int, span: SyncSpan) -> tuple[list[Entry], SyncSpan]:
    """FSync: the newest `count` records, newest first; the span covers exactly them.

    Args:
        feed: Visible records, oldest first.
        count: Page size.
        span: A template span (user, feed, issue time); with no records its bounds are
            (now, now] and are kept.

    Returns:
        The page and its span.
    """
    page = feed[-count:][::-1]
    if not page:
        return page, span
    return page, replace(span, lo=_cursor(page[-1]), hi=_cursor(page[0]), gap=None)


def incremental_sync(
    feed: list[Entry], count: int, span: SyncSpan, *, descending: bool, issued_ms: int
) -> tuple[list[Entry], SyncSpan | None]:
    """ISync: records newer than the span; a pending gap (descending order) is served first.

    Args:
        feed: Visible records, oldest first.
        count: Page size.
        span: The client's token.
        descending: Serve the newest new records first, leaving a gap behind.
        issued_ms: Issue time of the next token.

    Returns:
        The page and the next span (None: nothing new, hand back the same token).
    """
    span = replace(span, issued_ms=issued_ms)
    if span.gap:
        after, before = span.gap
        pending = feed[_after(feed, after) : _before(feed, before)]
        if pending:
            page = pending[-count:][::-1]
            gap = (after, _cursor(page[-1])) if len(pending) > count else None
            return page, replace(span, gap=gap)
        # The gap aged out of the readable range: nothing is owed from it any more.
        span = replace(span, gap=None)
        changed = True
    else:
        changed = False
    newer = feed[_after(feed, span.hi) :]
    if not newer:
        return [], span if changed else None
    if not descending:
        page = newer[:count]
        return page, replace(span, hi=_cursor(page[-1]))
    page = newer[-count:][::-1]
    gap = (span.hi, _cursor(page[-1])) if len(newer) > count else None
    return page, replace(span, hi=_cursor(page[0]), gap=gap)


def backward_sync(
    feed: list[Entry],
    count: int,
    span: SyncSpan,
    *,
    issued_ms: int,
    reach: Callable[[Entry], bool] | None = None,
) -> tuple[list[Entry], SyncSpan | None]:
    """BSync: the `count` records just older than the span, newest first.

    Args:
        feed: Visible records, oldest first.
        count: Page size.
        span: The client's token.
        issued_ms: Issue time of the next token.
        reach: Whether BSync may serve a record (None: every record of the feed).

    Returns:
        The page and the next span (None: nothing older, hand back the same token).
    """
    older = feed[: _before(feed, span.lo)]
    if reach is None:
        page = older[-count:][::-1]
    else:
        page = list(itertools.islice(filter(reach, reversed(older)), count))
    if not page:
        return page, None
    return page, replace(span, lo=_cursor(page[-1]), issued_ms=issued_ms)


class SyncFeeds:
    """Serves `.../sync` requests over users' feeds.

    Args:
        config: The live settings.
        clock: The emulator clock.
        queries: Source of the feeds.
        signer: Key for the sync tokens.
    """

    def __init__(
        self, config: EmulatorConfig, clock: EmulatorClock, queries: Queries, signer: Signer
    ) -> None:
        """Keep the collaborators."""
        self._config = config
        self._clock = clock
        self._queries = queries
        self._tokens = SyncTokens(signer)

    def _span(self, raw: str, user: int, feed: str, now_ms: int) -> SyncSpan:
        """The span of a client's token; 404 code 300 unless valid for this user and feed."""
        span = self._tokens.decode(raw) if raw else None
        if (
            span is None
            or span.user != user
            or span.feed != feed
            or now_ms - span.issued_ms > self._config.sync_token_ttl * 1000
        ):
            raise invalid_sync_token()
        return span

    def serve(self, user: int, feed: str, query: dict[str, str]) -> tuple[list[Entry], str]:
        """Answer one sync request.

        Args:
            user: User index.
            feed: "L" (call logs) or "H" (call-history elements).
            query: Query parameters (`sync_type`, `count`, `sync_token`).

        Returns:
            The page and the token to hand back.
        """
        sync_type = query.get("sync_type") or "FSync"
        if sync_type not in SYNC_TYPES or (sync_type == "BSync" and not self._config.bsync_served):
            reject_parameter("sync_type")
        count = positive_int(query, "count", DEFAULT_COUNT, COUNT_CAP)
        now = self._clock.now()
        now_ms = int(now.timestamp() * 1000)
        raw = query.get("sync_token", "")
        # FSync starts over: a token it is given is ignored.
        span = None if sync_type == "FSync" else self._span(raw, user, feed, now_ms)
        since = int(readable_start(now).timestamp())
        config = self._config
        entries = self._queries.feed(
            user, feed, since, now_ms, config.ingest_delay, follows=config.isync_follows
        )
        if span is None:
            empty = Cursor(now_ms, "")
            page, new = full_sync(entries, count, SyncSpan(user, feed, empty, empty, None, now_ms))
            return page, self._tokens.encode(new)
        if sync_type == "ISync":
            descending = self._config.isync_order == "desc"
            page, changed = incremental_sync(
                entries, count, span, descending=descending, issued_ms=now_ms
            )
        else:
            reach = self._reach(feed, now)
            page, changed = backward_sync(entries, count, span, issued_ms=now_ms, reach=reach)
        return page, raw if changed is None else self._tokens.encode(changed)

    def _reach(self, feed: str, now: datetime) -> Callable[[Entry], bool] | None:
        """BSync's reach under `bsync_days`: records that started since now minus N days.

        Age is judged on the start time, as the feed's six-month edge judges it.
        """
        days = self._config.bsync_days
        if days is None:
            return None
        since = (now - timedelta(days=days)).timestamp()
        return lambda entry: feed_start(feed, entry) >= since
