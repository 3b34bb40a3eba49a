"""Zoom's successors of the call-log endpoints: call history, per user and account-wide.

Zoom renames arrays while these endpoints roll out (`call_logs` to `call_history` or
`call_elements`, `call_path` to `call_elements`), and with them the record ids (`id` to
`call_history_uuid` or `call_element_id`). Both generations are read; the primary key is always
filled under its new name.
"""

from __future__ import annotations

import typing as t
from functools import cached_property

from singer_sdk.exceptions import AbortedSyncFailedException, AbortedSyncPausedException
from typing_extensions import override

from tap_zoomphone.client import ZoomPhoneStream
from tap_zoomphone.crawl import Crawl, Page, Skipped
from tap_zoomphone.listing import Record, records_of
from tap_zoomphone.pacing import HEAVY, LIGHT, MEDIUM
from tap_zoomphone.streams.account import AccountWindowStream
from tap_zoomphone.streams.per_user import PerUserStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.progress import Progress
    from tap_zoomphone.windows import Window

# The call-history endpoints name the time filter in snake case.
HISTORY_TIME_TYPES = {"startTime": "start_time", "endTime": "end_time"}


def _history_params(stream: ZoomPhoneStream) -> dict[str, t.Any]:
    settings = stream.zoom.settings
    return {"page_size": settings.page_size, "time_type": HISTORY_TIME_TYPES[settings.time_type]}


class CallHistoryStream(AccountWindowStream):
    """Every call of the account as one v2 call-history record (admin).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/call_history
    Scopes: phone:read:admin or phone:read:list_call_logs:admin. Rate label: Heavy. Page cap: 300.
    Zoom returns a next_page_token on the last page too: page_count/total_records end a window.
    """

    name = "call_history"
    path = "/phone/call_history"
    primary_keys = ("call_history_uuid",)
    rate_label = HEAVY
    records_keys = ("call_history", "call_logs")
    stop_on_counts = True
    selected_by_default = False

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:  # noqa: ANN401  # the SDK's signature
        """Remember the calls of each window for call_elements, when that stream is selected."""
        super().__init__(*args, **kwargs)
        self._window_calls: list[str] = []

    @override
    def record_id(self, record: Record) -> object:
        return record.get("call_history_uuid") or record.get("id")

    @override
    def list_params(self) -> dict[str, t.Any]:
        return _history_params(self)

    @override
    def prepare(self, record: Record) -> Record:
        if not record.get("call_history_uuid") and record.get("id"):
            record["call_history_uuid"] = record["id"]  # the array's old name carries it as id
        if self._elements_wanted:
            self._window_calls.append(record["call_history_uuid"])
        return record

    @cached_property
    def _elements_wanted(self) -> bool:
        return any(child.selected for child in self.child_streams)

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        yield from super().get_records(context)
        for child in self.child_streams:
            if isinstance(child, CallElementsStream):
                child.summarize()

    @override
    def window_done(self, window: Window) -> None:
        # Windows interleave: this hands over every call seen so far, which includes all of
        # this window's, so its paths are written before the bookmark passes it.
        calls, self._window_calls = self._window_calls, []
        for child in self.child_streams:
            if isinstance(child, CallElementsStream) and child.selected and calls:
                child.read_paths(window, calls)


class CallElementsStream(ZoomPhoneStream):
    """Each call's path: the elements (legs) of every call in call_history; one request per call.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/call_history/{callHistoryUuid}
    Scopes: phone:read:admin or phone:read:call_log:admin. Rate label: Light. Off unless selected.
    """

    name = "call_elements"
    primary_keys = ("call_element_id",)
    parent_stream_type = CallHistoryStream
    state_partitioning_keys: t.ClassVar[list[str]] = []  # one state: the parent's bookmark rules
    selected_by_default = False
    path = "/phone/call_history/{call_history_uuid}"
    records_keys = ("call_elements", "call_path")

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:  # noqa: ANN401  # the SDK's signature
        """Incremental through its parent: a window's paths are read before its bookmark moves."""
        super().__init__(*args, **kwargs)
        self.forced_replication_method = "INCREMENTAL"
        self._calls: list[str] = []
        self._progress: Progress | None = None

    def summarize(self) -> None:
        """Log one summary for all the paths read in this run."""
        if self._progress is not None:
            self._progress.summary()

    def read_paths(self, window: Window, calls: list[str]) -> None:
        """Read and write the paths of `calls` (all of one call-history window)."""
        self._calls = calls
        try:
            self.sync(context={"window": str(window)})
        except (AbortedSyncFailedException, AbortedSyncPausedException):
            return  # a dry run's record limit (--test): the parent goes on, as the SDK's do
        finally:
            self._calls = []

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        if self._progress is None:
            self._progress = self.new_progress("calls", 0)
        progress = self._progress
        progress.total += len(self._calls)
        crawl = Crawl(self._calls, self._read_call, self.zoom.settings.max_workers)

        def emit(item: Page | Skipped) -> Iterator[Record]:
            if isinstance(item, Skipped):
                progress.skipped += 1
                self.logger.warning("call_elements: skipping call %s: %s", item.unit, item.error)
            else:
                yield from item.records
                progress.records += len(item.records)
            progress.done += 1

        yield from self.crawl_records(crawl, progress, emit)

    def _read_call(self, uuid: str) -> Iterator[Page]:
        reply = self.zoom.api.get(
            self.path,
            params={},
            label=LIGHT,
            stream=self.name,
            path_args={"call_history_uuid": uuid},
        )
        elements = records_of(reply.body, self.records_keys)
        for element in elements:
            element.setdefault("call_history_uuid", uuid)
            if not element.get("call_element_id") and element.get("id"):
                element["call_element_id"] = element["id"]
        yield Page(uuid, elements, last=True)


class UserCallHistoryStream(PerUserStream):
    """Each phone user's call history: the list endpoint to backfill, its sync endpoint after.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/users/{userId}/call_history
    and .../call_history/sync. Scopes: phone:read or phone_call_log:read (+ :admin).
    Rate label: Medium (both). Page caps: 300 (list), 250 (sync).
    """

    name = "user_call_history"
    # A leg between two users of the account is in both users' histories.
    primary_keys = ("call_element_id", "user_id")
    list_path = "/phone/users/{user_id}/call_history"
    sync_path = "/phone/users/{user_id}/call_history/sync"
    list_label = MEDIUM
    sync_label = MEDIUM
    records_keys = ("call_elements", "call_logs")
    time_field = "start_time"
    selected_by_default = False

    @override
    def record_id(self, record: Record) -> object:
        return record.get("call_element_id") or record.get("id")

    @override
    def list_params(self) -> dict[str, t.Any]:
        return _history_params(self)

    @override
    def prepare(self, record: Record, user: str) -> Record:
        if not record.get("call_element_id") and record.get("id"):
            record["call_element_id"] = record["id"]  # the array's old name carries it as id
        if not record.get("call_history_uuid") and record.get("call_path_id"):
            record["call_history_uuid"] = record["call_path_id"]
        return super().prepare(record, user)
