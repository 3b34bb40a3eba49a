"""AI call summaries: every summary arrives, late ones on a later run, every edit emitted again."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from tests.tapruns import emulator_config, run_tap, selecting
from zoomphone_emulator import EmulatorConfig, run_emulator

START = datetime(2026, 6, 4, 19, tzinfo=UTC)


@pytest.fixture(scope="module")
def account():
    config = EmulatorConfig(
        seed=25, users=6, calls_per_user=240, history_days=12, clock_start=START, frozen=True
    )
    config.plan = "off"
    with run_emulator(config) as emulator:
        yield emulator


def versions(run):
    return {r["ai_call_summary_id"]: r["modified_time"] for r in run.records("ai_call_summaries")}


def test_summaries_arrive_late_and_edits_are_emitted_again(account):
    # Only the summaries: their parent runs for the ids without writing its own rows.
    catalog = selecting("ai_call_summaries")
    config = emulator_config(account, backfill_method="sync")
    runs, state, latest = [], None, {}
    # Runs a day, two days and six days apart: within the life of Zoom's sync tokens (a rejected
    # token is read again by the list endpoint, whose rows carry no summary ids).
    for days in (0, 1, 2, 6):
        account.clock.advance(days=days)
        run = run_tap(config, state=state, catalog=catalog)
        assert run.returncode == 0, run.stderr
        assert run.records("user_call_history") == []
        got = versions(run)
        assert len(got) == len(run.records("ai_call_summaries"))
        latest |= got
        # Every summary served now, in the version served now, has been emitted.
        assert latest == account.truth.ai_call_summary_versions()
        runs.append(run)
        state = copy.deepcopy(run.state)

    first, second, third, last = runs
    assert len(versions(first)) > 20
    pending = set(first.state["bookmarks"]["ai_call_summaries"]["pending"])
    assert pending, "no summary was late on the first run"
    assert pending & set(versions(second)), "no late summary arrived on the next run"
    edited = {s for s in versions(second) | versions(third) if s in versions(first)}
    assert edited, "no edit was emitted again"
    assert all(latest[s] != versions(first)[s] for s in edited if s in latest)
    assert len(versions(last)) < len(versions(first))  # unchanged summaries are not re-emitted
    bookmark = last.state["bookmarks"]["ai_call_summaries"]
    assert not set(bookmark["pending"]) & set(latest)  # only those Zoom has not made yet
    assert len(bookmark["known"]) < len(latest)  # past the edit window: no longer re-read
