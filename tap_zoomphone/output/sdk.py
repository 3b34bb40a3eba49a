"""Every place this tap reaches into singer-sdk's private names, each with why.

The SDK offers no public hook for these. They live here and nowhere else, and
`tests/unit/test_sdk_hooks.py` fails with a clear message when an SDK release renames or
reshapes one of them, so an upgrade breaks loudly rather than quietly.
"""

from __future__ import annotations

import datetime
import time
import typing as t
from functools import cached_property

import orjson
from singer_sdk import Stream
from singer_sdk.mapper import SameRecordTransform
from singer_sdk.singerlib import RecordMessage
from typing_extensions import override

from tap_zoomphone.output.records import RecordShaper
from tap_zoomphone.output.writer import OrjsonWriter, json_default

if t.TYPE_CHECKING:
    import logging
    from collections.abc import Generator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

# Private Stream methods this module overrides, with the parameters each must still take.
PRIVATE_HOOKS: dict[str, tuple[str, ...]] = {
    "_write_record_message": ("self", "record"),
    "_generate_record_messages": ("self", "record"),
    "_write_state_message": ("self",),
    "_increment_stream_state": ("self", "latest_record", "context"),
}
# Private Stream methods this module calls, with the parameters each must still take.
PRIVATE_CALLS: dict[str, tuple[str, ...]] = {"_write_schema_message": ("self",)}
# Private Stream attributes this module reads.
PRIVATE_ATTRIBUTES = ("_tap", "_stream_version")
# The SDK logs this before re-raising any failure; the tap's own error line says it all.
SDK_FAILURE_NOTE = "An unhandled error occurred while syncing"


def _not_the_sdk_failure_note(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(SDK_FAILURE_NOTE)


class SdkStream(Stream):
    """A Stream with a lean record path, STATE on the tap's own terms, and its tap at hand."""

    def __init__(self, tap: Tap) -> None:
        """Create the stream; its failures are reported once, by the command line."""
        super().__init__(tap)
        self.logger.addFilter(_not_the_sdk_failure_note)
        self._extracted_second = 0
        self._extracted_end = b""

    @property
    def tap(self) -> Tap:
        """The tap this stream belongs to (the SDK keeps it private)."""
        return self._tap

    def write_schema(self) -> None:
        """Write this stream's SCHEMA message: for a child its parent writes records for."""
        self._write_schema_message()

    def write_record(self, record: dict[str, t.Any]) -> None:
        """Write one RECORD message of this stream, whichever stream's crawl read it."""
        self._write_record_message(record)

    @cached_property
    def shaper(self) -> RecordShaper:
        """This stream's schema and catalog selection, compiled once."""
        return RecordShaper(
            stream=self.name,
            schema=self.schema,
            selected=lambda crumb: bool(self.mask.get(crumb, True)),
            logger=self.logger,
        )

    @cached_property
    def _record_line_start(self) -> bytes | None:
        """How every RECORD line starts, when the fast path applies; None when it does not.

        It applies when nothing else shapes records on their way out: no stream map, no
        flattening, no record version (the SDK keeps that private), and this tap's own writer.
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
        # Why: the SDK builds a message object and dispatches per record; the fast path writes
        # the line directly (measured several times faster per record).
        start = self._record_line_start
        if start is None:
            super()._write_record_message(record)
            return
        writer = t.cast("OrjsonWriter", self._tap.message_writer)
        line = orjson.dumps(self.shaper.shape(record), default=json_default)
        writer.write_parts(start, line, self._record_line_end())
        self.state_manager.is_flushed = False

    @override
    def _generate_record_messages(
        self, record: dict[str, t.Any]
    ) -> Generator[RecordMessage, None, None]:
        # Why: replaces the SDK's deselect + recursive conformance with RecordShaper's one pass.
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
        # Why: the SDK ends every stream (and every aborted one) here: the buffered record
        # lines must be out before the STATE that covers them.
        super()._write_state_message()
        writer = self._tap.message_writer
        if isinstance(writer, OrjsonWriter):
            writer.flush()

    @override
    def _increment_stream_state(
        self, latest_record: dict[str, t.Any], *, context: Context | None = None
    ) -> None:
        # Why: bookmarks are per user (or per date), kept by the streams, not read from records.
        return
