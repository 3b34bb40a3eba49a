"""Sites, call queues, auto receptionists, common areas, shared line groups and desk phones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from zoomphone_emulator import Fault

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

# path: (settings giving more records than fit a capped page where the settings allow, cap,
# truth method, extra parameters)
LISTS: dict[str, tuple[dict[str, Any], int, str, dict[str, str]]] = {
    "/phone/sites": ({"sites": 350}, 300, "site_ids", {}),
    "/phone/call_queues": ({"call_queues": 50}, 100, "call_queue_ids", {}),
    "/phone/auto_receptionists": ({"auto_receptionists": 100}, 100, "auto_receptionist_ids", {}),
    "/phone/common_areas": ({"common_areas": 150}, 100, "common_area_ids", {}),
    "/phone/shared_line_groups": ({"shared_line_groups": 50}, 300, "shared_line_group_ids", {}),
    "/phone/devices": ({"devices": 700}, 300, "device_ids", {"type": "assigned"}),
}


def _array(path: str) -> str:
    return path.rsplit("/", 1)[1]


@pytest.mark.parametrize("path", list(LISTS))
def test_paging_caps_and_truth(zoom: Callable[..., ZoomClient], path: str) -> None:
    settings, cap, truth, params = LISTS[path]
    api = zoom(**settings)
    array = _array(path)

    default = api.ok(path, **params)
    capped = api.ok(path, page_size=1000, **params)
    ids = [r["id"] for r in api.records(path, array, page_size=7, **params)]
    expected = getattr(api.emu.truth, truth)(*params.values())

    assert (default["page_size"], len(default[array])) == (30, 30)
    assert (capped["page_size"], len(capped[array])) == (cap, min(cap, len(expected)))
    assert bool(capped["next_page_token"]) == (len(expected) > cap)
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    if path != "/phone/common_areas":  # Zoom's answer has no total there
        assert capped["total_records"] == len(expected)
    assert api.get(path, page_size="x", **params).status_code == 400


def test_page_tokens_of_lists_expire_after_15_minutes(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(sites=40)
    token = api.ok("/phone/sites", page_size=10)["next_page_token"]

    api.emu.clock.advance(seconds=901)
    expired = api.get("/phone/sites", page_size=10, next_page_token=token)

    assert expired.status_code == 400
    assert expired.json() == {"code": 400, "message": "The next page token is invalid or expired."}


@pytest.mark.parametrize("kind", [None, "", "all", "Assigned"])
def test_devices_require_their_type(api: ZoomClient, kind: str | None) -> None:
    params = {} if kind is None else {"type": kind}

    response = api.get("/phone/devices", **params)

    assert response.status_code == 400
    assert response.json() == {
        "code": 300,
        "message": "Validation Failed.",
        "errors": [{"field": "type", "message": "Invalid field."}],
    }


def test_devices_are_assigned_or_not_and_filtered(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(devices=40, common_areas=4, sites=2)
    truth = api.emu.truth

    assigned = api.records("/phone/devices", "devices", type="assigned")
    unassigned = api.records("/phone/devices", "devices", type="unassigned")
    to_users = api.records("/phone/devices", "devices", type="assigned", assignee_type="user")
    to_areas = api.records("/phone/devices", "devices", type="assigned", assignee_type="commonArea")
    yealink = api.records("/phone/devices", "devices", type="assigned", device_type="yealink")

    assert {d["id"] for d in assigned} == truth.device_ids("assigned")
    assert {d["id"] for d in unassigned} == truth.device_ids("unassigned")
    assert truth.device_ids("assigned") | truth.device_ids("unassigned") == truth.device_ids()
    assert len(truth.device_ids()) == 40
    assert all(d["assignees"] == [] and d["assignee"]["id"] == "" for d in unassigned)
    assert {d["assignee"]["extension_type"] for d in to_users} == {"user"}
    assert {d["assignee"]["extension_type"] for d in to_areas} == {"commonArea"}
    assert len(to_users) + len(to_areas) == len(assigned)
    assert len(to_areas) == 4
    assert yealink
    assert all(d["device_type"].startswith("Yealink") for d in yealink)
    users = set(api.emu.user_ids())
    assert {d["assignee"]["id"] for d in to_users} <= users
    site = assigned[0]["site"]["id"]
    on_site = api.records("/phone/devices", "devices", type="assigned", site_id=site)
    assert {d["id"] for d in on_site} == {d["id"] for d in assigned if d["site"]["id"] == site}
    assert api.get("/phone/devices", type="assigned", assignee_type="room").status_code == 400


def test_the_lists_link_to_each_other_and_to_the_calls(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(sites=3, auto_receptionists=4, common_areas=3, devices=10)
    sites = {s["id"]: s for s in api.records("/phone/sites", "sites")}
    receptionists = {
        a["id"]: a for a in api.records("/phone/auto_receptionists", "auto_receptionists")
    }
    queues = api.records("/phone/call_queues", "call_queues")
    groups = api.records("/phone/shared_line_groups", "shared_line_groups")
    areas = api.records("/phone/common_areas", "common_areas")
    devices = {d["id"]: d for d in api.records("/phone/devices", "devices", type="assigned")}

    for site in sites.values():
        main = site["main_auto_receptionist"]
        assert receptionists[main["id"]]["extension_id"] == main["extension_id"]
    assert [s["site_code"] for s in sites.values()] == [1, 2, 3]
    every = [*receptionists.values(), *queues, *groups, *areas]
    assert {r["site"]["id"] for r in every} <= set(sites)
    for area in areas:
        for phone in area["desk_phones"]:
            assert devices[phone["id"]]["assignee"]["id"] == area["id"]
    # The routing stops of inbound calls are the first auto receptionist, queue and group.
    stops = {
        (e["callee_ext_type"], e["callee_ext_id"], e["callee_ext_number"])
        for user in api.emu.user_ids()
        for e in api.records(
            f"/phone/users/{user}/call_history",
            "call_logs",
            page_size=300,
            **{"from": "2026-10-01", "to": "2026-10-31"},
        )
        if e.get("callee_ext_type") in ("auto_receptionist", "call_queue", "shared_line_group")
    }
    firsts = {
        ("auto_receptionist", *_extension(api, "/phone/auto_receptionists")),
        ("call_queue", *_extension(api, "/phone/call_queues")),
        ("shared_line_group", *_extension(api, "/phone/shared_line_groups")),
    }
    assert stops
    assert stops <= firsts


def _extension(api: ZoomClient, path: str) -> tuple[str, str]:
    first = api.ok(path, page_size=1)[_array(path)][0]
    return first["extension_id"], str(first["extension_number"])


def test_filters_of_the_lists(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(sites=3, call_queues=9, common_areas=6)
    site = api.records("/phone/sites", "sites")[1]

    queues = api.records("/phone/call_queues", "call_queues", site_id=site["id"])
    areas = api.records("/phone/common_areas", "common_areas", site_id=site["id"])
    named = api.records("/phone/sites", "sites", site_name=site["name"][:5].lower())

    assert queues
    assert {q["site"]["id"] for q in queues} == {site["id"]}
    assert areas
    assert {a["site"]["id"] for a in areas} == {site["id"]}
    assert site["id"] in {s["id"] for s in named}


def test_a_default_account_has_some_of_each(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(seed=1, users=10, calls_per_user=200)
    truth = api.emu.truth

    kinds = {
        "recordings": truth.recording_ids(),
        "voicemails": truth.voicemail_ids(),
        "trashed voicemails": truth.voicemail_ids(trashed=True),
        "user sms sessions": truth.sms_session_ids(session_type="user"),
        "other sms sessions": truth.sms_session_ids() - truth.sms_session_ids(session_type="user"),
        "sites": truth.site_ids(),
        "call queues": truth.call_queue_ids(),
        "auto receptionists": truth.auto_receptionist_ids(),
        "common areas": truth.common_area_ids(),
        "shared line groups": truth.shared_line_group_ids(),
        "assigned devices": truth.device_ids("assigned"),
        "unassigned devices": truth.device_ids("unassigned"),
    }

    assert {kind for kind, ids in kinds.items() if not ids} == set()


def test_sites_setting_spreads_the_users(zoom: Callable[..., ZoomClient]) -> None:
    derived = zoom(users=60)
    chosen = zoom(users=60, sites=8)

    assert len(derived.emu.truth.site_ids()) == 3
    assert len(chosen.emu.truth.site_ids()) == 8
    assert {u["site"]["id"] for u in chosen.emu.users()} == chosen.emu.truth.site_ids()
    names = [s["name"] for s in chosen.records("/phone/sites", "sites")]
    assert len(set(names)) == 8


def test_scopes_faults_and_stats_apply_to_the_new_routes(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(scopes=("phone:read", "phone_sms:read"))
    session = min(api.emu.truth.sms_session_ids())

    refused = api.get("/phone/sites")
    allowed = api.get(f"/phone/sms/sessions/{session}")
    api.emu.add_fault(Fault(kind="status", status=502, endpoint="sms_session_detail"))
    faulted = api.get(f"/phone/sms/sessions/{session}")

    assert refused.status_code == 400
    assert refused.json() == {
        "code": 4711,
        "message": "Invalid access token, does not contain scopes:"
        "[phone:read:admin, phone:read:list_sites:admin].",
    }
    assert allowed.status_code == 200
    assert faulted.status_code == 502
    stats = api.emu.stats()
    assert stats["requests_by_endpoint"] == {"oauth": 1, "sites": 1, "sms_session_detail": 2}
    assert stats["records_served"] == {"sms_session_detail": len(allowed.json()["sms_histories"])}
