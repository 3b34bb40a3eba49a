"""Zoom's account-wide rate limits: per-label per-second windows and the Heavy daily cap."""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tap_zoomphone.emulator.errors import ApiError

if TYPE_CHECKING:
    from tap_zoomphone.emulator.clock import EmulatorClock
    from tap_zoomphone.emulator.config import EmulatorConfig

PER_SECOND = {
    "pro": {"Light": 20, "Medium": 10, "Heavy": 5},
    "business": {"Light": 40, "Medium": 20, "Heavy": 10},
}
DAILY_CAP = {"pro": 15_000, "business": 30_000}
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
    headers = {
        "X-RateLimit-Category": label,
        "X-RateLimit-Type": "QPS",
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "Retry-After": str(retry_after),
    }
    return ApiError(429, 429, PER_SECOND_MESSAGE, headers=headers)


class RateLimiter:
    """Admits or refuses API requests like Zoom's per-account limits.

    A request is admitted when fewer than the limit were admitted for its label during the
    trailing second (real monotonic time). Heavy requests also count against a daily cap per
    UTC day of the emulator clock; refused requests do not count.

    Args:
        config: The live settings (`plan`, `rate_limits`, `daily_cap`).
        clock: The emulator clock (for the daily cap's day).
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock) -> None:
        """Start with empty windows."""
        self._config = config
        self._clock = clock
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
            The `X-RateLimit-*` headers of the admitted request.

        Raises:
            ApiError: 429 when over the per-second limit or the daily cap.
        """
        limit = self.limit(label)
        enforce = self._config.plan != "off"
        with self._lock:
            moment = self._roll_day()
            if enforce and label == "Heavy" and self._heavy_today >= self.daily_cap():
                raise self._daily_error(moment)
            now = time.monotonic()
            times = self._window(label, now)
            if enforce and len(times) >= limit:
                raise per_second_error(label, limit)
            times.append(now)
            if label == "Heavy":
                self._heavy_today += 1
            remaining = max(0, limit - len(times))
        return {
            "X-RateLimit-Category": label,
            "X-RateLimit-Type": "QPS",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
        }

    def headers(self, label: str) -> dict[str, str]:
        """Return `X-RateLimit-*` headers without admitting anything (for refused requests).

        Args:
            label: Rate label.

        Returns:
            The headers.
        """
        limit = self.limit(label)
        with self._lock:
            used = len(self._window(label, time.monotonic()))
        return {
            "X-RateLimit-Category": label,
            "X-RateLimit-Type": "QPS",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
        }

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
        headers = {
            "X-RateLimit-Category": "Heavy",
            "X-RateLimit-Type": "Daily-limit",
            "X-RateLimit-Limit": str(self.daily_cap()),
            "X-RateLimit-Remaining": "0",
            "Retry-After": midnight.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        return ApiError(429, 429, DAILY_MESSAGE, headers=headers)
