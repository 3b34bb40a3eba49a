"""Fixtures of the end-to-end tests: real Meltano, a real emulator process, real databases."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import (
    EMULATOR_CONFIG,
    EmulatorProcess,
    MeltanoProject,
    PostgresServer,
    clean_env,
    install_plugins,
    postgres_bin_dir,
    postgres_runner,
    start_emulator,
    start_postgres,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="session")
def meltano_env() -> dict[str, str]:
    """`meltano install` once per session; the environment every Meltano command starts from."""
    env = clean_env(MELTANO_SEND_ANONYMOUS_USAGE_STATS="false")
    install_plugins(env)
    return env


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """`zoomphone-emulator --port 0`: frozen clock, 6 users, ~300 calls; stopped after the test."""
    workdir = tmp_path / "emulator"
    workdir.mkdir()
    with start_emulator(workdir, EMULATOR_CONFIG) as emulator:
        yield emulator


@pytest.fixture
def meltano(
    meltano_env: dict[str, str], emulator_process: EmulatorProcess, tmp_path: Path
) -> MeltanoProject:
    """Meltano pointed at this test's emulator, with its own system database and outputs."""
    work = tmp_path / "meltano"
    (work / "jsonl").mkdir(parents=True)
    env = {
        **meltano_env,
        **emulator_process.tap_env,
        "MELTANO_DATABASE_URI": f"sqlite:///{work / 'meltano.db'}",
        "TARGET_DUCKDB_FILEPATH": str(work / "warehouse.duckdb"),
        "TARGET_JSONL_DESTINATION_PATH": str(work / "jsonl"),
    }
    return MeltanoProject(env, work)


def _skip_or_fail(reason: str) -> None:
    """No usable PostgreSQL: CI must have one (fail); a developer's machine may not (skip)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this fails (./scripts/test installs PostgreSQL)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on 127.0.0.1 (trust auth) for the session; stopped at its end."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        _skip_or_fail("PostgreSQL is not installed: no pg_ctl/initdb on PATH or in /usr/lib")
    runner = postgres_runner()
    if isinstance(runner, str):
        _skip_or_fail(runner)
    assert bin_dir is not None
    assert isinstance(runner, list)
    with start_postgres(bin_dir, runner) as server:
        yield server


@pytest.fixture
def postgres_database(postgres_server: PostgresServer, tmp_path: Path) -> str:
    """A new, empty database on the session's server, for one test."""
    return postgres_server.create_database(re.sub(r"\W", "_", f"zp_{tmp_path.name}")[:60].lower())
