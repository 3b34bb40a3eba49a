"""The `zoomphone-emulator` console script and `python -m zoomphone_emulator`."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

if TYPE_CHECKING:
    from collections.abc import Iterator

SCRIPT = Path(sys.executable).parent / "zoomphone-emulator"
LISTENING = re.compile(r"zoomphone-emulator listening on (http://127\.0\.0\.1:(\d+))\n")


def _start(*command: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    found = LISTENING.fullmatch(line)
    if found is None:
        process.kill()
        _, err = process.communicate()
        pytest.fail(f"unexpected first line {line!r}; stderr: {err}")
    return process, found.group(1)


@pytest.fixture
def stop_later() -> Iterator[list[subprocess.Popen[str]]]:
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.parametrize(
    ("command", "stop"),
    [
        ((str(SCRIPT),), signal.SIGTERM),
        ((sys.executable, "-m", "zoomphone_emulator"), signal.SIGINT),
    ],
    ids=["console-script-sigterm", "python-m-sigint"],
)
def test_serves_until_signalled_then_exits_0(
    stop_later: list[subprocess.Popen[str]], command: tuple[str, ...], stop: signal.Signals
) -> None:
    process, base_url = _start(*command, "--port", "0", "--users", "3", "--seed", "5")
    stop_later.append(process)

    with requests.Session() as session:
        health = session.get(f"{base_url}/_emulator/health", timeout=10).json()
    process.send_signal(stop)
    out, err = process.communicate(timeout=10)

    assert health["users"] == 3
    assert process.returncode == 0
    assert out == ""
    assert "Traceback" not in err


def test_config_file_and_flags(tmp_path: Path, stop_later: list[subprocess.Popen[str]]) -> None:
    config = tmp_path / "emulator.json"
    config.write_text(
        json.dumps(
            {
                "users": 4,
                "isync_order": "desc",
                "broken_users": ["x"],
                "clock_start": "2026-01-02T03:04:05Z",
            }
        )
    )
    process, base_url = _start(
        str(SCRIPT),
        "--port",
        "0",
        "--config",
        str(config),
        "--plan",
        "pro",
        "--latency-ms",
        "1",
        "--jitter-ms",
        "2",
        "--calls-per-user",
        "50",
    )
    stop_later.append(process)

    with requests.Session() as session:
        shown = session.get(f"{base_url}/_emulator/config", timeout=10).json()
    process.terminate()
    process.communicate(timeout=10)

    assert (shown["users"], shown["isync_order"], shown["plan"]) == (4, "desc", "pro")
    assert (shown["latency_ms"], shown["jitter_ms"], shown["calls_per_user"]) == (1, 2, 50)
    assert shown["broken_users"] == ["x"]
    assert shown["clock_start"].startswith("2026-01-02T03:04:05")


def test_sync_and_label_flags(tmp_path: Path, stop_later: list[subprocess.Popen[str]]) -> None:
    config = tmp_path / "emulator.json"
    config.write_text(json.dumps({"labels": {"users": "Heavy"}, "daily_headers": True}))
    process, base_url = _start(
        str(SCRIPT),
        "--port",
        "0",
        "--users",
        "2",
        "--config",
        str(config),
        "--bsync-days",
        "30",
        "--no-bsync-served",
        "--no-daily-headers",
        "--label",
        "user_call_logs=Medium",
        "--label",
        "call_history_detail=Heavy",
    )
    stop_later.append(process)

    with requests.Session() as session:
        shown = session.get(f"{base_url}/_emulator/config", timeout=10).json()
    process.terminate()
    process.communicate(timeout=10)

    assert (shown["bsync_days"], shown["bsync_served"], shown["daily_headers"]) == (
        30,
        False,
        False,
    )
    assert shown["labels"] == {
        "users": "Heavy",
        "user_call_logs": "Medium",
        "call_history_detail": "Heavy",
    }


def test_retire_flag(tmp_path: Path, stop_later: list[subprocess.Popen[str]]) -> None:
    config = tmp_path / "emulator.json"
    config.write_text(json.dumps({"retired": ["call_history"]}))
    process, base_url = _start(
        str(SCRIPT),
        "--port",
        "0",
        "--users",
        "2",
        "--config",
        str(config),
        "--retire",
        "account_call_logs",
        "--retire",
        "user_call_logs",
    )
    stop_later.append(process)

    with requests.Session() as session:
        shown = session.get(f"{base_url}/_emulator/config", timeout=10).json()
        gone = session.get(f"{base_url}/v2/phone/call_logs", timeout=10)
    process.terminate()
    process.communicate(timeout=10)

    assert shown["retired"] == ["call_history", "account_call_logs", "user_call_logs"]
    assert (gone.status_code, gone.json()) == (404, {"code": 404, "message": "Not found"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--retire", "oauth"), "retired"),
        (("--host", "0.0.0.0"), "loopback"),  # noqa: S104
        (("--host", "10.1.2.3"), "loopback"),
        (("--users", "0"), "users"),
        (("--plan", "gold"), "plan"),
        (("--bsync-days", "-1"), "bsync_days"),
        (("--label", "users"), "ROUTE=LABEL"),
        (("--label", "users=Huge"), "labels"),
    ],
)
def test_bad_arguments_exit_2(args: tuple[str, ...], message: str) -> None:
    done = subprocess.run(
        [str(SCRIPT), "--port", "0", *args], capture_output=True, text=True, timeout=30, check=False
    )

    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""


def test_warm_flag_renders_every_list_before_listening(
    stop_later: list[subprocess.Popen[str]],
) -> None:
    process, base_url = _start(
        str(SCRIPT), "--port", "0", "--users", "3", "--calls-per-user", "40", "--warm"
    )
    stop_later.append(process)

    with requests.Session() as session:
        cache = session.get(f"{base_url}/_emulator/cache", timeout=10).json()
    process.terminate()
    out, err = process.communicate(timeout=10)

    assert cache["records"] > 0
    assert cache["misses"] == 0
    assert out == ""
    assert re.search(r"warmed [\d,]+ records", err)
