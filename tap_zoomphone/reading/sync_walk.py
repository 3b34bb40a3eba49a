"""A user's history read backwards through Zoom's sync endpoint, and checked against the list.

FSync returns the newest records and a token; BSync from that token returns the records just
older, page after page, until an empty page (or the start date). A user's whole history then
costs about two Medium requests instead of one Heavy request per month. Zoom documents FSync
and BSync by their names only, so `WalkCheck` reads a sample of walked users again with the
list endpoint: if any record the list has is missing from the walk, or Zoom refuses BSync, the
run falls back to month windows for every user and reads the users already walked again.

Bookmark of a user during a walk (all of it in the user's STATE entry):
`sync_token` (FSync's, for ISync later), `walk_token` (where BSync goes on), `walk_until` (the
FSync moment), `backfilling`. When the walk is done: `sync_token`, `synced_to` and `walked`.
"""

from __future__ import annotations

import logging
import random
import threading
import typing as t
from dataclasses import dataclass, field

from tap_zoomphone.reading.crawl import Page
from tap_zoomphone.reading.listing import window_pages
from tap_zoomphone.reading.windows import ONE_SECOND, month_windows
from tap_zoomphone.zoom.errors import SyncTokenExpired, UserUnavailable, ZoomAPIError
from tap_zoomphone.zoom.moments import read_moment, zoom_time

if t.TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator

    from tap_zoomphone.reading.bookmarks import Bookmark
    from tap_zoomphone.reading.listing import Record
    from tap_zoomphone.reading.per_user import PerUserStream

logger = logging.getLogger("tap-zoomphone.walk")

# The first users whose walk returned records are always checked, then about 1 in 100.
ALWAYS_CHECKED = 3
CHECK_SHARE = 0.01
# Bounds one walk: 10,000 pages of 250 is far beyond six months of any user's calls.
MAX_WALK_PAGES = 10_000
MAX_SHOWN_IDS = 3
WALK_KEYS_DONE = {"walk_token": None, "walk_until": None}


@dataclass
class WalkCheck:
    """The run's verdict on the sync walk, shared by every worker thread."""

    stream: str
    refuted: threading.Event = field(default_factory=threading.Event)
    reason: str = ""
    confirmed: int = 0
    _claimed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rng: random.Random = field(default_factory=random.Random)  # sampling, not security

    def wants(self, *, had_records: bool) -> bool:
        """Whether this walked user is read again with the list endpoint."""
        with self._lock:
            if had_records and self._claimed < ALWAYS_CHECKED:
                self._claimed += 1
                return True
            return self._rng.random() < CHECK_SHARE

    def confirm(self) -> None:
        """A checked user's walk held every record the list has."""
        with self._lock:
            self.confirmed += 1

    def refute(self, reason: str) -> None:
        """Stop trusting the walk for the rest of the run; say why once."""
        with self._lock:
            if self.refuted.is_set():
                return
            self.reason = reason
            self.refuted.set()
        logger.warning(
            "%s: %s; every user is read by month windows (list endpoint) instead, and the users "
            "already walked are read again from the start date",
            self.stream,
            reason,
        )


class SyncWalk:
    """One user's backfill through FSync and BSync (runs on a worker thread)."""

    def __init__(
        self, stream: PerUserStream, check: WalkCheck | None, user: str, start: datetime.datetime
    ) -> None:
        """`check` is None when the walk is trusted (backfill_method sync)."""
        self._stream = stream
        self._check = check
        self._user = user
        self._start = start
        self._walked: set[object] = set()

    def begin(self) -> Iterator[Page]:
        """A new walk: FSync, then BSync to the start date; month windows if Zoom has no sync."""
        stream, user = self._stream, self._user
        asked_at = stream.zoom.api.now()
        reply = stream.full_sync(user, stream.zoom.settings.sync_count)
        token = reply.body.get("sync_token") if reply else None
        if reply is None or not isinstance(token, str) or not token:
            yield from stream.backfill(user, self._start, None)
            return
        until = zoom_time(asked_at)
        records = self._fresh(stream.syncing.records(reply.body))
        kept = self._in_range(records)
        start = {"sync_token": token, "walk_token": token, "walk_until": until}
        yield Page(user, kept, {**start, "backfilling": True})
        # FSync may already reach past the start date; otherwise BSync goes on from its token.
        done = len(kept) < len(records) or (yield from self._backwards(token, token, fresh=True))
        if done:
            yield from self._finish(token, until, checkable=True)

    def resume(self, bookmark: Bookmark) -> Iterator[Page]:
        """A walk an earlier run left unfinished goes on from its last BSync token."""
        token = bookmark["sync_token"]
        until = str(bookmark.get("walk_until") or zoom_time(self._stream.zoom.api.now()))
        done = yield from self._backwards(token, bookmark["walk_token"], fresh=False)
        if done:
            # Its first pages were walked by an earlier run: there is nothing whole to check.
            yield from self._finish(token, until, checkable=False)

    def _backwards(
        self, sync_token: str, token: str, *, fresh: bool
    ) -> t.Generator[Page, None, bool]:
        """BSync pages until an empty one or the start date; False if it fell back to windows."""
        stream, user = self._stream, self._user
        for page in range(MAX_WALK_PAGES):
            if self._check is not None and self._check.refuted.is_set():
                yield from self._fall_back(sync_token)
                return False
            try:
                reply = stream.backward_sync(user, token)
            except UserUnavailable:
                raise
            except ZoomAPIError as exc:
                if fresh and page == 0:  # a token FSync just gave: Zoom does not serve BSync
                    self._refute(f"Zoom refused BSync for user {user} ({exc.zoom_message})")
                else:
                    self._say_token_lost(exc)
                yield from self._fall_back(sync_token)
                return False
            records = stream.syncing.records(reply.body)
            if not records:
                return True
            next_token = reply.body.get("sync_token")
            fresh_records = self._fresh(records)
            if not fresh_records or not isinstance(next_token, str) or next_token == token:
                self._refute(f"Zoom's BSync for user {user} did not move backwards")
                yield from self._fall_back(sync_token)
                return False
            kept = self._in_range(fresh_records)
            yield Page(user, kept, {"walk_token": next_token})
            if len(kept) < len(fresh_records):
                return True  # the walk passed the start date
            token = next_token
        logger.warning(
            "%s: the walk of user %s was still going after %d pages; reading it by month "
            "windows instead",
            stream.name,
            user,
            MAX_WALK_PAGES,
        )
        yield from self._fall_back(sync_token)
        return False

    def _finish(self, sync_token: str, until: str, *, checkable: bool) -> Iterator[Page]:
        """The walk is done: check it if sampled, then hand the token over to ISync."""
        check = self._check
        done: Bookmark = {**WALK_KEYS_DONE, "backfilling": None, "walked": True}
        if checkable and check is not None and check.wants(had_records=bool(self._walked)):
            synced_to = yield from self._verify(sync_token, until)
            done["synced_to"] = synced_to
        else:
            done["synced_to"] = until
        yield Page(self._user, [], done, last=True)

    def _verify(self, sync_token: str, until: str) -> t.Generator[Page, None, str]:
        """Read the walked span with the list endpoint, then ISync; the list must hold no more.

        ISync comes after the list, so a call the list shows that Zoom logged after FSync
        (and the walk therefore could not have) is counted as delivered, not as missing.
        """
        stream, user, check = self._stream, self._user, self._check
        assert check is not None  # noqa: S101  # only walks with a check are verified
        end = read_moment(until) or stream.zoom.api.now()
        listed: set[object] = set()
        query = stream.list_query(user)
        for window in month_windows(self._start, end + ONE_SECOND):
            for records in window_pages(stream.zoom.api, query, window):
                listed.update(map(stream.listing.record_id, records))
        synced_to = until
        try:
            for page in stream.increments(user, sync_token):
                self._walked.update(map(stream.syncing.record_id, page.records))
                if page.bookmark and page.bookmark.get("synced_to"):
                    synced_to = page.bookmark.pop("synced_to")
                if page.records or page.bookmark:
                    yield Page(user, page.records, page.bookmark)
        except SyncTokenExpired as exc:
            # The next run's ISync will meet the same refusal and read by date from `until`.
            self._say_token_lost(exc)
        missing = listed - self._walked
        if missing:
            shown = ", ".join(sorted(map(str, missing))[:MAX_SHOWN_IDS])
            check.refute(
                f"the list endpoint has {len(missing)} records of user {user} between "
                f"{zoom_time(self._start)} and {until} that the sync walk did not return "
                f"(e.g. {shown})"
            )
        else:
            check.confirm()
        return synced_to

    def _fall_back(self, sync_token: str) -> Iterator[Page]:
        """Read this user by month windows from the start date, keeping FSync's token."""
        yield Page(self._user, [], dict(WALK_KEYS_DONE))
        yield from self._stream.backfill(self._user, self._start, sync_token)

    def _refute(self, reason: str) -> None:
        if self._check is not None:
            self._check.refute(reason)
        else:
            self._say_token_lost(reason)

    def _say_token_lost(self, why: object) -> None:
        logger.warning(
            "%s: the sync walk of user %s cannot go on (%s); reading that user by month windows",
            self._stream.name,
            self._user,
            why,
        )

    def _fresh(self, records: list[Record]) -> list[Record]:
        """The records this walk has not returned before; remembers them."""
        record_id = self._stream.syncing.record_id
        fresh = [r for r in records if record_id(r) not in self._walked]
        self._walked.update(map(record_id, fresh))
        return fresh

    def _in_range(self, records: list[Record]) -> list[Record]:
        """The records that started at or after the start date (BSync goes further back)."""
        time_field = self._stream.time_field
        start = self._start
        kept = []
        for record in records:
            moment = read_moment(record.get(time_field))
            if moment is None or moment >= start:
                kept.append(record)
        return kept
