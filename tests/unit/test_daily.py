"""The tap's share of the account's Heavy daily cap, and Zoom's X-RateLimit headers."""

import datetime as dt

import pytest

from tap_zoomphone.output.progress import duration
from tap_zoomphone.zoom.daily import DailyAllowance, DailyShareSpent
from tap_zoomphone.zoom.errors import DailyLimitReached
from tap_zoomphone.zoom.ratelimits import read_rate_headers


class ZoomClock:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 11, 30, 22, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.moment


def daily(limit: int, remaining: int):
    return read_rate_headers(
        {
            "X-RateLimit-Category": "Heavy",
            "X-RateLimit-Type": "Daily-limit",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
        },
        label="Heavy",
        per_second=10,
    )


def heavy(headers: dict[str, str], label: str = "Heavy", per_second: float = 10):
    return read_rate_headers(headers, label=label, per_second=per_second)


def test_headers_per_second_daily_and_absent():
    qps = heavy(
        {"X-RateLimit-Category": "Medium", "X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "20"},
        label="Medium",
        per_second=20,
    )
    assert qps is not None
    assert (qps.label, qps.daily, qps.per_second) == ("Medium", False, 20)
    day = daily(30_000, 29_000)
    assert day is not None
    assert (day.label, day.daily, day.per_second, day.remaining) == ("Heavy", True, None, 29_000)
    assert heavy({"Content-Type": "application/json"}) is None
    odd = heavy({"X-RateLimit-Category": "resource intensive"})
    assert odd is not None
    assert odd.label == "Resource-intensive"


@pytest.mark.parametrize(
    ("headers", "label", "is_daily"),
    [
        # Without a Type: Zoom's docs say a daily-capped label's Remaining counts the day ...
        ({"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59"}, "Heavy", True),
        ({"X-RateLimit-Limit": "15000", "X-RateLimit-Remaining": "3"}, "Heavy", True),
        # ... unless the limit is the label's per-second one;
        ({"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "4"}, "Heavy", False),
        # other labels have no day: only a limit no second comes near is a daily one.
        ({"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59"}, "Medium", False),
        ({"X-RateLimit-Limit": "30000", "X-RateLimit-Remaining": "59"}, "Medium", True),
        # A Type decides.
        ({"X-RateLimit-Type": "QPS", "X-RateLimit-Limit": "60"}, "Heavy", False),
        ({"X-RateLimit-Type": "Daily-limit", "X-RateLimit-Limit": "10"}, "Heavy", True),
    ],
)
def test_a_report_without_a_type_is_read_by_its_label(headers, label, is_daily):
    report = heavy(headers, label=label)
    assert report is not None
    assert report.daily is is_daily


def test_without_headers_the_plans_cap_counts_this_runs_requests():
    allowance = DailyAllowance(cap=10, share=0.5, now=ZoomClock())
    for _ in range(5):
        allowance.reserve("Heavy")
        allowance.settle("Heavy", None)
    allowance.reserve("Medium")  # other labels are not counted
    with pytest.raises(DailyShareSpent) as stopped:
        allowance.reserve("Heavy")
    assert isinstance(stopped.value, DailyLimitReached)
    assert stopped.value.exit_code == 75
    message = str(stopped.value)
    assert "5 of the account's 10 Heavy requests" in message
    assert "resets at 2026-12-01T00:00:00Z" in message
    assert "run the tap again" in message


def test_requests_in_flight_count_before_they_are_answered():
    allowance = DailyAllowance(cap=8, share=0.5, now=ZoomClock())
    for _ in range(4):
        allowance.reserve("Resource-intensive")
    with pytest.raises(DailyShareSpent):
        allowance.reserve("Heavy")


def test_zooms_reported_day_includes_other_apps():
    allowance = DailyAllowance(cap=30_000, share=0.5, now=ZoomClock())
    allowance.reserve("Heavy")
    allowance.settle("Heavy", daily(60, 40))  # other apps already spent 19 today
    assert allowance.cap == 60
    assert allowance.used() == 20
    assert allowance.left() == 10
    for _ in range(10):
        allowance.reserve("Heavy")
    with pytest.raises(DailyShareSpent, match="30 of the account's 60"):
        allowance.reserve("Heavy")


def test_a_new_utc_day_starts_the_count_again():
    clock = ZoomClock()
    allowance = DailyAllowance(cap=4, share=0.5, now=clock)
    for _ in range(2):
        allowance.reserve("Heavy")
        allowance.settle("Heavy", None)
    with pytest.raises(DailyShareSpent):
        allowance.reserve("Heavy")
    clock.moment += dt.timedelta(hours=3)
    allowance.reserve("Heavy")
    assert allowance.used() == 1


@pytest.mark.parametrize(("seconds", "text"), [(4.4, "4s"), (222, "3m42s"), (7800, "2h10m")])
def test_durations(seconds, text):
    assert duration(seconds) == text
