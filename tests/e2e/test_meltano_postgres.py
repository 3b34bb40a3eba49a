"""`meltano run tap-zoomphone target-postgres` into a real PostgreSQL (MeltanoLabs, upsert)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import (
    LEGACY_SELECT,
    assert_incremental,
    assert_matches_truth,
    assert_one_token_per_user,
    read_postgres,
)

if TYPE_CHECKING:
    from tests.e2e.harness import EmulatorProcess, MeltanoProject, PostgresServer

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]


@pytest.fixture(autouse=True)
def _legacy_selection(meltano: MeltanoProject) -> None:
    """Follow `call_logs`, for accounts that still have it (the defaults: test_meltano_defaults)."""
    meltano.env["TAP_ZOOMPHONE__SELECT"] = LEGACY_SELECT


STATE_ID = "demo:tap-zoomphone-to-target-postgres"
RUN = ("run", "tap-zoomphone", "target-postgres")


def test_run_into_postgres_is_complete_then_incremental(
    meltano: MeltanoProject,
    emulator_process: EmulatorProcess,
    postgres_server: PostgresServer,
    postgres_database: str,
) -> None:
    meltano.env.update(postgres_server.target_env(postgres_database))
    conninfo = postgres_server.conninfo(postgres_database)

    meltano(*RUN)
    first = read_postgres(conninfo)
    assert len(first.call_logs) == len(emulator_process.all_truth())
    assert len(first.phone_users) == len(emulator_process.user_ids())
    assert_matches_truth(first, emulator_process)
    first_state = assert_one_token_per_user(meltano, emulator_process, STATE_ID)
    first_requests = emulator_process.requests_by_endpoint()

    new = emulator_process.advance_until_new_calls()
    meltano(*RUN)
    second = read_postgres(conninfo)
    # Upsert: the new calls were added, nothing was loaded twice, the users were not duplicated.
    assert len(second.call_logs) == len(first.call_logs) + len(new)
    assert len(second.phone_users) == len(first.phone_users)
    assert_matches_truth(second, emulator_process, earlier=set(first.call_log_ids))
    assert assert_one_token_per_user(meltano, emulator_process, STATE_ID) != first_state

    requests = emulator_process.requests_by_endpoint()
    assert_incremental(first_requests, requests, users=len(emulator_process.user_ids()))
