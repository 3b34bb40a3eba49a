"""Call and SMS charges: every charge of Zoom's 13 months, tied to its call; then only new ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.tapruns import emulator_config, run_tap, selecting
from zoomphone_emulator import EmulatorConfig, Fault, run_emulator

START = datetime(2026, 6, 4, 10, tzinfo=UTC)
STREAMS = ("call_charges", "sms_charges")


@pytest.fixture(scope="module")
def account():
    # More than 13 months of history, so the reports' reach (not six months) is what limits.
    config = EmulatorConfig(
        seed=23,
        users=4,
        calls_per_user=120,
        history_days=430,
        sms_sessions_per_user=6,
        clock_start=START,
        frozen=True,
    )
    config.plan = "off"
    with run_emulator(config) as emulator:
        yield emulator


def sms_keys(run):
    return [(r["session_id"], r["message_id"]) for r in run.records("sms_charges")]


def test_every_charge_of_13_months_tied_to_its_call_then_only_new_ones(account):
    catalog = selecting(*STREAMS)
    config = emulator_config(account, page_size=40)
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr
    links = account.truth.call_charge_links()
    charges = first.records("call_charges")
    assert {r["charge_id"]: (r["call_log_id"], r["call_id"]) for r in charges} == links
    assert len(charges) == len(links)
    older = START - timedelta(days=200)
    assert any(r["start_time"] < older.strftime("%Y-%m-%d") for r in charges), "six months only"
    assert set(sms_keys(first)) == account.truth.sms_charge_keys()
    assert len(sms_keys(first)) == len(set(sms_keys(first)))

    before_calls, before_sms = set(links), account.truth.sms_charge_keys()
    account.clock.advance(days=3)
    account.reset_stats()
    second = run_tap(config, state=first.state, catalog=catalog)
    assert second.returncode == 0, second.stderr
    new_calls = set(account.truth.call_charge_links()) - before_calls
    new_sms = account.truth.sms_charge_keys() - before_sms
    assert new_calls, "the emulator made no new calls"
    assert new_calls <= set(second.ids("call_charges", "charge_id"))
    assert new_sms <= set(sms_keys(second))
    assert len(second.records("call_charges")) < len(charges)
    asked = account.stats()["requests_by_endpoint"]
    assert asked["call_charges"] <= 2, asked  # the lookback's window, not 13 months


def test_an_expired_page_token_restarts_the_month_and_loses_nothing(account):
    account.add_fault(Fault(kind="page_token_expiry", endpoint="call_charges", after=1, count=1))
    try:
        run = run_tap(emulator_config(account, page_size=10), catalog=selecting("call_charges"))
    finally:
        account.clear_faults()
    assert run.returncode == 0, run.stderr
    ids = run.ids("call_charges", "charge_id")
    assert set(ids) == set(account.truth.call_charge_links())
    assert len(ids) == len(set(ids))
    assert "next_page_token expired" in run.stderr
