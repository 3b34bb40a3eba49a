"""The README's main command, `./scripts/extract`, works in a fresh clone of the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import (
    REPO,
    clean_env,
    describe,
    free_port,
    kill_group,
    port_is_open,
    run,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

# uv sync, meltano install of every plugin and a run: ~25 s with warm caches, minutes without.
EXTRACT_TIMEOUT = 1200


def test_scripts_extract_from_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "tap-zoomphone"
    run(["git", "clone", "--quiet", REPO, clone], env=clean_env(), cwd=tmp_path)  # committed HEAD
    port = free_port()
    env = clean_env(
        ZOOMPHONE_EMULATOR_USERS="4",
        ZOOMPHONE_EMULATOR_CALLS="100",
        ZOOMPHONE_EMULATOR_PORT=str(port),
    )
    # Its own process group, so whatever the script leaves behind can be stopped afterwards.
    with subprocess.Popen(
        ["./scripts/extract"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as script:
        try:
            stdout, stderr = script.communicate(timeout=EXTRACT_TIMEOUT)
        except subprocess.TimeoutExpired:
            kill_group(script.pid)
            stdout, stderr = script.communicate()
            pytest.fail("timed out: " + describe(script.args, None, stdout, stderr))
        # Its exit trap sends the emulator SIGTERM without waiting; that takes up to ~0.5 s.
        deadline = time.monotonic() + 10
        while (leaked := port_is_open(port)) and time.monotonic() < deadline:
            time.sleep(0.1)
        kill_group(script.pid)  # anything left of the script's process group
    assert script.returncode == 0, describe(script.args, script.returncode, stdout, stderr)
    assert not leaked, f"./scripts/extract left its emulator listening on 127.0.0.1:{port} for 10 s"

    assert re.search(r"DuckDB file: \S*/output/warehouse\.duckdb$", stdout, re.MULTILINE), stdout
    counts = {
        table: int(rows) for table, rows in re.findall(r"zoomphone\.(\w+): (\d+) rows", stdout)
    }
    assert counts.get("phone_users") == 4, stdout
    assert counts.get("user_call_history", 0) > 0, stdout
    assert "call_logs" not in counts, stdout  # the default selection reads no legacy endpoint
    # The successor data: its date range and the path of a call, element by element.
    assert re.search(r"user_call_history: \d+ rows, start_time from \S+", stdout), stdout
    assert re.search(r"\d+ calls by call_history_uuid, each a path of 1 to \d+ elements", stdout)
    assert (clone / "output" / "warehouse.duckdb").is_file()
    shutil.rmtree(clone, ignore_errors=True)  # a virtualenv and the plugins: hundreds of MB
