"""`meltano run tap-zoomphone target-duckdb` against the emulator, as a user runs it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import duckdb
import pytest

from tests.e2e.harness import (
    LEGACY_SELECT,
    assert_incremental,
    assert_matches_truth,
    assert_one_token_per_user,
    loader_duckdb_versions,
    read_duckdb,
)

if TYPE_CHECKING:
    from tests.e2e.harness import EmulatorProcess, MeltanoProject

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]


@pytest.fixture(autouse=True)
def _legacy_selection(meltano: MeltanoProject) -> None:
    """Follow `call_logs`, for accounts that still have it (the defaults: test_meltano_defaults)."""
    meltano.env["TAP_ZOOMPHONE__SELECT"] = LEGACY_SELECT


STATE_ID = "demo:tap-zoomphone-to-target-duckdb"  # <environment>:<tap>-to-<target>
RUN = ("run", "tap-zoomphone", "target-duckdb")


def test_run_into_duckdb_is_complete_then_incremental(
    meltano: MeltanoProject, emulator_process: EmulatorProcess
) -> None:
    # The reader and the loader use the same duckdb (1.2.2: 1.3+ drops rows, see meltano.yml).
    assert loader_duckdb_versions() == [duckdb.__version__]

    meltano(*RUN)  # fails the test with the stderr tail unless it exits 0
    first = read_duckdb(meltano.duckdb_path)
    assert_matches_truth(first, emulator_process)
    first_state = assert_one_token_per_user(meltano, emulator_process, STATE_ID)
    first_requests = emulator_process.requests_by_endpoint()
    assert first_requests.get("user_call_logs", 0) > 0  # the backfill read the list endpoint

    new = emulator_process.advance_until_new_calls()
    meltano(*RUN)
    loaded = read_duckdb(meltano.duckdb_path)
    assert new <= set(loaded.call_log_ids), "calls made after the first run are missing"
    assert_matches_truth(loaded, emulator_process, earlier=set(first.call_log_ids))
    second_state = assert_one_token_per_user(meltano, emulator_process, STATE_ID)
    assert second_state != first_state, "the second run did not move the bookmarks"

    requests = emulator_process.requests_by_endpoint()
    assert_incremental(first_requests, requests, users=len(emulator_process.user_ids()))


def test_state_clear_makes_the_next_run_a_full_backfill(
    meltano: MeltanoProject, emulator_process: EmulatorProcess
) -> None:
    meltano(*RUN)
    truth = emulator_process.all_truth()
    after_first = backfill_records(emulator_process.records_served())
    assert after_first >= len(truth)

    meltano("state", "clear", "--force", STATE_ID)
    shown = meltano("state", "get", STATE_ID)
    assert json.loads(shown.stdout) == {}, f"state survived `meltano state clear`: {shown.stdout}"

    meltano(*RUN)
    served = backfill_records(emulator_process.records_served())
    # Every call was read again (walked or by windows): a reset means a complete backfill ...
    assert served - after_first >= len(truth), served
    # ... and with target-duckdb's primary-key upserts the table still holds each call once.
    assert_matches_truth(read_duckdb(meltano.duckdb_path), emulator_process)
    assert_one_token_per_user(meltano, emulator_process, STATE_ID)


def backfill_records(served: dict[str, int]) -> int:
    """Call logs served by either backfill: the list endpoint or the sync walk."""
    return served.get("user_call_logs", 0) + served.get("user_call_logs_sync", 0)
