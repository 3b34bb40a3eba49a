"""What Zoom's `X-RateLimit-*` headers say about a request's label and limits.

Zoom sends `X-RateLimit-Category` (the label), `-Type` (per second, or `Daily-limit`),
`-Limit` and `-Remaining`. Which of them appear on ordinary answers, and whether `Limit` is then
per second or per day, is not confirmed. A `Type` that names the day (or the second) decides.
Without one, Zoom's docs say `Remaining` counts the account's day for the daily-capped labels:
there a limit that is not the label's per-second limit is read as the day's, and elsewhere only
a limit no per-second label comes near.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tap_zoomphone.zoom.pacing import DAILY_LABELS, HEAVY, LIGHT, MEDIUM, RESOURCE_INTENSIVE

if TYPE_CHECKING:
    from collections.abc import Mapping

LABELS = {label.lower(): label for label in (LIGHT, MEDIUM, HEAVY, RESOURCE_INTENSIVE)}
# No per-second limit of any plan is near this; a larger Limit without a Type counts the day.
LARGEST_PER_SECOND = 1000


@dataclass(frozen=True, slots=True)
class RateReport:
    """One answer's rate-limit headers, read."""

    label: str | None
    limit: int | None
    remaining: int | None
    daily: bool
    per_minute: bool

    @property
    def per_second(self) -> float | None:
        """The label's per-second limit this answer reports, if it reports one."""
        if self.daily or not self.limit:
            return None
        return self.limit / 60 if self.per_minute else float(self.limit)


def read_rate_headers(
    headers: Mapping[str, str], *, label: str, per_second: float
) -> RateReport | None:
    """The rate-limit report of an answer, or None when it carries no such headers.

    `label` and `per_second`: what the request was paced as, for answers that leave it unsaid.
    """
    category = headers.get("X-RateLimit-Category")
    kind = (headers.get("X-RateLimit-Type") or "").strip().lower()
    limit = _whole(headers.get("X-RateLimit-Limit"))
    remaining = _whole(headers.get("X-RateLimit-Remaining"))
    if category is None and limit is None and not kind:
        return None
    named = LABELS.get((category or "").strip().lower().replace(" ", "-"))
    if kind:
        daily = "day" in kind or "daily" in kind
    else:
        capped = (named or label) in DAILY_LABELS
        daily = (limit or 0) > LARGEST_PER_SECOND or (
            capped and limit is not None and limit != round(per_second)
        )
    return RateReport(
        label=named,
        limit=limit,
        remaining=remaining,
        daily=daily,
        per_minute="min" in kind,
    )


def _whole(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None
