"""Recordings, voicemails, SMS and the account's phone system: complete, incremental, retired."""

from __future__ import annotations

import pytest

from tests.tapruns import emulator_config, run_tap, selecting

DATED = {
    "recordings": ("id", "recording_ids"),
    "voicemails": ("id", "voicemail_ids"),
    "sms_sessions": ("session_id", "sms_session_ids"),
}
LISTS = {
    "sites": "site_ids",
    "call_queues": "call_queue_ids",
    "auto_receptionists": "auto_receptionist_ids",
    "common_areas": "common_area_ids",
    "shared_line_groups": "shared_line_group_ids",
    "devices": "device_ids",
}


def sms_truth(emulator):
    return {
        (session, message)
        for session in emulator.truth.sms_session_ids()
        for message in emulator.truth.sms_message_ids(session)
    }


@pytest.fixture
def account(emulator_factory):
    return emulator_factory(seed=71, users=8, calls_per_user=150)


def test_every_new_stream_is_complete(account):
    catalog = selecting(*DATED, "sms_messages", *LISTS)
    run = run_tap(emulator_config(account, page_size=7), catalog=catalog)
    assert run.returncode == 0, run.stderr
    for stream, (key, truth) in DATED.items():
        got = run.ids(stream, key)
        assert got, f"no {stream}"
        assert set(got) == getattr(account.truth, truth)(), stream
        assert run.duplicates(stream, key) == [], stream
    for stream, truth in LISTS.items():
        got = run.ids(stream)
        assert got, f"no {stream}"
        assert set(got) == getattr(account.truth, truth)(), stream
        assert len(got) == len(set(got)), stream
    messages = [(m["session_id"], m["message_id"]) for m in run.records("sms_messages")]
    assert messages
    assert set(messages) == sms_truth(account)
    assert len(messages) == len(set(messages))
    assert run.state["bookmarks"]["recordings"]["synced_to"]


def test_dated_streams_are_incremental(account):
    catalog = selecting(*DATED, "sms_messages")
    config = emulator_config(account)
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr
    before = {stream: getattr(account.truth, truth)() for stream, (_, truth) in DATED.items()}
    messages_before = sms_truth(account)
    account.clock.advance(days=3)
    account.reset_stats()
    second = run_tap(config, state=first.state, catalog=catalog)
    assert second.returncode == 0, second.stderr
    for stream, (key, truth) in DATED.items():
        new = getattr(account.truth, truth)() - before[stream]
        assert new, f"the emulator made no new {stream}"
        got = set(second.ids(stream, key))
        assert new <= got, stream
        assert len(got) < len(before[stream]), f"{stream} read everything again"
    messages = {(m["session_id"], m["message_id"]) for m in second.records("sms_messages")}
    assert sms_truth(account) - messages_before <= messages
    requests = account.stats()["requests_by_endpoint"]
    assert requests["recordings"] <= 2  # the lookback's window, not six months


def test_retired_call_log_endpoints_name_their_successors(account):
    account.config.retired = ("user_call_logs", "user_call_logs_sync", "account_call_logs")
    catalog = selecting("call_logs", "account_call_logs", "phone_users", "sites")
    run = run_tap(emulator_config(account), catalog=catalog)
    assert run.returncode == 69, run.stderr
    assert "Traceback" not in run.stderr
    errors = run.error_lines
    assert len(errors) == 1, errors
    assert "call_logs" in errors[0]
    assert "select user_call_history, which replaces it" in errors[0]
    assert "select call_history, which replaces it" in errors[0]
    # every other selected stream completed
    assert set(run.ids("sites")) == account.truth.site_ids()
    assert len(run.records("phone_users")) == len(account.user_ids())
    assert run.state
