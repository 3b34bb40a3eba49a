"""The one plan of a per-user stream: bookmark + facts -> the step, and what it costs."""

from __future__ import annotations

import datetime as dt

import pytest

from tap_zoomphone.reading.plan import (
    AccountFacts,
    Backfill,
    Increments,
    SettleRead,
    StepCosts,
    UserFacts,
    WalkBegin,
    WalkResume,
    Windows,
    account_step,
    settle_step,
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
    assert read.pages(calls_per_day=5_000 * 5) == 257  # 74 hours of 25,000 calls a day


def test_a_first_run_counts_its_backfill_as_the_first_settle_read():
    settle = dt.timedelta(hours=48)
    step = settle_step({}, settle, NOW, first=True)
    assert step == SettleRead(NOW, NOW, reads=False)
    assert step is not None
    assert step.pages(calls_per_day=25_000) == 0
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
