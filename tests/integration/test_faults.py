"""Never lose a record: one run per kind of fault, each ends with every id of the ground truth."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tapruns import emulator_config, run_tap
from zoomphone_emulator import Fault

SECRET = "emulator-secret"


def all_truth(emulator):
    return set().union(*(emulator.truth.call_log_ids(user) for user in emulator.user_ids()))


def issued_tokens(emulator):
    return emulator.issued_tokens()


def assert_nothing_secret(emulator, *runs):
    output = "".join(run.stdout + run.stderr for run in runs)
    assert SECRET not in output
    assert "Authorization" not in output
    tokens = issued_tokens(emulator)
    assert tokens
    for token in tokens:
        assert token not in output


FAULTS = {
    "5xx burst": Fault(kind="status", status=503, after=6, count=4),
    "502 on users": Fault(kind="status", status=502, endpoint="users", count=2),
    "429 storm": Fault(kind="rate_limit", after=3, count=12, retry_after=1),
    "connection reset": Fault(kind="reset", after=5, count=3),
    "slow response past the timeout": Fault(kind="slow", delay=2.5, after=4, count=2),
    "malformed JSON": Fault(kind="malformed", after=2, count=3),
    "early token expiry": Fault(kind="token_expiry", after=7, count=1),
    "page token expiry": Fault(
        kind="page_token_expiry", endpoint="user_call_logs", after=1, count=2
    ),
    "sync token expiry inside walks": Fault(
        kind="sync_token_expiry", endpoint="user_call_logs_sync", after=12, count=2
    ),
}
# A walk whose token Zoom drops is read again by windows: the target's key absorbs the repeats.
READ_AGAIN = (FAULTS["sync token expiry inside walks"],)


@pytest.mark.parametrize("method", ["auto", "list"])
@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_run_rides_out_the_fault(emulator_factory, fault, method):
    emulator = emulator_factory(seed=41, users=5, calls_per_user=400)
    emulator.add_fault(fault)
    config = emulator_config(
        emulator, page_size=100, sync_count=50, request_timeout=1, max_workers=3
    )
    run = run_tap({**config, "backfill_method": method})
    assert run.returncode == 0, run.stderr
    assert set(run.ids("call_logs")) == all_truth(emulator)
    if fault not in READ_AGAIN:
        assert run.duplicates("call_logs") == []
    assert "Traceback" not in run.stderr
    assert_nothing_secret(emulator, run)


def test_early_token_expiry_takes_one_new_token(emulator_factory):
    emulator = emulator_factory(seed=42, users=3, calls_per_user=200)
    emulator.add_fault(Fault(kind="token_expiry", after=5, count=1))
    run = run_tap(emulator_config(emulator))
    assert run.returncode == 0, run.stderr
    assert emulator.stats()["tokens_issued"] == 2
    assert set(run.ids("call_logs")) == all_truth(emulator)


def test_one_token_per_run(emulator):
    run = run_tap(emulator_config(emulator, max_workers=8))
    assert run.returncode == 0
    assert emulator.stats()["tokens_issued"] == 1


def test_short_lived_tokens_are_refreshed_before_they_expire(emulator_factory):
    emulator = emulator_factory(
        seed=43, users=4, calls_per_user=300, access_token_ttl=2, frozen=False
    )
    run = run_tap(emulator_config(emulator, rate_limit_plan="6"))  # paced: the run outlives tokens
    assert run.returncode == 0, run.stderr
    assert emulator.stats()["tokens_issued"] >= 2
    assert emulator.stats()["status_counts"].get(401, 0) == 0


def test_sync_token_expiry_between_runs(emulator_factory):
    emulator = emulator_factory(seed=44, users=4, calls_per_user=300)
    config = emulator_config(emulator)
    first = run_tap(config)
    emulator.clock.advance(hours=12)
    emulator.add_fault(Fault(kind="sync_token_expiry", count=0))
    second = run_tap(config, state=first.state)
    assert second.returncode == 0, second.stderr
    assert set(first.ids("call_logs")) | set(second.ids("call_logs")) >= all_truth(emulator)
    assert_nothing_secret(emulator, first, second)


def test_retries_run_out_the_run_fails_with_its_state_and_tracking_id(emulator_factory):
    emulator = emulator_factory(seed=45, users=4, calls_per_user=300)
    emulator.add_fault(
        Fault(kind="status", status=500, endpoint="user_call_logs", after=10, count=0)
    )
    run = run_tap(emulator_config(emulator, max_retries=2, max_workers=1))
    assert run.returncode == 1
    errors = run.error_lines
    assert len(errors) == 1, errors
    assert "Gave up on GET /phone/users/" in errors[0]
    assert "HTTP 500" in errors[0]
    assert "Zoom tracking id:" in errors[0]
    assert run.states, "the STATE so far is emitted before failing"
    # resuming once the fault is gone completes the extraction
    emulator.clear_faults()
    resumed = run_tap(emulator_config(emulator), state=run.state)
    assert resumed.returncode == 0, resumed.stderr
    assert set(run.ids("call_logs")) | set(resumed.ids("call_logs")) == all_truth(emulator)


@pytest.mark.parametrize(("choice", "exit_status"), [("fail", 75), ("succeed", 0)])
def test_daily_cap_stops_cleanly_and_the_next_day_resumes(emulator_factory, choice, exit_status):
    emulator = emulator_factory(seed=46, users=6, calls_per_user=400, daily_cap=25, plan="business")
    config = emulator_config(
        emulator, on_daily_limit=choice, rate_limit_plan="business", backfill_method="list"
    )
    run = run_tap(config)
    assert run.returncode == exit_status, run.stderr
    reset_lines = [line for line in run.stderr.splitlines() if "daily request limit" in line]
    assert len(reset_lines) == 1, reset_lines
    midnight = (emulator.clock.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    assert f"resets at {midnight}" in reset_lines[0]
    assert run.state
    assert "Traceback" not in run.stderr
    # the next day the cap is lifted; the resumed run completes the extraction
    emulator.clock.advance(days=1)
    resumed = run_tap(config, state=run.state)
    assert resumed.returncode == 0, resumed.stderr
    truth = all_truth(emulator)
    assert truth <= set(run.ids("call_logs")) | set(resumed.ids("call_logs"))
    assert_nothing_secret(emulator, run, resumed)


def test_a_normal_run_on_business_pacing_meets_no_429(emulator_factory):
    emulator = emulator_factory(seed=47, users=10, calls_per_user=200, plan="business")
    run = run_tap(emulator_config(emulator, rate_limit_plan="business", max_workers=8))
    assert run.returncode == 0, run.stderr
    assert emulator.stats()["rate_limited"] == 0
    assert set(run.ids("call_logs")) == all_truth(emulator)


def test_429s_before_a_5xx_leave_the_request_its_retries(emulator_factory):
    # Each 429 is waited out (Retry-After: 1); only the 503 counts against max_retries=2.
    emulator = emulator_factory(seed=48, users=3, calls_per_user=100)
    emulator.add_fault(Fault(kind="rate_limit", endpoint="user_call_logs_sync", count=3))
    emulator.add_fault(Fault(kind="status", status=503, endpoint="user_call_logs_sync", count=1))
    run = run_tap(emulator_config(emulator, max_retries=2, max_workers=1))
    assert run.returncode == 0, run.stderr
    assert set(run.ids("call_logs")) == all_truth(emulator)
    assert emulator.stats()["rate_limited"] == 3
    assert emulator.stats()["status_counts"][503] == 1
