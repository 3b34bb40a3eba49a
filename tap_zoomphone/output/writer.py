"""Singer messages serialized with orjson and written without a flush per record.

The SDK's default writer serializes with simplejson and flushes stdout after every message; at
tens of thousands of records a second both show up in profiles. Records are written into the
stream's buffer as they come; SCHEMA and STATE messages flush, so a target always sees a STATE
after (never before) the records it covers, and sees it promptly.
"""

from __future__ import annotations

import atexit
import datetime
import decimal
import sys
from typing import Any

import orjson
from singer_sdk.singerlib import Message, RecordMessage, SingerMessageType
from singer_sdk.singerlib.encoding.base import GenericSingerWriter
from typing_extensions import override

LINE = orjson.OPT_APPEND_NEWLINE | orjson.OPT_UTC_Z
BUFFER_BYTES = 1 << 16


def json_default(value: object) -> orjson.Fragment | str | None:
    """The JSON of what orjson cannot write itself: decimals (from config, STATE, stream maps)."""
    if isinstance(value, decimal.Decimal):
        # A number, digits as given (1.50), as the SDK writes it; JSON has no NaN or Infinity.
        return orjson.Fragment(str(value)) if value.is_finite() else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    msg = f"cannot serialize {type(value).__name__}"
    raise TypeError(msg)


class OrjsonWriter(GenericSingerWriter[bytes, Message]):
    """Writes Singer messages as orjson lines to the current standard output, buffered.

    Standard output is often unbuffered (PYTHONUNBUFFERED is common in containers and set by
    some orchestrators): a write per record then costs a system call and a hand-over of the
    GIL to the reading threads. Lines are gathered up to 64 KB; any other message than a
    RECORD is written at once with the records before it.
    """

    def __init__(self) -> None:
        """Start with nothing pending; whatever is pending at exit is still written."""
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        atexit.register(self.flush)

    @override
    def serialize_message(self, message: Message) -> bytes:
        if isinstance(message, RecordMessage):
            payload: dict[str, Any] = {
                "type": "RECORD",
                "stream": message.stream,
                "record": message.record,
            }
            if message.version is not None:
                payload["version"] = message.version
            if message.time_extracted is not None:
                payload["time_extracted"] = message.time_extracted
        elif message.type == SingerMessageType.STATE:
            # The SDK's to_dict() deep-copies the state; it can be megabytes with many users.
            payload = {"type": "STATE", "value": message.value}  # type: ignore[attr-defined]
        else:
            payload = message.to_dict()
        return orjson.dumps(payload, default=json_default, option=LINE)

    def write_line(self, line: bytes) -> None:
        """Queue one serialized line."""
        self._pending.append(line)
        self._pending_bytes += len(line)
        if self._pending_bytes >= BUFFER_BYTES:
            self.flush()

    def write_parts(self, start: bytes, record: bytes, end: bytes) -> None:
        """Queue one RECORD line given in parts (joined once, at flush, not per record)."""
        self._pending += (start, record, end)
        self._pending_bytes += len(record)
        if self._pending_bytes >= BUFFER_BYTES:
            self.flush()

    @override
    def write_message(self, message: Message) -> None:
        self.write_line(self.format_message(message))
        if message.type != SingerMessageType.RECORD:
            self.flush()

    def flush(self) -> None:
        """Write everything pending to standard output, in order, and flush it."""
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_bytes = 0
        out = sys.stdout
        raw = getattr(out, "buffer", None)
        if raw is None:  # a text-only stream, as some test harnesses install
            out.write(data.decode())
            out.flush()
        else:
            out.flush()  # anything written as text before goes first
            raw.write(data)
            raw.flush()
