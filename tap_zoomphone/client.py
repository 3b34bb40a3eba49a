"""The base stream: Zoom's API for the run, a lean record path, and STATE on a timer."""

from __future__ import annotations

import datetime
import time
import typing as t
from contextlib import closing
from functools import cached_property

import orjson
from singer_sdk import SchemaDirectory, Stream, StreamSchema
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.mapper import SameRecordTransform
from singer_sdk.singerlib import RecordMessage
from typing_extensions import override

from tap_zoomphone import schemas
from tap_zoomphone.bookmarks import StateTimer
from tap_zoomphone.errors import DailyLimitReached, TapError
from tap_zoomphone.progress import Progress
from tap_zoomphone.records import RecordShaper
from tap_zoomphone.writer import OrjsonWriter

if t.TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Generator, Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_zoomphone.crawl import Crawl, Page, Skipped
    from tap_zoomphone.run import ZoomRun
    from tap_zoomphone.tap import TapZoomPhone

SCHEMAS = SchemaDirectory(schemas)
# The SDK logs this before re-raising any failure; the tap's own error line says it all.
SDK_FAILURE_NOTE = "An unhandled error occurred while syncing"


def _not_the_sdk_failure_note(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(SDK_FAILURE_NOTE)


class ZoomPhoneStream(Stream):
    """Shared behaviour of every Zoom Phone stream."""

    # STATE goes out on a timer (state_interval_seconds), not every N records.
    STATE_MSG_FREQUENCY = 10**12
    # RecordShaper conforms records in one compiled pass instead.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    schema = StreamSchema(SCHEMAS)

    def __init__(self, tap: Tap) -> None:
        """Create the stream; its failures are reported once, by the command line."""
        super().__init__(tap)
        self.logger.addFilter(_not_the_sdk_failure_note)
        self._extracted_second = 0
        self._extracted_end = b""

    @property
    def zoom(self) -> ZoomRun:
        """The run's settings, API client and user directory."""
        tap = t.cast("TapZoomPhone", self._tap)
        return tap.zoom

    @cached_property
    def shaper(self) -> RecordShaper:
        """This stream's schema and catalog selection, compiled once."""
        return RecordShaper(
            stream=self.name,
            schema=self.schema,
            selected=lambda crumb: bool(self.mask.get(crumb, True)),
            logger=self.logger,
        )

    def emit_state(self) -> None:
        """Write the tap's STATE now (the SDK's writer skips it when nothing changed)."""
        self._tap.state_writer.write_state(self._tap.state)

    def crawl_records(
        self,
        crawl: Crawl,
        progress: Progress,
        emit: Callable[[Page | Skipped], Iterator[dict[str, t.Any]]],
    ) -> Generator[dict[str, t.Any], None, bool]:
        """Records of a crawl, with STATE on a timer; False when Zoom's daily limit stopped it.

        A fatal error still emits the STATE so far before it propagates: a run that fails
        resumes from there.
        """
        timer = StateTimer(self.emit_state, self.zoom.settings.state_interval)
        try:
            with closing(iter(crawl)) as items:
                for item in items:
                    yield from emit(item)
                    timer.tick()
                    progress.tick()
        except DailyLimitReached as exc:
            self.zoom.daily_limit = exc
            timer.now()
            progress.summary("stopped at Zoom's daily limit")
            return False
        except TapError:
            timer.now()
            progress.summary("failed")
            raise
        timer.now()
        return True

    def new_progress(self, unit: str, total: int) -> Progress:
        """Progress lines and the final summary of this stream's crawl."""
        return Progress(
            stream=self.name,
            unit=unit,
            total=total,
            tally=self.zoom.api.tally,
            interval=self.zoom.settings.progress_interval,
            logger=self.logger,
        )

    @cached_property
    def _record_line_start(self) -> bytes | None:
        """How every RECORD line starts, when the fast path applies; None when it does not.

        It applies when nothing else shapes records on their way out: no stream map, no
        flattening, no record version, and this tap's own writer.
        """
        maps = self.stream_maps
        if len(maps) != 1 or type(maps[0]) is not SameRecordTransform:
            return None
        if maps[0].flattening_enabled or self._stream_version is not None:
            return None
        if not isinstance(self._tap.message_writer, OrjsonWriter):
            return None
        return b'{"type":"RECORD","stream":' + orjson.dumps(maps[0].stream_alias) + b',"record":'

    def _record_line_end(self) -> bytes:
        """The end of a RECORD line: the extraction time, to the second, made once a second."""
        second = int(time.time())
        if second != self._extracted_second:
            moment = datetime.datetime.fromtimestamp(second, tz=datetime.UTC)
            stamp = orjson.dumps(moment, option=orjson.OPT_UTC_Z)
            self._extracted_second = second
            self._extracted_end = b',"time_extracted":' + stamp + b"}\n"
        return self._extracted_end

    @override
    def _write_record_message(self, record: dict[str, t.Any]) -> None:
        # The fast path writes the line directly: no message object, no per-record dispatch.
        start = self._record_line_start
        if start is None:
            super()._write_record_message(record)
            return
        writer = t.cast("OrjsonWriter", self._tap.message_writer)
        writer.write_parts(start, orjson.dumps(self.shaper.shape(record)), self._record_line_end())
        self.state_manager.is_flushed = False

    @override
    def _generate_record_messages(
        self, record: dict[str, t.Any]
    ) -> Generator[RecordMessage, None, None]:
        # Replaces the SDK's deselect + recursive conformance with RecordShaper's single pass.
        record = self.shaper.shape(record)
        extracted = datetime.datetime.now(datetime.UTC)
        for stream_map in self.stream_maps:
            mapped = stream_map.transform(record)
            if mapped is not None:
                yield RecordMessage(
                    stream=stream_map.stream_alias,
                    record=mapped,
                    version=self._stream_version,
                    time_extracted=extracted,
                )

    @override
    def _write_state_message(self) -> None:
        # The SDK ends every stream (and every aborted one) here: its last records go out too.
        super()._write_state_message()
        writer = self._tap.message_writer
        if isinstance(writer, OrjsonWriter):
            writer.flush()

    @override
    def generate_child_contexts(
        self, record: dict[str, t.Any], context: Context | None
    ) -> t.Iterable[Context | None]:
        # The SDK's default copies every record for child streams; ours get their work a
        # window at a time (call_elements), never a record at a time.
        return ()

    @override
    def _increment_stream_state(
        self, latest_record: dict[str, t.Any], *, context: Context | None = None
    ) -> None:
        # Bookmarks are per user (or per date), kept by the stream itself, not taken from records.
        return
