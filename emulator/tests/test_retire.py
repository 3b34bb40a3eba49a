"""Retired endpoints answer what Zoom answers for a path it does not know."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from zoomphone_emulator import EmulatorConfig, Fault
from zoomphone_emulator.config import LABELLED_ROUTES

if TYPE_CHECKING:
    from collections.abc import Callable

    import requests

    from zoom_client import ZoomClient

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def _unknown(api: ZoomClient) -> requests.Response:
    return api.session.get(api.emu.base_url + "/v2/phone/nothing", timeout=10)


@pytest.mark.parametrize(
    ("route", "path", "params"),
    [
        ("account_call_logs", "/phone/call_logs", OCTOBER),
        ("user_call_logs", "/phone/users/me/call_logs", OCTOBER),
        ("user_call_logs_sync", "/phone/users/me/call_logs/sync", {}),
        ("recordings", "/phone/recordings", {}),
        ("sms_session_detail", "/phone/sms/sessions/anything", {}),
        ("devices", "/phone/devices", {"type": "assigned"}),
    ],
)
def test_a_retired_route_answers_like_an_unknown_path(
    zoom: Callable[..., ZoomClient], route: str, path: str, params: dict[str, str]
) -> None:
    api = zoom(retired=(route,), plan="business")

    gone = api.get(path, **params)
    unknown = _unknown(api)

    assert gone.status_code == unknown.status_code == 404
    assert gone.content == unknown.content == b'{"code":404,"message":"Not found"}'
    assert gone.headers["Content-Type"] == unknown.headers["Content-Type"]
    assert not [h for h in gone.headers if h.lower().startswith("x-ratelimit")]
    assert api.get("/phone/users").status_code == 200
    stats = api.emu.stats()
    assert stats["requests_by_endpoint"][route] == 1
    assert stats["requests_by_label"] == {"Medium": 1}  # only /phone/users was rate-limited


def test_retired_is_read_live(api: ZoomClient) -> None:
    assert api.get("/phone/call_logs", **OCTOBER).status_code == 200

    api.emu.config.retired = ("account_call_logs", "call_history")
    gone = [api.get(p, **OCTOBER).status_code for p in ("/phone/call_logs", "/phone/call_history")]
    api.emu.config.retired = ()
    back = api.get("/phone/call_logs", **OCTOBER)

    assert gone == [404, 404]
    assert back.status_code == 200


def test_faults_do_not_reach_a_retired_route(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(retired=("users",))
    api.authenticate()
    api.emu.add_fault(Fault(kind="status", status=503, count=0))

    assert api.get("/phone/users").status_code == 404
    assert api.get("/phone/sites").status_code == 503


@pytest.mark.parametrize("retired", [("oauth",), ("call_logs",), ("nothing",), "users"])
def test_only_route_names_can_be_retired(retired: object) -> None:
    with pytest.raises(ValueError, match="retired"):
        EmulatorConfig(retired=retired)  # type: ignore[arg-type]


def test_every_rate_limited_route_can_be_retired() -> None:
    config = EmulatorConfig.from_mapping({"retired": list(LABELLED_ROUTES)})

    assert config.retired == LABELLED_ROUTES
