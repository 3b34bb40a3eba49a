"""The default selection, as a new user gets it, on an account whose legacy endpoints are gone.

Zoom has sunset the legacy call-log endpoints (`call_logs`, `call_logs/sync`, the account's
`/phone/call_logs`): there they answer 404 like an unknown path. The default selection of
meltano.yml must not need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pytest

from tests.e2e.harness import (
    EMULATOR_CONFIG,
    RUN,
    assert_history_matches_truth,
    loaded_keys,
    start_emulator,
    truth,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.e2e.harness import EmulatorProcess, MeltanoProject

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

RETIRED = ("user_call_logs", "user_call_logs_sync", "account_call_logs")


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """The e2e account (fixed clock) with Zoom's legacy call-log endpoints retired."""
    workdir = tmp_path / "emulator"
    workdir.mkdir()
    with start_emulator(workdir, {**EMULATOR_CONFIG, "retired": list(RETIRED)}) as emulator:
        yield emulator


def test_the_default_selection_gets_every_call_without_the_legacy_endpoints(
    meltano: MeltanoProject, emulator_process: EmulatorProcess
) -> None:
    assert "TAP_ZOOMPHONE__SELECT" not in meltano.env  # meltano.yml's own `select:`
    done = meltano(*RUN)  # fails the test with the stderr tail unless it exits 0
    path = meltano.duckdb_path

    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.sql(
            "select table_name from information_schema.tables where table_schema = 'zoomphone'"
        ).fetchall()
    assert {table for (table,) in tables} == {"phone_users", "user_call_history"}

    users = emulator_process.user_ids()
    assert sorted(row[0] for row in loaded_keys(path, "phone_users", "id")) == sorted(users)
    rows = loaded_keys(path, "user_call_history", "user_id", "call_element_id")
    assert_history_matches_truth([(user, element) for user, element in rows], emulator_process)
    # Every call of the account, each with its path's elements, as Zoom's v2 records carry them.
    calls = {row[0] for row in loaded_keys(path, "user_call_history", "call_history_uuid")}
    assert calls == truth(emulator_process, "call_history")

    requests = emulator_process.requests_by_endpoint()
    assert all(requests.get(route, 0) == 0 for route in RETIRED), requests
    # Quiet: Meltano's log shows each stream's count and duration, no line per request.
    assert "record_count" in done.stderr
    assert "sync_duration" in done.stderr
    assert "http_request_duration" not in done.stderr
