"""The date-window rules of Zoom's list endpoints: formats, one month, six months, echo."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from zoomphone_emulator.errors import ApiError, invalid_parameter, reject_parameter

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
READABLE_MONTHS = 6
LAST_DAY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Window:
    """A served window: inclusive epoch-second bounds and the format to echo them in.

    Attributes:
        start: First epoch second served.
        end: Last epoch second served.
        dates: Echo as `yyyy-mm-dd` (else `yyyy-MM-ddTHH:mm:ssZ`).
    """

    start: int
    end: int
    dates: bool

    def echo(self) -> tuple[str, str]:
        """Return the `from` and `to` the response reports.

        Returns:
            (from, to) in the format they were asked in.
        """
        fmt = "%Y-%m-%d" if self.dates else DATETIME_FORMAT
        return (
            datetime.fromtimestamp(self.start, UTC).strftime(fmt),
            datetime.fromtimestamp(self.end, UTC).strftime(fmt),
        )


def minus_months(moment: datetime, months: int) -> datetime:
    """Step back whole calendar months, clamping the day (Mar 31 - 1 month = Feb 28/29).

    Args:
        moment: A datetime.
        months: Months to step back.

    Returns:
        The earlier datetime.
    """
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def readable_start(now: datetime, months: int = READABLE_MONTHS) -> datetime:
    """Return the oldest readable instant: midnight UTC six calendar months before now.

    Args:
        now: The emulator's now.
        months: The reach of the endpoint (13 for the charge reports).

    Returns:
        The boundary.
    """
    boundary = minus_months(now.astimezone(UTC), months)
    return datetime.combine(boundary.date(), time(0), UTC)


def parse_bound(raw: str, name: str, *, end: bool) -> tuple[datetime, bool]:
    """Parse a `from`/`to` value in either Zoom format.

    Args:
        raw: The query value.
        name: "from" or "to", for the error message.
        end: A date-only value means the end of that day.

    Returns:
        (instant, whether it was date-only).

    Raises:
        ApiError: 400 code 300 for anything else.
    """
    try:
        if DATE.fullmatch(raw):
            day = date.fromisoformat(raw)
            return datetime.combine(day, time(23, 59, 59) if end else time(0), UTC), True
        if DATETIME.fullmatch(raw):
            return datetime.strptime(raw, DATETIME_FORMAT).replace(tzinfo=UTC), False
    except ValueError:
        pass
    raise invalid_parameter(name)


def resolve_window(
    raw_from: str | None,
    raw_to: str | None,
    now: datetime,
    *,
    old_from: str,
    months: int = READABLE_MONTHS,
) -> Window:
    """Apply the window rules to a request's `from`/`to`.

    No `from`: the last 24 hours. A range longer than a month shrinks to its last month; a
    `from` older than six months is clamped to the boundary or refused (`old_from`).

    Args:
        raw_from: The `from` parameter, if any.
        raw_to: The `to` parameter, if any.
        now: The emulator's now.
        old_from: "clamp" or "error".
        months: The endpoint's reach; beyond six months (the charge reports' 13) an older
            `from` is refused as those reports refuse it, whatever `old_from` says.

    Returns:
        The window to serve.

    Raises:
        ApiError: 400 code 300 for bad or mismatched values, or an old `from` in error mode.
    """
    if not raw_from:
        return Window(int((now - LAST_DAY).timestamp()), int(now.timestamp()), dates=False)
    start, dates = parse_bound(raw_from, "from", end=False)
    if not raw_to:
        reject_parameter("to")
    end, to_dates = parse_bound(raw_to, "to", end=True)
    if to_dates != dates:
        reject_parameter("to")
    if start > end:
        reject_parameter("from")
    month_before = minus_months(end, 1)
    if dates:
        month_before = datetime.combine(month_before.date(), time(0), UTC)
    start = max(start, month_before)
    boundary = readable_start(now, months)
    if start < boundary:
        if months != READABLE_MONTHS:
            raise ApiError(
                400, 400, f"Invalid start date. Report is provided only for recent {months} months."
            )
        if old_from == "error":
            reject_parameter("from")
        start = boundary
    # A window wholly older than six months ends up empty (start after end).
    return Window(int(start.timestamp()), int(end.timestamp()), dates)
