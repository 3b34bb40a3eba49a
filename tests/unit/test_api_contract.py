"""The tap's streams against Zoom's own API description: fields, parameters, labels, caps."""

import json
from pathlib import Path

import pytest

from scripts.vendor_api import SOURCES, render
from tap_zoomphone.reading.account import AccountWindowStream, WindowChild
from tap_zoomphone.reading.fan_out import FanOutStream
from tap_zoomphone.reading.full_list import AccountListStream
from tap_zoomphone.reading.per_user import PerUserStream
from tap_zoomphone.tap import TapZoomPhone
from tap_zoomphone.zoom.apischema import API_DESCRIPTION

SPEC = json.loads(API_DESCRIPTION.read_text())
NEW_STREAMS = {
    "recordings": ("/phone/recordings", "recordings"),
    "voicemails": ("/phone/voice_mails", "voice_mails"),
    "sms_sessions": ("/phone/sms/sessions", "sms_sessions"),
    "sms_messages": ("/phone/sms/sessions/{sessionId}", "sms_histories"),
    "sites": ("/phone/sites", "sites"),
    "call_queues": ("/phone/call_queues", "call_queues"),
    "auto_receptionists": ("/phone/auto_receptionists", "auto_receptionists"),
    "common_areas": ("/phone/common_areas", "common_areas"),
    "shared_line_groups": ("/phone/shared_line_groups", "shared_line_groups"),
    "devices": ("/phone/devices", "devices"),
    "phone_numbers": ("/phone/numbers", "phone_numbers"),
    "emergency_addresses": ("/phone/emergency_addresses", "emergency_addresses"),
    "call_queue_members": ("/phone/call_queues/{callQueueId}/members", "call_queue_members"),
    "user_settings": ("/phone/users/{userId}/settings", ""),
    "call_charges": ("/phone/reports/call_charges", "call_charges"),
    "sms_charges": ("/phone/reports/sms_charges", "sms_charges"),
    "ai_call_summaries": ("/phone/user/{userId}/ai_call_summary/{aiCallSummaryId}", ""),
    "call_queue_analytics": ("/phone/call_queue_analytics", "call_queues"),
    "call_qos": ("/phone/metrics/call_logs/{callId}/qos", ""),
}
# What a traversal adds to an endpoint's declared parameters.
PAGING = {"page_size", "next_page_token"}
WINDOWS = {"from", "to"}
SYNC = {"sync_type", "count", "sync_token"}


def streams():
    return TapZoomPhone(config={}, validate_config=False).streams


def spec_path(path: str) -> str:
    """The spec's spelling of one of the tap's path templates ({session_id} -> {sessionId})."""

    def shape(template: str) -> list[str]:
        return ["{}" if part.startswith("{") else part for part in template.split("/")]

    matches = [candidate for candidate in SPEC["paths"] if shape(candidate) == shape(path)]
    assert len(matches) == 1, (path, matches)
    return matches[0]


def fields(schema: dict, prefix: str = "") -> set[str]:
    """Every field of an object schema, nested ones as dotted paths."""
    found = set()
    for name, prop in (schema.get("properties") or {}).items():
        found.add(prefix + name)
        found |= fields(prop, f"{prefix}{name}.")
        found |= fields(prop.get("items") or {}, f"{prefix}{name}[].")
    return found


def published_item(path: str, array: str) -> dict:
    answer = SPEC["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return answer["schema"]["properties"][array]["items"] if array else answer["schema"]


def endpoints_of(stream):
    if isinstance(stream, PerUserStream):
        return [(stream.listing, PAGING | WINDOWS), (stream.syncing, SYNC)]
    if isinstance(stream, AccountWindowStream):
        return [(stream.endpoint, PAGING | WINDOWS)]
    if isinstance(stream, WindowChild):
        paging = set() if stream.single else PAGING
        return [(stream.endpoint, paging | (WINDOWS if stream.dated else set()))]
    if isinstance(stream, AccountListStream):
        return [(endpoint, PAGING) for endpoint in stream.endpoints]
    if isinstance(stream, FanOutStream):
        parents = [(stream.parents, PAGING)] if stream.parents else []
        return [*parents, (stream.endpoint, set() if stream.single else PAGING)]
    return []


def test_the_catalog_lists_the_api_described_streams():
    assert set(NEW_STREAMS) <= set(streams())


@pytest.mark.parametrize(("stream", "source"), NEW_STREAMS.items())
def test_each_schema_holds_every_field_zoom_publishes(stream, source):
    schema = streams()[stream].schema
    published = fields(published_item(*source))
    assert len(published & fields(schema)) >= 0.95 * len(published)
    assert published <= fields(schema)
    # enumerations stay strings: Zoom sends values its description does not list
    assert "enum" not in json.dumps(schema)


def test_every_parameter_the_tap_sends_is_one_zoom_declares():
    checked = 0
    settings_like = TapZoomPhone(
        config={"account_id": "a", "client_id": "b", "client_secret": "c"}
    ).settings
    for stream in streams().values():
        for endpoint, traversal in endpoints_of(stream):
            path = spec_path(endpoint.path)
            declared = {p["name"] for p in SPEC["paths"][path]["get"].get("parameters", [])}
            sent = set(endpoint.query_params(settings_like)) | traversal
            # A detail endpoint or an unpaged list: a page token only if Zoom answers one.
            if endpoint.path.endswith("}") or "page_size" not in declared:
                sent -= PAGING - declared
            assert sent <= declared, f"{stream.name} sends {sent - declared} to {path}"
            checked += 1
    assert checked >= 18


def test_labels_and_page_caps_are_zooms():
    for stream in streams().values():
        for endpoint, _ in endpoints_of(stream):
            operation = SPEC["paths"][spec_path(endpoint.path)]["get"]
            size = next(
                (p for p in operation.get("parameters", []) if p["name"] in {"page_size", "count"}),
                None,
            )
            # A page cap is declared exactly where Zoom takes a page size, under its name.
            if size is None:
                assert endpoint.page_cap is None, f"{stream.name}: {endpoint.path} takes no size"
            else:
                assert endpoint.page_cap is not None, f"{stream.name}: {endpoint.path} has no cap"
                assert endpoint.sized_by == size["name"], f"{stream.name}: {endpoint.path}"
                cap = size.get("schema", {}).get("maximum")
                assert cap is None or endpoint.page_cap <= cap, f"{stream.name}: > {cap}"
            label = operation["x-rate-limit-label"]
            # The per-user call-log list is Medium in this edition, Heavy in an older one: the
            # tap budgets it as Heavy until Zoom's headers say otherwise.
            if endpoint.path != "/phone/users/{user_id}/call_logs":
                assert endpoint.label == label, f"{stream.name}: {endpoint.label} != {label}"


@pytest.mark.skipif(
    not all(s.exists() for s in SOURCES), reason="../shared is not beside this checkout"
)
def test_the_vendored_description_is_zooms_without_prose():
    assert Path(API_DESCRIPTION).read_text() == render(SOURCES)
