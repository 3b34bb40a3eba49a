"""Phone numbers, emergency addresses, queue members, user settings: complete; free when off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.tapruns import emulator_config, run_tap, selecting
from zoomphone_emulator import EmulatorConfig, Fault, run_emulator

START = datetime(2026, 6, 4, 10, tzinfo=UTC)
STREAMS = ("phone_numbers", "emergency_addresses", "call_queue_members", "user_settings")
# Emulator routes of these streams: none may be asked when the streams are not selected.
ROUTES = (
    "numbers",
    "emergency_addresses",
    "call_queue_members",
    "user_settings",
    "call_charges",
    "sms_charges",
    "recordings",
    "recording_transcript",
    "transcript_file",
    "call_qos",
    "ai_call_summary",
    "call_queue_analytics",
)


@pytest.fixture(scope="module")
def account():
    config = EmulatorConfig(
        seed=22, users=7, calls_per_user=20, sites=2, call_queues=3, clock_start=START, frozen=True
    )
    config.plan = "off"
    with run_emulator(config) as emulator:
        yield emulator


def test_every_record_of_the_four_streams(account):
    run = run_tap(emulator_config(account, page_size=4), catalog=selecting(*STREAMS))
    assert run.returncode == 0, run.stderr
    truth = account.truth
    numbers = run.ids("phone_numbers")
    assert set(numbers) == truth.phone_number_ids()
    assert len(numbers) == len(set(numbers))  # a BYOC number listed twice is emitted once
    assert {"internal", "external"} <= {r["source"] for r in run.records("phone_numbers")}
    addresses = run.ids("emergency_addresses")
    assert set(addresses) == truth.emergency_address_ids()
    assert len(addresses) == len(set(addresses))
    members = [(r["call_queue_id"], r["id"]) for r in run.records("call_queue_members")]
    assert set(members) == truth.call_queue_member_keys()
    assert len(members) == len(set(members))
    settings = run.ids("user_settings", "user_id")
    assert sorted(settings) == sorted(account.user_ids())
    assert all(r["extension_number"] for r in run.records("user_settings"))
    # call_queues was not selected: its list was read by call_queue_members, not emitted
    assert run.records("call_queues") == []


def test_not_selected_they_cost_nothing(account):
    account.reset_stats()
    run = run_tap(emulator_config(account), catalog=selecting("sites"))
    assert run.returncode == 0, run.stderr
    asked = account.stats()["requests_by_endpoint"]
    assert not {route for route in ROUTES if asked.get(route)}, asked


def test_a_deleted_user_is_skipped_and_the_others_are_read(account):
    ghost = "ghost@example.com"
    users = [*account.user_ids()[:2], ghost]
    config = emulator_config(account, user_ids=users)
    run = run_tap(config, catalog=selecting("user_settings"))
    assert run.returncode == 0, run.stderr
    assert sorted(run.ids("user_settings", "user_id")) == sorted(users[:2])
    assert any(ghost in line and "skipping" in line for line in run.stderr.splitlines())


def test_missing_scopes_stop_one_stream_and_name_them(account):
    granted = account.config.scopes
    account.config.scopes = ("phone:read:list_emergency_addresses:admin",)
    try:
        run = run_tap(
            emulator_config(account),
            catalog=selecting("phone_numbers", "emergency_addresses"),
        )
    finally:
        account.config.scopes = granted
    assert run.returncode == 69, run.stderr
    assert "Traceback" not in run.stderr
    errors = run.error_lines
    assert len(errors) == 1, errors
    assert "phone_numbers" in errors[0]
    assert "phone:read:list_numbers:admin" in errors[0]
    assert set(run.ids("emergency_addresses")) == account.truth.emergency_address_ids()


def test_an_expired_page_token_reads_the_whole_list_again_without_repeats(account):
    account.add_fault(Fault(kind="page_token_expiry", endpoint="numbers", after=1, count=1))
    try:
        run = run_tap(emulator_config(account, page_size=4), catalog=selecting("phone_numbers"))
    finally:
        account.clear_faults()
    assert run.returncode == 0, run.stderr
    numbers = run.ids("phone_numbers")
    assert set(numbers) == account.truth.phone_number_ids()
    assert len(numbers) == len(set(numbers))
