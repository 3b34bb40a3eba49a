"""Streams read user by user: month windows to backfill, then Zoom's sync endpoint.

For a user without a bookmark, a sync token is taken first (FSync) and then the list endpoint is
read window by window from the start date to now: whatever is logged after the token was taken
comes with the next ISync, whatever before it comes with the windows, so nothing falls between.
Later runs ask ISync for what is new, page after page, until Zoom has nothing newer. A rejected
token falls back to the windows from the user's last known date, less a lookback.
"""

from __future__ import annotations

import threading
import typing as t
from typing import ClassVar

from typing_extensions import override

from tap_zoomphone.bookmarks import UserBookmarks, parse_bookmark_time
from tap_zoomphone.client import ZoomPhoneStream
from tap_zoomphone.crawl import Crawl, Page, Skipped
from tap_zoomphone.errors import (
    EndpointUnavailable,
    SyncTokenExpired,
    TapError,
    ZoomAPIError,
)
from tap_zoomphone.listing import ListQuery, Record, records_of, window_pages
from tap_zoomphone.pacing import HEAVY, MEDIUM
from tap_zoomphone.windows import ONE_SECOND, month_windows, zoom_time

if t.TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_zoomphone.bookmarks import Bookmark
    from tap_zoomphone.progress import Progress

# Bounds one user's ISync pages per run: 10,000 pages of 250 is far beyond a day of calls.
MAX_SYNC_PAGES = 10_000
USER_GONE = 1001


class PerUserStream(ZoomPhoneStream):
    """A user-by-user stream with a sync-token bookmark per user."""

    list_path: ClassVar[str]
    sync_path: ClassVar[str]
    list_label: ClassVar[str] = HEAVY
    sync_label: ClassVar[str] = MEDIUM
    records_keys: ClassVar[tuple[str, ...]] = ("call_logs",)

    def __init__(self, tap: Tap) -> None:
        """Incremental by design, even though the bookmark is not a record field."""
        super().__init__(tap)
        self.forced_replication_method = "INCREMENTAL"
        self._sync_unavailable = threading.Event()
        self._rejected_tokens: list[str] = []

    def record_id(self, record: Record) -> object:
        """The key that identifies a record within one user's window."""
        return record.get("id")

    def list_params(self) -> dict[str, t.Any]:
        """Query parameters of the list endpoint besides the window and the page token."""
        return {"page_size": self.zoom.settings.page_size}

    def prepare(self, record: Record, user: str) -> Record:
        """Make the record carry the user it was read for."""
        if not record.get("user_id"):
            record["user_id"] = user
        return record

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        users = zoom.directory.user_ids()
        bookmarks = UserBookmarks(self.stream_state)
        if not zoom.directory.configured:
            bookmarks.keep_only(users, self.logger.info)
        plans = {user: bookmarks.get(user) for user in users}
        progress = self.new_progress("users", len(users))
        skips: list[Skipped] = []
        crawl = Crawl(
            users, lambda user: self._read_user(user, plans.pop(user)), zoom.settings.max_workers
        )
        finished = yield from self.crawl_records(
            crawl, progress, lambda item: self._emit(item, bookmarks, progress, skips)
        )
        if finished:
            self._finish(progress, skips)

    def _emit(
        self,
        item: Page | Skipped,
        bookmarks: UserBookmarks,
        progress: Progress,
        skips: list[Skipped],
    ) -> Iterator[Record]:
        """A page's records; then, with them written, its bookmark change."""
        if isinstance(item, Skipped):
            self._skip(item, bookmarks, progress)
            skips.append(item)
            return
        for record in item.records:
            yield self.prepare(record, item.unit)
        progress.records += len(item.records)
        if item.bookmark:
            bookmarks.update(item.unit, item.bookmark)
        if item.last:
            progress.done += 1

    def _finish(self, progress: Progress, skips: list[Skipped]) -> None:
        progress.summary()
        if len(self._rejected_tokens) > 1:
            self.logger.info(
                "%s: %d users had their sync token rejected and were read again by date",
                self.name,
                len(self._rejected_tokens),
            )
        if progress.total and len(skips) == progress.total:
            msg = f"{self.name}: none of the {progress.total} users could be read; {skips[0].error}"
            raise TapError(msg)

    def _skip(self, item: Skipped, bookmarks: UserBookmarks, progress: Progress) -> None:
        progress.skipped += 1
        progress.done += 1
        self.logger.warning("%s: skipping user %s: %s", self.name, item.unit, item.error)
        if item.error.code == USER_GONE:
            bookmarks.drop(item.unit)

    def _read_user(self, user: str, bookmark: Bookmark) -> Iterator[Page]:
        """Every page of one user for this run (runs on a worker thread)."""
        settings = self.zoom.settings
        start = self.zoom.history_start(self.logger)
        if settings.end is not None:
            yield from self._windows(user, start, settings.end)
            yield Page(user, [], last=True)
            return
        token = bookmark.get("sync_token")
        synced_to = parse_bookmark_time(bookmark.get("synced_to"))
        if token and not bookmark.get("backfilling"):
            try:
                yield from self._increments(user, token)
            except SyncTokenExpired as exc:
                self._token_rejected(user, exc)
            else:
                return
            token = None
            if synced_to:
                start = max(start, synced_to - settings.lookback)
        elif token and synced_to:
            start = max(start, synced_to + ONE_SECOND)  # an interrupted backfill goes on
        elif synced_to:
            start = max(start, synced_to - settings.lookback)
        yield from self._backfill(user, start, token)

    def _token_rejected(self, user: str, error: SyncTokenExpired) -> None:
        """Say once per run that tokens expired; each such user is re-read from its last date."""
        self._rejected_tokens.append(user)  # list.append is atomic: workers share it safely
        if len(self._rejected_tokens) == 1:
            self.logger.warning(
                "%s: Zoom rejected the sync token of user %s (%s); such users are read again "
                "from their last synced date less %s with the list endpoint, and get a new token",
                self.name,
                user,
                error.zoom_message,
                self.zoom.settings.lookback,
            )

    def _backfill(self, user: str, start: datetime.datetime, token: str | None) -> Iterator[Page]:
        if token is None:
            token = self._new_token(user)
            yield Page(user, [], {"sync_token": token, "backfilling": True if token else None})
        # After the token: the windows reach past the moment it was taken.
        end = self.zoom.api.now() + ONE_SECOND
        yield from self._windows(user, start, end)
        yield Page(user, [], {"synced_to": zoom_time(end), "backfilling": None}, last=True)

    def _windows(
        self, user: str, start: datetime.datetime, end: datetime.datetime
    ) -> Iterator[Page]:
        bookmarked = self.zoom.settings.end is None
        query = ListQuery(
            stream=self.name,
            path=self.list_path,
            label=self.list_label,
            records_keys=self.records_keys,
            record_id=self.record_id,
            params=self.list_params(),
        ).for_user(user)
        for window in month_windows(start, end):
            for records in window_pages(self.zoom.api, query, window):
                if records:
                    yield Page(user, records)
            if bookmarked:
                yield Page(user, [], {"synced_to": zoom_time(window.end)})

    def _increments(self, user: str, token: str) -> Iterator[Page]:
        api = self.zoom.api
        for _ in range(MAX_SYNC_PAGES):
            asked_at = api.now()
            reply = api.get(
                self.sync_path,
                params={
                    "sync_type": "ISync",
                    "count": self.zoom.settings.sync_count,
                    "sync_token": token,
                },
                label=self.sync_label,
                stream=self.name,
                path_args={"user_id": user},
            )
            records = records_of(reply.body, self.records_keys)
            new_token = reply.body.get("sync_token")
            new_token = new_token if isinstance(new_token, str) and new_token else token
            if not records:
                yield Page(
                    user, [], {"sync_token": new_token, "synced_to": zoom_time(asked_at)}, last=True
                )
                return
            yield Page(user, records, {"sync_token": new_token})
            if new_token == token:
                self.logger.warning(
                    "%s: Zoom's sync token for user %s did not move after a page of records; "
                    "stopping this user's increments for this run to avoid a loop",
                    self.name,
                    user,
                )
                break
            token = new_token
        else:
            self.logger.warning(
                "%s: user %s still had new records after %d sync pages; the next run goes on "
                "from here",
                self.name,
                user,
                MAX_SYNC_PAGES,
            )
        yield Page(user, [], last=True)

    def _new_token(self, user: str) -> str | None:
        """A sync token taken now (FSync), or None when the sync endpoint is not served."""
        if self._sync_unavailable.is_set():
            return None
        try:
            reply = self.zoom.api.get(
                self.sync_path,
                params={"sync_type": "FSync", "count": 1},
                label=self.sync_label,
                stream=self.name,
                path_args={"user_id": user},
            )
        except ZoomAPIError as exc:
            if type(exc) not in {ZoomAPIError, EndpointUnavailable}:
                raise
            if not self._sync_unavailable.is_set():
                self._sync_unavailable.set()
                self.logger.warning(
                    "%s: Zoom does not serve the sync endpoint (%s); this stream goes on "
                    "incrementally by date, re-reading the last %s of each user",
                    self.name,
                    exc,
                    self.zoom.settings.lookback,
                )
            return None
        token = reply.body.get("sync_token")
        return token if isinstance(token, str) and token else None
