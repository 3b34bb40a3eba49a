"""A call's QoS, one Light request per call of call_history, beside call_elements."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.tapruns import emulator_config, run_tap, selecting

START = datetime(2026, 6, 4, 19, tzinfo=UTC)


def test_every_calls_qos_beside_its_path_one_request_each(emulator_factory):
    account = emulator_factory(seed=27, users=3, calls_per_user=40, clock_start=START)
    both = selecting("call_history", "call_elements", "call_qos")
    run = run_tap(emulator_config(account), catalog=both)
    assert run.returncode == 0, run.stderr
    calls = account.truth.call_ids()
    qos = run.ids("call_qos", "call_id")
    assert set(qos) == calls
    assert len(qos) == len(calls)
    assert any(r["caller_qos"]["sending"] for r in run.records("call_qos"))
    uuids = account.truth.call_history_uuids()
    elements = {r["call_element_id"] for r in run.records("call_elements")}
    assert elements == {e for uuid in uuids for e in account.truth.call_element_ids(uuid)}
    assert account.stats()["requests_by_endpoint"]["call_qos"] == len(calls)
    # Alone: its parent is read for the call ids, and writes nothing.
    alone = run_tap(emulator_config(account), catalog=selecting("call_qos"))
    assert alone.returncode == 0, alone.stderr
    assert set(alone.ids("call_qos", "call_id")) == calls
    assert alone.records("call_history") == []
