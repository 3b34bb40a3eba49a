"""Running the real `tap-zoomphone` command and reading what a user would see."""

from __future__ import annotations

import datetime
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Every emulator of the tap's tests starts here, whatever the real date: a Thursday mid-morning,
# when the emulator's accounts are busy, so a test's calls never depend on when the suite runs.
CLOCK_START = datetime.datetime(2026, 11, 19, 10, 0, tzinfo=datetime.UTC)

# What a run without a catalog selects in these tests: most of them follow the legacy call_logs
# (phone_users and user_call_history are the tap's own defaults; `streams=None` runs those).
LEGACY_STREAMS = ("phone_users", "call_logs")
# Commands that sync nothing, so select nothing.
NO_SYNC_ARGS = frozenset({"--discover", "--about", "--version"})

# Every stream the tap offers, in the order of its catalog.
ALL_STREAMS = (
    "phone_users",
    "call_logs",
    "user_call_history",
    "account_call_logs",
    "call_history",
    "call_elements",
    "recordings",
    "voicemails",
    "sms_sessions",
    "sms_messages",
    "sites",
    "call_queues",
    "auto_receptionists",
    "common_areas",
    "shared_line_groups",
    "devices",
    "call_queue_members",
    "phone_numbers",
    "emergency_addresses",
    "user_settings",
    "call_charges",
    "sms_charges",
    "recording_transcripts",
    "ai_call_summaries",
    "call_queue_analytics",
    "call_qos",
)


# Fast retries and frequent STATE in tests; everything else as a user would run it.
TEST_SETTINGS = {
    "retry_backoff_seconds": 0.05,
    "state_interval_seconds": 0,
    "progress_interval_seconds": 1,
    "request_timeout": 10,
}


@dataclass
class TapRun:
    returncode: int
    stdout: str
    stderr: str
    messages: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        try:
            self.messages = [json.loads(line) for line in self.stdout.splitlines() if line.strip()]
        except json.JSONDecodeError:  # --discover and --about print one indented document
            try:
                self.messages = [json.loads(self.stdout)]
            except json.JSONDecodeError:  # --version prints a line of text
                self.messages = []

    def records(self, stream: str) -> list[dict[str, Any]]:
        return [
            m["record"] for m in self.messages if m["type"] == "RECORD" and m["stream"] == stream
        ]

    def ids(self, stream: str, key: str = "id") -> list[str]:
        return [r[key] for r in self.records(stream)]

    def ids_by_user(self, stream: str = "call_logs", key: str = "id") -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for record in self.records(stream):
            found[record["user_id"]].append(record[key])
        return found

    @property
    def states(self) -> list[dict[str, Any]]:
        return [m["value"] for m in self.messages if m["type"] == "STATE"]

    @property
    def state(self) -> dict[str, Any]:
        return self.states[-1] if self.states else {}

    def duplicates(self, stream: str, key: str = "id") -> list[str]:
        return [k for k, n in Counter(self.ids(stream, key)).items() if n > 1]

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "ERROR" in line]


def emulator_config(emulator: Any, **settings: Any) -> dict[str, Any]:
    """Tap settings for an emulator, paced far above its limits unless a test says otherwise."""
    return {**emulator.tap_config(), "rate_limit_plan": "1000", "max_workers": 4, **settings}


def tap_command() -> list[str]:
    return [sys.executable, "-m", "tap_zoomphone"]


@functools.cache
def _discovered() -> str:
    """The tap's catalog, discovered once per test session (discovery asks Zoom nothing)."""
    done = subprocess.run(
        [*tap_command(), "--discover"], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def selecting(*streams: str) -> dict[str, Any]:
    """The tap's discovered catalog with exactly `streams` selected."""
    catalog: dict[str, Any] = json.loads(_discovered())
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


def run_tap(
    config: dict[str, Any],
    *,
    state: dict[str, Any] | None = None,
    catalog: dict[str, Any] | None = None,
    streams: tuple[str, ...] | None = LEGACY_STREAMS,
    args: tuple[str, ...] = (),
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> TapRun:
    """Run the tap; without a `catalog` it selects `streams` (None: the tap's own defaults)."""
    if catalog is None and streams is not None and not NO_SYNC_ARGS & set(args):
        catalog = selecting(*streams)
    with tempfile.TemporaryDirectory() as tmp:
        command = [*tap_command()]
        config_path = Path(tmp, "config.json")
        config_path.write_text(json.dumps({**TEST_SETTINGS, **config}))
        command += ["--config", str(config_path)]
        if state is not None:
            Path(tmp, "state.json").write_text(json.dumps(state))
            command += ["--state", str(Path(tmp, "state.json"))]
        if catalog is not None:
            Path(tmp, "catalog.json").write_text(json.dumps(catalog))
            command += ["--catalog", str(Path(tmp, "catalog.json"))]
        command += list(args)
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            check=False,
        )
    return TapRun(done.returncode, done.stdout, done.stderr)


def run_and_kill(config: dict[str, Any], state: dict[str, Any] | None, delay: float) -> TapRun:
    """Start the tap, SIGKILL it after `delay` seconds, return what it wrote before dying."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "config.json").write_text(json.dumps({**TEST_SETTINGS, **config}))
        Path(tmp, "catalog.json").write_text(json.dumps(selecting(*LEGACY_STREAMS)))
        command = [*tap_command(), "--config", str(Path(tmp, "config.json"))]
        command += ["--catalog", str(Path(tmp, "catalog.json"))]
        if state:
            Path(tmp, "state.json").write_text(json.dumps(state))
            command += ["--state", str(Path(tmp, "state.json"))]
        with Path(tmp, "out").open("wb") as out, Path(tmp, "err").open("wb") as err:
            process = subprocess.Popen(command, stdout=out, stderr=err)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
        text = Path(tmp, "out").read_bytes().decode(errors="replace")
    # the line being written at the moment of the kill may be cut off
    complete = "\n".join(text.split("\n")[:-1])
    return TapRun(process.returncode, complete, "")


class FakeClock:
    """The rate budget's monotonic clock and sleep: a wait passes at once, and is counted."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds
