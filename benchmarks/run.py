"""Benchmark tap-zoomphone end to end against the bundled emulator, and print the figures.

Run by hand (never by the test suite), on an otherwise idle machine:

    uv run python benchmarks/run.py            # every scenario, about 12 minutes
    uv run python benchmarks/run.py --quick    # smaller data, for a smoke check
    uv run python benchmarks/run.py throughput memory   # chosen scenarios
    uv run python benchmarks/run.py costs      # first-run request costs, list vs auto backfill

Install with bytecode first (./scripts/test or ./scripts/extract do: UV_COMPILE_BYTECODE=1):
without .pyc files every tap process compiles the SDK again, about a second of its startup.

Each scenario starts `zoomphone-emulator` as its own process (its data generated and cached
before timing, so the emulator is not what is measured), then runs the whole `tap-zoomphone`
process and reads its wall time, CPU time and peak RSS from the operating system.

Scenario `costs` counts requests instead: a first run of `call_logs` with each
`backfill_method`, unpaced against an unlimited emulator, then its time at Zoom Business rates
worked out from the counts.

Scenario `settle` runs a schedule of incremental runs three hours apart over three days against
an emulator whose records appear late and change after they appear, under both readings of
ISync, and prints what the settle reads cost per day (scaled to 5,000 users), the share of
duplicates each stream emitted, and how many records ended missing or stale.

Scenario `children` reads `call_history` with `call_elements` (one Light request per call, on
the crawl's workers) at 150 and 300 ms latency, and prints the Light requests per second against
the paced ceiling.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import requests

from tap_zoomphone.reading.windows import month_windows, readable_floor

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
OUT_DIR = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
PAGE_CAP = 300
USERS_PAGE_CAP = 100
# Scenario 3 leaves 5 % of each limit to other apps (the tap's default is 10 %).
HEADROOM = 0.05
# Scenarios 1-5 measure the record path and pacing on month windows, as they always have;
# scenario 6 compares that with the sync walk.
LIST_ONLY = {"rate_limit_plan": "100000", "backfill_method": "list"}
# Scenario `costs`: Zoom Business per-second limits by rate label and its Heavy daily cap; the
# tap paces each label at 90 % of its limit (default rate_limit_headroom 0.1), labels at once.
BUSINESS_LIMITS = {"Heavy": 10, "Medium": 20, "Light": 40}
BUSINESS_DAILY_CAP = 30_000
PACED_SHARE = 0.9
COST_CALLS = 35
COST_METHODS = ("list", "auto")
# Every scenario measures call_logs (with phone_users), as its figures always have.
MEASURED_STREAMS = ("phone_users", "call_logs")


@dataclass
class Emulator:
    """An emulator process and its admin routes."""

    process: subprocess.Popen[str]
    url: str

    def admin(self, method: str, route: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}/_emulator/{route}", timeout=600, **kwargs)
        response.raise_for_status()
        return response.json()

    def stats(self) -> dict[str, Any]:
        return dict(self.admin("GET", "stats"))

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def emulator(**config: Any) -> Any:
    """Start an emulator with `config`, warm its cache, stop it afterwards."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"frozen": True, "unknown_fields": False, **config}, handle)
    process = subprocess.Popen(
        [str(BIN / "zoomphone-emulator"), "--port", "0", "--config", handle.name],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        url = line.strip().rsplit(" ", 1)[-1]
        if not url.startswith("http://127.0.0.1:"):
            msg = f"emulator did not start: {line!r}"
            raise RuntimeError(msg)
        emu = Emulator(process, url)
        warmed = emu.admin(
            "POST", "warm", json={"kinds": ["user_call_logs", "user_call_logs_sync"]}
        )
        print(f"    emulator warmed: {warmed['records']:,} records in {warmed['seconds']:.1f}s")
        yield emu
    finally:
        process.terminate()
        process.wait(timeout=30)
        Path(handle.name).unlink()


@dataclass
class TapRun:
    """What one tap process did."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    records: int
    returncode: int
    stderr: str


def run_tap(emu: Emulator, output: Path | None = None, **settings: Any) -> TapRun:
    """Run the whole tap process against the emulator; count the RECORD lines it wrote.

    `streams` (not a tap setting) names the streams to select, MEASURED_STREAMS by default.
    """
    streams: tuple[str, ...] = settings.pop("streams", MEASURED_STREAMS)
    config = {
        "api_url": f"{emu.url}/v2",
        "oauth_url": f"{emu.url}/oauth/token",
        "account_id": "emulator-account",
        "client_id": "emulator-client",
        "client_secret": "emulator-secret",
        "progress_interval_seconds": 3600,
        **settings,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as catalog:
        json.dump(_catalog(streams), catalog)
    target = output or Path(os.devnull)
    with target.open("wb") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(BIN / "tap-zoomphone"), "--config", handle.name, "--catalog", catalog.name],
            stdout=out,
            stderr=err,
        )
        peak_kb = _watch_peak_rss(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read()
    Path(handle.name).unlink()
    Path(catalog.name).unlink()
    records = _stream_records(stderr, "call_logs")
    return TapRun(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=peak_kb / 1024,
        records=records,
        returncode=os.waitstatus_to_exitcode(status),
        stderr=stderr,
    )


def _watch_peak_rss(pid: int) -> int:
    """The process's peak resident memory (VmHWM, KB), read until it exits.

    Not ru_maxrss: on Linux a forked child starts with its parent's high-water mark, and this
    benchmark process holds a million parsed records by then.
    """
    peak = 0
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            return peak
        if "State:\tZ" in text:
            return peak
        for line in text.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
        time.sleep(0.05)


def bare_loop_rate(records_file: Path) -> tuple[float, int]:
    """Records/s of the bare bound: parsed records in memory, each written as a RECORD line."""
    records = [
        message["record"]
        for message in map(orjson.loads, records_file.read_bytes().splitlines())
        if message["type"] == "RECORD" and message["stream"] == "call_logs"
    ]
    with Path(os.devnull).open("wb") as sink:
        started = time.perf_counter()
        sink.writelines(
            orjson.dumps(
                {
                    "type": "RECORD",
                    "stream": "call_logs",
                    "record": record,
                    "time_extracted": dt.datetime.now(dt.UTC),
                },
                option=orjson.OPT_APPEND_NEWLINE,
            )
            for record in records
        )
        elapsed = time.perf_counter() - started
    size = sum(len(orjson.dumps(r)) for r in records[:1000]) // max(1, min(1000, len(records)))
    return len(records) / elapsed, size


def minimum_requests(emu: Emulator, users: list[str]) -> int:
    """The fewest requests a first run can make on this data, tokens established.

    One access token, the users list, and per user one sync request (its token) plus, for
    each one-month window of the readable range (the fewest windows that cover it), one
    request per 300 records, at least one.
    """
    now = dt.datetime.fromisoformat(emu.admin("GET", "health")["now"])
    total = 1 + -(-len(users) // USERS_PAGE_CAP)
    for user in users:
        total += 1
        for window in month_windows(readable_floor(now), now):
            ids = emu.admin(
                "GET",
                "truth",
                params={
                    "kind": "call_logs",
                    "user_id": user,
                    "from": window.start.isoformat(),
                    "to": window.end.isoformat(),
                },
            )["ids"]
            total += max(1, -(-len(ids) // PAGE_CAP))
    return total


def scenario_throughput(quick: bool) -> None:
    users, calls = (40, 500) if quick else (200, 1000)
    print(f"\n1. Zero latency, {users} users x {calls} calls")
    with emulator(users=users, calls_per_user=calls, plan="off") as emu:
        emu.admin("POST", "stats/reset")
        cpu_before = emu.cpu_seconds()
        run = run_tap(emu, **LIST_ONLY)  # to /dev/null, like the bare loop
        emulator_cpu = emu.cpu_seconds() - cpu_before
        stats = emu.stats()
        user_ids = [user["id"] for user in emu.admin("GET", "users")["users"]]
        minimum = minimum_requests(emu, user_ids)
        # The same records again, kept this time, for the bare loop (not timed).
        output = OUT_DIR / "tap-zoomphone-bench.jsonl"
        run_tap(emu, output, **LIST_ONLY)
    bare, size = bare_loop_rate(output)
    output.unlink()
    rate = run.records / run.seconds
    print(f"   tap: {run.records:,} records in {run.seconds:.2f}s = {rate:,.0f} records/s")
    print(
        f"        tap CPU {run.cpu_seconds:.1f}s, emulator CPU {emulator_cpu:.1f}s, "
        f"exit {run.returncode}"
    )
    print(
        f"   bare bound (parsed records -> orjson RECORD lines, {size} B each): "
        f"{bare:,.0f} records/s"
    )
    print(f"   tap / bare bound = {rate / bare:.3f}   (target >= 0.08)")
    made = stats["requests_total"]
    print(f"\n5. Requests: {made:,} made, {minimum:,} the minimum for this data")
    print(f"   made / minimum = {made / minimum:.3f}   (target <= 1.05)")


def scenario_users(quick: bool) -> None:
    total = 40_000 if quick else 200_000
    print(f"\n2. Same {total:,} records over 50 users and over 5,000 users")
    rates = {}
    for users in (50, 5000):
        with emulator(users=users, calls_per_user=total // users, plan="off") as emu:
            run = run_tap(emu, **LIST_ONLY)
            stats = emu.stats()
        rates[users] = run.records / run.seconds
        print(
            f"   {users:>5} users: {run.records:,} records in {run.seconds:.1f}s = "
            f"{rates[users]:,.0f} records/s, {stats['requests_total']:,} requests, "
            f"peak RSS {run.peak_rss_mb:.0f} MB"
        )
    print(f"   5,000 users / 50 users = {rates[5000] / rates[50]:.3f}   (target >= 0.8)")


def scenario_latency(quick: bool) -> None:
    users, calls = (6, 200) if quick else (20, 400)
    print(
        f"\n3. 150 ms latency with jitter, business plan, {users} users x {calls} calls, "
        f"rate_limit_headroom {HEADROOM}"
    )
    results = {}
    for workers in (1, 8):
        with emulator(
            users=users, calls_per_user=calls, plan="business", latency_ms=150, jitter_ms=50
        ) as emu:
            emu.admin("POST", "stats/reset")
            run = run_tap(
                emu,
                rate_limit_plan="business",
                rate_limit_headroom=HEADROOM,
                max_workers=workers,
                backfill_method="list",
            )
            stats = emu.stats()
        heavy = stats["requests_by_endpoint"].get("user_call_logs", 0)
        failed = sum(n for code, n in stats["status_counts"].items() if int(code) >= 400)
        results[workers] = run.seconds
        print(
            f"   max_workers={workers}: {run.seconds:.1f}s, {stats['requests_total']} requests, "
            f"{heavy} on the Heavy list endpoint, failed requests {failed}, exit {run.returncode}"
        )
        if workers > 1:
            window = _busy_seconds(run.stderr) or run.seconds
            print(
                f"   Heavy requests/s while crawling: {heavy / window:.2f} of a 10/s ceiling "
                f"= {heavy / window / 10:.0%}   (target >= 90%)"
            )
    print(f"   wall time 8 workers / 1 worker = {results[8] / results[1]:.3f}   (target <= 0.125)")


def _busy_seconds(stderr: str) -> float | None:
    """How long call_logs ran, from its summary line."""
    for line in stderr.splitlines():
        if "call_logs finished:" in line:
            text = line.split(" in ", 1)[1].split(";", 1)[0]
            minutes, _, seconds = text.partition("m")
            if not seconds:
                return float(minutes.rstrip("s"))
            return float(minutes) * 60 + float(seconds.rstrip("s") or 0)
    return None


def scenario_memory(quick: bool) -> None:
    users, calls = (200, 500) if quick else (1000, 1000)
    print(f"\n4. Peak memory at {users * calls:,} records ({users} users x {calls} calls)")
    with emulator(users=users, calls_per_user=calls, plan="off") as emu:
        run = run_tap(emu, **LIST_ONLY)
    print(
        f"   {run.records:,} records in {run.seconds:.0f}s; tap peak RSS {run.peak_rss_mb:.0f} MB"
        "   (target < 150 MB)"
    )


@dataclass
class Cost:
    """What one first run of call_logs asked of Zoom."""

    users: int
    method: str
    by_label: dict[str, int]
    total: int
    records: int
    note: str

    @property
    def business_seconds(self) -> float:
        """Time at Business rates: each label paced alone, the slowest one decides."""
        return max(
            self.by_label.get(label, 0) / (PACED_SHARE * limit)
            for label, limit in BUSINESS_LIMITS.items()
        )


def _catalog(streams: tuple[str, ...]) -> dict[str, Any]:
    """The tap's discovered catalog with exactly `streams` selected."""
    discovered = subprocess.run(
        [str(BIN / "tap-zoomphone"), "--discover"], capture_output=True, text=True, check=True
    )
    catalog: dict[str, Any] = json.loads(discovered.stdout)
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


def _stream_records(stderr: str, stream: str) -> int:
    """Records of one stream, from its summary line."""
    for line in stderr.splitlines():
        before, found, after = line.partition(" finished: ")
        if found and before.rsplit(" ", 1)[-1] == stream and " records from" in after:
            return int(after.split(" records", 1)[0])
    return 0


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}m{whole % 60:02d}s"


def _cost_run(emu: Emulator, users: int, method: str) -> Cost:
    """One first run (no STATE) of the default streams; retried once if the tap fails."""
    for attempt in (1, 2):
        emu.admin("POST", "stats/reset")
        run = run_tap(
            emu,
            rate_limit_plan="100000",
            backfill_method=method,
            # The whole first run, not the first day's share of the cap.
            heavy_daily_limit=10**9,
        )
        if run.returncode == 0:
            break
        tail = "\n".join(run.stderr.splitlines()[-15:])
        print(f"    tap exit {run.returncode} ({users} users, {method}, try {attempt}):\n{tail}")
        if attempt == 1:
            time.sleep(60)
    stats = emu.stats()
    notes = []
    if run.returncode:
        notes.append(f"exit {run.returncode}")
    if "every user is read by month windows" in run.stderr:
        notes.append("walk refuted")
    return Cost(
        users=users,
        method=method,
        by_label={k: int(v) for k, v in stats["requests_by_label"].items()},
        total=int(stats["requests_total"]),
        records=_stream_records(run.stderr, "call_logs"),
        note=", ".join(notes),
    )


def scenario_costs(quick: bool) -> None:
    sizes = (50, 500) if quick else (50, 2000, 5000)
    print(
        f"\n6. First-run request costs of call_logs (with phone_users): ~{COST_CALLS} calls per "
        "user over the emulator's 200 days, ~31 in the six months Zoom serves"
    )
    costs: dict[tuple[int, str], Cost] = {}
    for users in sizes:
        with emulator(users=users, calls_per_user=COST_CALLS, plan="off") as emu:
            for method in COST_METHODS:
                started = time.perf_counter()
                costs[users, method] = _cost_run(emu, users, method)
                print(
                    f"    {users:,} users, backfill_method {method}: "
                    f"{time.perf_counter() - started:.1f}s unpaced"
                )
    print(
        f"\n   {'users':>5}  {'method':<6} {'Heavy':>7} {'Medium':>7} {'Light':>6} {'total':>7} "
        f"{'req/user':>8} {'records':>8} {'Business':>9} {'daily cap':>9}  note"
    )
    for cost in costs.values():
        heavy = cost.by_label.get("Heavy", 0)
        row = (
            f"   {cost.users:>5,}  {cost.method:<6} {heavy:>7,} "
            f"{cost.by_label.get('Medium', 0):>7,} {cost.by_label.get('Light', 0):>6,} "
            f"{cost.total:>7,} {cost.total / cost.users:>8.2f} {cost.records:>8,} "
            f"{_minutes(cost.business_seconds):>9} {heavy / BUSINESS_DAILY_CAP:>9.1%}  {cost.note}"
        )
        print(row.rstrip())
    print(
        "   Heavy/Medium/Light: requests by rate label; total adds OAuth tokens. Business: time "
        f"at {PACED_SHARE:.0%} of Light 40/s, Medium 20/s, Heavy 10/s, labels paced at once."
    )
    print(
        f"   daily cap: Heavy / {BUSINESS_DAILY_CAP:,} (Business); above 50 % (the default "
        "daily_limit_share) the first run stops and resumes the next UTC day."
    )
    for users in sizes:
        auto, listed = costs[users, "auto"], costs[users, "list"]
        heavy_auto, heavy_list = auto.by_label.get("Heavy", 0), listed.by_label.get("Heavy", 0)
        share = f"{heavy_auto / heavy_list:.1%}" if heavy_list else "n/a"
        print(
            f"   {users:>5,} users: auto/list Heavy requests {heavy_auto:,}/{heavy_list:,} = "
            f"{share}; requests per user {auto.total / users:.2f} vs {listed.total / users:.2f}; "
            f"Business time {_minutes(auto.business_seconds)} vs "
            f"{_minutes(listed.business_seconds)}"
        )


SETTLE_USERS = (20, 100)
SETTLE_LINE = ": settle read of the calls started "


def _settle_reads(runs: list[Any], stream: str) -> dict[str, int]:
    """Settle reads of one stream over a schedule, from their log lines: calls, pages, users."""
    found = {"reads": 0, "calls": 0, "pages": 0, "users": 0}
    for run in runs:
        for line in run.stderr.splitlines():
            if f"| {stream}{SETTLE_LINE}" not in line:
                continue
            numbers = line.split(SETTLE_LINE, 1)[1].split(": ", 1)[1].replace(",", "").split()
            found["reads"] += 1
            found["calls"] += int(numbers[0])
            found["pages"] += int(numbers[3])
            found["users"] += int(numbers[5])
    return found


SETTLE_RUNS = 24  # three days, every three hours
SETTLE_EVERY_HOURS = 3


def _late_account(*, seed: int, users: int, calls: int, follows: str) -> Any:
    """An emulator account whose records appear late (5 %) and change once (20 %)."""
    from zoomphone_emulator import EmulatorConfig  # noqa: PLC0415 - on demand

    return EmulatorConfig(
        seed=seed,
        users=users,
        calls_per_user=calls,
        history_days=20,
        clock_start=dt.datetime(2026, 6, 4, 10, tzinfo=dt.UTC),
        frozen=True,
        plan="off",
        late_share=0.05,
        change_share=0.2,
        isync_follows=follows,
        sync_token_ttl=30 * 86400,
    )


def scenario_settle(quick: bool) -> None:
    """Late and changed records under a schedule of runs: cost per day, duplicates, losses."""
    sys.path.insert(0, str(ROOT))
    from tests.settle_schedule import (  # noqa: PLC0415 - the tests' schedule, on demand
        SETTLING_STREAMS,
        Destination,
        judge,
        run_schedule,
    )
    from tests.tapruns import run_tap as run_tap_command  # noqa: PLC0415
    from tests.tapruns import selecting  # noqa: PLC0415
    from zoomphone_emulator import run_emulator  # noqa: PLC0415

    users = SETTLE_USERS[0] if quick else SETTLE_USERS[1]
    every = dt.timedelta(hours=SETTLE_EVERY_HOURS)
    settle = dt.timedelta(hours=48)
    streams = (*SETTLING_STREAMS, "account_call_logs")
    print(
        f"\n7. Late and changed calls: {users} users, about 5 calls a user a day, 5 % of records "
        f"visible hours late (log-normal, median 3 h), 20 % changed once; {SETTLE_RUNS} runs "
        f"{SETTLE_EVERY_HOURS} h apart; settle_hours 48 (account_call_logs: lookback_hours 24)"
    )
    for follows in ("start", "visible"):
        config = _late_account(seed=2020, users=users, calls=100, follows=follows)
        with run_emulator(config) as emu:
            settings = {**emu.tap_config(), "rate_limit_plan": "1000", "max_workers": 4}
            catalog = selecting(*streams)
            first = run_tap_command(settings, catalog=catalog)
            destination = Destination()
            destination.apply(first.messages)
            destination.emitted.clear()  # duplicates are counted over the schedule only
            destination.duplicates.clear()
            started = emu.clock.now()
            destination, _, runs = run_schedule(
                emu,
                settings,
                catalog,
                runs=SETTLE_RUNS,
                every=every,
                state=first.state,
                destination=destination,
            )
            days = (emu.clock.now() - started).total_seconds() / 86400
            calls = len(emu.truth.call_history_uuids(start=started))
            print(f"   ISync follows {follows}: {calls / days:,.0f} calls a day")
            for stream in SETTLING_STREAMS:
                read = _settle_reads(runs, stream)
                pages_5000 = read["calls"] / days * 5000 / users / PAGE_CAP
                print(
                    f"     {stream:<18} {read['reads'] / days:.1f} settle reads a day: "
                    f"{read['pages'] / days:,.1f} Heavy pages, {read['users'] / days:,.1f} users' "
                    f"lists a day; at 5,000 users ~{pages_5000:,.0f} Heavy pages and "
                    f"~{read['users'] / days / users * 5000:,.0f} users' lists a day"
                )
            before = emu.clock.now() - settle / 2 - every
            for stream in streams:
                share = destination.duplicate_share(stream)
                line = (
                    f"     {stream:<18} duplicates {share:>6.1%} of {destination.emitted[stream]:,}"
                )
                if stream in SETTLING_STREAMS:
                    verdict = judge(emu, destination, stream, settle=settle, settled_before=before)
                    line += (
                        f"; settled within 48 h: {verdict.checked:,}, missing "
                        f"{len(verdict.missing)}, stale {len(verdict.stale)}; settled later "
                        f"(documented limit): {verdict.later}"
                    )
                print(line)


# The in-process emulator holds its rendered data in memory (about 1.5 GB per 1,000 users
# here): 2,000 users measured, scaled to 5,000 (requests grow with the users at one share).
HOURLY_USERS = (500, 2000)
HOURLY_SCALE_TO = 5000
HOURLY_RUNS = 24
# Calls per user over the 20 days: about 10 % of the users call in a business hour.
HOURLY_CALLS = 14
HOURLY_NAMED = "a change read of the calls started since "


def _named(stderr: str) -> int | None:
    """How many users a run's change read named (None: the run was a sweep)."""
    for line in stderr.splitlines():
        if "call_logs: plan for" in line and HOURLY_NAMED in line:
            return int(line.split(") names ", 1)[1].split(" users", 1)[0].replace(",", ""))
    return None


def scenario_hourly(quick: bool) -> None:  # noqa: PLR0915 - one table
    """Hourly runs of call_logs: requests per run by label, Business time, per day, missing."""
    sys.path.insert(0, str(ROOT))
    from tests.settle_schedule import Destination, judge  # noqa: PLC0415 - on demand
    from tests.tapruns import run_tap as run_tap_command  # noqa: PLC0415
    from tests.tapruns import selecting  # noqa: PLC0415
    from zoomphone_emulator import run_emulator  # noqa: PLC0415

    users = HOURLY_USERS[0] if quick else HOURLY_USERS[1]
    settle, sweep = dt.timedelta(hours=48), dt.timedelta(hours=24)
    print(
        f"\n8. Hourly runs of call_logs: {users:,} users, {HOURLY_CALLS / 20:g} calls a user "
        f"a day (most in business hours), 5 % of records visible hours late, 20 % changed "
        f"once; a first run, then {HOURLY_RUNS} hourly runs (sweep_hours 24: one is a "
        "sweep); settle_hours 48"
    )
    for follows in ("start", "visible"):
        config = _late_account(seed=2121, users=users, calls=HOURLY_CALLS, follows=follows)
        with run_emulator(config) as emu:
            settings = {**emu.tap_config(), "rate_limit_plan": "1000", "max_workers": 4}
            catalog = selecting("call_logs")
            first = run_tap_command(settings, catalog=catalog)
            destination = Destination()
            destination.apply(first.messages)
            state = first.state
            print(f"   ISync follows {follows}:")
            print(
                f"     {'run':>3} {'kind':<6} {'named':>6} {'Heavy':>6} {'Medium':>6} "
                f"{'Light':>6} {'total':>6} {'Business':>9}"
            )
            day_total = 0
            worst = 0.0
            busiest = 0
            most = 0
            for number in range(1, HOURLY_RUNS + 1):
                emu.clock.advance(hours=1)
                emu.reset_stats()
                run = run_tap_command(settings, state=state, catalog=catalog)
                if run.returncode != 0:
                    print(f"     run {number}: exit {run.returncode}\n{run.stderr[-2000:]}")
                    return
                destination.apply(run.messages)
                state = run.state
                stats = emu.stats()
                labels = {k: int(v) for k, v in stats["requests_by_label"].items()}
                total = sum(labels.values())
                day_total += total
                cost = Cost(users, "", labels, total, 0, "")
                named = _named(run.stderr)
                kind = "sweep" if named is None else "change"
                if named is not None:
                    worst = max(worst, cost.business_seconds)
                    busiest = max(busiest, named)
                    most = max(most, total)
                print(
                    f"     {number:>3} {kind:<6} {'-' if named is None else named:>6} "
                    f"{labels.get('Heavy', 0):>6,} {labels.get('Medium', 0):>6,} "
                    f"{labels.get('Light', 0):>6,} {total:>6,} "
                    f"{_minutes(cost.business_seconds):>9}"
                )
            scale = HOURLY_SCALE_TO / users
            print(
                f"     scaled to {HOURLY_SCALE_TO:,} users: busiest change run "
                f"~{most * scale:,.0f} requests, ~{_minutes(worst * scale)} at Business rates; "
                f"~{day_total * scale:,.0f} requests a day"
            )
            now = emu.clock.now()
            verdict = judge(
                emu, destination, "call_logs", settle=settle, settled_before=now - settle / 2
            )
            today = HOURLY_RUNS * (users + -(-users // USERS_PAGE_CAP))
            print(
                f"     per day: {day_total:,} requests (today's release: ~{today:,}, one sync "
                f"request per user and the user list each run: {day_total / today:.1%}); "
                f"slowest change run at Business rates {_minutes(worst)}, most users named "
                f"{busiest:,} ({busiest / users:.0%})"
            )
            line = (
                f"     call_logs settled within 48 h: {verdict.checked:,}, missing "
                f"{len(verdict.missing)}, stale {len(verdict.stale)}"
            )
            if follows == "visible":
                later = judge(
                    emu,
                    destination,
                    "call_logs",
                    settle=dt.timedelta(days=365),
                    settled_before=now - sweep,
                )
                line += f"; any delay, settled a sweep period ago: missing {len(later.missing)}"
            print(line)


def scenario_children(quick: bool) -> None:
    """A window's calls read one Light request each, on the crawl's workers, at Zoom's latency."""
    users, calls = (6, 40) if quick else (20, 60)
    print(
        f"\n8. call_history with call_elements: {users} users x {calls} calls, business plan, "
        f"rate_limit_headroom {HEADROOM}"
    )
    for latency, workers in ((150, 8), (300, 8), (300, 16)):
        with emulator(
            users=users, calls_per_user=calls, plan="business", latency_ms=latency, jitter_ms=50
        ) as emu:
            emu.admin("POST", "stats/reset")
            run = run_tap(
                emu,
                streams=("call_history", "call_elements"),
                rate_limit_plan="business",
                rate_limit_headroom=HEADROOM,
                max_workers=workers,
            )
            stats = emu.stats()
        light = stats["requests_by_label"].get("Light", 0)
        elements = _stream_records(run.stderr, "call_elements")
        print(
            f"   {latency} ms, max_workers {workers}: {run.seconds:.1f}s, {light} Light requests "
            f"= {light / run.seconds:.1f}/s of a {40 * (1 - HEADROOM):.0f}/s pace, "
            f"{elements:,} call elements, in flight at most {stats['concurrency_peak']}, "
            f"exit {run.returncode}"
        )


SCENARIOS = {
    "throughput": scenario_throughput,
    "users": scenario_users,
    "latency": scenario_latency,
    "memory": scenario_memory,
    "costs": scenario_costs,
    "settle": scenario_settle,
    "hourly": scenario_hourly,
    "children": scenario_children,
}


def main() -> None:
    """Run the chosen scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, minutes not tens")
    parser.add_argument(
        "scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default: all)"
    )
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    print(
        f"tap-zoomphone benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    for name in args.scenarios or SCENARIOS:
        SCENARIOS[name](args.quick)


if __name__ == "__main__":
    main()
