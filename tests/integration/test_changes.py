"""Hourly runs that cost what changed (issue 21): a change read names the users to read, a sweep
every sweep_hours reads them all, and nothing is lost under either reading of ISync.

Each hour a share of the users makes calls; some records become visible hours late (a long
tail, some later than the settle time) and some change after they appear. The destination must
hold every record that settled within the settle time (the settle read's bound) and, whatever
its delay, every record ISync can return once it settled a sweep period and a run ago (the
sweep's bound).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.settle_schedule import LATE_AND_CHANGING, Destination, judge, run_schedule
from tests.tapruns import emulator_config, run_tap, selecting

CLOCK = dt.datetime(2026, 6, 4, 10, tzinfo=dt.UTC)
SETTLE = dt.timedelta(hours=12)
SWEEP = dt.timedelta(hours=8)
EVERY = dt.timedelta(hours=1)
STREAMS = ("call_logs", "user_call_history")
NAMED = re.compile(r"call_logs: plan for ([\d,]+) users.*names ([\d,]+) users to read")


def active_emulator(emulator_factory, follows):
    # 40 users making about 3 calls a day each: some 10 % of them call in a given hour.
    return emulator_factory(
        seed=21,
        users=40,
        calls_per_user=60,
        history_days=20,
        clock_start=CLOCK,
        frozen=True,
        isync_follows=follows,
        **LATE_AND_CHANGING,
    )


def hours(span: dt.timedelta) -> float:
    return span.total_seconds() / 3600


@pytest.mark.parametrize("follows", ["start", "visible"])
def test_hourly_runs_read_only_who_changed_and_lose_nothing(emulator_factory, follows):
    emulator = active_emulator(emulator_factory, follows)
    catalog = selecting(*STREAMS)
    config = emulator_config(emulator, settle_hours=hours(SETTLE), sweep_hours=hours(SWEEP))
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    destination = Destination()
    destination.apply(first.messages)

    destination, state, runs = run_schedule(
        emulator,
        config,
        catalog,
        runs=26,
        every=EVERY,
        state=first.state,
        destination=destination,
        kill_at=12,
    )

    now = emulator.clock.now()
    for stream in STREAMS:
        # What settled within the settle time: read by the settle read, whatever ISync follows.
        settled = judge(
            emulator, destination, stream, settle=SETTLE, settled_before=now - SETTLE / 2 - EVERY
        )
        assert settled.checked > 500, (stream, settled)
        assert settled.missing == [], (stream, len(settled.missing), settled.missing[:3])
        assert settled.stale == [], (stream, len(settled.stale), settled.stale[:3])
        assert settled.later > 0  # some records settle later than the settle time
        if follows == "visible":
            # Whatever its delay: a skipped user's late record comes with the next sweep.
            swept = judge(
                emulator,
                destination,
                stream,
                settle=dt.timedelta(days=365),
                settled_before=now - SWEEP - EVERY,
            )
            assert swept.checked > settled.checked  # records later than the settle time
            assert swept.missing == [], (stream, len(swept.missing), swept.missing[:3])
            assert swept.stale == [], (stream, len(swept.stale), swept.stale[:3])
    assert state["bookmarks"]["call_logs"]["changes"]["swept_at"]
    # Between sweeps, only the users a change read names are read: a few of the 40.
    named = [
        (int(users.replace(",", "")), int(read.replace(",", "")))
        for run in runs
        for users, read in NAMED.findall(run.stderr)
    ]
    sweeps = sum(
        "call_logs: plan for" in r.stderr and "a sweep of every user" in r.stderr for r in runs
    )
    assert len(named) >= 20, named
    assert 2 <= sweeps <= 4, sweeps  # 26 hours, one every 8 (a killed one done again)
    assert all(users == 40 for users, _ in named)
    assert sum(read for _, read in named) < 0.4 * 40 * len(named), named


def test_a_state_of_the_previous_release_sweeps_once(emulator_factory):
    emulator = active_emulator(emulator_factory, "visible")
    catalog = selecting(*STREAMS)
    config = emulator_config(emulator, settle_hours=hours(SETTLE), sweep_hours=hours(SWEEP))
    first = run_tap(config, catalog=catalog)
    old = first.state
    for stream in STREAMS:
        old["bookmarks"][stream].pop("changes")
        for bookmark in old["bookmarks"][stream]["users"].values():
            bookmark.pop("ext")
    destination = Destination()
    destination.apply(first.messages)

    destination, state, runs = run_schedule(
        emulator, config, catalog, runs=3, every=EVERY, state=old, destination=destination
    )

    assert "no sweep recorded in STATE yet" in runs[0].stderr
    assert "a change read of the calls started since" in runs[1].stderr
    assert "a change read of the calls started since" in runs[2].stderr
    assert all(b.get("ext") for b in state["bookmarks"]["call_logs"]["users"].values())
    now = emulator.clock.now()
    for stream in STREAMS:
        verdict = judge(
            emulator, destination, stream, settle=SETTLE, settled_before=now - SETTLE / 2 - EVERY
        )
        assert verdict.missing == [], (stream, len(verdict.missing))


def test_a_skipped_users_late_record_comes_with_the_next_sweep(emulator_factory):
    # A settle time of one hour: records visible hours late are out of reach of the change
    # read (2 hours back) and of the settle read; only a sweep's ISync (by visibility) brings them.
    emulator = emulator_factory(
        seed=22,
        users=40,
        calls_per_user=60,
        history_days=20,
        clock_start=CLOCK,
        frozen=True,
        late_share=0.3,
        late_median_hours=8,
        isync_follows="visible",
        sync_token_ttl=30 * 86400,
    )
    catalog = selecting("call_logs")
    sweep = dt.timedelta(hours=6)
    config = emulator_config(emulator, settle_hours=1, sweep_hours=hours(sweep))
    first = run_tap(config, catalog=catalog)
    destination = Destination()
    destination.apply(first.messages)
    state = first.state
    caught_by_sweeps = 0
    for _ in range(14):
        before = emulator.clock.now()
        emulator.clock.advance(hours=1)
        run = run_tap(config, state=state, catalog=catalog)
        assert run.returncode == 0, run.stderr[-3000:]
        held = set(destination.rows.get("call_logs", {}))
        destination.apply(run.messages)
        state = run.state
        if "a sweep of every user" in run.stderr:
            truth = {
                (ident,): version
                for user in emulator.user_ids()
                for ident, version in emulator.truth.versions("call_logs", user).items()
            }
            new = set(destination.rows["call_logs"]) - held
            # Visible at an earlier change run, yet read only now: its user was skipped.
            caught_by_sweeps += sum(truth[key].settles < before for key in new if key in truth)

    assert caught_by_sweeps > 0
    verdict = judge(
        emulator,
        destination,
        "call_logs",
        settle=dt.timedelta(days=365),
        settled_before=emulator.clock.now() - sweep - EVERY,
    )
    assert verdict.checked > 500, verdict
    assert verdict.missing == [], (len(verdict.missing), verdict.missing[:3])
