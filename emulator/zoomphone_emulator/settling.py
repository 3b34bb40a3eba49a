"""Records that appear late and records that change after they appear.

Zoom documents neither how long after a call its record becomes visible nor when it is final:
a warm transfer is consolidated into one record covering the whole call (since 2026-05-18),
durations, talk time and charges are finalised after the call. This module draws, per call and
from the seed alone, how late it becomes visible and whether (and when) it changes once.

Distributions (both off by default, so existing ground truth is unchanged):

- **Late visibility.** A share `late_share` of calls becomes visible later than the ingest
  delay, by a log-normal delay of median `late_median_hours` and shape sigma 1.5: with the
  default median of 3 hours, about 18 % of the late calls take more than 12 hours, 3 % more
  than 48 hours and 1 % more than 4 days (the long tail no settle time covers).
- **One change after visibility.** A share `change_share` of calls changes once, a log-normal
  delay of median `change_median_hours` (sigma 1.0) after it became visible: the record
  is consolidated (a warm transfer's later legs fold into it), so its talk time, duration and
  end time grow by 30 to 600 seconds.

What ISync follows is the emulator's `isync_follows` setting: "visible" (a record enters a
user's sync feed when it becomes visible and moves to the feed's end when it changes) or
"start" (the feed is ordered by the call's start: a record that becomes visible after the
token passed its start, or that changes, is never served by ISync again).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

LATE_SIGMA = 1.5
CHANGE_SIGMA = 1.0
EXTRA_TALK = (30, 600)
# The longest delay drawn: the tail is cut at 30 days (far beyond any settle time).
MAX_DELAY = 30 * 86400
_UNIT = NormalDist()


@dataclass(frozen=True, slots=True)
class Settling:
    """How late calls become visible and whether they change (all drawn from the seed).

    Attributes:
        late_share: Share of calls visible later than the ingest delay.
        late_median_hours: Median extra delay of those calls.
        change_share: Share of calls that change once after they become visible.
        change_median_hours: Median time from visibility to the change.
    """

    late_share: float = 0.0
    late_median_hours: float = 3.0
    change_share: float = 0.0
    change_median_hours: float = 2.0

    @property
    def active(self) -> bool:
        """Whether any call is late or changes."""
        return self.late_share > 0 or self.change_share > 0

    def draw(self, key: str, uniform: Any) -> tuple[int, int, int]:  # noqa: ANN401 - calls.uniform
        """Return (late seconds, seconds from visibility to the change or 0, extra talk).

        Args:
            key: The call's stable identity.
            uniform: `calls.uniform` (a label to a draw in [0, 1)).

        Returns:
            The three numbers; (0, 0, 0) for a call that is on time and never changes.
        """
        late = change = extra = 0
        if self.late_share and uniform(f"{key}:late") < self.late_share:
            late = _lognormal(uniform(f"{key}:late-by"), self.late_median_hours, LATE_SIGMA)
        if self.change_share and uniform(f"{key}:change") < self.change_share:
            change = max(1, _lognormal(uniform(f"{key}:change-by"), self.change_median_hours, 1.0))
            low, high = EXTRA_TALK
            extra = low + int(uniform(f"{key}:extra") * (high - low))
        return late, change, extra


def _lognormal(draw: float, median_hours: float, sigma: float) -> int:
    """Seconds of a log-normal delay with this median, from a uniform draw."""
    z = _UNIT.inv_cdf(min(max(draw, 1e-9), 1 - 1e-9))
    return min(MAX_DELAY, int(median_hours * 3600 * math.exp(sigma * z)))
