"""Reading and writing the moments Zoom and the settings speak of, in one place, always UTC."""

from __future__ import annotations

import datetime
import email.utils


def utc(moment: datetime.datetime) -> datetime.datetime:
    """The same moment as aware UTC (a naive one is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def zoom_time(moment: datetime.datetime) -> str:
    """Zoom's `yyyy-MM-ddTHH:mm:ssZ` form of an aware datetime."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_moment(text: str, *, end_of_day: bool) -> datetime.datetime:
    """A date or date-time as aware UTC: a date means its first second, or its last one.

    Raises:
        ValueError: when the text is neither.
    """
    text = text.strip()
    if len(text) == len("yyyy-mm-dd"):
        day = datetime.date.fromisoformat(text)
        clock = datetime.time(23, 59, 59) if end_of_day else datetime.time()
        return datetime.datetime.combine(day, clock, tzinfo=datetime.UTC)
    return utc(datetime.datetime.fromisoformat(text))


def read_moment(value: object, *, end_of_day: bool = False) -> datetime.datetime | None:
    """A date or date-time Zoom or a bookmark gave, or None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_moment(value, end_of_day=end_of_day)
    except ValueError:
        return None


def parse_timestamp(text: str) -> datetime.datetime | None:
    """An aware UTC datetime from an ISO 8601 or RFC 7231 (HTTP) timestamp, or None."""
    try:
        return utc(datetime.datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None
