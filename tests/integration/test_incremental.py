"""Incremental replication: Zoom's sync_token per user is the bookmark in STATE."""

from __future__ import annotations

import json
import random

import pytest

from tests.tapruns import (
    emulator_config,
    run_and_kill,
    run_tap,
)
from zoomphone_emulator import Fault


def all_truth(emulator):
    return set().union(*(emulator.truth.call_log_ids(user) for user in emulator.user_ids()))


def user_bookmarks(state):
    return state["bookmarks"]["call_logs"]["users"]


@pytest.mark.parametrize("isync_order", ["asc", "desc"])
def test_first_run_is_complete_and_second_run_fetches_only_whats_new(emulator_factory, isync_order):
    emulator = emulator_factory(seed=31, users=6, calls_per_user=500, isync_order=isync_order)
    config = emulator_config(emulator)
    first = run_tap(config)
    assert first.returncode == 0, first.stderr
    assert set(first.ids("call_logs")) == all_truth(emulator)
    assert first.duplicates("call_logs") == []
    bookmarks = user_bookmarks(first.state)
    assert set(bookmarks) == set(emulator.user_ids())
    assert all(b["sync_token"] and b["synced_to"] for b in bookmarks.values())
    assert not any(b.get("backfilling") for b in bookmarks.values())

    before = all_truth(emulator)
    emulator.clock.advance(hours=30)
    new = all_truth(emulator) - before
    assert len(new) > 20
    emulator.reset_stats()
    second = run_tap(config, state=first.state)
    assert second.returncode == 0, second.stderr
    got = set(second.ids("call_logs"))
    assert new <= got
    assert got <= new | before  # nothing invented
    assert second.duplicates("call_logs") == []
    requests = emulator.stats()["requests_by_endpoint"]
    assert requests.get("user_call_logs", 0) == 0  # no backfill: the sync endpoint only
    pages_of_new = sum(
        -(-len(emulator.truth.call_log_ids(u) - before) // 250) for u in emulator.user_ids()
    )
    assert requests["user_call_logs_sync"] <= len(emulator.user_ids()) + pages_of_new

    emulator.reset_stats()
    third = run_tap(config, state=second.state)
    assert third.returncode == 0
    assert third.records("call_logs") == []
    # No sweep due: one account-wide change read names nobody, so no user is asked.
    requests = emulator.stats()["requests_by_endpoint"]
    assert requests.get("user_call_logs_sync", 0) == 0, requests
    assert "a change read of the calls started since" in third.stderr


def test_many_sync_pages_in_both_orders(emulator_factory):
    for order in ("asc", "desc"):
        emulator = emulator_factory(seed=32, users=2, calls_per_user=400, isync_order=order)
        config = emulator_config(emulator, sync_count=7)
        first = run_tap(config)
        before = all_truth(emulator)
        emulator.clock.advance(days=6)
        second = run_tap(config, state=first.state)
        assert second.returncode == 0, second.stderr
        assert all_truth(emulator) - before <= set(second.ids("call_logs"))
        assert second.duplicates("call_logs") == []


def test_state_is_small_json(emulator_factory):
    emulator = emulator_factory(seed=33, users=40, calls_per_user=60)
    run = run_tap(emulator_config(emulator))
    text = json.dumps(run.state)
    assert json.loads(text) == run.state
    assert len(text) / 40 < 400  # bytes per user, Zoom's own tokens are shorter still
    assert all(m["type"] in {"SCHEMA", "RECORD", "STATE"} for m in run.messages)


def test_expired_token_recovers_with_nothing_missing(emulator_factory):
    emulator = emulator_factory(seed=34, users=5, calls_per_user=400)
    config = emulator_config(emulator)
    first = run_tap(config)
    emulator.clock.advance(hours=20)
    emulator.add_fault(Fault(kind="sync_token_expiry", endpoint="user_call_logs_sync", count=0))
    second = run_tap(config, state=first.state)
    emulator.clear_faults()
    assert second.returncode == 0, second.stderr
    assert set(first.ids("call_logs")) | set(second.ids("call_logs")) >= all_truth(emulator)
    warnings = [
        line for line in second.stderr.splitlines() if "sync token" in line and "WARNING" in line
    ]
    assert len(warnings) == 1, warnings  # warned once, not once per user
    # new tokens were taken: the next run is incremental again
    emulator.clock.advance(hours=5)
    emulator.reset_stats()
    third = run_tap(config, state=second.state)
    assert third.returncode == 0
    assert emulator.stats()["requests_by_endpoint"].get("user_call_logs", 0) == 0


def test_token_lifetime_runs_out_between_runs(emulator_factory):
    emulator = emulator_factory(seed=35, users=3, calls_per_user=300, sync_token_ttl=3600)
    config = emulator_config(emulator)
    first = run_tap(config)
    emulator.clock.advance(hours=3)
    second = run_tap(config, state=first.state)
    assert second.returncode == 0, second.stderr
    assert set(first.ids("call_logs")) | set(second.ids("call_logs")) >= all_truth(emulator)


def test_new_users_are_backfilled_and_departed_users_dropped(emulator_factory):
    emulator = emulator_factory(seed=36, users=4, calls_per_user=300)
    config = emulator_config(emulator)
    first = run_tap(config)
    state = first.state
    users = user_bookmarks(state)
    gone = next(iter(users))
    departed = dict(users)
    departed["left-the-company"] = departed.pop(gone)
    second = run_tap(config, state=state | {"bookmarks": {"call_logs": {"users": departed}}})
    assert second.returncode == 0, second.stderr
    assert "left-the-company" not in user_bookmarks(second.state)
    assert any("left-the-company" in line for line in second.stderr.splitlines())
    # the user without a bookmark got a full backfill
    assert set(second.ids_by_user()[gone]) == emulator.truth.call_log_ids(gone)


@pytest.mark.parametrize("method", ["auto", "list"])
def test_killed_five_times_then_resumed_loses_nothing(emulator_factory, method):
    emulator = emulator_factory(seed=37, users=8, calls_per_user=500, latency_ms=15)
    config = emulator_config(
        emulator, page_size=60, sync_count=30, state_interval_seconds=0.2, backfill_method=method
    )
    rng = random.Random(7)
    state = None
    seen: set[str] = set()
    for _ in range(5):
        killed = run_and_kill(config, state, delay=rng.uniform(1.0, 3.0))
        seen |= set(killed.ids("call_logs"))
        state = killed.state or state
        if rng.random() < 0.5:
            emulator.clock.advance(minutes=rng.randint(5, 90))
    final = run_tap(config, state=state)
    assert final.returncode == 0, final.stderr
    seen |= set(final.ids("call_logs"))
    assert all_truth(emulator) <= seen
