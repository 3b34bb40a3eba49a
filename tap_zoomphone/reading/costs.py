"""What a stream is about to spend, said before it spends it.

At the start of each stream one INFO line gives the expected requests per rate label (the least
the stream can need: a busy user or window may take more pages), the time they take at the
paced rates, and the share of today's Heavy budget. When they do not fit today's budget, one
WARNING says how many daily runs it takes and what would cost less.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tap_zoomphone.output.progress import duration
from tap_zoomphone.zoom.pacing import DAILY_LABELS

if TYPE_CHECKING:
    import logging

    from tap_zoomphone.zoom.api import ZoomAPI


@dataclass
class CostEstimate:
    """Expected requests of one stream's run, per rate label."""

    stream: str
    scope: str
    requests: Counter[str] = field(default_factory=Counter)
    cheaper: str = ""

    def add(self, label: str, count: float) -> None:
        """Expect `count` more requests of `label`."""
        if count > 0:
            self.requests[label] += math.ceil(count)

    def log(self, api: ZoomAPI, logger: logging.Logger) -> None:
        """One INFO line; a WARNING too when the Heavy requests do not fit today's share."""
        total = sum(self.requests.values())
        labels = ", ".join(f"{label} {n:,}" for label, n in sorted(self.requests.items()))
        seconds = max((n / api.budget.rate(label) for label, n in self.requests.items()), default=0)
        heavy = sum(n for label, n in self.requests.items() if label in DAILY_LABELS)
        allowance = api.allowance
        left, allowed = allowance.left(), allowance.allowed
        logger.info(
            "%s: plan for %s: at least %s requests (%s), about %s at the paced rates; %s of "
            "today's Heavy budget (%s of %s left: daily_limit_share %g of %s)",
            self.stream,
            self.scope,
            f"{total:,}",
            labels or "none",
            duration(seconds),
            f"{heavy / allowed:.1%}" if allowed else "all",
            f"{left:,}",
            f"{allowed:,}",
            allowance.share,
            f"{allowance.cap:,}",
        )
        if heavy > left:
            days = 1 + math.ceil((heavy - left) / max(allowed, 1))
            logger.warning(
                "%s: this plan needs at least %s Heavy requests and today's share has %s left: "
                "it takes about %d daily runs (each stops at the share; the next goes on from "
                "its STATE).%s",
                self.stream,
                f"{heavy:,}",
                f"{left:,}",
                days,
                f" Costs less: {self.cheaper}." if self.cheaper else "",
            )
