"""Recording transcripts are late data: every one arrives on some run, none is lost or re-asked."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

import pytest

from tests.tapruns import emulator_config, run_tap, selecting
from zoomphone_emulator import EmulatorConfig, run_emulator

START = datetime(2026, 6, 4, 10, tzinfo=UTC)
GAVE_UP = re.compile(r"will not give the transcript of recording (\w+)")


@pytest.fixture(scope="module")
def account():
    # A month of busy history: some recordings of the last days have late transcripts.
    config = EmulatorConfig(
        seed=24,
        users=5,
        calls_per_user=150,
        history_days=30,
        recording_share=0.6,
        clock_start=START,
        frozen=True,
    )
    config.plan = "off"
    with run_emulator(config) as emulator:
        yield emulator


def given_up(run):
    return [m.group(1) for m in GAVE_UP.finditer(run.stderr)]


def test_late_transcripts_arrive_on_later_runs_and_nothing_is_lost(account):
    # Only the transcripts are selected: they list the recordings themselves.
    catalog = selecting("recording_transcripts")
    config = emulator_config(account)
    runs, state, seen = [], None, set()
    for days in (0, 2, 7):  # runs at START, two days later, a week after that
        account.clock.advance(days=days)
        run = run_tap(config, state=state, catalog=catalog)
        assert run.returncode == 0, run.stderr
        assert run.records("recordings") == []
        got = run.ids("recording_transcripts", "recording_id")
        assert all(r["timeline"] for r in run.records("recording_transcripts"))
        ready = account.truth.transcript_ids()
        # Every transcript Zoom serves by now has arrived on this run or an earlier one.
        assert ready <= seen | set(got), sorted(ready - seen - set(got))[:5]
        seen |= set(got)
        runs.append(run)
        state = copy.deepcopy(run.state)

    first, second, third = runs
    pending = set(first.state["bookmarks"]["recording_transcripts"]["pending"])
    assert pending, "no transcript was late on the first run"
    late = pending & set(second.ids("recording_transcripts", "recording_id"))
    assert late, "no late transcript arrived on the second run"
    assert late.isdisjoint(first.ids("recording_transcripts", "recording_id"))
    # Refusals: each reported once, never a transcript that was only late.
    never = account.truth.transcripts_never()
    warned = given_up(first) + given_up(second) + given_up(third)
    assert len(warned) == len(set(warned)), "a refusal was asked for and reported twice"
    assert set(warned) <= set(never)
    assert {rid for rid, code in never.items() if code in {12001, 12003}} <= set(warned)
    # A 12000 is asked once more, a day or more later, before it is given up.
    unable = {rid for rid, code in never.items() if code == 12000}
    assert unable, "the emulator made no 12000"
    assert unable.isdisjoint(given_up(first))
    assert unable & set(given_up(second))
    # The token never went to the file host; nothing waits past the give-up age.
    assert account.handlers.transcripts.bearer_on_download == 0
    assert account.stats()["requests_by_endpoint"]["transcript_file"] >= len(seen)
    assert not set(third.state["bookmarks"]["recording_transcripts"]["pending"]) & pending


def test_without_the_transcript_scope_the_stream_stops_and_names_it(account):
    granted = account.config.scopes
    account.config.scopes = ("phone:read:list_call_recordings:admin",)
    try:
        catalog = selecting("recording_transcripts")
        run = run_tap(emulator_config(account), catalog=catalog)
    finally:
        account.config.scopes = granted
    assert run.returncode == 69, run.stderr
    assert "Traceback" not in run.stderr
    errors = run.error_lines
    assert len(errors) == 1, errors
    assert "recording_transcripts" in errors[0]
    assert "phone:read:recording_transcript:admin" in errors[0]
