"""Account-wide list endpoints read by month windows, incremental by date with a lookback.

The bookmark is `{"synced_to": "<date-time>"}`: every record up to that moment has been
emitted. The next run starts `lookback_hours` before it, so calls Zoom logs late are not missed
(the target's primary key absorbs the records read twice). Windows are read concurrently; the
bookmark only moves past a window once it and every window before it are complete.
"""

from __future__ import annotations

import typing as t
from typing import ClassVar

from typing_extensions import override

from tap_zoomphone.bookmarks import parse_bookmark_time
from tap_zoomphone.client import ZoomPhoneStream
from tap_zoomphone.crawl import Crawl, Page
from tap_zoomphone.listing import ListQuery, Record, window_pages
from tap_zoomphone.pacing import HEAVY
from tap_zoomphone.plan import RequestPlan
from tap_zoomphone.windows import ONE_SECOND, Window, month_windows, zoom_time

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_zoomphone.crawl import Skipped


class AccountWindowStream(ZoomPhoneStream):
    """An account-wide stream read window by window with a date bookmark."""

    path: ClassVar[str]
    rate_label: ClassVar[str] = HEAVY
    records_keys: ClassVar[tuple[str, ...]] = ("call_logs",)
    # Some endpoints return a next_page_token on their last page: trust the counts there.
    stop_on_counts: ClassVar[bool] = False

    def __init__(self, tap: Tap) -> None:
        """Incremental by date; the bookmark is kept by the stream, not by the SDK."""
        super().__init__(tap)
        self.forced_replication_method = "INCREMENTAL"

    def record_id(self, record: Record) -> object:
        """The key that identifies a record within a window."""
        return record.get("id")

    def list_params(self) -> dict[str, t.Any]:
        """Query parameters besides the window and the page token."""
        return {"page_size": self.zoom.settings.page_size}

    def prepare(self, record: Record) -> Record:
        """Normalize a record before it is written."""
        return record

    def window_done(self, window: Window) -> None:
        """Called once every record of `window` is written (before the bookmark passes it)."""

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        settings = zoom.settings
        bookmarked = settings.end is None
        start = zoom.history_start(self.logger)
        synced_to = parse_bookmark_time(self.stream_state.get("synced_to"))
        if bookmarked and synced_to is not None:
            start = max(start, synced_to - settings.lookback)
        end = settings.end if settings.end is not None else zoom.api.now() + ONE_SECOND
        windows = month_windows(start, end)
        query = ListQuery(
            stream=self.name,
            path=self.path,
            label=self.rate_label,
            records_keys=self.records_keys,
            record_id=self.record_id,
            params=self.list_params(),
            stop_on_counts=self.stop_on_counts,
        )
        plan = RequestPlan(self.name, f"{len(windows)} month windows")
        plan.add(zoom.api.label_for(self.path, self.rate_label), len(windows))
        plan.cheaper = "a later start_date, or the per-user streams, which use the sync endpoint"
        plan.log(zoom.api, self.logger)
        progress = self.new_progress("windows", len(windows))
        completed: set[int] = set()

        def read(unit: str) -> Iterator[Page]:
            for records in window_pages(zoom.api, query, windows[int(unit)]):
                yield Page(unit, records)
            yield Page(unit, [], last=True)

        def emit(item: Page | Skipped) -> Iterator[Record]:
            if not isinstance(item, Page):  # account lists have no per-user skips
                return
            for record in item.records:
                yield self.prepare(record)
            progress.records += len(item.records)
            if item.last:
                self._complete(windows, int(item.unit), completed, bookmarked=bookmarked)
                progress.done += 1

        crawl = Crawl([str(n) for n in range(len(windows))], read, settings.max_workers)
        if (yield from self.crawl_records(crawl, progress, emit)):
            if bookmarked:
                self.stream_state["synced_to"] = zoom_time(end)
            progress.summary()

    def _complete(
        self, windows: list[Window], index: int, completed: set[int], *, bookmarked: bool
    ) -> None:
        """Record a finished window; move the bookmark over every leading finished window."""
        self.window_done(windows[index])
        completed.add(index)
        leading = 0
        while leading in completed:
            leading += 1
        if bookmarked and leading:
            self.stream_state["synced_to"] = zoom_time(windows[leading - 1].end)
