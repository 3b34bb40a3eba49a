"""Date windows for Zoom's list endpoints: one month at a time, within the last six months.

Zoom serves at most one month per request (a longer range silently shrinks to its last month)
and nothing older than six months. Windows are inclusive at one-second resolution and touch
without overlapping: the next window starts one second after the previous one ends.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from tap_zoomphone.zoom.moments import read_moment, zoom_time

ONE_SECOND = datetime.timedelta(seconds=1)
READABLE_MONTHS = 6
# A server that counts six months to the second, a moment after we asked, still accepts this.
SIX_MONTH_MARGIN = datetime.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive time range [start, end], whole seconds, UTC."""

    start: datetime.datetime
    end: datetime.datetime

    @property
    def params(self) -> dict[str, str]:
        """The `from`/`to` query parameters for this window."""
        return {"from": zoom_time(self.start), "to": zoom_time(self.end)}

    def __str__(self) -> str:
        """Human-readable form for log lines."""
        return f"{zoom_time(self.start)}..{zoom_time(self.end)}"


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same wall-clock time `months` calendar months away, clamped to the month's last day."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def readable_floor(now: datetime.datetime, months: int = READABLE_MONTHS) -> datetime.datetime:
    """The oldest moment Zoom may serve as of `now`: the start of the day six months ago.

    `months`: an endpoint's own reach (the charge reports: 13).

    Zoom words the limit in dates; a server that counts to the second instead either serves
    less (the echo says so) or refuses, and then `strict_floor` is asked instead.
    """
    day = add_months(now, -months).astimezone(datetime.UTC).date()
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def strict_floor(now: datetime.datetime) -> datetime.datetime:
    """The oldest moment inside six months by any reading of the limit."""
    return whole_second_up(add_months(now, -READABLE_MONTHS) + SIX_MONTH_MARGIN)


def whole_second_up(moment: datetime.datetime) -> datetime.datetime:
    """Round up to a whole second, because Zoom's parameters carry no fractions."""
    if moment.microsecond:
        return moment.replace(microsecond=0) + ONE_SECOND
    return moment


def month_windows(start: datetime.datetime, end: datetime.datetime) -> list[Window]:
    """Consecutive windows of at most one calendar month covering [start, end], oldest first."""
    start = whole_second_up(start)
    end = end.replace(microsecond=0)
    windows = []
    cursor = start
    while cursor <= end:
        window_end = min(add_months(cursor, 1) - ONE_SECOND, end)
        windows.append(Window(cursor, window_end))
        cursor = window_end + ONE_SECOND
    return windows


def day_windows(start: datetime.datetime, end: datetime.datetime) -> list[Window]:
    """Whole UTC days covering [start, end], oldest first (the first from its midnight)."""
    day = datetime.datetime.combine(
        start.astimezone(datetime.UTC).date(), datetime.time(), datetime.UTC
    )
    end = end.replace(microsecond=0)
    windows = []
    while day <= end:
        following = day + datetime.timedelta(days=1)
        windows.append(Window(day, min(following - ONE_SECOND, end)))
        day = following
    return windows


def unserved_spans(window: Window, body: dict[str, object]) -> list[Window]:
    """The parts of `window` that Zoom's echoed `from`/`to` say it did not serve."""
    served_from = read_moment(body.get("from"), end_of_day=False)
    served_to = read_moment(body.get("to"), end_of_day=True)
    spans = []
    if served_from is not None and served_from > window.start:
        spans.append(Window(window.start, min(served_from - ONE_SECOND, window.end)))
    if served_to is not None and served_to < window.end:
        spans.append(Window(max(served_to + ONE_SECOND, window.start), window.end))
    return spans
