"""Meltano into DuckDB with every stream of the tap selected, from this checkout's meltano.yml."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.e2e.harness import RUN, loaded_keys, truth

if TYPE_CHECKING:
    from tests.e2e.harness import EmulatorProcess, MeltanoProject

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

# stream -> (the emulator's truth kind, the key column)
BY_ID = {
    "recordings": ("recordings", "id"),
    "voicemails": ("voice_mails", "id"),
    "sms_sessions": ("sms_sessions", "session_id"),
    "sites": ("sites", "id"),
    "call_queues": ("call_queues", "id"),
    "auto_receptionists": ("auto_receptionists", "id"),
    "common_areas": ("common_areas", "id"),
    "shared_line_groups": ("shared_line_groups", "id"),
    "devices": ("devices", "id"),
    "account_call_logs": ("account_call_logs", "id"),
    "call_history": ("call_history", "call_history_uuid"),
}
# Issue 22's streams (their completeness is tested against the emulator's truth elsewhere):
# here they must load into DuckDB, each row once under its key.
MORE = {
    "phone_numbers": ("id",),
    "emergency_addresses": ("id",),
    "call_queue_members": ("call_queue_id", "id"),
    "user_settings": ("user_id",),
    "call_charges": ("charge_id",),
    "sms_charges": ("session_id", "message_id"),
    "call_queue_analytics": ("call_queue_id", "date"),
    "recording_transcripts": ("recording_id",),
    "ai_call_summaries": ("ai_call_summary_id",),
    "call_qos": ("call_id",),
}
EVERY_STREAM = (
    *BY_ID,
    "phone_users",
    "call_logs",
    "user_call_history",
    "call_elements",
    "sms_messages",
    *MORE,
)


def test_every_stream_lands_in_duckdb(
    meltano: MeltanoProject, emulator_process: EmulatorProcess
) -> None:
    meltano.env["TAP_ZOOMPHONE__SELECT"] = json.dumps([f"{s}.*" for s in EVERY_STREAM])
    meltano(*RUN)
    path = meltano.duckdb_path
    for stream, (kind, key) in BY_ID.items():
        rows = [row[0] for row in loaded_keys(path, stream, key)]
        assert rows, f"no {stream} landed"
        assert set(rows) == truth(emulator_process, kind), stream
        assert len(rows) == len(set(rows)), stream
    sessions = truth(emulator_process, "sms_sessions")
    messages = set(loaded_keys(path, "sms_messages", "session_id", "message_id"))
    expected = {
        (session, message)
        for session in sessions
        for message in truth(emulator_process, "sms_messages", session_id=session)
    }
    assert messages
    assert messages == expected
    assert {row[0] for row in loaded_keys(path, "call_logs", "id")} == emulator_process.all_truth()
    assert len(loaded_keys(path, "phone_users", "id")) == len(emulator_process.user_ids())
    for stream, keys in MORE.items():
        rows = loaded_keys(path, stream, *keys)
        assert rows, f"no {stream} landed"
        assert len(rows) == len(set(rows)), stream
