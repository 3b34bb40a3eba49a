"""What the end-to-end tests drive: commands, the emulator process, Meltano, PostgreSQL, DuckDB.

Every server started here is stopped by the context manager that started it, every command
runs with a timeout, and nothing from the developer's environment (Zoom credentials, MELTANO_*
or TARGET_* variables, another virtualenv) leaks into a run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import psycopg
import pytest
import requests
from psycopg import sql

from tests.tapruns import CLOCK_START

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the project's .venv/bin when pytest runs from it

INSTALL_TIMEOUT = 1200  # `meltano install` on a fresh machine downloads every plugin
RUN_TIMEOUT = 300  # one `meltano run` of the small emulator account takes ~10 s
COMMAND_TIMEOUT = 120

# The account of the e2e tests: 6 users, 50 calls each on average (~300 calls), a frozen clock
# at the tests' fixed start.
EMULATOR_CONFIG: dict[str, Any] = {
    "frozen": True,
    "clock_start": CLOCK_START.isoformat(),
    "seed": 4242,
    "users": 6,
    "calls_per_user": 50,
}

# The legacy selection, for the tests that follow `call_logs` on an account that still has it
# (meltano.yml's default selection is `phone_users` and `user_call_history`).
LEGACY_SELECT = json.dumps(["phone_users.*", "call_logs.*"])

# Inherited variables that would change what a run does.
LEAKY_PREFIXES = ("TAP_ZOOMPHONE_", "TARGET_", "MELTANO_", "ZOOMPHONE_EMULATOR_", "PG")
LEAKY_NAMES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")


def bin_path(name: str) -> str:
    """The project venv's console script `name`, else the one on PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is neither in {BIN} nor on PATH")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without the leaky variables, plus UV_PYTHON_DOWNLOADS=never and `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(LEAKY_PREFIXES) and key not in LEAKY_NAMES
    }
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.update(extra)
    return env


def tail(text: str, lines: int = 40) -> str:
    """The last lines of a log, without the SDK's METRIC chatter."""
    kept = [line for line in text.splitlines() if "METRIC" not in line]
    return "\n".join(kept[-lines:])


def describe(args: Sequence[Any], returncode: int | None, stdout: str, stderr: str) -> str:
    """Assertion message for a command: its exit code, then the tails of stderr and stdout."""
    command = " ".join(str(part) for part in args)
    return (
        f"`{command}` exited {returncode}\n--- stderr (tail) ---\n{tail(stderr)}"
        f"\n--- stdout (tail) ---\n{tail(stdout, 15)}"
    )


def run(
    command: Sequence[str | Path],
    *,
    env: dict[str, str],
    timeout: float = COMMAND_TIMEOUT,
    cwd: Path = REPO,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion (`subprocess.run` semantics) within `timeout` seconds.

    The command gets its own process group: on timeout the whole group is killed (for
    `meltano run` that is the tap and the target too) and the test fails with the stderr tail.
    With `check`, a non-zero exit fails the test with the stderr tail.
    """
    args = [str(part) for part in command]
    with subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process.pid)
            stdout, stderr = process.communicate()
            pytest.fail(f"timed out after {timeout} s: " + describe(args, None, stdout, stderr))
    done = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    if check:
        assert done.returncode == 0, describe(args, done.returncode, stdout, stderr)
    return done


def kill_group(pid: int) -> None:
    """SIGKILL the process group led by `pid` (a command this module started)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def duplicates(ids: list[str]) -> list[str]:
    return sorted(key for key, n in Counter(ids).items() if n > 1)


def by_user(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    """(id, user_id) rows grouped as {user_id: [id, ...]}."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for record_id, user_id in rows:
        grouped[user_id].append(record_id)
    return dict(grouped)


# --------------------------------------------------------------------------------------------
# The Zoom Phone emulator, in its own process
# --------------------------------------------------------------------------------------------


@dataclass
class EmulatorProcess:
    """A running `zoomphone-emulator` and its admin routes (ground truth, clock, stats)."""

    url: str

    @property
    def api_url(self) -> str:
        return f"{self.url}/v2"

    @property
    def oauth_url(self) -> str:
        return f"{self.url}/oauth/token"

    @property
    def tap_env(self) -> dict[str, str]:
        """What points the tap at this emulator; the credentials stay meltano.yml's `demo` ones."""
        return {"TAP_ZOOMPHONE_API_URL": self.api_url, "TAP_ZOOMPHONE_OAUTH_URL": self.oauth_url}

    def admin(self, method: str, route: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}/_emulator/{route}", timeout=30, **kwargs)
        assert response.status_code == 200, f"{method} /_emulator/{route}: {response.text}"
        return response.json()

    def user_ids(self) -> list[str]:
        return [user["id"] for user in self.admin("GET", "users")["users"]]

    def truth(self, user_id: str) -> set[str]:
        """Ids of the user's call logs that a complete extraction returns now."""
        answer = self.admin("GET", "truth", params={"kind": "call_logs", "user_id": user_id})
        return set(answer["ids"])

    def history_truth(self, user_id: str) -> set[str]:
        """Element ids of the user's call history that a complete extraction returns now."""
        params = {"kind": "user_call_history", "user_id": user_id}
        return set(self.admin("GET", "truth", params=params)["ids"])

    def truth_by_user(self) -> dict[str, set[str]]:
        return {user: self.truth(user) for user in self.user_ids()}

    def all_truth(self) -> set[str]:
        return set().union(*self.truth_by_user().values())

    def requests_by_endpoint(self) -> dict[str, int]:
        return dict(self.admin("GET", "stats")["requests_by_endpoint"])

    def records_served(self) -> dict[str, int]:
        return dict(self.admin("GET", "stats")["records_served"])

    def advance(self, seconds: float) -> str:
        return str(self.admin("POST", "clock", json={"advance_seconds": seconds})["now"])

    def advance_until_new_calls(self, step_hours: float = 6, minimum: int = 3) -> set[str]:
        """Move the clock forward 6 h at a time until at least `minimum` new calls are visible.

        The account makes ~1.5 calls a day, so one fixed step may bring nothing new on some
        days; at most 5 days pass, well within the sync tokens' 7-day lifetime.
        """
        before = self.all_truth()
        steps = 20
        for _ in range(steps):
            self.advance(step_hours * 3600)
            new = self.all_truth() - before
            if len(new) >= minimum:
                return new
        pytest.fail(f"fewer than {minimum} new calls after {steps * step_hours} h on the emulator")


@contextlib.contextmanager
def start_emulator(workdir: Path, config: dict[str, Any]) -> Iterator[EmulatorProcess]:
    """`zoomphone-emulator --port 0 --config FILE`; reads the URL it prints; SIGTERM after."""
    config_path = workdir / "emulator.json"
    config_path.write_text(json.dumps(config))
    out_path, err_path = workdir / "emulator.out", workdir / "emulator.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [bin_path("zoomphone-emulator"), "--port", "0", "--config", str(config_path)],
            stdout=out,
            stderr=err,
            env=clean_env(),
            cwd=workdir,
        )
    try:
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"listening on (http://\S+)", out_path.read_text())
            if found:
                url = found.group(1).rstrip("/")
            else:
                time.sleep(0.05)
        assert url, f"the emulator did not start (exit {process.poll()}): {err_path.read_text()}"
        emulator = EmulatorProcess(url)
        assert emulator.admin("GET", "health")["status"] == "ok"
        yield emulator
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# --------------------------------------------------------------------------------------------
# Meltano
# --------------------------------------------------------------------------------------------


@dataclass
class MeltanoProject:
    """The repository's Meltano project with this test's system database and output paths."""

    env: dict[str, str]
    work: Path

    @property
    def duckdb_path(self) -> Path:
        return Path(self.env["TARGET_DUCKDB_FILEPATH"])

    def __call__(
        self, *args: str, timeout: float = RUN_TIMEOUT, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run `meltano ARGS` in the repository root."""
        return run([bin_path("meltano"), *args], env=self.env, timeout=timeout, check=check)

    def singer_state(self, state_id: str) -> dict[str, Any]:
        """The tap's STATE that `meltano state get STATE_ID` shows."""
        done = self("state", "get", state_id, timeout=COMMAND_TIMEOUT)
        assert done.stdout.strip(), f"`meltano state get {state_id}` printed nothing"
        return dict(json.loads(done.stdout)["singer_state"])


def install_plugins(env: dict[str, str]) -> None:
    """`meltano install` in the repository (plugins go to its gitignored `.meltano/`)."""
    with tempfile.TemporaryDirectory(prefix="zoomphone-e2e-install-") as tmp:
        # Installing needs a system database: a throwaway one, the developer's stays untouched.
        install_env = {**env, "MELTANO_DATABASE_URI": f"sqlite:///{tmp}/meltano.db"}
        run([bin_path("meltano"), "install"], env=install_env, timeout=INSTALL_TIMEOUT)
    for plugin in ("extractors/tap-zoomphone", "loaders/target-duckdb", "loaders/target-jsonl"):
        assert (REPO / ".meltano" / plugin / "venv").is_dir(), f"{plugin} was not installed"
    assert (REPO / ".meltano" / "loaders" / "target-postgres" / "venv").is_dir()


def user_bookmarks(state: dict[str, Any], stream: str = "call_logs") -> dict[str, dict[str, Any]]:
    """A per-user stream's bookmarks: {user_id: {"sync_token": ..., "synced_to": ...}}."""
    return dict(state["bookmarks"][stream]["users"])


# --------------------------------------------------------------------------------------------
# Warehouses
# --------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What a run left in a warehouse: call_logs (id, user_id) rows and phone_users ids."""

    call_logs: list[tuple[str, str]]
    phone_users: list[str]

    @property
    def call_log_ids(self) -> list[str]:
        return [record_id for record_id, _ in self.call_logs]


def loader_duckdb_versions() -> list[str]:
    """duckdb versions installed in target-duckdb's venv (its file format is the reader's)."""
    site = REPO / ".meltano" / "loaders" / "target-duckdb" / "venv" / "lib"
    return [
        path.name.removeprefix("duckdb-").removesuffix(".dist-info")
        for path in site.glob("python*/site-packages/duckdb-*.dist-info")
    ]


# The README's main job, as the e2e tests run it in a Meltano project.
RUN = ("run", "tap-zoomphone", "target-duckdb")


def loaded_keys(path: Path, table: str, *columns: str) -> list[tuple[str, ...]]:
    """The given columns of every row of a loaded table in the DuckDB file."""
    with duckdb.connect(str(path), read_only=True) as connection:
        query = f"select {', '.join(columns)} from zoomphone.{table}"  # noqa: S608  # our names
        return [tuple(row) for row in connection.sql(query).fetchall()]


def truth(emulator: EmulatorProcess, kind: str, **params: str) -> set[str]:
    """The emulator's ground truth: the ids of `kind` it serves (narrowed by `params`)."""
    return set(emulator.admin("GET", "truth", params={"kind": kind, **params})["ids"])


def read_duckdb(path: Path, schema: str = "zoomphone") -> Loaded:
    """Read the DuckDB file (read-only; closed on return, before the next run opens it)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        logs = connection.sql(f"select id, user_id from {schema}.call_logs").fetchall()  # noqa: S608
        users = connection.sql(f"select id from {schema}.phone_users").fetchall()  # noqa: S608
    return Loaded([(str(a), str(b)) for a, b in logs], [str(u) for (u,) in users])


def read_postgres(conninfo: str, schema: str = "zoomphone") -> Loaded:
    """Read the tables target-postgres wrote (one short connection)."""
    with psycopg.connect(conninfo, connect_timeout=10) as connection:
        logs = connection.execute(
            sql.SQL("select id, user_id from {}.call_logs").format(sql.Identifier(schema))
        ).fetchall()
        users = connection.execute(
            sql.SQL("select id from {}.phone_users").format(sql.Identifier(schema))
        ).fetchall()
    return Loaded([(str(a), str(b)) for a, b in logs], [str(u) for (u,) in users])


def postgres_bin_dir() -> Path | None:
    """Directory of pg_ctl and initdb: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent

    def version(pg_ctl: Path) -> int:
        name = pg_ctl.parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=version)
    return found[-1].parent if found else None


@dataclass
class PostgresServer:
    """A PostgreSQL server on 127.0.0.1 with trust authentication and superuser `postgres`."""

    bin_dir: Path
    port: int
    as_postgres: list[str]
    user: str = "postgres"
    host: str = "127.0.0.1"

    def conninfo(self, database: str) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={database}"

    def target_env(self, database: str) -> dict[str, str]:
        """Settings of the `target-postgres` loader for `database` on this server."""
        return {
            "TARGET_POSTGRES_HOST": self.host,
            "TARGET_POSTGRES_PORT": str(self.port),
            "TARGET_POSTGRES_USER": self.user,
            "TARGET_POSTGRES_PASSWORD": "",
            "TARGET_POSTGRES_DATABASE": database,
        }

    def create_database(self, name: str) -> str:
        createdb = self.bin_dir / "createdb"
        run(
            [
                *self.as_postgres,
                createdb,
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                name,
            ],
            env=clean_env(),
        )
        return name


def postgres_runner() -> list[str] | str:
    """The prefix that runs server commands (initdb refuses root), or why there is none."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        return "running as root and `runuser` is missing (initdb refuses to run as root)"
    try:
        import pwd  # noqa: PLC0415 - POSIX only, needed only as root

        pwd.getpwnam("postgres")
    except KeyError:
        return "running as root and there is no `postgres` user (initdb refuses to run as root)"
    return [runuser, "-u", "postgres", "--"]


@contextlib.contextmanager
def start_postgres(bin_dir: Path, as_postgres: list[str]) -> Iterator[PostgresServer]:
    """initdb a throwaway cluster, `pg_ctl start` it on 127.0.0.1; `pg_ctl stop -m fast` after."""
    # Not under pytest's basetemp: it is mode 0700 for root, the postgres user cannot enter it.
    base = Path(tempfile.mkdtemp(prefix="zoomphone-e2e-pg-"))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir()
    if as_postgres:
        for path in (base, sockets):
            shutil.chown(path, "postgres", "postgres")
    env = clean_env(LC_ALL="C", LANG="C")
    pg_ctl = [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data)]
    port = free_port()
    started = False
    try:
        initdb = [*as_postgres, bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust"]
        run([*initdb, "-E", "UTF8", "--no-sync"], env=env)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
        started = True
        done = run(
            [*pg_ctl, "-l", log, "-o", options, "-w", "-t", "60", "start"],
            env=env,
            timeout=90,
            check=False,
        )
        assert done.returncode == 0, (
            describe(done.args, done.returncode, done.stdout, done.stderr)
            + f"\n--- server log ---\n{log.read_text() if log.exists() else ''}"
        )
        yield PostgresServer(bin_dir, port, as_postgres)
    finally:
        if started:
            run([*pg_ctl, "stop", "-m", "fast", "-w", "-t", "60"], env=env, timeout=90, check=False)
        shutil.rmtree(base, ignore_errors=True)


def assert_matches_truth(
    loaded: Loaded, emulator: EmulatorProcess, earlier: set[str] | None = None
) -> None:
    """Every user's call_logs rows are exactly the emulator's ground truth, each once.

    `earlier`: ids loaded by a previous run; they may stay in the warehouse after they aged
    out of Zoom's six months (the emulator's clock moves its midnight-based boundary too).
    """
    assert duplicates(loaded.call_log_ids) == [], "primary key `id` repeated in call_logs"
    truth = emulator.truth_by_user()
    got = {user: set(ids) for user, ids in by_user(loaded.call_logs).items()}
    assert set(got) <= set(truth), f"rows of unknown users: {set(got) - set(truth)}"
    for user, expected in truth.items():
        rows = got.get(user, set())
        unexpected = rows - expected - (earlier or set())
        assert expected <= rows, f"user {user}: {len(expected - rows)} missing"
        assert not unexpected, f"user {user}: {len(unexpected)} unexpected"
    assert sorted(loaded.phone_users) == sorted(truth), "phone_users rows != the account's users"


def assert_history_matches_truth(
    elements: list[tuple[str, str]], emulator: EmulatorProcess
) -> None:
    """Every user's user_call_history rows, as (user_id, call_element_id), are the truth, once."""
    assert duplicates([f"{user} {element}" for user, element in elements]) == []
    for user in emulator.user_ids():
        got = {element for owner, element in elements if owner == user}
        assert got == emulator.history_truth(user), f"user {user}"


def assert_one_token_per_user(
    meltano: MeltanoProject, emulator: EmulatorProcess, state_id: str
) -> dict[str, Any]:
    """`meltano state get` shows the tap's STATE with a sync token for every user."""
    state = meltano.singer_state(state_id)
    bookmarks = user_bookmarks(state)
    assert sorted(bookmarks) == sorted(emulator.user_ids()), state
    assert all(b.get("sync_token") for b in bookmarks.values()), state
    return state


def assert_incremental(before: dict[str, int], after: dict[str, int], users: int) -> None:
    """Between two request counts of the emulator, only the sync endpoint read call logs.

    A backfill walks `user_call_logs` (the list endpoint, month by month); an incremental run
    asks `user_call_logs_sync` once per user (more when many calls are new) and nothing else
    but a token, the user list and, once a day, the settle read of the account's call history.
    """
    grew = {name for name, count in after.items() if count > before.get(name, 0)}
    # call_history: the settle read, once a day (a page or two), when one is due
    assert grew <= {"oauth", "users", "user_call_logs_sync", "call_history"}, (before, after)
    assert after.get("call_history", 0) - before.get("call_history", 0) <= 2, (before, after)
    assert after.get("user_call_logs", 0) == before.get("user_call_logs", 0), (before, after)
    assert after["user_call_logs_sync"] - before.get("user_call_logs_sync", 0) >= users
