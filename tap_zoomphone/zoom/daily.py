"""This tap's share of the account's Heavy daily cap, spent as if it were the customer's.

Zoom's daily cap (15,000 Pro, 30,000 Business) is shared by Heavy and Resource-intensive
requests of every app on the account. The tap uses at most `daily_limit_share` of it per UTC
day: where Zoom reports the day's `Limit`/`Remaining` they count (other apps' use included);
otherwise the tap counts its own requests against the plan's cap. It stops before the share is
spent, with the STATE so far, rather than let Zoom refuse the account's other apps.
"""

from __future__ import annotations

import datetime
import math
import threading
from typing import TYPE_CHECKING

from tap_zoomphone.zoom.errors import DailyLimitReached
from tap_zoomphone.zoom.pacing import DAILY_LABELS

if TYPE_CHECKING:
    from collections.abc import Callable

    from tap_zoomphone.zoom.ratelimits import RateReport


def next_midnight(now: datetime.datetime) -> datetime.datetime:
    """The next UTC midnight after `now`, when Zoom's daily counts start again."""
    return datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
    )


class DailyShareSpent(DailyLimitReached):
    """The tap stopped itself at its share of the daily cap, before Zoom refused anything."""

    def __init__(
        self, *, used: int, cap: int, share: float, own: int, now: datetime.datetime
    ) -> None:
        """Say what was spent, when it resets and how to go on."""
        resets_at = next_midnight(now)
        super().__init__(
            label="Heavy",
            resets_at=resets_at,
            message=(
                f"Stopped at this tap's share of Zoom's daily limit for Heavy APIs: {used} of "
                f"the account's {cap} Heavy requests today are used (daily_limit_share {share:g};"
                f" this run sent {own}). The limit resets at "
                f"{resets_at.strftime('%Y-%m-%dT%H:%M:%SZ')}: run the tap again after that with "
                "the STATE it emitted and it goes on exactly where it stopped."
            ),
        )


class DailyAllowance:
    """Admits Heavy and Resource-intensive requests while the day's share lasts."""

    def __init__(self, *, cap: int, share: float, now: Callable[[], datetime.datetime]) -> None:
        """`cap`: the plan's daily cap until Zoom reports one; `now`: Zoom's clock."""
        self.share = share
        self._plan_cap = cap
        self._now = now
        self._lock = threading.Lock()
        self._day: datetime.date | None = None
        self._reported_cap: int | None = None
        self._reported_used = 0
        self._answered = 0
        self._in_flight = 0
        self.sent_this_run = 0

    @property
    def cap(self) -> int:
        """The day's cap: Zoom's when it reported one, else the plan's."""
        return self._reported_cap or self._plan_cap

    @property
    def allowed(self) -> int:
        """Heavy requests the account may have used today before this tap stops."""
        return math.floor(self.cap * self.share)

    def used(self) -> int:
        """Heavy requests counted against today's share, those still unanswered included."""
        with self._lock:
            self._roll()
            return self._used()

    def left(self) -> int:
        """Heavy requests this tap may still send today."""
        return max(0, self.allowed - self.used())

    def reserve(self, label: str) -> None:
        """Count one request about to be sent; stop the run if it would pass the share."""
        if label not in DAILY_LABELS:
            return
        with self._lock:
            now = self._roll()
            if self._used() + 1 > self.allowed:
                raise DailyShareSpent(
                    used=self._used(),
                    cap=self.cap,
                    share=self.share,
                    own=self.sent_this_run,
                    now=now,
                )
            self._in_flight += 1
            self.sent_this_run += 1

    def settle(self, label: str, report: RateReport | None) -> None:
        """A reserved request was answered (or failed); take in what Zoom said of the day."""
        if label not in DAILY_LABELS:
            return
        with self._lock:
            self._roll()
            self._in_flight = max(0, self._in_flight - 1)
            self._answered += 1
            if report is not None and report.daily and report.limit:
                self._reported_cap = report.limit
                if report.remaining is not None:
                    used = report.limit - report.remaining
                    self._reported_used = max(self._reported_used, used)

    def _used(self) -> int:
        return max(self._reported_used, self._answered) + self._in_flight

    def _roll(self) -> datetime.datetime:
        """Start the counts again when Zoom's UTC day changes (call with the lock held)."""
        now = self._now()
        if now.date() != self._day:
            self._day = now.date()
            self._reported_used = 0
            self._answered = 0
        return now
