"""Zoom's account-wide rate limits: per-label per-second windows and the Heavy daily cap."""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from zoomphone_emulator.errors import ApiError

if TYPE_CHECKING:
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.stats import Stats

PER_SECOND = {
    "pro": {"Light": 20, "Medium": 10, "Heavy": 5},
    "business": {"Light": 40, "Medium": 20, "Heavy": 10},
}
DAILY_CAP = {"pro": 15_000, "business": 30_000}
# The labels whose requests count against the daily cap.
DAILY_LABELS = frozenset({"Heavy"})
WINDOW = 1.0
PER_SECOND_MESSAGE = (
    "You have reached the maximum per-second rate limit for this API. Try again later."
)
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. Refer to the response header "
    "for details on when you can make another request."
)


def per_second_error(label: str, limit: int, retry_after: int = 1) -> ApiError:
    """Return the 429 of a per-second limit.

    Args:
        label: Rate label.
        limit: The label's per-second limit.
        retry_after: Seconds to announce in `Retry-After`.

    Returns:
        The error.
    """
    headers = qps_headers(label, limit, 0) | {"Retry-After": str(retry_after)}
    return ApiError(429, 429, PER_SECOND_MESSAGE, headers=headers)


def qps_headers(label: str, limit: int, remaining: int) -> dict[str, str]:
    """Return the `X-RateLimit-*` headers of a per-second limit.

    Args:
        label: Rate label.
        limit: The label's per-second limit.
        remaining: Requests left in the current second.

    Returns:
        The headers.
    """
    return {
        "X-RateLimit-Category": label,
        "X-RateLimit-Type": "QPS",
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
    }


def daily_headers(cap: int, remaining: int) -> dict[str, str]:
    """Return the `X-RateLimit-*` headers of the Heavy daily cap.

    Args:
        cap: The daily cap in force.
        remaining: Requests left in the emulator day.

    Returns:
        The headers.
    """
    return {
        "X-RateLimit-Category": "Heavy",
        "X-RateLimit-Type": "Daily-limit",
        "X-RateLimit-Limit": str(cap),
        "X-RateLimit-Remaining": str(remaining),
    }


class RateLimiter:
    """Admits or refuses API requests like Zoom's per-account limits.

    A request is admitted when fewer than the limit were admitted for its label during the
    trailing second (real monotonic time). Heavy requests also count against a daily cap per
    UTC day of the emulator clock; refused requests do not count. With plan "off" nothing is
    refused (Heavy requests are still counted) and no limit is reported.

    Args:
        config: The live settings (`plan`, `rate_limits`, `daily_cap`, `daily_headers`).
        clock: The emulator clock (for the daily cap's day).
        stats: Counters told of Heavy admissions and daily-limit refusals.
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock, stats: Stats) -> None:
        """Start with empty windows."""
        self._config = config
        self._clock = clock
        self._stats = stats
        self._admitted: dict[str, deque[float]] = {}
        self._day = ""
        self._heavy_today = 0
        self._lock = threading.Lock()

    def limit(self, label: str) -> int:
        """Return the per-second limit of a label under the current plan and overrides.

        Args:
            label: Rate label.

        Returns:
            Requests per second.
        """
        overrides = self._config.rate_limits or {}
        plan = self._config.plan if self._config.plan in PER_SECOND else "business"
        return overrides.get(label, PER_SECOND[plan][label])

    def daily_cap(self) -> int:
        """Return the Heavy daily cap in force.

        Returns:
            Requests per day.
        """
        plan = self._config.plan if self._config.plan in DAILY_CAP else "business"
        return self._config.daily_cap if self._config.daily_cap is not None else DAILY_CAP[plan]

    def _roll_day(self) -> datetime:
        now = self._clock.now()
        day = now.strftime("%Y-%m-%d")
        if day != self._day:
            self._day, self._heavy_today = day, 0
        return now

    def _window(self, label: str, now: float) -> deque[float]:
        times = self._admitted.setdefault(label, deque())
        while times and times[0] <= now - WINDOW:
            times.popleft()
        return times

    def admit(self, label: str) -> dict[str, str]:
        """Admit a request or refuse it with Zoom's 429.

        Args:
            label: The endpoint's rate label.

        Returns:
            The `X-RateLimit-*` headers of the admitted request: the daily ones for a Heavy
            request under `daily_headers`, else the per-second ones, none with plan "off".

        Raises:
            ApiError: 429 when over the per-second limit or the daily cap.
        """
        limit = self.limit(label)
        cap = self.daily_cap()
        enforce = self._config.plan != "off"
        daily = label in DAILY_LABELS
        with self._lock:
            moment = self._roll_day()
            if enforce and daily and self._heavy_today >= cap:
                self._stats.daily_limited()
                raise self._daily_error(moment)
            now = time.monotonic()
            times = self._window(label, now)
            if enforce and len(times) >= limit:
                raise per_second_error(label, limit)
            times.append(now)
            if daily:
                self._heavy_today += 1
                self._stats.heavy_admitted(self._day)
            left_today = max(0, cap - self._heavy_today)
            remaining = max(0, limit - len(times))
        if daily and self._config.daily_headers:
            return daily_headers(cap, left_today)
        return qps_headers(label, limit, remaining) if enforce else {}

    def headers(self, label: str) -> dict[str, str]:
        """Return `X-RateLimit-*` headers without admitting anything (for refused requests).

        Args:
            label: Rate label.

        Returns:
            The per-second headers; none with plan "off".
        """
        if self._config.plan == "off":
            return {}
        limit = self.limit(label)
        with self._lock:
            used = len(self._window(label, time.monotonic()))
        return qps_headers(label, limit, max(0, limit - used))

    def exhaust_daily(self) -> None:
        """Use up the Heavy daily cap until the next midnight of the emulator clock."""
        with self._lock:
            self._roll_day()
            self._heavy_today = max(self._heavy_today, self.daily_cap())

    def heavy_today(self) -> int:
        """Return how many Heavy requests were admitted today (emulator day).

        Returns:
            The count.
        """
        with self._lock:
            self._roll_day()
            return self._heavy_today

    def _daily_error(self, now: datetime) -> ApiError:
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        retry = {"Retry-After": midnight.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return ApiError(429, 429, DAILY_MESSAGE, headers=daily_headers(self.daily_cap(), 0) | retry)
