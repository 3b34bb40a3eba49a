"""A stream that follows the rows its parent writes: ids it finds there, read after the parent.

The parent (a per-user stream) hands each page's records to `note` on the writing thread, right
after writing them, so the ids are in the follower's STATE before the parent's bookmark passes
them; `follow` then reads them, once the parent's users are done. A run that stops in between
loses nothing: the next run finds the ids in STATE.
"""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_zoomphone.reading.stream import ZoomPhoneStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk import Tap, metrics
    from singer_sdk.helpers.types import Context

    from tap_zoomphone.reading.listing import Record


class RowFollower(ZoomPhoneStream):
    """A child of a per-user stream, fed with the parent's records."""

    state_partitioning_keys: t.ClassVar[list[str]] = []  # one state of its own
    bookmark = "its own: ids found in its parent's rows"

    def __init__(self, tap: Tap) -> None:
        """Its parent feeds it; the SDK never syncs it on its own."""
        super().__init__(tap)
        self.forced_replication_method = "INCREMENTAL"
        self._counter: metrics.Counter | None = None

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        # Never called: the SDK leaves a child to its parent, which calls note() and follow().
        return iter(())

    def note(self, records: list[Record]) -> None:
        """Remember what to read from a page of the parent's records (on the writing thread)."""
        raise NotImplementedError

    def follow(self) -> None:
        """Read and write what was noted, with its record_count and sync_duration.

        The SDK never syncs a child it leaves to its parent, so they are measured here.
        """
        with self.get_record_counter() as self._counter, self.get_sync_timer():
            self.read_noted()
        self._counter = None

    @override
    def write_record(self, record: dict[str, t.Any]) -> None:
        super().write_record(record)
        if self._counter is not None:
            self._counter.increment()

    def read_noted(self) -> None:
        """Read and write what was noted, in this run and earlier ones."""
        raise NotImplementedError
