"""What a run logs: plans, progress, summaries and one count and duration per stream; no more.

Per-request lines (the SDK's `http_request_duration`) come only on request: `metrics_log_level:
debug`. A bound on lines, never on time.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tests.tapruns import ALL_STREAMS, CLOCK_START, emulator_config, run_tap, selecting

# Per stream: its start, its plan, its summary, record_count, sync_duration, and a few warnings
# about fields Zoom adds; the emulator's account has 6 users and 16 streams.
LINES_PER_STREAM = 8


def metric_points(stderr: str) -> list[dict[str, Any]]:
    """The METRIC lines of a run's log, parsed."""
    return [
        json.loads(line.split("METRIC: ", 1)[1])
        for line in stderr.splitlines()
        if "METRIC: " in line
    ]


@pytest.fixture
def account(emulator_factory):
    return emulator_factory(
        seed=7, users=6, calls_per_user=100, clock_start=CLOCK_START, frozen=True
    )


def test_a_default_run_of_every_stream_logs_no_line_per_request(account):
    catalog = selecting(*ALL_STREAMS)
    # progress lines every 10 s, the default (the tests' usual 1 s would add some on a slow day)
    run = run_tap(emulator_config(account, progress_interval_seconds=10), catalog=catalog)
    assert run.returncode == 0, run.stderr

    lines = run.stderr.splitlines()
    requests = account.stats()["requests_total"]
    assert requests > 1000  # what one line per request would have meant
    assert len(lines) <= LINES_PER_STREAM * len(ALL_STREAMS), "\n".join(lines)
    points = metric_points(run.stderr)
    assert {point["metric"] for point in points} == {"record_count", "sync_duration"}

    # Every stream reports its count and duration once, children included.
    counted = Counter(p["tags"]["stream"] for p in points if p["metric"] == "record_count")
    timed = Counter(p["tags"]["stream"] for p in points if p["metric"] == "sync_duration")
    assert counted == timed == dict.fromkeys(ALL_STREAMS, 1)
    for point in points:
        if point["metric"] == "record_count":
            stream = point["tags"]["stream"]
            assert point["value"] == len(run.records(stream)) > 0, stream
        else:
            assert point["tags"]["status"] == "succeeded", point
    for stream in ALL_STREAMS:  # and the summary a person reads
        assert any(f" | {stream} finished: " in line for line in lines), stream


@pytest.mark.parametrize(("level", "per_request"), [("debug", True), ("warning", False)])
def test_metrics_log_level_adds_the_per_request_lines_or_drops_them_all(
    emulator_factory, level, per_request
):
    account = emulator_factory(
        seed=8, users=3, calls_per_user=60, clock_start=CLOCK_START, frozen=True
    )
    run = run_tap(emulator_config(account, metrics_log_level=level))
    assert run.returncode == 0, run.stderr
    points = metric_points(run.stderr)
    durations = [p for p in points if p["metric"] == "http_request_duration"]
    if per_request:
        stats = account.stats()["requests_by_endpoint"]
        api_requests = sum(count for endpoint, count in stats.items() if endpoint != "oauth")
        assert len(durations) == api_requests
        assert {p["tags"]["stream"] for p in durations} == {"phone_users", "call_logs"}
        assert {p["metric"] for p in points} >= {"record_count", "sync_duration"}
    else:
        assert points == []
        assert "finished: " in run.stderr  # the tap's own summaries stay


def test_metrics_log_level_is_checked(emulator):
    run = run_tap(emulator_config(emulator, metrics_log_level="verbose"))
    assert run.returncode == 1
    assert run.error_lines[-1].endswith(
        "metrics_log_level must be one of debug, info, warning, not 'verbose'."
    ), run.stderr
