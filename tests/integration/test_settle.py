"""Late and changed calls: nothing lost, nothing stale, within the settle time (issue 20).

The emulator makes some records visible hours late (a long tail) and changes some once after
they appear; a schedule of incremental runs three hours apart must leave the destination with
every record that settled within the settle time, in its final version, whichever of Zoom's
readings of ISync (by start, or by visibility and change) holds.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.settle_schedule import (
    LATE_AND_CHANGING,
    SETTLING_STREAMS,
    Destination,
    judge,
    run_schedule,
)
from tests.tapruns import emulator_config, run_tap, selecting

CLOCK = dt.datetime(2026, 6, 4, 10, tzinfo=dt.UTC)
SETTLE = dt.timedelta(hours=12)
EVERY = dt.timedelta(hours=3)
# A record that settled this long before the last run must be in the destination, final.
GUARANTEED = SETTLE / 2 + EVERY


def settling_emulator(emulator_factory, follows):
    return emulator_factory(
        seed=20,
        users=8,
        calls_per_user=300,
        history_days=20,
        clock_start=CLOCK,
        frozen=True,
        isync_follows=follows,
        **LATE_AND_CHANGING,
    )


def check(emulator, destination, *, settled_before):
    for stream in SETTLING_STREAMS:
        verdict = judge(emulator, destination, stream, settle=SETTLE, settled_before=settled_before)
        assert verdict.checked > 100, (stream, verdict)
        assert verdict.missing == [], (stream, len(verdict.missing), verdict.missing[:3])
        assert verdict.stale == [], (stream, len(verdict.stale), verdict.stale[:3])


@pytest.mark.parametrize("follows", ["start", "visible"])
def test_a_schedule_of_runs_loses_nothing_and_leaves_nothing_stale(emulator_factory, follows):
    emulator = settling_emulator(emulator_factory, follows)
    catalog = selecting(*SETTLING_STREAMS)
    config = emulator_config(emulator, settle_hours=SETTLE.total_seconds() / 3600)

    destination, state, runs = run_schedule(
        emulator, config, catalog, runs=17, every=EVERY, kill_at=8
    )

    check(emulator, destination, settled_before=emulator.clock.now() - GUARANTEED)
    # The re-read costs far less than re-reading a lookback on every run.
    assert destination.duplicate_share("call_history") < 0.15, destination.duplicates
    for stream in ("call_logs", "user_call_history"):
        assert destination.duplicate_share(stream) < 0.15, (stream, destination.duplicates)
    settle_reads = sum(
        ": settle read of the calls started" in line
        for run in runs
        for line in run.stderr.splitlines()
    )
    # Twice per settle time (every 6 hours of the 51), per stream: not on every run.
    assert 3 * 6 <= settle_reads <= 3 * 10, settle_reads
    assert state["bookmarks"]["call_logs"]["settling"]["read_at"]
    # What settles later than the settle time is named, never silent.
    later = judge(emulator, destination, "call_history", settle=SETTLE, settled_before=CLOCK)
    assert later.later > 0
    warned = [line for run in runs for line in run.stderr.splitlines() if "settle_hours" in line]
    assert warned


def test_a_state_of_the_previous_release_keeps_working(emulator_factory):
    emulator = settling_emulator(emulator_factory, "start")
    catalog = selecting(*SETTLING_STREAMS)
    config = emulator_config(emulator, settle_hours=SETTLE.total_seconds() / 3600)
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    destination = Destination()
    destination.apply(first.messages)
    old = first.state
    for stream in SETTLING_STREAMS:
        old["bookmarks"][stream].pop("settling")

    destination, _, _ = run_schedule(
        emulator, config, catalog, runs=6, every=EVERY, state=old, destination=destination
    )

    check(emulator, destination, settled_before=emulator.clock.now() - GUARANTEED)


def test_a_run_killed_during_its_settle_read_resumes_it(emulator_factory):
    emulator = settling_emulator(emulator_factory, "start")
    catalog = selecting(*SETTLING_STREAMS)
    config = emulator_config(emulator, settle_hours=SETTLE.total_seconds() / 3600)
    destination, state, _ = run_schedule(emulator, config, catalog, runs=3, every=EVERY)
    emulator.clock.advance(hours=7)  # the next settle read is due
    run = run_tap(config, state=state, catalog=catalog)
    assert run.returncode == 0, run.stderr[-3000:]
    states = [i for i, m in enumerate(run.messages) if m["type"] == "STATE"]
    done = next(
        i
        for i in states
        if run.messages[i]["value"]["bookmarks"]["call_logs"]["settling"]["read_at"]
        != state["bookmarks"]["call_logs"]["settling"]["read_at"]
    )
    # Killed just before call_logs' settle read was complete: what came after is lost.
    cut = max(i for i in states if i < done)
    destination.apply(run.messages[: cut + 1])
    resumed = run.messages[cut]["value"]
    assert (
        resumed["bookmarks"]["call_logs"]["settling"]["read_at"]
        == state["bookmarks"]["call_logs"]["settling"]["read_at"]
    )

    destination, _, runs = run_schedule(
        emulator, config, catalog, runs=4, every=EVERY, state=resumed, destination=destination
    )

    assert any("call_logs: settle read" in line for line in runs[0].stderr.splitlines())
    check(emulator, destination, settled_before=emulator.clock.now() - GUARANTEED)
