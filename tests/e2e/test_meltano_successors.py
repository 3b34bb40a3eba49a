"""Meltano with the successor streams selected: account-wide logs, call history and paths."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import RUN, loaded_keys, truth

if TYPE_CHECKING:
    from tests.e2e.harness import EmulatorProcess, MeltanoProject

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

SUCCESSORS = ("account_call_logs", "call_history", "call_elements", "user_call_history")
STATE_ID = "demo:tap-zoomphone-to-target-duckdb"


def test_successor_streams_land_complete_then_incrementally(
    meltano: MeltanoProject, emulator_process: EmulatorProcess
) -> None:
    # Selecting streams the Meltano way, without editing meltano.yml.
    meltano.env["TAP_ZOOMPHONE__SELECT"] = json.dumps([f"{stream}.*" for stream in SUCCESSORS])
    meltano(*RUN)
    path = meltano.duckdb_path

    account = loaded_keys(path, "account_call_logs", "id")
    assert {row[0] for row in account} == truth(emulator_process, "account_call_logs")
    assert len(account) == len(set(account))

    history = {row[0] for row in loaded_keys(path, "call_history", "call_history_uuid")}
    assert history == truth(emulator_process, "call_history")

    elements = loaded_keys(path, "call_elements", "call_history_uuid", "call_element_id")
    for uuid in history:
        expected = truth(emulator_process, "call_elements", uuid=uuid)
        assert {element for call, element in elements if call == uuid} == expected

    by_user = loaded_keys(path, "user_call_history", "user_id", "call_element_id")
    for user in emulator_process.user_ids():
        expected = truth(emulator_process, "user_call_history", user_id=user)
        assert {element for owner, element in by_user if owner == user} == expected

    state = meltano.singer_state(STATE_ID)["bookmarks"]
    assert set(state["call_history"]) == {"synced_to", "settling"}
    assert all(b["sync_token"] for b in state["user_call_history"]["users"].values())

    before = emulator_process.requests_by_endpoint()
    emulator_process.advance_until_new_calls()
    meltano(*RUN)
    after = emulator_process.requests_by_endpoint()
    # incremental: the user history came from its sync endpoint only, the account lists
    # re-read their lookback rather than six months
    assert after.get("user_call_history", 0) == before.get("user_call_history", 0)
    # its windows, and the settle reads of call_history and user_call_history (README)
    assert after["call_history"] - before["call_history"] <= 6
    assert after["account_call_logs"] - before["account_call_logs"] <= 2
    first_history = history
    history = {row[0] for row in loaded_keys(path, "call_history", "call_history_uuid")}
    # everything Zoom serves now, and nothing but that and what the first run loaded (calls
    # can age out of the six months when the clock passes midnight)
    now = truth(emulator_process, "call_history")
    assert now <= history <= now | first_history
