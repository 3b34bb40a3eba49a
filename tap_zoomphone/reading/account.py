"""Account-wide list endpoints read by month windows, incremental by date with a lookback.

The bookmark is `{"synced_to": "<date-time>"}`: every record up to that moment has been
emitted. The next run starts `lookback_hours` before it, so calls Zoom logs late are not missed
(the target's primary key absorbs the records read twice). Windows are read concurrently; the
bookmark only moves past a window once it and every window before it are complete.

A window may have child streams (a call's path, a call's QoS, for each call of the window): a
window's worker reads its records, then hands its calls to the crawl's workers in batches
(`Spawn`); the crawl holds the window's last page back until every batch is read. So a window's
children are written before the bookmark passes it, and everything is one crawl.
"""

from __future__ import annotations

import threading
import typing as t
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import ClassVar

from typing_extensions import override

from tap_zoomphone.reading.costs import CostEstimate
from tap_zoomphone.reading.crawl import Crawl, Page, Spawn
from tap_zoomphone.reading.listing import Record, list_pages, window_pages
from tap_zoomphone.reading.plan import AccountFacts, SettleRead, Windows, account_step, settle_step
from tap_zoomphone.reading.settling import (
    BY_START,
    ONE_DAY,
    SettleMemory,
    day_of,
    log_settled,
    memory_floor,
    record_digest,
    settle_cost,
    settle_scope,
)
from tap_zoomphone.reading.stream import ZoomPhoneStream
from tap_zoomphone.reading.windows import (
    READABLE_MONTHS,
    Window,
    month_windows,
    readable_floor,
)
from tap_zoomphone.zoom.errors import UserUnavailable
from tap_zoomphone.zoom.moments import read_moment, zoom_time

if t.TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Iterator

    from singer_sdk import Tap, metrics
    from singer_sdk.helpers.types import Context

    from tap_zoomphone.output.progress import Progress
    from tap_zoomphone.reading.crawl import Skipped
    from tap_zoomphone.reading.endpoints import Endpoint


class AccountWindowStream(ZoomPhoneStream):
    """An account-wide stream read window by window with a date bookmark.

    A stream that `settles` (call history) reads on from its bookmark without a lookback, and
    instead reads the calls still settling again at the settle cadence (steps.SettleRead),
    emitting only what is new or changed.
    """

    endpoint: ClassVar[Endpoint]
    settles: ClassVar[bool] = False
    bookmark = "date, with lookback"
    # How far back Zoom serves the endpoint (the charge reports reach 13 months).
    reach_months: ClassVar[int] = READABLE_MONTHS
    window_kind: ClassVar[str] = "month"

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        return (cls.endpoint,)

    def __init__(self, tap: Tap) -> None:
        """Incremental by date; the bookmark is kept by the stream, not by the SDK."""
        super().__init__(tap)
        self.forced_replication_method = "INCREMENTAL"

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        settings = zoom.settings
        bookmarked = settings.end is None
        now = zoom.api.now()
        memory = self._memory(now) if bookmarked else None
        step, settle = self._plan(now, memory)
        start, end = step.start, step.end
        windows = self.windows(start, end)
        self._log_plan(windows, settle)
        children = {
            c.name: c for c in self.child_streams if isinstance(c, WindowChild) and c.selected
        }
        progress = self.new_progress("windows", len(windows))
        completed: set[int] = set()
        read = self._reader(windows, list(children.values()), start)

        def emit(item: Page | Skipped) -> Iterator[Record]:
            if not isinstance(item, Page):  # account lists have no per-user skips
                return
            if item.stream in children:
                children[item.stream].write(item.records)
                return
            for record in item.records:
                self.endpoint.normalize(record)
            remember(memory, item.records)
            yield from item.records
            progress.records += len(item.records)
            if item.last:
                self._complete(windows, int(item.unit), completed, bookmarked=bookmarked)
                progress.done += 1

        crawl = Crawl([str(n) for n in range(len(windows))], read, settings.max_workers)
        with ExitStack() as reading:
            for child in children.values():
                reading.enter_context(child.reading())
            finished = yield from self.crawl_records(crawl, progress, emit)
        if finished:
            if bookmarked:
                self.stream_state["synced_to"] = zoom_time(end)
            progress.summary()
            if settle is not None and memory is not None:
                yield from self._settle(settle, memory)

    def _plan(
        self, now: datetime.datetime, memory: SettleMemory | None
    ) -> tuple[Windows, SettleRead | None]:
        """This run's steps: its windows, and a settle read if one is due."""
        settings = self.zoom.settings
        facts = AccountFacts(
            self._history_start(),
            now,
            settings.lookback,
            settings.end,
            settles=memory is not None,
        )
        step = account_step(read_moment(self.stream_state.get("synced_to")), facts)
        if memory is None:
            return step, None
        first = "synced_to" not in self.stream_state
        return step, settle_step(memory.bookmark, settings.settle, now, first=first)

    def _memory(self, now: datetime.datetime) -> SettleMemory | None:
        """What this stream emitted of the calls still settling (None: it does not settle)."""
        if not self.settles:
            return None
        settled = self.stream_state.get("settling") or {}
        return SettleMemory(
            self.stream_state, memory_floor(settled, self.zoom.settings.settle, now)
        )

    def _settle(self, read: SettleRead, memory: SettleMemory) -> Iterator[Record]:
        """Read the calls still settling again; emit those new or changed since emitted."""
        if not read.reads:
            memory.read(read, calls=0)
            return
        zoom = self.zoom
        settings = zoom.settings
        query = self.endpoint.query(settings, stream=self.name)
        query = replace(query, params={**query.params, **BY_START})
        start = max(read.start, self._history_start())
        seen = pages = fresh = late = 0
        known = memory.read_at is not None
        for window in month_windows(start, read.end):
            for records in window_pages(zoom.api, query, window):
                pages += 1
                for record in records:
                    self.endpoint.normalize(record)
                    text = record_digest(record)
                    seen += 1
                    if memory.holds(text):
                        continue
                    fresh += 1
                    started = read_moment(record.get("start_time"))
                    if known and started is not None and started < read.end - settings.settle:
                        late += 1
                    memory.add(day_of(record.get("start_time")), text)
                    yield record
        memory.read(read, calls=seen)
        memory.forget_before(read.end - settings.settle - ONE_DAY)
        self.emit_state()
        log_settled(
            self.logger,
            self.name,
            read,
            seen=seen,
            pages=pages,
            users=0,
            fresh=fresh,
            late=late,
            settle=settings.settle,
        )

    def windows(self, start: datetime.datetime, end: datetime.datetime) -> list[Window]:
        """The windows to read, oldest first: months, Zoom's largest."""
        return month_windows(start, end)

    def stamp(self, records: list[Record], window: Window) -> list[Record]:
        """Fields the window gives each record (none by default)."""
        del window
        return records

    def _history_start(self) -> datetime.datetime:
        """start_date, clamped to what Zoom serves of this endpoint (six months, or its reach)."""
        zoom = self.zoom
        if self.reach_months == READABLE_MONTHS:
            return zoom.history_start(self.logger)
        floor = readable_floor(zoom.api.now(), self.reach_months)
        start = zoom.settings.start
        if start is not None and start < floor:
            self.logger.warning(
                "%s: start_date %s is older than the %d months Zoom serves; reading from %s",
                self.name,
                zoom_time(start),
                self.reach_months,
                zoom_time(floor),
            )
        return floor if start is None or start < floor else start

    def _reader(
        self, windows: list[Window], children: list[WindowChild], start: datetime.datetime
    ) -> Callable[[str], Iterator[Page | Spawn]]:
        """How a worker reads a unit: a window, or a batch of a window's calls.

        Window `n`: its records, then its calls handed on in batches, then `last`. Batch
        `n/stream/k`: the children of those calls.
        """
        api = self.zoom.api
        query = self.endpoint.query(self.zoom.settings, stream=self.name)
        batches: dict[str, tuple[WindowChild, list[str], Window]] = {}

        def read(unit: str) -> Iterator[Page | Spawn]:
            if unit in batches:
                child, batch, calls_span = batches.pop(unit)
                yield from child.read(unit, batch, calls_span)
                return
            keys: dict[str, list[str]] = {child.name: [] for child in children}
            window = windows[int(unit)]
            for records in window_pages(api, query, window):
                for child in children:
                    keys[child.name].extend(child.parent_keys(records, self.endpoint))
                yield Page(unit, self.stamp(records, window))
            # A parent record's children from where this run starts to the window's end.
            span = Window(start, window.end)
            spawned: list[str] = []
            for child in children:
                calls = keys[child.name]
                child.expect(len(calls))
                for first in range(0, len(calls), CHILD_BATCH):
                    name = f"{unit}/{child.name}/{first}"
                    batches[name] = (child, calls[first : first + CHILD_BATCH], span)
                    spawned.append(name)
            if spawned:
                yield Spawn(spawned)
            yield Page(unit, [], last=True)

        return read

    def _log_plan(self, windows: list[Window], settle: SettleRead | None = None) -> None:
        api = self.zoom.api
        estimate = CostEstimate(self.name, f"{len(windows)} {self.window_kind} windows")
        label = api.label_for(self.endpoint.path, self.endpoint.label)
        estimate.add(label, len(windows))
        if settle is not None:
            settled = self.stream_state.get("settling") or {}
            estimate.scope += f", {settle_scope(settle, settled, self.zoom.settings.settle)}"
            estimate.add(label, settle_cost(settle, settled)[0])
        elif self.settles and self.zoom.settings.end is None:
            estimate.scope += ", no settle read due"
        estimate.cheaper = (
            "a later start_date, or the per-user streams, which use the sync endpoint"
        )
        estimate.log(api, self.logger)

    def _complete(
        self, windows: list[Window], index: int, completed: set[int], *, bookmarked: bool
    ) -> None:
        """Record a finished window; move the bookmark over every leading finished window."""
        completed.add(index)
        leading = 0
        while leading in completed:
            leading += 1
        if bookmarked and leading:
            self.stream_state["synced_to"] = zoom_time(windows[leading - 1].end)


def remember(memory: SettleMemory | None, records: list[Record]) -> None:
    """Note what a settling stream emitted (nothing for one that does not settle)."""
    if memory is not None:
        for record in records:
            memory.add(day_of(record.get("start_time")), record_digest(record))


# Parent records per batch a worker takes: enough to spread a window's calls over every worker.
CHILD_BATCH = 25


class WindowChild(ZoomPhoneStream):
    """Records read one request per parent record, for each window of the parent.

    A subclass declares its `endpoint` (a path with one parameter, named `parent_key`, the
    parent record's field that fills it). It is incremental through its parent: a window's
    children are written before the parent's bookmark passes the window.
    """

    endpoint: ClassVar[Endpoint]
    parent_key: ClassVar[str]
    # Whether the endpoint takes from/to (then it is read by month windows over the run's span).
    dated: ClassVar[bool] = False
    # Whether the endpoint answers one record (a call's QoS) rather than a list.
    single: ClassVar[bool] = False
    # What one parent record is, in the progress lines and the summary.
    unit: ClassVar[str] = "calls"
    state_partitioning_keys: ClassVar[list[str]] = []  # one state: the parent's bookmark rules
    bookmark = "its parent's"

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        return (cls.endpoint,)

    def __init__(self, tap: Tap) -> None:
        """Its parent reads and writes it; the SDK never syncs it on its own."""
        super().__init__(tap)
        self.forced_replication_method = "INCREMENTAL"
        self._progress: Progress | None = None
        self._counter: metrics.Counter | None = None
        # Batches are read on several workers at once; their counts meet here.
        self._tally = threading.Lock()

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        # Never called: the SDK leaves a child to its parent, and the parent writes its records.
        return iter(())

    def parent_keys(self, records: list[Record], parent: Endpoint) -> list[str]:
        """The keys of the parent records whose children to read."""
        keys = (parent.normalize(record).get(self.parent_key) for record in records)
        return [str(key) for key in keys if key]

    @contextmanager
    def reading(self) -> Iterator[None]:
        """While the parent crawls: progress, and a summary and metrics after.

        The SDK never syncs a child it leaves to its parent, so its record_count and
        sync_duration are measured here, like every other stream's.
        """
        self.write_schema()
        progress = self._progress = self.new_progress(self.unit, 0)
        try:
            with self.get_record_counter() as self._counter, self.get_sync_timer():
                yield
        finally:
            self._counter = None
            progress.summary()

    def expect(self, count: int) -> None:
        """A window found `count` parent records whose children are to be read."""
        if self._progress is not None:
            with self._tally:
                self._progress.total += count

    def read(self, unit: str, keys: list[str], span: Window) -> Iterator[Page]:
        """The children of a batch of a window's parent records, on one of the crawl's workers."""
        for key in keys:
            records = self._read_one(key, span)
            if self._progress is not None:
                with self._tally:
                    self._progress.done += 1
                    self._progress.skipped += records is None
            if records:
                yield Page(unit, records, stream=self.name)

    def write(self, records: list[Record]) -> None:
        """Write records the parent read for this stream (on the writing thread)."""
        for record in records:
            self.write_record(record)
        if self._progress is not None:
            self._progress.records += len(records)
        if self._counter is not None:
            self._counter.increment(len(records))

    def _read_one(self, key: str, span: Window) -> list[Record] | None:
        """One parent record's children; None when Zoom has none for it.

        A dated endpoint is read month by month over `span`; every endpoint page by page.
        """
        query = self.endpoint.query(
            self.zoom.settings, stream=self.name, path_args={self.parent_key: key}
        )
        api = self.zoom.api
        records: list[Record] = []
        try:
            if self.single:
                reply = api.get(
                    self.endpoint.path,
                    params={},
                    label=self.endpoint.label,
                    stream=self.name,
                    path_args={self.parent_key: key},
                )
                records.append(reply.body)
            elif self.dated:
                for window in month_windows(span.start, span.end):
                    for page in window_pages(api, query, window):
                        records.extend(page)
            else:
                for page in list_pages(api, query):
                    records.extend(page)
        except UserUnavailable as exc:
            self.logger.warning("%s: skipping %s %s: %s", self.name, self.parent_key, key, exc)
            return None
        for record in records:
            record.setdefault(self.parent_key, key)
            self.endpoint.normalize(record)
        return records
