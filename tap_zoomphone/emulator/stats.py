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
            self._statuses: Counter[int] = Counter()
            self._records: Counter[str] = Counter()
            self._rate_limited = 0
            self._tokens = 0
            self._peak = self._in_flight

    def begin(self, endpoint: str) -> None:
        """Count a request that starts.

        Args:
            endpoint: Its endpoint name.
        """
        with self._lock:
            self._total += 1
            self._by_endpoint[endpoint] += 1
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

    def token_issued(self) -> None:
        """Count an access token issued."""
        with self._lock:
            self._tokens += 1

    def snapshot(self) -> dict[str, Any]:
        """Return the counters.

        Returns:
            requests_total, requests_by_endpoint, status_counts, rate_limited,
            concurrency_peak, tokens_issued, records_served.
        """
        with self._lock:
            return {
                "requests_total": self._total,
                "requests_by_endpoint": dict(self._by_endpoint),
                "status_counts": dict(self._statuses),
                "rate_limited": self._rate_limited,
                "concurrency_peak": self._peak,
                "tokens_issued": self._tokens,
                "records_served": dict(self._records),
            }
