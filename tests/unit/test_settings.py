import datetime as dt

import pytest

from tap_zoomphone.errors import ConfigError
from tap_zoomphone.settings import Settings

GOOD = {"account_id": "acc", "client_id": "cid", "client_secret": "sec"}


def test_defaults():
    settings = Settings.from_config(GOOD)
    assert settings.page_size == 300
    assert settings.api_url == "https://api.zoom.us/v2"
    assert settings.oauth_url == "https://zoom.us/oauth/token"
    assert settings.start is None
    assert settings.end is None
    assert settings.user_ids is None
    assert settings.max_workers == 8


def test_dates_and_datetimes():
    settings = Settings.from_config(
        {**GOOD, "start_date": "2026-06-01", "end_date": "2026-06-30T12:00:00Z"}
    )
    assert settings.start == dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert settings.end == dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
    day_end = Settings.from_config({**GOOD, "end_date": "2026-06-30"})
    assert day_end.end == dt.datetime(2026, 6, 30, 23, 59, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"client_secret": ""}, "Missing setting client_secret"),
        ({"account_id": None}, "Missing setting account_id"),
        ({"start_date": "last tuesday"}, "start_date 'last tuesday' is not a date"),
        ({"end_date": "2026-13-01"}, "end_date '2026-13-01' is not a date"),
        (
            {"start_date": "2026-06-10", "end_date": "2026-06-01"},
            "end_date (2026-06-01) is before start_date (2026-06-10)",
        ),
        ({"page_size": 301}, "page_size must be a whole number from 1 to 300"),
        ({"page_size": 0}, "page_size must be a whole number from 1 to 300"),
        ({"sync_count": 500}, "sync_count must be a whole number from 1 to 250"),
        ({"call_log_type": "answered"}, "call_log_type must be one of all, missed"),
        ({"rate_limit_plan": "gold"}, "rate_limit_plan must be 'pro', 'business' or a number"),
        ({"on_daily_limit": "retry"}, "on_daily_limit must be one of fail, succeed"),
        ({"user_ids": [" "]}, "user_ids is empty"),
        ({"api_url": "api.zoom.us"}, "api_url must be an http(s) URL"),
    ],
)
def test_bad_config_names_the_problem(changes, message):
    with pytest.raises(ConfigError) as caught:
        Settings.from_config({**GOOD, **changes})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_secret_never_in_the_message():
    with pytest.raises(ConfigError) as caught:
        Settings.from_config({**GOOD, "client_secret": "s3cr3t-value", "page_size": "x"})
    assert "s3cr3t-value" not in str(caught.value)
