"""Rendered-record cache: cached pages equal fresh ones, warm-up, shapes in keys, the budget."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import orjson
import pytest

from zoomphone_emulator.render_cache import ENTRY_OVERHEAD, MB, RenderCache, page_body

if TYPE_CHECKING:
    from collections.abc import Callable

    import requests

    from zoom_client import ZoomClient

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def _raw_pages(api: ZoomClient, path: str, **params: Any) -> list[bytes]:
    """Every page of a list request as the bytes served (tokens followed until empty)."""
    bodies: list[bytes] = []
    token = None
    while token != "":
        extra: dict[str, str] = {"next_page_token": token} if token else {}
        response = api.get(path, **params, **extra)
        assert response.status_code == 200, response.text
        bodies.append(response.content)
        token = response.json().get("next_page_token", "")
    return bodies


def _every_list(api: ZoomClient) -> list[bytes]:
    """Pages of every list endpoint: October windows (two page sizes) and sync feeds."""
    bodies = []
    for path in ("/phone/call_logs", "/phone/call_history"):
        bodies += _raw_pages(api, path, page_size=300, **OCTOBER)
    for user in api.emu.user_ids()[:3]:
        for what in ("call_logs", "call_history"):
            path = f"/phone/users/{user}/{what}"
            bodies += _raw_pages(api, path, page_size=300, **OCTOBER)
            bodies += _raw_pages(api, path, page_size=7, **OCTOBER)
            bodies.append(api.get(f"{path}/sync", sync_type="FSync", count=250).content)
    return bodies


def _admin(api: ZoomClient, method: str, path: str, **kwargs: Any) -> requests.Response:
    return api.session.request(method, f"{api.emu.base_url}/_emulator/{path}", timeout=60, **kwargs)


def test_cached_pages_are_byte_identical_to_freshly_rendered_ones(
    zoom: Callable[..., ZoomClient],
) -> None:
    cached = zoom(calls_per_user=300)
    fresh = zoom(calls_per_user=300, render_cache_mb=0)

    first = _every_list(cached)
    again = _every_list(cached)

    assert cached.emu.render_cache()["hits"] >= sum(
        len(orjson.loads(b).get("call_logs", orjson.loads(b).get("call_history", [])))
        for b in first
    )
    assert fresh.emu.render_cache()["records"] == 0
    assert first == again == _every_list(fresh)


@pytest.mark.parametrize(
    "envelope",
    [{"from": "2026-10-01", "to": "2026-10-31", "next_page_token": "", "page_count": 1}, {}],
)
def test_page_body_is_what_orjson_writes_for_the_whole_page(envelope: dict[str, Any]) -> None:
    records: list[dict[str, Any]] = [
        {"id": "a", "name": "Tomás Ruiz", "location": "Glendale     CA", "n": 1},
        {"id": "b", "nested": {"x": [1, 2]}, "flag": False, "text": 'quote " and \\ slash'},
    ]
    for some in (records, []):
        rendered = [orjson.dumps(r) for r in some]

        assert page_body("call_logs", rendered, envelope) == orjson.dumps(
            {"call_logs": some, **envelope}
        )


def test_warm_renders_ahead_so_pages_come_from_the_cache(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=200)
    users = api.emu.user_ids()

    done = api.emu.warm(["user_call_logs"])
    before = api.emu.render_cache()
    served = [
        r
        for u in users
        for r in api.crawl(f"/phone/users/{u}/call_logs", "call_logs", page_size=300)
    ]
    after = api.emu.render_cache()

    assert done["records"] == len(served) == sum(len(api.emu.truth.call_log_ids(u)) for u in users)
    assert done["seconds"] >= 0
    assert after["misses"] == before["misses"]  # nothing was rendered on demand
    assert after["hits"] - before["hits"] == len(served)


def test_warm_defaults_to_every_list_endpoint(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=100)
    truth, users = api.emu.truth, api.emu.user_ids()
    logs = sum(len(truth.call_log_ids(u)) for u in users)
    elements = [truth.user_call_history_ids(u) for u in users]
    calls = len(truth.call_history_uuids())
    # The legs of a call between two users are in both histories, the same records.
    distinct = len(set().union(*elements))

    done = api.emu.warm()
    cached = api.emu.render_cache()["records"]

    # Logs: per user, their sync feeds and account-wide; elements: list and sync; calls once.
    assert done["records"] == 3 * logs + 2 * sum(map(len, elements)) + calls
    assert cached == 3 * logs + 2 * distinct + calls < done["records"]
    assert api.emu.warm()["records"] == done["records"]  # a second warm-up finds it all done
    assert api.emu.render_cache()["records"] == cached


def test_admin_warm_and_cache_routes(api: ZoomClient) -> None:
    warmed = _admin(api, "POST", "warm", json={"kinds": ["call_history", "user_call_logs_sync"]})
    cache = _admin(api, "GET", "cache").json()

    assert warmed.status_code == 200
    assert warmed.json()["records"] == cache["records"] > 0
    assert cache["budget_bytes"] == 1024 * MB
    assert _admin(api, "POST", "warm", json={"kinds": ["meteor"]}).status_code == 400
    assert _admin(api, "POST", "warm", json={"kinds": "call_history"}).status_code == 400
    assert _admin(api, "POST", "warm").json()["records"] >= cache["records"]
    assert api.emu.stats()["requests_total"] == 0  # admin traffic is not counted


def test_settings_that_change_a_shape_change_the_bytes(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    logs = f"/phone/users/{user}/call_logs"
    history = f"/phone/users/{user}/call_history"
    extras = {"call_element_version", "emergency_address_id", "is_monitored"}
    extras |= {"queue_wait_seconds", "transcript"}

    def undocumented(path: str, array: str) -> int:
        records = api.records(path, array, page_size=300, **OCTOBER)
        return sum(bool(extras & r.keys()) for r in records)

    with_extras = undocumented("/phone/call_logs", "call_logs")
    api.emu.config.unknown_fields = False
    without = undocumented("/phone/call_logs", "call_logs")
    api.emu.config.unknown_fields = True
    listed = api.records(logs, "call_logs", page_size=300, **OCTOBER)
    synced = api.sync(f"{logs}/sync", "call_logs", "FSync", count=250)[0]
    old_names = api.records(history, "call_logs", page_size=300, **OCTOBER)
    api.emu.config.user_call_history_array = "call_elements"
    new_names = api.records(history, "call_elements", page_size=300, **OCTOBER)

    assert with_extras > 0
    assert without == 0
    assert undocumented("/phone/call_logs", "call_logs") == with_extras
    assert all("department" in r and "caller_user_id" not in r for r in listed)
    assert all("department" not in r for r in synced)
    assert {r["id"] for r in old_names} == {r["call_element_id"] for r in new_names}
    assert all("call_path_id" in r and "call_history_uuid" not in r for r in old_names)
    assert all("call_history_uuid" in r and "id" not in r for r in new_names)


def test_cache_stays_within_its_budget(zoom: Callable[..., ZoomClient]) -> None:
    small = zoom(calls_per_user=600, render_cache_mb=1)
    fresh = zoom(calls_per_user=600, render_cache_mb=0)

    bodies = _every_list(small)
    info = small.emu.render_cache()

    assert sum(map(len, bodies)) > 3 * MB
    assert info["evictions"] > 0
    assert 0.5 * MB < info["bytes"] <= MB
    assert bodies == _every_list(fresh)


def test_warm_up_stops_at_the_budget_without_evicting(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=600, render_cache_mb=1)

    done = api.emu.warm()
    info = api.emu.render_cache()

    assert 0 < info["records"] <= done["records"]
    assert info["bytes"] <= MB
    assert info["evictions"] == 0


class _Entry(NamedTuple):
    id: str


def test_the_least_recently_used_records_go_first() -> None:
    record = {"text": "x" * 100}
    size = len(orjson.dumps(record)) + ENTRY_OVERHEAD
    cache = RenderCache(lambda: 3 * size)
    built: list[str] = []

    def build(entry: _Entry) -> dict[str, Any]:
        built.append(entry.id)
        return record

    cache.render("shape", [_Entry("a"), _Entry("b"), _Entry("c")], build)
    cache.render("shape", [_Entry("a")], build)  # a is now the most recently used
    cache.render("shape", [_Entry("d")], build)  # evicts b, the least recently used
    cache.render("shape", [_Entry("a"), _Entry("c"), _Entry("d")], build)
    cache.render("shape", [_Entry("b")], build)
    cache.render("other", [_Entry("a")], build)  # another shape: another record

    assert built == ["a", "b", "c", "d", "b", "a"]
    assert cache.info()["bytes"] == 3 * size
