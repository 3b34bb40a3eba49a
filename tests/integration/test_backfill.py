"""First runs that spend Zoom's budget as if it were the customer's: the sync walk, checked."""

from __future__ import annotations

import random

import pytest

from tests.tapruns import emulator_config, run_and_kill, run_tap, selecting

LIST_WINDOWS = 7  # six months of one-month windows, as a list-only backfill reads them


def all_truth(emulator):
    return set().union(*(emulator.truth.call_log_ids(user) for user in emulator.user_ids()))


def user_bookmarks(state, stream="call_logs"):
    return state["bookmarks"][stream]["users"]


def by_label(emulator):
    return emulator.stats()["requests_by_label"]


def warnings(run):
    return [line for line in run.stderr.splitlines() if "WARNING" in line and "schema" not in line]


def test_2000_users_backfill_through_the_sync_endpoint(emulator_factory):
    emulator = emulator_factory(seed=61, users=2000, calls_per_user=35)
    config = emulator_config(emulator, max_workers=8)
    first = run_tap(config)
    assert first.returncode == 0, first.stderr[-2000:]
    assert set(first.ids("call_logs")) == all_truth(emulator)
    assert first.duplicates("call_logs") == []
    users = len(emulator.user_ids())
    labels = by_label(emulator)
    assert labels.get("Heavy", 0) <= 0.10 * users * LIST_WINDOWS, labels
    assert sum(labels.values()) <= 2.5 * users, labels
    bookmarks = user_bookmarks(first.state)
    assert set(bookmarks) == set(emulator.user_ids())
    assert all(b["sync_token"] and b["synced_to"] for b in bookmarks.values())
    assert not any(b.get("walk_token") or b.get("backfilling") for b in bookmarks.values())
    plan = [line for line in first.stderr.splitlines() if "call_logs: plan for 2,000 users" in line]
    assert len(plan) == 1, plan
    assert "to backfill by the sync walk" in plan[0]
    assert "of today's Heavy budget" in plan[0]

    before = all_truth(emulator)
    emulator.clock.advance(hours=12)
    emulator.reset_stats()
    second = run_tap(config, state=first.state)
    assert second.returncode == 0, second.stderr[-2000:]
    assert all_truth(emulator) - before <= set(second.ids("call_logs"))
    requests = emulator.stats()["requests_by_endpoint"]
    assert requests.get("user_call_logs", 0) == 0  # incremental: the sync endpoint only
    # No sweep due: a change read (a couple of Heavy pages of 300 calls) names the users
    # with a new call; only they are asked.
    labels = by_label(emulator)
    assert labels.get("Heavy", 0) <= 3, labels
    assert requests["user_call_logs_sync"] < users, requests


def test_user_call_history_backfills_at_most_two_and_a_half_requests_a_user(emulator_factory):
    emulator = emulator_factory(seed=62, users=400, calls_per_user=35)
    run = run_tap(emulator_config(emulator), catalog=selecting("user_call_history"))
    assert run.returncode == 0, run.stderr[-2000:]
    for user in emulator.user_ids():
        assert set(run.ids_by_user("user_call_history", "call_element_id").get(user, [])) == (
            emulator.truth.user_call_history_ids(user)
        )
    assert sum(by_label(emulator).values()) <= 2.5 * len(emulator.user_ids())


@pytest.mark.parametrize("isync_order", ["asc", "desc"])
def test_a_bsync_that_reaches_back_only_30_days_loses_nothing(emulator_factory, isync_order):
    emulator = emulator_factory(
        seed=63, users=12, calls_per_user=120, bsync_days=30, isync_order=isync_order
    )
    config = emulator_config(emulator, sync_count=10)
    run = run_tap(config)
    assert run.returncode == 0, run.stderr
    assert set(run.ids("call_logs")) == all_truth(emulator)
    said = warnings(run)
    assert len(said) == 1, said
    assert "the sync walk did not return" in said[0]
    assert "month windows" in said[0]
    assert run.state["bookmarks"]["call_logs"]["walk_refuted"]
    bookmarks = user_bookmarks(run.state)
    assert not any(b.get("walked") or b.get("backfilling") for b in bookmarks.values())

    # The verdict holds for later runs: a new user is backfilled by windows straight away.
    newcomer = emulator.user_ids()[0]
    state = run.state
    del state["bookmarks"]["call_logs"]["users"][newcomer]
    del state["bookmarks"]["call_logs"]["changes"]  # a sweep lists the users (no call names it)
    emulator.reset_stats()
    again = run_tap(config, state=state)
    assert again.returncode == 0, again.stderr
    assert set(again.ids_by_user()[newcomer]) >= emulator.truth.call_log_ids(newcomer)
    assert "an earlier run found the sync walk incomplete" in again.stderr
    assert warnings(again) == []


def test_a_zoom_without_bsync_is_read_by_windows(emulator_factory):
    emulator = emulator_factory(seed=64, users=8, calls_per_user=200, bsync_served=False)
    run = run_tap(emulator_config(emulator, sync_count=20))
    assert run.returncode == 0, run.stderr
    assert set(run.ids("call_logs")) == all_truth(emulator)
    said = warnings(run)
    assert len(said) == 1, said
    assert "Zoom refused BSync" in said[0]
    assert all(b["sync_token"] for b in user_bookmarks(run.state).values())


def test_sync_trusts_the_walk_and_list_reads_windows(emulator_factory):
    emulator = emulator_factory(seed=65, users=10, calls_per_user=200)
    walked = run_tap(emulator_config(emulator, backfill_method="sync", sync_count=50))
    assert walked.returncode == 0, walked.stderr
    assert set(walked.ids("call_logs")) == all_truth(emulator)
    assert "Heavy" not in by_label(emulator)

    emulator.reset_stats()
    listed = run_tap(emulator_config(emulator, backfill_method="list"))
    assert listed.returncode == 0, listed.stderr
    assert set(listed.ids("call_logs")) == all_truth(emulator)
    assert by_label(emulator)["Heavy"] >= 10 * LIST_WINDOWS - 10
    assert "Costs less: backfill_method auto" not in listed.stderr  # the share is far away


def test_killed_inside_bsync_walks_then_resumed_loses_nothing(emulator_factory):
    emulator = emulator_factory(seed=66, users=6, calls_per_user=400, latency_ms=20)
    config = emulator_config(emulator, sync_count=8, state_interval_seconds=0.1, max_workers=3)
    rng = random.Random(11)
    state = None
    seen: set[str] = set()
    mid_walk = 0
    for _ in range(4):
        killed = run_and_kill(config, state, delay=rng.uniform(1.5, 3.0))
        seen |= set(killed.ids("call_logs"))
        state = killed.state or state
        if state:
            mid_walk += any(b.get("walk_token") for b in user_bookmarks(state).values())
    assert mid_walk, "no kill landed inside a walk"
    final = run_tap(config, state=state)
    assert final.returncode == 0, final.stderr
    seen |= set(final.ids("call_logs"))
    assert all_truth(emulator) <= seen
    bookmarks = user_bookmarks(final.state)
    assert not any(b.get("walk_token") for b in bookmarks.values())
    assert all(b["sync_token"] and b["synced_to"] for b in bookmarks.values())


@pytest.mark.parametrize("zoom_reports_the_day", [True, False])
def test_each_day_uses_at_most_its_share_of_the_daily_cap(emulator_factory, zoom_reports_the_day):
    emulator = emulator_factory(
        seed=67,
        users=6,
        calls_per_user=300,
        plan="business",
        daily_cap=60,
        daily_headers=zoom_reports_the_day,
        rate_limits={"Light": 1000, "Medium": 1000, "Heavy": 1000},
    )
    settings = {"backfill_method": "list", "daily_limit_share": 0.5}
    if not zoom_reports_the_day:
        settings["heavy_daily_limit"] = 60
    config = emulator_config(emulator, **settings)
    state = None
    seen: set[str] = set()
    for _ in range(10):
        run = run_tap(config, state=state)
        seen |= set(run.ids("call_logs"))
        state = run.state
        assert "Traceback" not in run.stderr
        if run.returncode == 0:
            break
        assert run.returncode == 75, run.stderr
        errors = run.error_lines
        assert len(errors) == 1, errors
        assert "Stopped at this tap's share" in errors[0]
        assert "resets at" in errors[0]
        emulator.clock.advance(days=1)
    else:
        pytest.fail("the backfill did not finish in ten days")
    stats = emulator.stats()
    assert len(stats["heavy_by_day"]) >= 2, stats["heavy_by_day"]
    assert max(stats["heavy_by_day"].values()) <= 32, stats["heavy_by_day"]
    assert stats["daily_limited"] == 0
    assert all_truth(emulator) <= seen


def test_the_plan_warns_when_it_needs_more_than_todays_share(emulator_factory):
    emulator = emulator_factory(seed=68, users=5, calls_per_user=50)
    config = emulator_config(emulator, backfill_method="list", heavy_daily_limit=40)
    run = run_tap({**config, "on_daily_limit": "succeed"})
    warned = [line for line in warnings(run) if "daily runs" in line]
    assert len(warned) == 1, warnings(run)
    assert "at least 35 Heavy requests" in warned[0]
    assert "today's share has 20 left" in warned[0]
    assert "backfill_method auto" in warned[0]
    assert run.returncode == 0, run.stderr


def test_the_label_and_limit_zoom_reports_are_what_the_tap_paces_by(emulator_factory):
    emulator = emulator_factory(
        seed=69,
        users=4,
        calls_per_user=100,
        plan="business",
        labels={"user_call_logs": "Medium"},
        rate_limits={"Light": 1000, "Medium": 500, "Heavy": 1000},
    )
    run = run_tap(emulator_config(emulator, backfill_method="list", rate_limit_plan="business"))
    assert run.returncode == 0, run.stderr
    assert set(run.ids("call_logs")) == all_truth(emulator)
    assert "Heavy" not in by_label(emulator)
    relabelled = [line for line in run.stderr.splitlines() if "as a Medium API" in line]
    assert len(relabelled) == 1, relabelled
    assert "/phone/users/{user_id}/call_logs" in relabelled[0]
    assert "Zoom reports 500 Medium requests per second" in run.stderr
