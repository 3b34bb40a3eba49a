"""The one plan of a per-user stream: bookmark + facts -> the step, and what it costs."""

from __future__ import annotations

import datetime as dt

import pytest

from tap_zoomphone.reading.plan import (
    AccountFacts,
    Backfill,
    ChangeRead,
    Increments,
    SettleRead,
    Skip,
    StepCosts,
    Sweep,
    UserFacts,
    WalkBegin,
    WalkResume,
    Windows,
    account_step,
    run_step,
    settle_step,
    skip_or_step,
    user_step,
)

NOW = dt.datetime(2026, 6, 4, 10, tzinfo=dt.UTC)
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FACTS = UserFacts(START, NOW, dt.timedelta(hours=24), end=None, walks=True)
SYNCED = "2026-06-03T10:00:00Z"
SYNCED_AT = dt.datetime(2026, 6, 3, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("bookmark", "facts", "step"),
    [
        ({}, FACTS, WalkBegin(START)),
        ({}, UserFacts(START, NOW, dt.timedelta(0), None, walks=False), Backfill(START, None)),
        (
            {},
            UserFacts(START, NOW, dt.timedelta(0), None, walks=True, walk_refuted=True),
            Backfill(START, None),
        ),
        (
            {"sync_token": "t", "synced_to": SYNCED},
            FACTS,
            Increments("t", SYNCED_AT - dt.timedelta(hours=24)),
        ),
        ({"sync_token": "t"}, FACTS, Increments("t", START)),
        ({"sync_token": "t", "walk_token": "w"}, FACTS, WalkResume(START)),
        (
            {"sync_token": "t", "synced_to": SYNCED, "backfilling": True},
            FACTS,
            Backfill(SYNCED_AT + dt.timedelta(seconds=1), "t"),
        ),
        ({"synced_to": SYNCED}, FACTS, Backfill(SYNCED_AT - dt.timedelta(hours=24), None)),
        (
            {"sync_token": "t"},
            UserFacts(START, NOW, dt.timedelta(0), NOW, walks=True),
            Windows(START, NOW),
        ),
    ],
)
def test_a_bookmark_plans_one_step(bookmark, facts, step):
    assert user_step(bookmark, facts) == step


def test_the_plan_line_prices_the_steps_the_reading_executes():
    costs = StepCosts(NOW)
    assert costs.of(WalkBegin(START)) == (2, 0)
    assert costs.of(Increments("t", START)) == (1, 0)
    assert costs.of(Backfill(START, None)) == (1, 6)  # January to June: six month windows
    assert costs.of(Backfill(START, "t")) == (0, 6)
    assert costs.of(Windows(START, NOW)) == (0, 6)


def test_the_settle_read_is_due_at_its_cadence_and_covers_one_settle_time_more():
    settle = dt.timedelta(hours=48)
    assert settle_step({}, settle, NOW) == SettleRead(NOW - settle, NOW)
    recent = {"read_at": "2026-06-04T00:00:00Z"}
    assert settle_step(recent, settle, NOW) is None  # ten hours ago: the cadence is 24 hours
    earlier = {"read_at": "2026-06-03T08:00:00Z"}
    read = settle_step(earlier, settle, NOW)
    assert read == SettleRead(dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC), NOW)
    assert read is not None
    # 74 hours of 25,000 calls a day
    assert read.pages(calls_per_day=5_000 * 5, page_size=300) == 257


def test_a_first_run_counts_its_backfill_as_the_first_settle_read():
    settle = dt.timedelta(hours=48)
    step = settle_step({}, settle, NOW, first=True)
    assert step == SettleRead(NOW, NOW, reads=False)
    assert step is not None
    assert step.pages(calls_per_day=25_000, page_size=300) == 0
    assert settle_step({"read_at": "2026-06-03T08:00:00Z"}, settle, NOW, first=True) is not None


def test_an_account_stream_reads_on_from_its_bookmark_less_the_lookback_unless_it_settles():
    lookback = dt.timedelta(hours=24)
    end = NOW + dt.timedelta(seconds=1)
    assert account_step(None, AccountFacts(START, NOW, lookback, None)) == Windows(START, end)
    windows = account_step(SYNCED_AT, AccountFacts(START, NOW, lookback, None))
    assert windows == Windows(SYNCED_AT - lookback, end)
    settles = account_step(SYNCED_AT, AccountFacts(START, NOW, lookback, None, settles=True))
    assert settles == Windows(SYNCED_AT + dt.timedelta(seconds=1), end)
    fixed = account_step(SYNCED_AT, AccountFacts(START, NOW, lookback, NOW, settles=True))
    assert fixed == Windows(START, NOW)


DAY = dt.timedelta(hours=24)


@pytest.mark.parametrize(
    ("changes", "first", "fixed_end", "kind", "why"),
    [
        ({}, True, False, Sweep, "a first run"),
        ({"read_to": SYNCED, "swept_at": SYNCED}, False, True, Sweep, "a fixed end_date"),
        ({}, False, False, Sweep, "no sweep recorded"),  # the previous release's STATE
        ({"read_to": SYNCED}, False, False, Sweep, "no sweep recorded"),
        ({"read_to": "2026-06-04T09:00:00Z", "swept_at": SYNCED}, False, False, Sweep, "24.0 h"),
        (
            {"read_to": "2026-06-04T09:00:00Z", "swept_at": "2026-06-03T11:00:00Z"},
            False,
            False,
            ChangeRead,
            "",
        ),
    ],
)
def test_run_step_sweeps_when_due_and_reads_changes_otherwise(changes, first, fixed_end, kind, why):
    step = run_step(changes, DAY, NOW, first=first, fixed_end=fixed_end)
    assert isinstance(step, kind)
    if isinstance(step, Sweep):
        assert why in step.why
    else:
        # From the last run's position less the overlap, to now.
        assert step == ChangeRead(dt.datetime(2026, 6, 4, 7, tzinfo=dt.UTC), NOW)


def test_a_user_the_change_read_does_not_name_is_skipped_unless_it_owes_a_backfill():
    synced = {"sync_token": "t", "synced_to": SYNCED}
    assert skip_or_step("u", synced, FACTS, {"other"}) == Skip()
    assert skip_or_step("u", synced, FACTS, {"u"}) == Increments("t", SYNCED_AT - DAY)
    assert skip_or_step("u", synced, FACTS, None) == Increments("t", SYNCED_AT - DAY)
    # New, or with a backfill or walk to finish: read whatever the change read says.
    assert skip_or_step("u", {}, FACTS, set()) == WalkBegin(START)
    assert skip_or_step("u", {"ext": "e1"}, FACTS, set()) == WalkBegin(START)
    interrupted = {"sync_token": "t", "synced_to": SYNCED, "backfilling": True}
    assert isinstance(skip_or_step("u", interrupted, FACTS, set()), Backfill)
    assert StepCosts(NOW).of(Skip()) == (0, 0)
