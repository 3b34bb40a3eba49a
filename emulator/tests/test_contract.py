"""The emulator against Zoom's published API description (the tap's vendored copy).

Every GET path of `tap_zoomphone/schemas/zoom_phone_api.json` that the emulator serves is
requested and its 200 answers validated against that operation's response schema (OpenAPI 3.0
turned into JSON Schema: `nullable` adds "null" to the type; `format` is an annotation only).
The routes' page caps, rate labels and scopes are held against the description too, and the
endpoints added for issue 13 must send every field of their item schemas in every record.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from zoomphone_emulator.paging import DEFAULT_PAGE_SIZE, PAGE_CAPS
from zoomphone_emulator.routes import ROUTES, match_route

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from zoom_client import ZoomClient

SPEC_FILE = (
    Path(__file__).resolve().parents[2] / "tap_zoomphone" / "schemas" / "zoom_phone_api.json"
)
SPEC: dict[str, Any] = json.loads(SPEC_FILE.read_text())
# GET paths of the description the emulator does not serve (nothing the tap reads needs them).
NOT_SERVED = {
    "/phone/call_element/{callElementId}": "one call element: the tap reads whole call paths",
    "/phone/users/{userId}/recordings": "per-user recordings: the account-wide list serves all",
    "/phone/users/{userId}/voice_mails": "per-user voicemails: the account-wide list serves all",
    "/phone/metrics/call_logs": "monthly QoS metrics: the tap reads a call's QoS by its id",
    "/phone/call_element/{callElementId}/recording": "the account-wide list serves recordings",
    "/phone/call_element/{callElementId}/voice_mail": "the account-wide list serves voicemails",
}
# Rate labels the emulator serves differently from the description, and why.
LABEL_EXCEPTIONS = {
    # ZOOM_PHONE_API.md: Heavy in one edition of Zoom's docs, Medium in the 2026 description;
    # budget for Heavy. The emulator's `call_logs_label` (default Heavy) or `labels` decides.
    "user_call_logs": "Heavy",
}
# Where Zoom's schema contradicts ZOOM_PHONE_API.md, the facts win: "`recording_type` was
# "1"/"2" in older docs and OnDemand/Automatic now", and the emulator serves both generations
# in the legacy call logs. (path, field) -> values allowed beyond the schema's enum.
ENUM_EXCEPTIONS = {
    (path, "recording_type"): ("1", "2")
    for path in (
        "/phone/call_logs",
        "/phone/users/{userId}/call_logs",
        "/phone/users/{userId}/call_logs/sync",
    )
}
# The endpoints of issue 13: every record carries every field of its item schema.
COMPLETE = {
    "/phone/recordings": "recordings",
    "/phone/voice_mails": "voice_mails",
    "/phone/sms/sessions": "sms_sessions",
    "/phone/sms/sessions/{sessionId}": "sms_histories",
    "/phone/sites": "sites",
    "/phone/call_queues": "call_queues",
    "/phone/auto_receptionists": "auto_receptionists",
    "/phone/common_areas": "common_areas",
    "/phone/shared_line_groups": "shared_line_groups",
    "/phone/devices": "devices",
    "/phone/numbers": "phone_numbers",
    "/phone/emergency_addresses": "emergency_addresses",
    "/phone/call_queues/{callQueueId}/members": "call_queue_members",
    "/phone/reports/call_charges": "call_charges",
    "/phone/reports/sms_charges": "sms_charges",
    "/phone/call_queue_analytics": "call_queues",
}
MONTHS = (("2026-10-01", "2026-10-31"), ("2026-11-01", "2026-11-30"))


def _operation(path: str) -> dict[str, Any]:
    operation: dict[str, Any] = SPEC["paths"][path]["get"]
    return operation


def _response_schema(path: str) -> dict[str, Any]:
    schema: dict[str, Any] = _operation(path)["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    return schema


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: `nullable: true` adds "null" to the type."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def _with_exceptions(path: str, node: Any) -> Any:
    """The schema with ENUM_EXCEPTIONS' extra values added to the enums they concern."""
    if isinstance(node, list):
        return [_with_exceptions(path, item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _with_exceptions(path, value) for key, value in node.items()}
    for name, child in out.get("properties", {}).items():
        extra = ENUM_EXCEPTIONS.get((path, name))
        if extra and "enum" in child:
            child["enum"] = [*child["enum"], *extra]
    return out


def _validator(path: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(_with_exceptions(path, json_schema(_response_schema(path))))


def _route_of(path: str) -> str | None:
    sample = "/v2" + path.replace("{", "").replace("}", "")
    route, _ = match_route("GET", sample)
    return route.name if route else None


SERVED = sorted(p for p in SPEC["paths"] if "get" in SPEC["paths"][p] and p not in NOT_SERVED)
# Served paths whose success is a JSON answer (a download answers 302 instead: test_reports.py).
ANSWERED = [p for p in SERVED if "200" in SPEC["paths"][p]["get"]["responses"]]


def test_every_route_is_a_path_of_the_description_and_the_exceptions_are_explicit() -> None:
    gets = {p for p in SPEC["paths"] if "get" in SPEC["paths"][p]}
    assert len(gets) == 34
    assert set(NOT_SERVED) <= gets
    assert {_route_of(p) for p in NOT_SERVED} == {None}
    routes = {_route_of(p) for p in SERVED}
    assert None not in routes
    assert routes == {r.name for r in ROUTES if r.method == "GET"}


@pytest.mark.parametrize("path", SERVED)
def test_page_caps_labels_and_scopes_match_the_description(path: str) -> None:
    name = _route_of(path)
    route = next(r for r in ROUTES if r.name == name)
    operation = _operation(path)
    page_size = next((p for p in operation["parameters"] if p["name"] == "page_size"), None)
    if page_size is not None and "maximum" in page_size["schema"]:
        assert PAGE_CAPS[route.name] == page_size["schema"]["maximum"]
    if page_size is not None and "default" in page_size["schema"]:
        assert page_size["schema"]["default"] == DEFAULT_PAGE_SIZE
    label = route.label if route.label != "call_logs" else LABEL_EXCEPTIONS[route.name]
    assert label == LABEL_EXCEPTIONS.get(route.name, operation["x-rate-limit-label"])
    scopes = {s for block in operation["security"] for s in block.get("openapi_oauth", [])}
    extensions = operation["x-extensions"]
    assert scopes == set(extensions["x-macro-scopes"]) | set(extensions["x-granular-scopes"])
    assert set(route.scopes) == scopes


def _asks(api: ZoomClient) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(spec path, request path, parameters) of the list requests, over a few months."""
    users = api.emu.user_ids()
    yield "/phone/users", "/phone/users", {"page_size": 100}
    for first, last in MONTHS:
        window = {"from": first, "to": last, "page_size": 300}
        for path in ("/phone/call_logs", "/phone/call_history", "/phone/recordings"):
            yield path, path, window
        for trashed in ("false", "true"):
            yield "/phone/voice_mails", "/phone/voice_mails", window | {"trashed": trashed}
        sessions = window | {"page_size": 100, "session_type": "all"}
        yield "/phone/sms/sessions", "/phone/sms/sessions", sessions
        for path in ("/phone/reports/call_charges", "/phone/reports/sms_charges"):
            yield path, path, window
        yield "/phone/call_queue_analytics", "/phone/call_queue_analytics", window
        for user, kind in ((u, k) for u in users for k in ("call_logs", "call_history")):
            yield f"/phone/users/{{userId}}/{kind}", f"/phone/users/{user}/{kind}", window
    for user, kind in ((u, k) for u in users for k in ("call_logs", "call_history")):
        sync = f"/phone/users/{{userId}}/{kind}/sync"
        yield sync, f"/phone/users/{user}/{kind}/sync", {"count": 250}
    for path in (
        "/phone/sites",
        "/phone/call_queues",
        "/phone/auto_receptionists",
        "/phone/common_areas",
        "/phone/shared_line_groups",
    ):
        yield path, path, {"page_size": 2}
    for kind in ("assigned", "unassigned"):
        yield "/phone/devices", "/phone/devices", {"type": kind}
    for kind in ("all", "byoc"):
        yield "/phone/numbers", "/phone/numbers", {"type": kind, "page_size": 100}
    yield "/phone/emergency_addresses", "/phone/emergency_addresses", {"page_size": 3}


def _details(api: ZoomClient) -> Iterator[tuple[str, str]]:
    """(spec path, request path) of the requests for one call path or one SMS session."""
    history = api.ok("/phone/call_history", **{"from": "2026-10-01", "to": "2026-10-31"})
    for call in history.get("call_history", history.get("call_logs", []))[:20]:
        uuid = call.get("call_history_uuid") or call["id"]
        yield "/phone/call_history/{callHistoryUuid}", f"/phone/call_history/{uuid}"
        qos = f"/phone/metrics/call_logs/{call['call_id']}/qos"
        yield "/phone/metrics/call_logs/{callId}/qos", qos
    sessions = api.ok("/phone/sms/sessions", session_type="all", page_size=100)["sms_sessions"]
    for session in sessions:
        yield "/phone/sms/sessions/{sessionId}", f"/phone/sms/sessions/{session['session_id']}"
    for queue in api.ok("/phone/call_queues", page_size=100)["call_queues"]:
        yield (
            "/phone/call_queues/{callQueueId}/members",
            f"/phone/call_queues/{queue['id']}/members",
        )
    for user in api.emu.user_ids():
        yield "/phone/users/{userId}/settings", f"/phone/users/{user}/settings"
    for user in api.emu.user_ids()[:2]:
        body = api.ok(f"/phone/users/{user}/call_history/sync", sync_type="FSync", count=250)
        rows = body.get("call_elements") or body.get("call_logs") or []
        for summary in {row["ai_call_summary_id"] for row in rows if row.get("ai_call_summary_id")}:
            path = f"/phone/user/{user}/ai_call_summary/{summary}"
            if api.get(path).status_code == 200:
                yield "/phone/user/{userId}/ai_call_summary/{aiCallSummaryId}", path


def _answers(api: ZoomClient) -> Iterator[tuple[str, dict[str, Any]]]:
    """(spec path, 200 body) of every page of every served path."""
    for spec_path, path, params in _asks(api):
        yield from ((spec_path, body) for body in api.pages(path, **params))
    for spec_path, path in _details(api):
        yield from ((spec_path, body) for body in api.pages(path, page_size=100))


def _missing(schema: dict[str, Any], value: Any, where: str) -> Iterator[str]:
    """Field paths of the schema absent from a value (recursively through objects and arrays)."""
    if schema.get("type") == "object" and isinstance(value, dict):
        for name, child in schema.get("properties", {}).items():
            if name not in value:
                yield f"{where}.{name}"
            else:
                yield from _missing(child, value[name], f"{where}.{name}")
    elif schema.get("type") == "array" and isinstance(value, list):
        for item in value:
            yield from _missing(schema.get("items", {}), item, f"{where}[]")


def _arrays(schema: dict[str, Any], value: Any, where: str) -> Iterator[tuple[str, bool]]:
    """(path, non-empty) of every array field inside a record."""
    if schema.get("type") == "object" and isinstance(value, dict):
        for name, child in schema.get("properties", {}).items():
            yield from _arrays(child, value.get(name), f"{where}.{name}")
    elif schema.get("type") == "array" and isinstance(value, list):
        yield where, bool(value)
        for item in value:
            yield from _arrays(schema.get("items", {}), item, f"{where}[]")


@pytest.fixture
def contract_api(zoom: Callable[..., ZoomClient]) -> ZoomClient:
    return zoom(users=6, calls_per_user=300, sites=2)


@pytest.mark.parametrize(
    "generation",
    [
        {},
        {
            "call_history_array": "call_logs",
            "user_call_history_array": "call_elements",
            "call_path_array": "both",
        },
    ],
    ids=["new-names", "old-names"],
)
def test_every_answer_validates_against_its_response_schema(
    contract_api: ZoomClient, generation: dict[str, str]
) -> None:
    for name, value in generation.items():
        setattr(contract_api.emu.config, name, value)
    validators = {path: _validator(path) for path in ANSWERED}
    seen: dict[str, int] = dict.fromkeys(ANSWERED, 0)

    for path, body in _answers(contract_api):
        errors = sorted(validators[path].iter_errors(body), key=lambda e: list(e.path))
        assert not errors, (path, [f"{list(e.path)}: {e.message}" for e in errors[:5]])
        seen[path] += 1

    assert all(seen.values()), seen


def test_new_endpoints_send_every_field_in_every_record(contract_api: ZoomClient) -> None:
    records: dict[str, int] = dict.fromkeys(COMPLETE, 0)
    filled: dict[str, set[str]] = {path: set() for path in COMPLETE}
    arrays: dict[str, set[str]] = {path: set() for path in COMPLETE}

    for path, body in _answers(contract_api):
        if path not in COMPLETE:
            continue
        array = COMPLETE[path]
        items = _response_schema(path)["properties"][array]["items"]
        for record in body[array]:
            missing = list(_missing(items, record, array))
            assert not missing, (path, missing, record)
            records[path] += 1
            for where, full in _arrays(items, record, array):
                arrays[path].add(where)
                if full:
                    filled[path].add(where)

    assert all(records.values()), records
    # Every array field holds items somewhere, so their fields are exercised too.
    assert filled == arrays


def test_answers_are_what_the_schemas_promise_and_no_more_envelope(api: ZoomClient) -> None:
    """The envelope keys of each list are those of its response schema."""
    october = {"from": "2026-10-01", "to": "2026-10-31"}
    session = api.ok("/phone/sms/sessions", session_type="all", **october)["sms_sessions"][0]
    asks = {
        "/phone/recordings": api.ok("/phone/recordings", **october),
        "/phone/voice_mails": api.ok("/phone/voice_mails", **october),
        "/phone/sms/sessions": api.ok("/phone/sms/sessions", **october),
        "/phone/sms/sessions/{sessionId}": api.ok(f"/phone/sms/sessions/{session['session_id']}"),
        "/phone/sites": api.ok("/phone/sites"),
        "/phone/call_queues": api.ok("/phone/call_queues"),
        "/phone/auto_receptionists": api.ok("/phone/auto_receptionists"),
        "/phone/common_areas": api.ok("/phone/common_areas"),
        "/phone/shared_line_groups": api.ok("/phone/shared_line_groups"),
        "/phone/devices": api.ok("/phone/devices", type="assigned"),
        "/phone/numbers": api.ok("/phone/numbers"),
        "/phone/emergency_addresses": api.ok("/phone/emergency_addresses"),
        "/phone/reports/call_charges": api.ok("/phone/reports/call_charges", **october),
        "/phone/reports/sms_charges": api.ok("/phone/reports/sms_charges", **october),
        "/phone/call_queue_analytics": api.ok("/phone/call_queue_analytics", **october),
    }

    for path, body in asks.items():
        assert set(body) == set(_response_schema(path)["properties"]), path


def test_nullable_becomes_a_null_type() -> None:
    converted = json_schema(
        {"type": "object", "properties": {"a": {"type": "string", "nullable": True}}}
    )

    assert converted == {"type": "object", "properties": {"a": {"type": ["string", "null"]}}}
    assert copy.deepcopy(converted) == converted
