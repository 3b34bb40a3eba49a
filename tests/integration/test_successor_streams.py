"""The successor endpoints: account-wide logs, call history (account and user), call paths."""

from __future__ import annotations

import pytest

from tests.tapruns import ALL_STREAMS, CLOCK_START, emulator_config, run_tap, selecting


def test_discovery_lists_every_stream_and_selects_the_successor_by_default(emulator):
    catalog = run_tap(emulator_config(emulator), args=("--discover",)).messages[0]
    by_name = {entry["tap_stream_id"]: entry for entry in catalog["streams"]}
    assert set(by_name) == set(ALL_STREAMS)
    for name, entry in by_name.items():
        root = next(m["metadata"] for m in entry["metadata"] if m["breadcrumb"] == [])
        assert root.get("selected-by-default") is (name in {"phone_users", "user_call_history"})
    assert by_name["call_history"]["key_properties"] == ["call_history_uuid"]
    assert by_name["user_call_history"]["key_properties"] == ["call_element_id", "user_id"]


def test_the_default_selection_needs_no_legacy_endpoint(emulator_factory):
    # Zoom has sunset the legacy call-log endpoints: where it switched them off, they answer 404.
    retired = ("user_call_logs", "user_call_logs_sync", "account_call_logs")
    emulator = emulator_factory(
        seed=53, users=5, calls_per_user=200, clock_start=CLOCK_START, frozen=True, retired=retired
    )
    run = run_tap(emulator_config(emulator), streams=None)  # no catalog: the tap's defaults
    assert run.returncode == 0, run.stderr
    written = {m["stream"] for m in run.messages if m["type"] == "RECORD"}
    assert written == {"phone_users", "user_call_history"}
    assert sorted(run.ids("phone_users")) == sorted(emulator.user_ids())
    for user in emulator.user_ids():
        got = run.ids_by_user("user_call_history", "call_element_id").get(user, [])
        assert len(got) == len(set(got))
        assert set(got) == emulator.truth.user_call_history_ids(user)
    # every call of the account, each with the elements of its path
    calls = {record["call_history_uuid"] for record in run.records("user_call_history")}
    assert calls == emulator.truth.call_history_uuids()
    requests = emulator.stats()["requests_by_endpoint"]
    assert all(requests.get(route, 0) == 0 for route in retired), requests


def test_account_call_logs_complete_then_incremental_with_lookback(emulator_factory):
    emulator = emulator_factory(seed=51, users=8, calls_per_user=300)
    catalog = selecting("account_call_logs")
    config = emulator_config(emulator, page_size=100)
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr
    assert set(first.ids("account_call_logs")) == emulator.truth.account_call_log_ids()
    assert first.duplicates("account_call_logs") == []
    assert first.records("call_logs") == []
    assert set(first.state["bookmarks"]["account_call_logs"]) == {"synced_to"}

    before = emulator.truth.account_call_log_ids()
    emulator.clock.advance(hours=10)
    emulator.reset_stats()
    second = run_tap(config, catalog=catalog, state=first.state)
    assert second.returncode == 0, second.stderr
    got = set(second.ids("account_call_logs"))
    assert emulator.truth.account_call_log_ids() - before <= got
    # only the lookback (24 h) and what is new was read again, not the six months
    assert len(got) < len(before) / 4
    assert emulator.stats()["requests_by_endpoint"]["account_call_logs"] <= 2


@pytest.mark.parametrize("array", ["call_history", "call_logs"])
def test_call_history_reads_both_array_names_and_stops_on_the_counts(emulator_factory, array):
    emulator = emulator_factory(
        seed=52, users=6, calls_per_user=300, call_history_array=array, last_page_token=True
    )
    catalog = selecting("call_history")
    run = run_tap(emulator_config(emulator, page_size=50, max_workers=2), catalog=catalog)
    assert run.returncode == 0, run.stderr
    uuids = run.ids("call_history", "call_history_uuid")
    assert set(uuids) == emulator.truth.call_history_uuids()
    assert len(uuids) == len(set(uuids))
    # Zoom's token on the last page is not followed: one request per page of data
    windows_requests = emulator.stats()["requests_by_endpoint"]["call_history"]
    assert windows_requests <= -(-len(uuids) // 50) + 7


def test_call_history_is_incremental(emulator_factory):
    emulator = emulator_factory(seed=53, users=5, calls_per_user=300)
    catalog = selecting("call_history")
    config = emulator_config(emulator)
    first = run_tap(config, catalog=catalog)
    before = emulator.truth.call_history_uuids()
    emulator.clock.advance(hours=8)
    emulator.reset_stats()
    second = run_tap(config, catalog=catalog, state=first.state)
    assert second.returncode == 0, second.stderr
    assert emulator.truth.call_history_uuids() - before <= set(
        second.ids("call_history", "call_history_uuid")
    )
    assert emulator.stats()["requests_by_endpoint"]["call_history"] <= 2


@pytest.mark.parametrize("array", ["call_elements", "call_logs"])
@pytest.mark.parametrize("isync_order", ["asc", "desc"])
def test_user_call_history_complete_then_by_sync_token(emulator_factory, array, isync_order):
    emulator = emulator_factory(
        seed=54, users=4, calls_per_user=300, user_call_history_array=array, isync_order=isync_order
    )
    catalog = selecting("user_call_history")
    config = emulator_config(emulator, page_size=80)
    first = run_tap(config, catalog=catalog)
    assert first.returncode == 0, first.stderr
    for user in emulator.user_ids():
        got = first.ids_by_user("user_call_history", "call_element_id").get(user, [])
        assert len(got) == len(set(got))
        assert set(got) == emulator.truth.user_call_history_ids(user)
    users = first.state["bookmarks"]["user_call_history"]["users"]
    assert all(bookmark["sync_token"] for bookmark in users.values())

    before = {u: emulator.truth.user_call_history_ids(u) for u in emulator.user_ids()}
    emulator.clock.advance(hours=12)
    emulator.reset_stats()
    second = run_tap(config, catalog=catalog, state=first.state)
    assert second.returncode == 0, second.stderr
    for user in emulator.user_ids():
        new = emulator.truth.user_call_history_ids(user) - before[user]
        assert new <= set(second.ids_by_user("user_call_history", "call_element_id").get(user, []))
    requests = emulator.stats()["requests_by_endpoint"]
    assert requests.get("user_call_history", 0) == 0
    assert requests["user_call_history_sync"] >= 4


@pytest.mark.parametrize("array", ["call_path", "call_elements", "both"])
def test_call_elements_are_every_calls_path(emulator_factory, array):
    emulator = emulator_factory(seed=55, users=4, calls_per_user=120, call_path_array=array)
    catalog = selecting("call_elements")  # its parent is read, not written
    run = run_tap(emulator_config(emulator), catalog=catalog)
    assert run.returncode == 0, run.stderr
    assert run.records("call_history") == []
    elements = run.records("call_elements")
    by_call: dict[str, set[str]] = {}
    for element in elements:
        by_call.setdefault(element["call_history_uuid"], set()).add(element["call_element_id"])
    uuids = emulator.truth.call_history_uuids()
    assert set(by_call) == uuids
    for uuid in uuids:
        assert by_call[uuid] == emulator.truth.call_element_ids(uuid)
    assert run.duplicates("call_elements", "call_element_id") == []
    assert emulator.stats()["requests_by_endpoint"]["call_history_detail"] == len(uuids)


def test_call_elements_stay_within_the_light_label(emulator_factory):
    emulator = emulator_factory(
        seed=56, users=6, calls_per_user=150, plan="business", latency_ms=60
    )
    catalog = selecting("call_history", "call_elements")
    run = run_tap(
        emulator_config(emulator, rate_limit_plan="business", max_workers=8), catalog=catalog
    )
    assert run.returncode == 0, run.stderr
    stats = emulator.stats()
    assert stats["rate_limited"] == 0
    assert stats["concurrency_peak"] >= 2  # paths were read concurrently
    assert len(run.records("call_history")) == len(emulator.truth.call_history_uuids())
    summaries = [line for line in run.stderr.splitlines() if "call_elements finished" in line]
    assert len(summaries) == 1


def test_a_windows_paths_are_written_before_the_bookmark_passes_it(emulator_factory):
    emulator = emulator_factory(seed=57, users=4, calls_per_user=200, latency_ms=5)
    catalog = selecting("call_history", "call_elements")
    run = run_tap(emulator_config(emulator, max_workers=3), catalog=catalog)
    assert run.returncode == 0, run.stderr
    calls: dict[str, str] = {}  # call uuid -> start time, as written so far
    with_paths: set[str] = set()
    checked = 0
    for message in run.messages:
        if message["type"] == "RECORD" and message["stream"] == "call_history":
            calls[message["record"]["call_history_uuid"]] = message["record"]["start_time"]
        elif message["type"] == "RECORD" and message["stream"] == "call_elements":
            with_paths.add(message["record"]["call_history_uuid"])
        elif message["type"] == "STATE":
            synced_to = message["value"]["bookmarks"].get("call_history", {}).get("synced_to")
            if synced_to:
                passed = {uuid for uuid, start in calls.items() if start < synced_to}
                assert passed <= with_paths, "a bookmark passed calls whose paths were not written"
                checked += 1
    assert checked >= 2
    assert with_paths == emulator.truth.call_history_uuids()
