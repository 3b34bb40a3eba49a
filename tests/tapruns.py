"""Running the real `tap-zoomphone` command and reading what a user would see."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Every emulator of the tap's tests starts here, whatever the real date: a Thursday mid-morning,
# when the emulator's accounts are busy, so a test's calls never depend on when the suite runs.
CLOCK_START = datetime.datetime(2026, 11, 19, 10, 0, tzinfo=datetime.UTC)

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


def run_tap(
    config: dict[str, Any],
    *,
    state: dict[str, Any] | None = None,
    catalog: dict[str, Any] | None = None,
    args: tuple[str, ...] = (),
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> TapRun:
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
