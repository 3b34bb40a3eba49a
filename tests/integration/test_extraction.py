"""A complete extraction of call logs: every id of the emulator's ground truth, once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from tests.tapruns import emulator_config, run_tap
from zoomphone_emulator import Fault


def assert_matches_truth(run, emulator, users=None, start=None, end=None):
    by_user = run.ids_by_user()
    for user in users or emulator.user_ids():
        expected = emulator.truth.call_log_ids(user, start, end)
        got = by_user.get(user, [])
        assert len(got) == len(set(got)), f"duplicates for {user}"
        assert set(got) == expected, f"user {user}: {len(expected - set(got))} missing"


@pytest.mark.parametrize(
    ("method", "endpoint"), [("list", "user_call_logs"), ("auto", "user_call_logs_sync")]
)
def test_every_call_log_of_every_user_across_months_and_pages(emulator_factory, method, endpoint):
    emulator = emulator_factory(seed=5, users=12, calls_per_user=900, plan="off")
    run = run_tap(emulator_config(emulator, page_size=40, sync_count=40, backfill_method=method))
    assert run.returncode == 0, run.stderr
    assert_matches_truth(run, emulator)
    # several months and several pages per month (or many BSync pages) were really walked
    calls = emulator.stats()["requests_by_endpoint"][endpoint]
    assert calls >= 12 * 6 * 3
    assert {r["user_id"] for r in run.records("call_logs")} == set(emulator.user_ids())
    assert len(run.records("phone_users")) == 12
    assert emulator.stats()["requests_by_endpoint"]["users"] == 1  # listed once for both streams


def test_one_worker_and_many_workers_extract_the_same(emulator_factory):
    emulator = emulator_factory(seed=8, users=5, calls_per_user=300, plan="off")
    one = run_tap(emulator_config(emulator, max_workers=1))
    many = run_tap(emulator_config(emulator, max_workers=8))
    assert one.returncode == many.returncode == 0
    assert sorted(one.ids("call_logs")) == sorted(many.ids("call_logs"))
    assert one.ids_by_user() == many.ids_by_user()  # each user's records in the same order


def test_users_by_id_email_and_me(emulator):
    users = emulator.users()
    chosen = [users[1]["id"], users[2]["email"], "me"]
    run = run_tap(emulator_config(emulator, user_ids=chosen))
    assert run.returncode == 0, run.stderr
    assert run.records("phone_users")  # the stream still lists the account
    got = {r["id"] for r in run.records("call_logs")}
    expected = set()
    for user in chosen:
        expected |= emulator.truth.call_log_ids(user)
    assert got == expected


def test_unknown_user_is_skipped_and_the_others_are_extracted(emulator):
    known = emulator.user_ids()[:2]
    run = run_tap(emulator_config(emulator, user_ids=[known[0], "nobody@example.com", known[1]]))
    assert run.returncode == 0, run.stderr
    assert_matches_truth(run, emulator, users=known)
    warnings = [line for line in run.stderr.splitlines() if "nobody@example.com" in line]
    assert any("WARNING" in line and "1001" in line for line in warnings)
    assert "1 users skipped" in run.stderr


def test_start_date_older_than_six_months_is_clamped_with_one_warning(emulator):
    run = run_tap(emulator_config(emulator, start_date="2020-01-01"))
    assert run.returncode == 0, run.stderr
    clamp_lines = [line for line in run.stderr.splitlines() if "older than the six months" in line]
    assert len(clamp_lines) == 1
    assert "WARNING" in clamp_lines[0]
    assert_matches_truth(run, emulator)


def test_a_bounded_range_returns_exactly_that_range_and_keeps_no_bookmarks(emulator):
    now = emulator.clock.now()
    start = (now - dt.timedelta(days=70)).replace(microsecond=0)
    end = (now - dt.timedelta(days=20)).replace(microsecond=0)
    config = emulator_config(emulator, start_date=start.isoformat(), end_date=end.isoformat())
    run = run_tap(config)
    assert run.returncode == 0, run.stderr
    assert_matches_truth(run, emulator, start=start, end=end)
    assert not run.state.get("bookmarks", {}).get("call_logs", {}).get("users")


def test_an_expired_page_token_restarts_the_window_without_losing_or_repeating(emulator_factory):
    emulator = emulator_factory(seed=21, users=3, calls_per_user=600, plan="off")
    emulator.add_fault(Fault(kind="page_token_expiry", endpoint="user_call_logs", after=2, count=2))
    run = run_tap(emulator_config(emulator, page_size=30, max_workers=1))
    assert run.returncode == 0, run.stderr
    assert_matches_truth(run, emulator)
    assert "next_page_token expired" in run.stderr
    assert emulator.stats()["status_counts"].get(400) == 2


def test_records_match_their_schema(emulator):
    run = run_tap(emulator_config(emulator))
    schema_dir = Path(__file__).parents[2] / "tap_zoomphone" / "schemas"
    for stream in ("call_logs", "phone_users"):
        schema = json.loads((schema_dir / f"{stream}.json").read_text())
        validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
        records = run.records(stream)
        assert records
        for record in records:
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, errors[:3]


def test_stream_maps_and_flattening_work_as_the_sdk_provides(emulator):
    maps = {
        "call_logs": {"caller_name": None, "duration_ms": "duration * 1000"},
        "phone_users": {"__alias__": "users"},
    }
    config = emulator_config(
        emulator, stream_maps=maps, flattening_enabled=True, flattening_max_depth=1
    )
    run = run_tap(config)
    assert run.returncode == 0, run.stderr
    logs = run.records("call_logs")
    assert logs
    assert all("caller_name" not in r and "duration_ms" in r for r in logs)
    assert any("site__name" in r for r in logs)  # nested objects flattened
    assert len(run.records("users")) == len(emulator.user_ids())
    assert run.records("phone_users") == []
    assert {r["id"] for r in logs} == set().union(
        *(emulator.truth.call_log_ids(u) for u in emulator.user_ids())
    )


def test_a_stream_map_that_cannot_evaluate_is_one_error_line(emulator):
    config = emulator_config(emulator, stream_maps={"call_logs": {"x": "no_such_function(1)"}})
    run = run_tap(config)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert len(run.error_lines) == 1
    assert "Invalid configuration" in run.error_lines[0]


def test_a_decimal_a_stream_map_adds_is_written_as_a_number(emulator):
    # The SDK reads the config file's floats as Decimal: the mapped value arrives as one.
    config = emulator_config(
        emulator,
        stream_maps={"phone_users": {"rate": "config['rate']"}},
        stream_map_config={"rate": 1.25},
    )
    run = run_tap(config)
    assert run.returncode == 0, run.stderr
    users = run.records("phone_users")
    assert users
    assert {user["rate"] for user in users} == {1.25}
    assert '"rate":1.25' in run.stdout
