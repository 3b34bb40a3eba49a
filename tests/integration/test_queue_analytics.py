"""Call queue analytics: one row per queue and day, consistent with the queue's calls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.tapruns import emulator_config, run_tap, selecting
from zoomphone_emulator import EmulatorConfig, run_emulator

START = datetime(2026, 6, 4, 19, tzinfo=UTC)


@pytest.fixture(scope="module")
def account():
    config = EmulatorConfig(
        seed=26,
        users=4,
        calls_per_user=150,
        history_days=20,
        call_queues=2,
        clock_start=START,
        frozen=True,
    )
    config.plan = "off"
    with run_emulator(config) as emulator:
        yield emulator


def test_a_row_per_queue_and_day_matching_the_queues_calls_then_today_again(account):
    catalog = selecting("call_queue_analytics")
    config = emulator_config(account, start_date="2026-05-01T00:00:00Z")
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr
    rows = {(r["call_queue_id"], r["date"]): r for r in first.records("call_queue_analytics")}
    days = {day for _, day in rows}
    assert min(days) == "2026-05-01"
    assert max(days) == "2026-06-04"
    assert len(rows) == len(first.records("call_queue_analytics"))  # one row per queue and day
    assert len(rows) == 2 * len(days)
    inbound = {key: row["inbound_calls"] for key, row in rows.items() if row["inbound_calls"]}
    assert inbound == account.truth.queue_inbound_by_day()
    assert all(
        r["completed_calls"] + r["abandoned_calls"] <= r["inbound_calls"] for r in rows.values()
    )
    asked = account.stats()["requests_by_endpoint"]["call_queue_analytics"]
    assert asked == len(days)  # one request per day: the queues fit in a page

    account.clock.advance(days=1)
    second = run_tap(config, state=first.state, catalog=catalog)
    assert second.returncode == 0, second.stderr
    again = {(r["call_queue_id"], r["date"]): r for r in second.records("call_queue_analytics")}
    # The lookback's days again (yesterday's row now whole), and today's: not a month of days.
    assert {day for _, day in again} == {"2026-06-03", "2026-06-04", "2026-06-05"}
    inbound = {
        key: row["inbound_calls"] for key, row in (rows | again).items() if row["inbound_calls"]
    }
    assert inbound == account.truth.queue_inbound_by_day()
