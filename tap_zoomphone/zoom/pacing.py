"""The account's request budget per Zoom rate-limit label, shared by every worker thread.

Zoom's limits are account-wide and per label (Light, Medium, Heavy). Requests are spaced evenly
at the plan's rate less a headroom for the account's other apps, so that more workers never mean
more 429s. A 429 pauses the whole label; a spent daily cap blocks it until it resets.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tap_zoomphone.zoom.errors import ConfigError, DailyLimitReached
from tap_zoomphone.zoom.moments import parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Callable

LIGHT = "Light"
MEDIUM = "Medium"
HEAVY = "Heavy"
RESOURCE_INTENSIVE = "Resource-intensive"
# Both count against the account's one daily cap.
DAILY_LABELS = frozenset({HEAVY, RESOURCE_INTENSIVE})

# Requests per second per label, from Zoom's rate-limit table.
PLANS: dict[str, dict[str, float]] = {
    "pro": {LIGHT: 20, MEDIUM: 10, HEAVY: 5, RESOURCE_INTENSIVE: 5 / 60},
    "business": {LIGHT: 40, MEDIUM: 20, HEAVY: 10, RESOURCE_INTENSIVE: 10 / 60},
}
# The account's daily cap of Heavy and Resource-intensive requests together.
DAILY_CAPS = {"pro": 15_000, "business": 30_000}


def account_plan_limits(plan: str | float) -> dict[str, float]:
    """Per-label requests per second for a plan name, or for a custom Medium rate.

    A number is the account's Medium-label rate; Light gets twice and Heavy half of it, the
    same proportions as Zoom's published plans.
    """
    if isinstance(plan, str) and plan.strip().lower() in PLANS:
        return dict(PLANS[plan.strip().lower()])
    try:
        medium = float(plan)
    except (TypeError, ValueError):
        msg = (
            f"rate_limit_plan must be 'pro', 'business' or a number of requests per second, "
            f"not {plan!r}"
        )
        raise ConfigError(msg) from None
    if medium <= 0:
        msg = f"rate_limit_plan must be a positive number of requests per second, not {plan!r}"
        raise ConfigError(msg)
    return {
        LIGHT: medium * 2,
        MEDIUM: medium,
        HEAVY: medium / 2,
        RESOURCE_INTENSIVE: medium / 120,
    }


def account_plan_daily_cap(plan: str | float) -> int:
    """The Heavy daily cap of a plan; a custom rate is taken as a Business account's."""
    if isinstance(plan, str) and plan.strip().lower() == "pro":
        return DAILY_CAPS["pro"]
    return DAILY_CAPS["business"]


def parse_retry_after(value: str | None, *, now: datetime.datetime) -> float | None:
    """Seconds to wait per Retry-After: delta-seconds, an ISO timestamp or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    moment = parse_timestamp(text)
    if moment is None:
        return None
    return max(0.0, (moment - now).total_seconds())


@dataclass
class _Lane:
    """One label's schedule: the earliest time the next request may start."""

    interval: float
    next_start: float = 0.0
    blocked_until: datetime.datetime | None = None


class RateBudget:
    """Hands out request slots per label, evenly spaced, across all threads."""

    def __init__(
        self,
        limits: dict[str, float],
        *,
        headroom: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC),
    ) -> None:
        """Spread each label's requests at its limit times (1 - headroom); `now`: Zoom's clock."""
        if not 0 <= headroom < 1:
            msg = f"rate_limit_headroom must be at least 0 and below 1, not {headroom!r}"
            raise ConfigError(msg)
        self._headroom = headroom
        self._lanes = {
            label: _Lane(interval=1.0 / (rate * (1.0 - headroom))) for label, rate in limits.items()
        }
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self._sleep = sleep
        # Daily caps reset by Zoom's clock, which names the reset time in its 429s.
        self._now = now

    def rate(self, label: str) -> float:
        """The paced requests per second for a label."""
        with self._lock:
            return 1.0 / self._lane(label).interval

    def limit(self, label: str) -> float:
        """The label's limit as the pacing knows it (before the headroom)."""
        return self.rate(label) / (1.0 - self._headroom)

    def _lane(self, label: str) -> _Lane:
        """A label's lane (call with the lock held)."""
        lane = self._lanes.get(label)
        if lane is None:
            # A label only Zoom's headers named is paced like Heavy until its limit is known.
            lane = self._lanes[label] = _Lane(interval=self._lanes[HEAVY].interval)
        return lane

    def set_rate(self, label: str, per_second: float) -> None:
        """Pace a label by the limit Zoom reports for it (less the headroom)."""
        with self._lock:
            self._lane(label).interval = 1.0 / (per_second * (1.0 - self._headroom))

    def acquire(self, label: str) -> None:
        """Block until this label may send one more request; fail fast on a spent daily cap."""
        with self._lock:
            lane = self._lane(label)
            if lane.blocked_until is not None:
                if lane.blocked_until > self._now():
                    raise DailyLimitReached(label=label, resets_at=lane.blocked_until)
                lane.blocked_until = None
            now = self._monotonic()
            start = max(now, lane.next_start)
            lane.next_start = start + lane.interval
        wait = start - now
        if wait > 0:
            self._sleep(wait)

    def pause(self, label: str, seconds: float) -> None:
        """Hold every request of a label back after Zoom said 429 with Retry-After."""
        with self._lock:
            lane = self._lane(label)
            lane.next_start = max(lane.next_start, self._monotonic() + seconds)

    def block_until(self, label: str, resets_at: datetime.datetime | None) -> None:
        """Refuse a label until its daily cap resets (unknown reset: the next UTC midnight)."""
        if resets_at is None:
            today = self._now().date()
            resets_at = datetime.datetime.combine(
                today + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
            )
        with self._lock:
            self._lane(label).blocked_until = resets_at
