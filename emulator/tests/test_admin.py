"""The admin surface under /_emulator/ (no auth, not rate limited, not counted)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import requests

    from zoom_client import ZoomClient


def _admin(api: ZoomClient, method: str, path: str, **kwargs: Any) -> requests.Response:
    return api.session.request(method, f"{api.emu.base_url}/_emulator/{path}", timeout=10, **kwargs)


def test_health(api: ZoomClient) -> None:
    response = _admin(api, "GET", "health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "now": "2026-11-20T12:00:00Z", "users": 6}


def test_stats_and_reset_ignore_admin_traffic(api: ZoomClient) -> None:
    api.get("/phone/users")
    _admin(api, "GET", "health")

    stats = _admin(api, "GET", "stats").json()

    assert stats["requests_total"] == 2
    assert stats["requests_by_endpoint"] == {"oauth": 1, "users": 1}
    assert stats["status_counts"] == {"200": 2}
    assert stats["tokens_issued"] == 1
    assert stats["records_served"] == {"users": 6}
    assert stats["requests_by_label"] == {"Medium": 1}
    assert (stats["heavy_by_day"], stats["daily_limited"]) == ({}, 0)
    assert _admin(api, "POST", "stats/reset").json() == {"ok": True}
    assert api.emu.stats()["requests_total"] == 0


def test_clock(api: ZoomClient) -> None:
    response = _admin(api, "POST", "clock", json={"advance_seconds": 90})

    assert response.json() == {"now": "2026-11-20T12:01:30Z"}
    assert _admin(api, "POST", "clock", json={"advance_seconds": -5}).status_code == 400


def test_faults(api: ZoomClient) -> None:
    api.authenticate()
    added = _admin(
        api, "POST", "faults", json={"kind": "status", "status": 500, "endpoint": "users"}
    )

    assert added.status_code == 200
    assert added.json()["faults"][0]["kind"] == "status"
    assert api.get("/phone/users").status_code == 500
    assert _admin(api, "GET", "faults").json()["faults"][0]["fired"] == 1
    assert _admin(api, "POST", "faults", json={"kind": "meteor"}).status_code == 400
    assert (
        _admin(api, "POST", "faults", json={"kind": "status", "colour": "red"}).status_code == 400
    )

    _admin(api, "POST", "faults", json={"kind": "status", "count": 0})
    assert _admin(api, "DELETE", "faults").json() == {"ok": True}
    assert api.get("/phone/users").status_code == 200


def test_revoke(api: ZoomClient) -> None:
    api.authenticate()

    _admin(api, "POST", "revoke")

    assert api.get("/phone/users").status_code == 401


def test_users_and_config(api: ZoomClient) -> None:
    assert _admin(api, "GET", "users").json() == {"users": api.emu.users()}
    shown = _admin(api, "GET", "config").json()
    assert shown["users"] == 6
    assert "client_secret" not in shown


OCT_1 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
OCT_5 = dt.datetime(2026, 10, 5, tzinfo=dt.UTC)
OCT_31_END = dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=dt.UTC)
SEP_30_END = dt.datetime(2026, 9, 30, 23, 59, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("params", "method", "args"),
    [
        ({"kind": "call_logs", "user_id": "me"}, "call_log_ids", ("me", None, None)),
        (
            {"kind": "account_call_logs", "from": "2026-10-01", "to": "2026-10-31"},
            "account_call_log_ids",
            (OCT_1, OCT_31_END),
        ),
        (
            {"kind": "call_history", "from": "2026-10-05T00:00:00Z"},
            "call_history_uuids",
            (OCT_5, None),
        ),
        (
            {"kind": "user_call_history", "user_id": "me", "to": "2026-09-30"},
            "user_call_history_ids",
            ("me", None, SEP_30_END),
        ),
        ({"kind": "recordings", "from": "2026-10-01"}, "recording_ids", (OCT_1, None)),
        (
            {"kind": "recordings", "query_date_type": "end_time", "to": "2026-09-30"},
            "recording_ids",
            (None, SEP_30_END, "end_time"),
        ),
        ({"kind": "voice_mails"}, "voicemail_ids", ()),
        ({"kind": "voice_mails", "trashed": "true"}, "voicemail_ids", {"trashed": True}),
        ({"kind": "sms_sessions"}, "sms_session_ids", ()),
        (
            {"kind": "sms_sessions", "session_type": "all", "filter_type": "sent_message_time"},
            "sms_session_ids",
            {"session_type": "all", "filter_type": "sent_message_time"},
        ),
        ({"kind": "sites"}, "site_ids", ()),
        ({"kind": "call_queues"}, "call_queue_ids", ()),
        ({"kind": "auto_receptionists"}, "auto_receptionist_ids", ()),
        ({"kind": "common_areas"}, "common_area_ids", ()),
        ({"kind": "shared_line_groups"}, "shared_line_group_ids", ()),
        ({"kind": "devices"}, "device_ids", ()),
        ({"kind": "devices", "type": "unassigned"}, "device_ids", ("unassigned",)),
    ],
)
def test_truth_route_matches_the_truth_methods(
    api: ZoomClient,
    params: dict[str, str],
    method: str,
    args: tuple[Any, ...] | dict[str, Any],
) -> None:
    ids = _admin(api, "GET", "truth", params=params).json()["ids"]

    expected = getattr(api.emu.truth, method)
    assert ids
    assert ids == sorted(expected(**args) if isinstance(args, dict) else expected(*args))


def test_truth_of_sms_messages(api: ZoomClient) -> None:
    session = min(api.emu.truth.sms_session_ids(session_type="all"))

    ids = _admin(api, "GET", "truth", params={"kind": "sms_messages", "session_id": session})

    assert ids.json()["ids"] == sorted(api.emu.truth.sms_message_ids(session))
    assert ids.json()["ids"]
    bad = _admin(api, "GET", "truth", params={"kind": "sms_sessions", "session_type": "x"})
    assert bad.status_code == 400


def test_truth_of_call_elements(api: ZoomClient) -> None:
    uuid = api.ok("/phone/call_history", **{"from": "2026-10-01", "to": "2026-10-31"})[
        "call_history"
    ][0]["call_history_uuid"]

    ids = _admin(api, "GET", "truth", params={"kind": "call_elements", "uuid": uuid}).json()["ids"]

    assert ids == sorted(api.emu.truth.call_element_ids(uuid))
    assert _admin(api, "GET", "truth", params={"kind": "nonsense"}).status_code == 400


def test_unknown_admin_route(api: ZoomClient) -> None:
    assert _admin(api, "GET", "nothing").status_code == 404
    assert _admin(api, "PUT", "health").status_code == 501
