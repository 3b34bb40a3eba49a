"""Request counters of the emulator (admin requests are not counted)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    """Thread-safe counters of API traffic."""

    def __init__(self) -> None:
        """Start from zero."""
        self._lock = threading.Lock()
        self._in_flight = 0
        self.reset()

    def reset(self) -> None:
        """Set every counter back to zero (in-flight requests keep being tracked)."""
        with self._lock:
            self._total = 0
            self._by_endpoint: Counter[str] = Counter()
            self._by_label: Counter[str] = Counter()
            self._heavy_by_day: Counter[str] = Counter()
            self._daily_limited = 0
            self._statuses: Counter[int] = Counter()
            self._records: Counter[str] = Counter()
            self._rate_limited = 0
            self._tokens = 0
            self._peak = self._in_flight

    def begin(self, endpoint: str, label: str = "") -> None:
        """Count a request that starts.

        Args:
            endpoint: Its endpoint name.
            label: Its rate label in force ("" for OAuth and unknown routes: not counted).
        """
        with self._lock:
            self._total += 1
            self._by_endpoint[endpoint] += 1
            if label:
                self._by_label[label] += 1
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)

    def end(self, endpoint: str, status: int, records: int) -> None:
        """Count a request that finished.

        Args:
            endpoint: Its endpoint name.
            status: HTTP status sent (0 when the connection was reset).
            records: Records in the body.
        """
        with self._lock:
            self._in_flight -= 1
            self._statuses[status] += 1
            if records:
                self._records[endpoint] += records
            if status == 429:  # noqa: PLR2004 - HTTP Too Many Requests
                self._rate_limited += 1

    def heavy_admitted(self, day: str) -> None:
        """Count a request admitted against the daily cap.

        Args:
            day: The emulator's UTC day, "YYYY-MM-DD".
        """
        with self._lock:
            self._heavy_by_day[day] += 1

    def daily_limited(self) -> None:
        """Count a request refused by the daily cap (a 429 that is not a per-second one)."""
        with self._lock:
            self._daily_limited += 1

    def token_issued(self) -> None:
        """Count an access token issued."""
        with self._lock:
            self._tokens += 1

    def snapshot(self) -> dict[str, Any]:
        """Return the counters.

        Returns:
            requests_total, requests_by_endpoint, requests_by_label (API requests by the
            rate label in force), status_counts, rate_limited (every 429), daily_limited
            (429s of the daily cap), heavy_by_day ("YYYY-MM-DD" of the emulator clock: Heavy
            requests admitted against that day's cap), concurrency_peak, tokens_issued,
            records_served.
        """
        with self._lock:
            return {
                "requests_total": self._total,
                "requests_by_endpoint": dict(self._by_endpoint),
                "requests_by_label": dict(self._by_label),
                "status_counts": dict(self._statuses),
                "rate_limited": self._rate_limited,
                "daily_limited": self._daily_limited,
                "heavy_by_day": dict(self._heavy_by_day),
                "concurrency_peak": self._peak,
                "tokens_issued": self._tokens,
                "records_served": dict(self._records),
            }
