import datetime as dt
from decimal import Decimal

import pytest

from tap_zoomphone.settings import PROPERTIES, Settings
from tap_zoomphone.zoom.errors import ConfigError

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


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"daily_limit_share": 0}, "daily_limit_share must be a number above 0 and at most 1"),
        ({"daily_limit_share": 1.5}, "daily_limit_share must be a number above 0 and at most 1"),
        ({"backfill_method": "walk"}, "backfill_method must be one of auto, sync, list"),
        ({"rate_limit_headroom": 0.95}, "rate_limit_headroom must be a number from 0 to 0.9"),
        ({"rate_limit_plan": -3}, "rate_limit_plan must be 'pro', 'business' or a number"),
        ({"heavy_daily_limit": 0}, "heavy_daily_limit must be a whole number of at least 1"),
        ({"max_workers": "eight"}, "max_workers must be a whole number from 1 to 64"),
    ],
)
def test_bounds_and_choices_come_from_the_schema(changes, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_config({**GOOD, **changes})


def test_json_decimals_are_plain_numbers():
    settings = Settings.from_config({**GOOD, "retry_backoff_seconds": Decimal("0.05")})
    assert type(settings.retry.base_wait) is float
    assert settings.retry.base_wait * 2.0 == 0.1


def test_numbers_are_accepted_as_numbers_and_as_text():
    for plan in (20, "20", 20.0):
        settings = Settings.from_config({**GOOD, "rate_limit_plan": plan})
        assert settings.rate_limits["Medium"] == 20
    assert Settings.from_config({**GOOD, "page_size": "120"}).page_size == 120
    assert Settings.from_config({**GOOD, "rate_limit_plan": "Pro"}).daily_cap == 15_000


def test_every_default_is_the_schemas():
    settings = Settings.from_config(GOOD)
    assert settings.sync_count == PROPERTIES["sync_count"]["default"]
    assert settings.daily_share == PROPERTIES["daily_limit_share"]["default"]
    assert settings.backfill_method == PROPERTIES["backfill_method"]["default"]
    assert settings.retry.max_retries == PROPERTIES["max_retries"]["default"]
    assert settings.lookback == dt.timedelta(hours=PROPERTIES["lookback_hours"]["default"])
    # Every bound a description states is in the schema itself.
    assert PROPERTIES["page_size"]["maximum"] == 300
    assert PROPERTIES["sync_count"]["maximum"] == 250


@pytest.mark.parametrize(
    "url",
    [
        "http://zoom.example.com/oauth/token",
        "http://10.0.0.5/oauth/token",
        "http://api.zoom.us/v2",
    ],
)
def test_credentials_travel_only_over_tls(url):
    for name in ("oauth_url", "api_url"):
        with pytest.raises(ConfigError, match=f"{name} .* is not https"):
            Settings.from_config({**GOOD, name: url})


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8765/v2", "http://localhost:9/oauth/token", "http://[::1]:80/v2"]
)
def test_plain_http_is_accepted_for_loopback_hosts(url):
    assert Settings.from_config({**GOOD, "api_url": url, "oauth_url": url}).api_url == url
