"""Generated data: deterministic, realistic, complete against the schemas, lazy at scale."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoom_client import NOW, ZoomClient, config
from zoomphone_emulator import run_emulator

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SCHEMA_FIELDS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "schema_fields.json").read_text()
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HISTORY_ID = re.compile(r"\d{8}-" + UUID.pattern)
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
EXTRAS = {
    "call_element_version",
    "emergency_address_id",
    "is_monitored",
    "queue_wait_seconds",
    "transcript",
}


def _paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every field path of a JSON value, arrays marked with "[]" like the schema fixture."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield prefix + key
            yield from _paths(child, f"{prefix}{key}.")
    elif isinstance(value, list):
        for item in value:
            yield from _paths(item, prefix[:-1] + "[]." if prefix else "")


def _month_of_logs(api: ZoomClient, user: str) -> list[dict[str, Any]]:
    return api.records(f"/phone/users/{user}/call_logs", "call_logs", page_size=300, **OCTOBER)


def test_same_seed_same_data_different_seed_different_data() -> None:
    bodies = []
    for seed, start in ((7, NOW), (7, NOW.replace(day=22)), (8, NOW)):
        with run_emulator(config(seed=seed, clock_start=start)) as emu:
            api = ZoomClient(emu)
            try:
                # Ask other things first: answers must not depend on what came before.
                api.ok("/phone/call_history", **OCTOBER)
                api.ok(f"/phone/users/{emu.user_ids()[3]}/call_logs/sync", sync_type="FSync")
                bodies.append((emu.user_ids(), _month_of_logs(api, emu.user_ids()[2]), emu.users()))
            finally:
                api.close()

    assert bodies[0] == bodies[1]  # same seed, emulator started two days later
    assert bodies[0][0] != bodies[2][0]
    assert {r["id"] for r in bodies[0][1]}.isdisjoint({r["id"] for r in bodies[2][1]})


def test_internal_calls_appear_in_both_users_logs(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=600)
    first, second = api.emu.user_ids()[:2]
    logs = {u: {r["call_id"]: r for r in _month_of_logs(api, u)} for u in (first, second)}
    history = {
        e["call_id"]: e["call_path_id"]
        for u in (first, second)
        for e in api.records(
            f"/phone/users/{u}/call_history", "call_logs", page_size=300, **OCTOBER
        )
    }

    shared = logs[first].keys() & logs[second].keys()

    assert shared
    for call_id in shared:
        mine, theirs = logs[first][call_id], logs[second][call_id]
        assert mine["id"] != theirs["id"]
        assert {mine["direction"], theirs["direction"]} == {"inbound", "outbound"}
        assert mine["user_id"] == first
        assert theirs["user_id"] == second
        assert call_id in history
    account = api.records("/phone/call_logs", "call_logs", page_size=300, **OCTOBER)
    per_call = Counter(r["call_id"] for r in account)
    assert all(per_call[c] == 2 for c in shared)
    calls = api.records("/phone/call_history", "call_history", page_size=300, **OCTOBER)
    uuids = Counter(r["call_id"] for r in calls)
    assert all(uuids[c] == 1 for c in shared)
    assert {history[c] for c in shared} <= {r["call_history_uuid"] for r in calls}
    third = api.emu.user_ids()[2]
    assert not shared & {r["call_id"] for r in _month_of_logs(api, third)}


def _served(api: ZoomClient) -> dict[str, list[dict[str, Any]]]:
    """Responses of every endpoint over a few months, keyed by operation id."""
    user_paths = [f"/phone/users/{u}" for u in api.emu.user_ids()]
    window = {"page_size": 300}
    months = [
        ("2026-08-01", "2026-08-31"),
        ("2026-09-01", "2026-09-30"),
        ("2026-10-01", "2026-10-31"),
    ]
    served: dict[str, list[dict[str, Any]]] = {
        "listPhoneUsers": api.pages("/phone/users", page_size=2)
    }
    for first, last in months:
        params = window | {"from": first, "to": last}
        served.setdefault("accountCallLogs", []).extend(api.pages("/phone/call_logs", **params))
        served.setdefault("accountCallHistory", []).extend(
            api.pages("/phone/call_history", **params)
        )
        for path in user_paths:
            served.setdefault("phoneUserCallLogs", []).extend(
                api.pages(f"{path}/call_logs", **params)
            )
            served.setdefault("phoneUserCallHistory", []).extend(
                api.pages(f"{path}/call_history", **params)
            )
    for path in user_paths:
        served.setdefault("syncUserCallLogs", []).append(
            api.ok(f"{path}/call_logs/sync", count=250)
        )
        served.setdefault("syncUserCallHistory", []).append(
            api.ok(f"{path}/call_history/sync", count=250)
        )
    uuids = [
        r["call_history_uuid"]
        for b in served["accountCallHistory"]
        for r in b.get("call_history", [])
    ]
    served["getCallPath"] = [api.ok(f"/phone/call_history/{u}") for u in uuids[:400]]
    return served


def test_records_carry_every_field_of_the_schemas(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=8, calls_per_user=400, call_path_array="both")
    served = _served(api)
    # The other generation of array and id names.
    api.emu.config.call_history_array = "call_logs"
    api.emu.config.user_call_history_array = "call_elements"
    again = _served(api)

    for operation, expected in SCHEMA_FIELDS.items():
        if operation.startswith("_"):
            continue
        seen = {p for body in served[operation] + again[operation] for p in _paths(body)}
        missing = set(expected) - seen
        assert not missing, f"{operation} never served: {sorted(missing)}"
        undocumented = {
            p for p in seen - set(expected) if not set(re.split(r"\[\]\.|\.", p)) & EXTRAS
        }
        assert not undocumented, (
            f"{operation} served fields outside its schema: {sorted(undocumented)}"
        )


def test_about_one_record_in_fifty_has_an_undocumented_field(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(users=10, calls_per_user=600)
    path = "/phone/call_logs"
    params = {"page_size": 300, **OCTOBER}

    records = api.records(path, "call_logs", **params)
    extra = [r for r in records if EXTRAS & r.keys()]
    api.emu.config.unknown_fields = False
    plain = api.records(path, "call_logs", **params)

    assert 0.005 < len(extra) / len(records) < 0.06
    assert not [r for r in plain if EXTRAS & r.keys()]


def test_records_look_like_zoom_data(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=10, calls_per_user=600)
    logs = api.records("/phone/call_logs", "call_logs", page_size=300, **OCTOBER)
    user_logs = [r for u in api.emu.user_ids() for r in _month_of_logs(api, u)]

    results = Counter(r["result"] for r in logs)
    assert "Voicemail " in results  # Zoom's trailing space
    assert {"Call connected", "No Answer"} <= results.keys()
    assert {r["recording_type"] for r in logs if "recording_type" in r} == {
        "1",
        "2",
        "OnDemand",
        "Automatic",
    }
    assert any(
        re.search(r"\w {2,}[A-Z]{2}$", r["accepted_by"]["location"])
        for r in user_logs
        if "accepted_by" in r
    )
    assert {r["caller_number_type"] for r in logs} == {1, 2}
    assert {r["direction"] for r in logs} == {"inbound", "outbound"}
    assert {"pstn", "extension", "callQueue"} <= {r["path"] for r in logs}
    for record in logs:
        assert UUID.fullmatch(record["id"])
        assert re.fullmatch(r"\d{19}", record["call_id"])
        assert re.fullmatch(r"\$\d+\.\d{2,4}", record["charge"])
        assert record["call_end_time"] >= record["date_time"]
        if record["result"] in ("No Answer", "Missed"):
            assert "answer_start_time" not in record
    party_objects = Counter(
        k
        for r in user_logs
        for k in ("accepted_by", "forwarded_by", "forwarded_to", "outgoing_by")
        if k in r
    )
    assert len(party_objects) == 4
    assert all(0 < n < len(user_logs) for n in party_objects.values())
    calls = api.records("/phone/call_history", "call_history", page_size=300, **OCTOBER)
    assert all(HISTORY_ID.fullmatch(r["call_history_uuid"]) for r in calls)
    assert all(r["call_history_uuid"][:8] == r["start_time"][:10].replace("-", "") for r in calls)


def test_calls_per_user_is_the_average_over_the_history(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=40, calls_per_user=200, history_days=100)
    readable_days = (NOW - api.emu.truth.readable_start()).total_seconds() / 86400

    total = len(api.emu.truth.account_call_log_ids())
    per_user = total / 40 * 100 / min(readable_days, 100)

    assert 170 < per_user < 230


def test_call_paths_have_one_to_four_elements(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=6, calls_per_user=400)
    calls = api.records("/phone/call_history", "call_history", page_size=300, **OCTOBER)

    sizes = Counter(
        len(api.ok(f"/phone/call_history/{c['call_history_uuid']}")["call_path"])
        for c in calls[:300]
    )

    assert set(sizes) == {1, 2, 3, 4}


SCALE_SCRIPT = textwrap.dedent(
    """
    import datetime, json, pathlib, time
    import requests
    from zoomphone_emulator import EmulatorConfig, run_emulator

    started = time.perf_counter()
    config = EmulatorConfig(seed=5, users=10_000, calls_per_user=100, plan="off")
    with run_emulator(config) as emu, requests.Session() as session:
        built = time.perf_counter() - started
        grant = {"grant_type": "account_credentials", "account_id": config.account_id}
        auth = (config.client_id, config.client_secret)
        token = session.post(emu.oauth_url, params=grant, auth=auth).json()["access_token"]
        session.headers["Authorization"] = "Bearer " + token
        today = emu.clock.now().date()
        month = {"from": str(today - datetime.timedelta(days=30)), "to": str(today)}
        asks = [
            ("call_logs", {"page_size": 300, **month}),
            ("call_history", {"page_size": 300, **month}),
            ("call_logs/sync", {"count": 250}),
        ]
        timings, records = [], 0
        for user in (emu.user_ids()[0], emu.user_ids()[5_001], emu.user_ids()[-1]):
            for path, params in asks:
                began = time.perf_counter()
                response = session.get(f"{emu.api_url}/phone/users/{user}/{path}", params=params)
                timings.append(time.perf_counter() - began)
                assert response.status_code == 200, response.text
                records += len(response.json()["call_logs"])
        users = session.get(emu.api_url + "/phone/users", params={"page_size": 100}).json()
    # Peak RSS of this process image (ru_maxrss would include the parent's peak before exec).
    status = pathlib.Path("/proc/self/status").read_text()
    rss = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps({"built": built, "slowest": max(timings), "records": records,
                      "total_users": users["total_records"], "rss_mb": rss}))
    """
)


def test_ten_thousand_users_are_served_lazily() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCALE_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)

    assert result["total_users"] == 10_000
    assert result["records"] > 3 * 30  # about 15 calls a month per user, plus their elements
    assert result["built"] < 5
    assert result["slowest"] < 0.25, result  # milliseconds in practice; generous for slow CI
    assert result["rss_mb"] < 150, result
