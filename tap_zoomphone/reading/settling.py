"""What a stream emitted of the records still settling, kept in its STATE as short digests.

A settle read (steps.SettleRead) reads again the calls that started within the settle window;
it emits only what this memory does not hold: a record that appeared late, or one that changed
since it was emitted. The memory holds one 8-character digest per emitted record, grouped by
the day its call started, and forgets the days no settle read will look at again.

STATE shape, beside a stream's other keys:

    "settling": {"read_at": "2026-06-04T10:00:00Z", "calls_per_day": 25000, "users_reread": 310,
                 "days": {"2026-06-03": ["Xk3v9Qa1", ...], "2026-06-04": [...]}}

`read_at`: when the last complete settle read began (a read killed half-way is done again);
`calls_per_day` and `users_reread`: what it found, which prices the next one in the plan line.
A STATE without `settling` (the previous release's) works: the first run settles at once and
re-emits the records of one settle window, once.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from typing import TYPE_CHECKING, Any

import orjson

from tap_zoomphone.reading.endpoints import HISTORY_TIME_TYPE, Endpoint
from tap_zoomphone.reading.plan import settle_cadence
from tap_zoomphone.reading.windows import month_windows
from tap_zoomphone.zoom.moments import read_moment, zoom_time
from tap_zoomphone.zoom.pacing import HEAVY

if TYPE_CHECKING:
    import logging

    from tap_zoomphone.reading.listing import Record
    from tap_zoomphone.reading.plan import SettleRead

# Zoom's largest page of the account's call history: a settle read always asks for it.
SETTLE_PAGE = 300
# Every call of the account, one record each: what a settle read reads (call_history's endpoint).
ACCOUNT_CALL_HISTORY = Endpoint(
    "/phone/call_history",
    HEAVY,
    ("call_history", "call_logs"),
    ids=("call_history_uuid", "id"),
    page_cap=SETTLE_PAGE,
    params=(HISTORY_TIME_TYPE,),
    renames={"call_history_uuid": "id"},
    stop_on_counts=True,
)
# A settle read selects calls by their start, in Zoom's largest pages.
BY_START = {"time_type": "start_time", "page_size": SETTLE_PAGE}

ONE_DAY = datetime.timedelta(days=1)
DIGEST_BYTES = 6  # 8 base64 characters: a collision in a few million, per record


def digest(text: str | bytes) -> str:
    """A short digest of a record (or of a call's signature)."""
    data = text.encode() if isinstance(text, str) else text
    raw = hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest()
    return base64.urlsafe_b64encode(raw).decode()


def record_digest(record: Record) -> str:
    """The digest of a whole record: any change of any field changes it."""
    return digest(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))


def call_signature(call_id: object, user: str, end: object) -> str:
    """What identifies one user's version of a call across Zoom's shapes: id, user, end time.

    Zoom's changes after the fact (a warm transfer consolidated, durations and talk time
    finalised) move the call's end, which every shape of the call carries.
    """
    return digest(f"{call_id}|{user}|{end}")


def day_of(value: object) -> str | None:
    """The UTC day (yyyy-mm-dd) of a record's time field, or None when it has none."""
    moment = read_moment(value)
    return moment.date().isoformat() if moment else None


class SettleMemory:
    """The digests of what a stream emitted, per day of the call's start, inside its STATE."""

    def __init__(self, stream_state: dict[str, Any], floor: datetime.datetime) -> None:
        """Work on `stream_state["settling"]`; days before `floor` are neither kept nor asked."""
        state = stream_state.get("settling")
        if not isinstance(state, dict):
            state = {}
            stream_state["settling"] = state
        days = state.get("days")
        if not isinstance(days, dict):
            days = {}
            state["days"] = days
        self._state = state
        self._days: dict[str, list[str]] = days
        self._floor = floor.date().isoformat()
        self._known = {d for day in days.values() if isinstance(day, list) for d in day}
        self.forget_before(floor)

    @property
    def read_at(self) -> datetime.datetime | None:
        """When the last complete settle read began (None: never)."""
        return read_moment(self._state.get("read_at"))

    @property
    def bookmark(self) -> dict[str, Any]:
        """The settle bookmark, as `steps.settle_step` reads it."""
        return self._state

    def holds(self, text: str) -> bool:
        """Whether this digest was emitted."""
        return text in self._known

    def add(self, day: str | None, text: str) -> None:
        """Remember an emitted digest under the day its call started (older days are not kept)."""
        if day is None or day < self._floor or text in self._known:
            return
        self._known.add(text)
        self._days.setdefault(day, []).append(text)

    def forget_before(self, floor: datetime.datetime) -> None:
        """Forget the days no settle read looks at any more."""
        self._floor = max(self._floor, floor.date().isoformat())
        for day in [d for d in self._days if d < self._floor]:
            for text in self._days.pop(day):
                self._known.discard(text)

    def read(self, read: SettleRead, *, calls: int, users: int = 0) -> None:
        """A settle read is complete (its records are written): note when, and what it cost.

        `calls`: calls it read account-wide; `users`: users whose list it read again.
        """
        days = max((read.end - read.start).total_seconds() / 86400, 1 / 24)
        self._state["read_at"] = zoom_time(read.end)
        self._state["calls_per_day"] = round(calls / days)
        self._state["users_reread"] = users

    def size(self) -> int:
        """How many digests are kept."""
        return len(self._known)


def memory_floor(
    settled: dict[str, Any], settle: datetime.timedelta, now: datetime.datetime
) -> datetime.datetime:
    """The oldest call start the next settle read can look at: the last read less a settle time.

    A day's margin keeps the day the window starts in.
    """
    read_at = read_moment(settled.get("read_at")) if isinstance(settled, dict) else None
    since = read_at if read_at is not None and read_at < now else now
    return since - settle - datetime.timedelta(days=1)


def settle_cost(read: SettleRead, settled: dict[str, Any]) -> tuple[int, int]:
    """What a settle read costs at least: (Heavy pages, users' lists read again).

    Priced from what the last settle read found (calls a day, users re-read); a first one
    costs at least a page per month window.
    """
    if not read.reads:
        return 0, 0
    windows = len(month_windows(read.start, read.end))
    calls_per_day = settled.get("calls_per_day")
    pages = read.pages(calls_per_day, SETTLE_PAGE) if isinstance(calls_per_day, int) else 0
    users = settled.get("users_reread")
    return max(windows, pages), users if isinstance(users, int) else 0


def settle_scope(read: SettleRead, settled: dict[str, Any], settle: datetime.timedelta) -> str:
    """The plan line's words for a settle read: its window, cadence and cost per day."""
    cadence = settle_cadence(settle)
    if not read.reads:
        return f"the backfill counts as the first settle read (the next in {_hours(cadence)})"
    pages, users = settle_cost(read, settled)
    per_day = datetime.timedelta(days=1) / cadence
    return (
        f"a settle read of the calls started since {zoom_time(read.start)} (due every "
        f"{_hours(cadence)}: about {pages:,} Heavy pages and {users:,} users' lists a read, "
        f"{pages * per_day:,.0f} and {users * per_day:,.0f} a day)"
    )


def log_settled(  # noqa: PLR0913 - one line's numbers
    logger: logging.Logger,
    stream: str,
    read: SettleRead,
    *,
    seen: int,
    pages: int,
    users: int,
    fresh: int,
    late: int,
    settle: datetime.timedelta,
) -> None:
    """Say what a settle read found; warn about records that settled later than the settle time."""
    logger.info(
        "%s: settle read of the calls started %s..%s: %s calls in %s pages, %s users' lists "
        "read again, %s records new or changed emitted",
        stream,
        zoom_time(read.start),
        zoom_time(read.end),
        f"{seen:,}",
        f"{pages:,}",
        f"{users:,}",
        f"{fresh:,}",
    )
    if late:
        logger.warning(
            "%s: %d records appeared or changed more than settle_hours (%s) after their call "
            "started; they are emitted now, but what settles later than settle_hours plus the "
            "settle cadence is not read again: raise settle_hours if this recurs",
            stream,
            late,
            _hours(settle),
        )


def _hours(span: datetime.timedelta) -> str:
    return f"{span.total_seconds() / 3600:g} h"
