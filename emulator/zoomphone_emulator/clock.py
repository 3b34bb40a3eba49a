"""The emulator's clock: real time from a chosen start, plus offsets tests can add."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class EmulatorClock:
    """A UTC clock that runs in real time (or stands still) and can be moved forward.

    Args:
        start: The emulator time at construction; None means the real UTC now.
        frozen: When True time only moves through `advance()`.
    """

    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        """Start the clock."""
        self._start = (start or datetime.now(UTC)).astimezone(UTC)
        self._started = time.monotonic()
        self._frozen = frozen
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the emulator's current time (aware, UTC).

        Returns:
            The current emulator time.
        """
        elapsed = 0.0 if self._frozen else time.monotonic() - self._started
        return self._start + self._offset + timedelta(seconds=elapsed)

    def timestamp(self) -> float:
        """Return the emulator's current time as epoch seconds.

        Returns:
            Epoch seconds.
        """
        return self.now().timestamp()

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by `timedelta(**delta)`, e.g. `advance(hours=2)`.

        Args:
            **delta: timedelta keyword arguments.

        Returns:
            The new current time.

        Raises:
            ValueError: when asked to move backwards.
        """
        step = timedelta(**delta)
        if step < timedelta(0):
            msg = "the emulator clock only moves forward"
            raise ValueError(msg)
        with self._lock:
            self._offset += step
        return self.now()
