"""Zoom's notion of now, learnt from the Date header of its answers.

Windows must end at the server's now, not ours: a machine whose clock runs behind would
otherwise never ask for the calls of its last minutes, and a test server may live in its own time.
"""

from __future__ import annotations

import datetime
import time

from tap_zoomphone.zoom.moments import parse_timestamp

SKEW_TOLERANCE_SECONDS = 2.0


class ServerClock:
    """Zoom's notion of now, from the Date header, so windows never end before the server's now."""

    def __init__(self) -> None:
        """Start by trusting the local clock."""
        self._skew = 0.0

    def observe(self, date_header: str | None) -> None:
        """Track the skew when the server's clock differs from ours by seconds."""
        moment = parse_timestamp(date_header) if date_header else None
        if moment is None:
            return
        # The header is truncated to the second: its midpoint is the best estimate.
        skew = moment.timestamp() + 0.5 - time.time()
        self._skew = skew if abs(skew) > SKEW_TOLERANCE_SECONDS else 0.0

    def now(self) -> datetime.datetime:
        """The server's current time as an aware UTC datetime."""
        return datetime.datetime.fromtimestamp(time.time() + self._skew, tz=datetime.UTC)
