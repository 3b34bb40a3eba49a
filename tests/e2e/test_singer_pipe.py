"""The tap outside Meltano: `tap-zoomphone --config cfg.json | target-jsonl --config tcfg.json`."""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.harness import (
    REPO,
    RUN_TIMEOUT,
    assert_history_matches_truth,
    bin_path,
    clean_env,
    describe,
    tail,
    user_bookmarks,
)
from zoomphone_emulator.config import EmulatorConfig

if TYPE_CHECKING:
    from pathlib import Path

    from tests.e2e.harness import EmulatorProcess

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]


def pipe(tap: list[str], target: list[str], workdir: Path) -> tuple[str, str, str]:
    """Run `tap | target` with a timeout; fail with the stderr of whichever side failed.

    Returns:
        The target's stdout (its STATE lines), then the tap's and the target's stderr.
    """
    env = clean_env()
    tap_err, target_err = workdir / "tap.err", workdir / "target.err"
    with (
        tap_err.open("w") as tap_log,
        target_err.open("w") as target_log,
        subprocess.Popen(tap, stdout=subprocess.PIPE, stderr=tap_log, env=env) as producer,
        subprocess.Popen(
            target,
            stdin=producer.stdout,
            stdout=subprocess.PIPE,
            stderr=target_log,
            env=env,
            text=True,
        ) as consumer,
    ):
        assert producer.stdout is not None
        producer.stdout.close()  # the target owns the read end now
        try:
            out, _ = consumer.communicate(timeout=RUN_TIMEOUT)
            producer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for process in (producer, consumer):
                process.kill()
            consumer.communicate()
            producer.wait()
            pytest.fail(
                f"`tap | target` timed out\n--- tap stderr ---\n{tail(tap_err.read_text())}"
                f"\n--- target stderr ---\n{tail(target_err.read_text())}"
            )
    tap_stderr, target_stderr = tap_err.read_text(), target_err.read_text()
    assert producer.returncode == 0, describe(tap, producer.returncode, "", tap_stderr)
    assert consumer.returncode == 0, describe(target, consumer.returncode, out, target_stderr)
    return out, tap_stderr, target_stderr


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_tap_piped_into_target_jsonl(
    meltano_env: dict[str, str], emulator_process: EmulatorProcess, tmp_path: Path
) -> None:
    defaults = EmulatorConfig()  # the emulator's credentials, also meltano.yml's `demo` ones
    config = tmp_path / "cfg.json"
    config.write_text(
        json.dumps(
            {
                "api_url": emulator_process.api_url,
                "oauth_url": emulator_process.oauth_url,
                "account_id": defaults.account_id,
                "client_id": defaults.client_id,
                "client_secret": defaults.client_secret,
            }
        )
    )
    output = tmp_path / "jsonl"
    output.mkdir()
    target_config = tmp_path / "tcfg.json"
    target_config.write_text(
        json.dumps({"destination_path": str(output), "do_timestamp_file": False})
    )
    target = REPO / ".meltano" / "loaders" / "target-jsonl" / "venv" / "bin" / "target-jsonl"
    assert target.exists(), "meltano install did not install target-jsonl"

    out, _, _ = pipe(
        [bin_path("tap-zoomphone"), "--config", str(config)],
        [str(target), "--config", str(target_config)],
        tmp_path,
    )

    # Without a catalog the tap reads its default streams.
    files = sorted(path.name for path in output.iterdir())
    assert files == ["phone_users.jsonl", "user_call_history.jsonl"], files
    history = read_jsonl(output / "user_call_history.jsonl")
    elements = [(row["user_id"], row["call_element_id"]) for row in history]
    assert_history_matches_truth(elements, emulator_process)
    users = [row["id"] for row in read_jsonl(output / "phone_users.jsonl")]
    assert sorted(users) == sorted(emulator_process.user_ids())
    # The target echoes the tap's final STATE: one sync token per user, ready for `--state`.
    states = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert states, "target-jsonl emitted no STATE"
    bookmarks = user_bookmarks(states[-1], "user_call_history")
    assert sorted(bookmarks) == sorted(emulator_process.user_ids())
    assert all(b.get("sync_token") for b in bookmarks.values())
