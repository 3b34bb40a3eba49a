"""Progress lines a person can follow on long runs, and one summary per stream."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

    from tap_zoomphone.zoom.api import Tally


def duration(seconds: float) -> str:
    """A short human duration: 4s, 3m42s, 2h10m."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class Progress:
    """Counts one stream's work and logs where it stands every `interval` seconds."""

    def __init__(  # noqa: PLR0913  # keyword-only description of one stream's work
        self,
        *,
        stream: str,
        unit: str,
        total: int,
        tally: Tally,
        interval: float,
        logger: logging.Logger,
    ) -> None:
        """Start the clock and remember the request counts at the start of the stream."""
        self.stream = stream
        self.unit = unit
        self.total = total
        self.done = 0
        self.records = 0
        self.skipped = 0
        self._tally = tally
        self._interval = interval
        self._logger = logger
        self._started = time.monotonic()
        self._last_log = self._started
        self._base = (tally.requests, tally.retries, tally.throttled)
        self._last_requests = tally.requests

    @property
    def requests(self) -> int:
        """Requests this stream sent so far."""
        return self._tally.requests - self._base[0]

    def tick(self) -> None:
        """Log a progress line if the interval has passed."""
        now = time.monotonic()
        if now - self._last_log < self._interval:
            return
        rate = (self._tally.requests - self._last_requests) / (now - self._last_log)
        self._last_log = now
        self._last_requests = self._tally.requests
        elapsed = now - self._started
        left = ""
        if 0 < self.done < self.total:
            left = f", about {duration(elapsed / self.done * (self.total - self.done))} left"
        self._logger.info(
            "%s: %d/%d %s done, %d records, %d requests (%.1f/s)%s",
            self.stream,
            self.done,
            self.total,
            self.unit,
            self.records,
            self.requests,
            rate,
            left,
        )

    def summary(self, outcome: str = "finished") -> None:
        """Log what the stream did: records, requests, retries, skips, duration."""
        self._logger.info(
            "%s %s: %d records from %d of %d %s in %s; %d requests, %d retries, "
            "%d rate-limited answers, %d %s skipped",
            self.stream,
            outcome,
            self.records,
            self.done,
            self.total,
            self.unit,
            duration(time.monotonic() - self._started),
            self.requests,
            self._tally.retries - self._base[1],
            self._tally.throttled - self._base[2],
            self.skipped,
            self.unit,
        )
