import datetime as dt

import pytest

from tap_zoomphone.zoom.errors import ConfigError, DailyLimitReached
from tap_zoomphone.zoom.pacing import (
    HEAVY,
    LIGHT,
    MEDIUM,
    RESOURCE_INTENSIVE,
    RateBudget,
    account_plan_daily_cap,
    account_plan_limits,
    parse_retry_after,
)
from tests.tapruns import FakeClock

NOW = dt.datetime(2026, 11, 23, 10, 0, 0, tzinfo=dt.UTC)


def test_plans():
    business = {LIGHT: 40, MEDIUM: 20, HEAVY: 10, RESOURCE_INTENSIVE: 1 / 6}
    assert account_plan_limits("business") == business
    assert account_plan_limits("Pro") == {
        LIGHT: 20,
        MEDIUM: 10,
        HEAVY: 5,
        RESOURCE_INTENSIVE: 1 / 12,
    }
    assert account_plan_limits("12") == {LIGHT: 24, MEDIUM: 12, HEAVY: 6, RESOURCE_INTENSIVE: 0.1}
    assert account_plan_limits(8)[HEAVY] == 4
    caps = [account_plan_daily_cap(plan) for plan in ("pro", "business", "12")]
    assert caps == [15_000, 30_000, 30_000]


def test_a_rate_zoom_reports_replaces_the_plans():
    clock = FakeClock()
    budget = RateBudget({HEAVY: 10}, headroom=0.5, monotonic=clock.monotonic, sleep=clock.sleep)
    assert budget.limit(HEAVY) == pytest.approx(10)
    budget.set_rate(HEAVY, 2)
    assert budget.rate(HEAVY) == pytest.approx(1)
    budget.set_rate("Medium", 4)  # a label the plan did not list
    assert budget.limit("Medium") == pytest.approx(4)


@pytest.mark.parametrize("bad", ["enterprise-plus", "0", "-3", ""])
def test_bad_plan_is_a_config_error(bad):
    with pytest.raises(ConfigError, match="rate_limit_plan"):
        account_plan_limits(bad)


def test_retry_after_in_seconds_iso_and_http_date():
    assert parse_retry_after("3", now=NOW) == 3
    assert parse_retry_after("2026-11-24T00:00:00Z", now=NOW) == 14 * 3600
    assert parse_retry_after("Mon, 23 Nov 2026 10:00:30 GMT", now=NOW) == 30
    assert parse_retry_after("2026-11-23T09:00:00Z", now=NOW) == 0
    assert parse_retry_after(None, now=NOW) is None
    assert parse_retry_after("soon", now=NOW) is None


def test_requests_are_spaced_at_the_paced_rate():
    clock = FakeClock()
    budget = RateBudget({HEAVY: 10}, headroom=0.2, monotonic=clock.monotonic, sleep=clock.sleep)
    for _ in range(9):
        budget.acquire(HEAVY)
    # 8 requests per second: the 9th starts one second after the first
    assert clock.now == pytest.approx(1.0)
    assert budget.rate(HEAVY) == pytest.approx(8.0)


def test_labels_are_independent():
    clock = FakeClock()
    budget = RateBudget(
        {HEAVY: 1, LIGHT: 100}, headroom=0, monotonic=clock.monotonic, sleep=clock.sleep
    )
    budget.acquire(HEAVY)
    budget.acquire(LIGHT)
    budget.acquire(LIGHT)
    assert clock.now == pytest.approx(0.01)


def test_pause_holds_the_label_back():
    clock = FakeClock()
    budget = RateBudget({MEDIUM: 100}, headroom=0, monotonic=clock.monotonic, sleep=clock.sleep)
    budget.pause(MEDIUM, 2.5)
    budget.acquire(MEDIUM)
    assert clock.now == pytest.approx(2.5)


def test_spent_daily_cap_fails_fast_until_it_resets():
    budget = RateBudget({HEAVY: 10}, headroom=0)
    resets = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    budget.block_until(HEAVY, resets)
    with pytest.raises(DailyLimitReached) as caught:
        budget.acquire(HEAVY)
    assert caught.value.resets_at == resets
    assert resets.strftime("%Y-%m-%dT%H:%M:%SZ") in str(caught.value)
    budget.block_until(HEAVY, dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    budget.acquire(HEAVY)


def test_headroom_must_leave_something():
    with pytest.raises(ConfigError, match="rate_limit_headroom"):
        RateBudget({HEAVY: 10}, headroom=1.0)
