"""What a user sees when something is wrong: one clear line, a non-zero exit, no traceback."""

from __future__ import annotations

import pytest

from tests.tapruns import emulator_config, run_tap

SECRET = "emulator-secret"


def assert_one_clear_error(run, *fragments):
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    errors = run.error_lines
    assert len(errors) == 1, errors
    for fragment in fragments:
        assert fragment in errors[0]
    return errors[0]


def test_missing_credentials(emulator):
    config = emulator_config(emulator)
    del config["client_secret"]
    run = run_tap(config)
    assert_one_clear_error(run, "client_secret")
    assert emulator.stats()["requests_total"] == 0


def test_wrong_credentials(emulator):
    run = run_tap(emulator_config(emulator, client_secret="not-the-secret"))
    line = assert_one_clear_error(run, "rejected the Server-to-Server OAuth credentials")
    assert "invalid_client" in line
    assert "not-the-secret" not in run.stdout + run.stderr
    assert run.records("call_logs") == []


def test_wrong_account(emulator):
    run = run_tap(emulator_config(emulator, account_id="someone-else"))
    assert_one_clear_error(run, "account_id")


def test_missing_scopes(emulator_factory):
    emulator = emulator_factory(users=2, scopes=("user:read:admin",))
    run = run_tap(emulator_config(emulator))
    line = assert_one_clear_error(run, "4711", "scopes", "Zoom tracking id:")
    assert SECRET not in run.stdout + run.stderr
    assert "phone" in line


def test_only_user_unknown(emulator):
    run = run_tap(emulator_config(emulator, user_ids=["ghost@example.com"]))
    assert_one_clear_error(run, "ghost@example.com", "1001", "Zoom tracking id:")


def test_a_users_logs_cannot_be_retrieved_the_others_go_on(emulator_factory):
    emulator = emulator_factory(seed=4, users=4, calls_per_user=200)
    broken = emulator.user_ids()[1]
    emulator.config.broken_users = (broken,)
    run = run_tap(emulator_config(emulator))
    assert run.returncode == 0, run.stderr
    assert broken not in run.ids_by_user()
    for user in emulator.user_ids():
        if user != broken:
            assert set(run.ids_by_user()[user]) == emulator.truth.call_log_ids(user)
    assert any("3001" in line and broken in line for line in run.stderr.splitlines())
    assert "1 users skipped" in run.stderr


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"start_date": "01/06/2026"}, "start_date '01/06/2026' is not a date"),
        ({"start_date": "2026-06-10", "end_date": "2026-06-01"}, "is before start_date"),
        ({"page_size": 1000}, "page_size must be a whole number from 1 to 300"),
        ({"rate_limit_plan": "platinum"}, "rate_limit_plan"),
        ({"max_workers": 0}, "max_workers"),
    ],
)
def test_bad_settings_fail_before_any_request(emulator, settings, fragment):
    run = run_tap(emulator_config(emulator, **settings))
    assert_one_clear_error(run, fragment)
    assert emulator.stats()["requests_total"] == 0


def test_unknown_stream_in_the_catalog(emulator):
    discovered = run_tap(emulator_config(emulator), args=("--discover",))
    catalog = discovered.messages[0] if discovered.messages else None
    assert catalog
    assert "streams" in catalog
    entry = dict(catalog["streams"][0])
    entry["tap_stream_id"] = entry["stream"] = "calls"
    entry["metadata"] = [{"breadcrumb": [], "metadata": {"selected": True}}]
    catalog["streams"].append(entry)
    run = run_tap(emulator_config(emulator), catalog=catalog)
    assert_one_clear_error(run, "calls")
    assert emulator.stats()["requests_total"] == 0


def test_unreachable_zoom(emulator):
    config = emulator_config(emulator, oauth_url="http://127.0.0.1:9/oauth/token", max_retries=1)
    run = run_tap(config)
    assert_one_clear_error(run, "token endpoint")


def test_credentials_are_never_sent_over_plain_http_to_another_host(emulator):
    config = emulator_config(emulator, oauth_url="http://zoom.example.com/oauth/token")
    run = run_tap(config)
    assert_one_clear_error(run, "oauth_url", "is not https")
    assert emulator.stats()["requests_total"] == 0
    assert SECRET not in run.stdout + run.stderr


def test_a_bound_broken_is_one_line_from_the_schema(emulator):
    run = run_tap(emulator_config(emulator, page_size=301))
    assert_one_clear_error(run, "page_size must be a whole number from 1 to 300, not 301")
    assert emulator.stats()["requests_total"] == 0


def test_a_numeric_rate_limit_plan_extracts_everything(emulator):
    run = run_tap({**emulator_config(emulator), "rate_limit_plan": 20})
    assert run.returncode == 0, run.stderr
    truth = set().union(*(emulator.truth.call_log_ids(u) for u in emulator.user_ids()))
    assert set(run.ids("call_logs")) == truth
