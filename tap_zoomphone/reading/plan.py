"""One plan decides what a run reads: bookmark + settings + cheap reads -> the steps of this run.

A per-user stream asks `user_step` what one user's read is, and the same answer is priced for
the plan line (`StepCosts`) and executed by the stream; nothing else decides. The settling
re-read (`SettleRead`, `settle_step`) is a step of the stream as a whole: one account-wide read
of the window whose records may still appear or change, at a cadence derived from the settle
time, not on every run.

Every function here is pure: no requests, no clock (the moment is an argument), no STATE writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tap_zoomphone.reading.windows import ONE_SECOND, month_windows
from tap_zoomphone.zoom.moments import read_moment

if TYPE_CHECKING:
    from tap_zoomphone.reading.bookmarks import Bookmark

# A settle read is due every settle time / SETTLE_READS_PER_SETTLE_TIME.
SETTLE_READS_PER_SETTLE_TIME = 2


@dataclass(frozen=True, slots=True)
class UserFacts:
    """What the plan of one user's read depends on besides the bookmark."""

    history_start: datetime.datetime
    now: datetime.datetime
    lookback: datetime.timedelta
    # The run's fixed end (settings.end): read windows only, keep no bookmark.
    end: datetime.datetime | None
    # Backfills walk the sync endpoint (FSync, BSync) rather than read month windows.
    walks: bool
    # This run found the walk incomplete: backfills read month windows from now on.
    walk_refuted: bool = False


@dataclass(frozen=True, slots=True)
class Windows:
    """Month windows of a list endpoint from `start` to `end`.

    For a user: the run's fixed end (end_date), no bookmark. For an account-wide stream: its
    windows of this run (`account_step`).
    """

    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True, slots=True)
class Increments:
    """ISync from the user's token; if Zoom rejects it, backfill by windows from `fallback`."""

    token: str
    fallback: datetime.datetime


@dataclass(frozen=True, slots=True)
class WalkResume:
    """Go on with a sync walk an earlier run left unfinished (BSync from `walk_token`)."""

    start: datetime.datetime


@dataclass(frozen=True, slots=True)
class WalkBegin:
    """A new user's history walked through the sync endpoint (FSync, then BSync) to `start`."""

    start: datetime.datetime


@dataclass(frozen=True, slots=True)
class Backfill:
    """Month windows from `start` to now; an FSync first for a token when `token` is None."""

    start: datetime.datetime
    token: str | None


UserStep = Windows | Increments | WalkResume | WalkBegin | Backfill


@dataclass(frozen=True, slots=True)
class Skip:
    """Nothing new or changed for this user since the last run: no request (no sweep due)."""


def reread_from(
    start: datetime.datetime, synced_to: datetime.datetime, lookback: datetime.timedelta
) -> datetime.datetime:
    """Where a bookmarked read begins: `lookback` before its bookmark, never before `start`.

    A negative lookback reads on from just after the bookmark.
    """
    return max(start, synced_to - lookback)


def user_step(bookmark: Bookmark, facts: UserFacts) -> UserStep:  # noqa: PLR0911 - one per kind
    """The read of one user in this run, from its bookmark."""
    start = facts.history_start
    if facts.end is not None:
        return Windows(start, facts.end)
    token = bookmark.get("sync_token") or None
    synced_to = read_moment(bookmark.get("synced_to"))
    if token and bookmark.get("walk_token"):
        return WalkResume(start)
    if token and not bookmark.get("backfilling"):
        fallback = reread_from(start, synced_to, facts.lookback) if synced_to else start
        return Increments(token, fallback)
    if token and synced_to:
        return Backfill(reread_from(start, synced_to, -ONE_SECOND), token)  # interrupted
    if synced_to:
        return Backfill(reread_from(start, synced_to, facts.lookback), token)
    if token is None and facts.walks and not facts.walk_refuted:
        return WalkBegin(start)
    return Backfill(start, token)


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What an account-wide stream's windows depend on besides its bookmark."""

    history_start: datetime.datetime
    now: datetime.datetime
    lookback: datetime.timedelta
    end: datetime.datetime | None
    # The stream settles (call history): no lookback, the settle read re-reads instead.
    settles: bool = False


def account_step(synced_to: datetime.datetime | None, facts: AccountFacts) -> Windows:
    """The month windows an account-wide stream reads this run, from its `synced_to`."""
    end = facts.end if facts.end is not None else facts.now + ONE_SECOND
    if facts.end is not None or synced_to is None:
        return Windows(facts.history_start, end)
    # What appears or changes behind the bookmark comes with the lookback, or the settle read.
    lookback = -ONE_SECOND if facts.settles else facts.lookback
    return Windows(reread_from(facts.history_start, synced_to, lookback), end)


@dataclass(frozen=True, slots=True)
class StepCosts:
    """The least each step costs, in requests of the sync and list endpoints' labels."""

    now: datetime.datetime

    def of(self, step: UserStep | Skip) -> tuple[int, int]:
        """(sync requests, list requests) the step needs at least."""
        if isinstance(step, Windows):
            return 0, len(month_windows(step.start, step.end))
        if isinstance(step, Skip):
            return 0, 0
        if isinstance(step, (Increments, WalkResume)):
            return 1, 0
        if isinstance(step, WalkBegin):
            return 2, 0  # FSync, then BSync to an empty page
        windows = len(month_windows(step.start, self.now + ONE_SECOND))
        return (1 if step.token is None else 0), windows


@dataclass(frozen=True, slots=True)
class SettleRead:
    """One account-wide read of call history by start time over a window still settling.

    Records whose call started in [start, end] are read; those new or changed since they were
    last emitted are emitted again (same primary key). `end` is the run's now. On a stream's
    first run the backfill reads everything, so the step only marks the moment (`reads` False).
    """

    start: datetime.datetime
    end: datetime.datetime
    reads: bool = True

    def pages(self, calls_per_day: float, page_size: int) -> int:
        """The least number of Heavy pages for an account with this many calls a day."""
        if not self.reads:
            return 0
        days = (self.end - self.start).total_seconds() / 86400
        return max(1, -int(-calls_per_day * days // page_size))


def settle_cadence(settle_time: datetime.timedelta) -> datetime.timedelta:
    """How often the settling window is read: twice per settle time."""
    return settle_time / SETTLE_READS_PER_SETTLE_TIME


def settle_step(
    settled: Bookmark,
    settle_time: datetime.timedelta,
    now: datetime.datetime,
    *,
    first: bool = False,
) -> SettleRead | None:
    """The settle read this run owes, or None when the last one is recent enough.

    `settled` is the stream's settle bookmark: `read_at` (when the last settle read began).
    The window starts one settle time before the previous read, so a record that appears or
    changes within the settle time after its call started is read by the first settle read
    after it does; with no previous read, it starts one settle time before now. On a `first`
    run (no bookmark at all) the backfill is the read: the step only marks the moment.
    """
    read_at = read_moment(settled.get("read_at"))
    if read_at is None and first:
        return SettleRead(now, now, reads=False)
    if read_at is not None and now - read_at < settle_cadence(settle_time):
        return None
    since = read_at if read_at is not None and read_at < now else now
    return SettleRead(since - settle_time, now)


# A change read starts this long before the last run's position: a call logged at its end is
# read by start time, so calls that started before the last run and ended after it are in it.
CHANGE_OVERLAP_HOURS = 2


@dataclass(frozen=True, slots=True)
class ChangeRead:
    """One account-wide read of call history by start time over [start, end]: who changed.

    Only the users it names with a call new or changed for them get their read (`user_step`);
    the others are skipped until the next sweep. A user it names that STATE does not know is
    new: it gets a first run's backfill. When a settle read is due, its window (which contains
    this one) is read once for both.
    """

    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True, slots=True)
class Sweep:
    """Every user of the directory, each by its own step: a first run, or the periodic sweep."""

    why: str


RunStep = ChangeRead | Sweep


def run_step(
    changes: Bookmark,
    sweep_every: datetime.timedelta,
    now: datetime.datetime,
    *,
    first: bool,
    fixed_end: bool,
) -> RunStep:
    """Whether this run reads every user (a sweep) or only those a change read names.

    `changes` is the stream's bookmark of them: `read_to` (the moment the last complete run
    read up to) and `swept_at` (when the last complete sweep began). A STATE without them (a
    first run, or the previous release's) sweeps; so does a run with a fixed end_date.
    """
    if first:
        return Sweep("a first run")
    if fixed_end:
        return Sweep("a fixed end_date")
    swept_at = read_moment(changes.get("swept_at"))
    read_to = read_moment(changes.get("read_to"))
    if swept_at is None or read_to is None:
        return Sweep("no sweep recorded in STATE yet")
    if now - swept_at >= sweep_every:
        hours = sweep_every.total_seconds() / 3600
        return Sweep(f"the last sweep began {_ago(now - swept_at)} ago (sweep_hours {hours:g})")
    overlap = datetime.timedelta(hours=CHANGE_OVERLAP_HOURS)
    return ChangeRead(min(read_to, now) - overlap, now)


def skip_or_step(
    user: str, bookmark: Bookmark, facts: UserFacts, active: set[str] | None
) -> UserStep | Skip:
    """A user's step in a run: skipped when a change read did not name it and it has a token."""
    if active is not None and user not in active and bookmark.get("sync_token"):
        plain = user_step(bookmark, facts)
        if isinstance(plain, Increments):
            return Skip()
        return plain  # an unfinished backfill or walk goes on
    return user_step(bookmark, facts)


def _ago(span: datetime.timedelta) -> str:
    return f"{span.total_seconds() / 3600:.1f} h"
