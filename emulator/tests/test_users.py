"""Phone users: the listing, and how `userId` resolves (id, email, me, unknown, broken)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

ZOOM_ID = re.compile(r"[A-Za-z0-9_-]{22}")
USER_PATHS = ("call_logs", "call_logs/sync", "call_history", "call_history/sync")
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def test_users_look_like_zoom_phone_users(api: ZoomClient) -> None:
    users = api.ok("/phone/users")["users"]

    assert users == api.emu.users()
    assert [u["id"] for u in users] == api.emu.user_ids()
    for user in users:
        assert ZOOM_ID.fullmatch(user["id"])
        assert isinstance(user["extension_number"], int)
        assert user["email"].endswith("@example.com")
        assert user["site"].keys() == {"id", "name"}
        assert user["phone_numbers"]
        assert user["status"] == "activate"
    assert len({u["email"] for u in users}) == len(users)


@pytest.mark.parametrize("path", USER_PATHS)
def test_user_id_email_and_me_name_the_same_user(api: ZoomClient, path: str) -> None:
    first = api.emu.users()[0]
    params = {"sync_type": "FSync"} if path.endswith("sync") else {"page_size": 300, **OCTOBER}

    answers = [
        api.ok(f"/phone/users/{key}/{path}", **params)
        for key in (first["id"], first["email"], first["email"].upper(), "me")
    ]

    assert all(a == answers[0] for a in answers[1:])


@pytest.mark.parametrize("path", USER_PATHS)
def test_unknown_user_is_404_code_1001(api: ZoomClient, path: str) -> None:
    response = api.get(f"/phone/users/nobody@example.com/{path}")

    assert response.status_code == 404
    assert response.json() == {"code": 1001, "message": "User does not exist: nobody@example.com."}


@pytest.mark.parametrize(
    ("style", "status", "body"),
    [
        ("300", 404, {"code": 300, "message": "User does not exist: ghost."}),
        ("invalid", 400, {"code": 300, "message": "Invalid user id."}),
    ],
)
def test_unknown_user_error_setting(
    zoom: Callable[..., ZoomClient], style: str, status: int, body: dict[str, object]
) -> None:
    api = zoom(unknown_users_error=style)

    response = api.get("/phone/users/ghost/call_logs")

    assert (response.status_code, response.json()) == (status, body)


def test_broken_users_fail_their_call_log_endpoints_only(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom()
    broken, healthy = api.emu.user_ids()[1], api.emu.user_ids()[2]
    api.emu.config.broken_users = (broken,)

    for path in USER_PATHS:
        response = api.get(f"/phone/users/{broken}/{path}")
        assert response.status_code == 400, path
        assert response.json() == {"code": 3001, "message": "Error retrieving call logs."}
        assert api.get(f"/phone/users/{healthy}/{path}").status_code == 200
    assert broken in [u["id"] for u in api.ok("/phone/users")["users"]]
    broken_email = api.emu.users()[1]["email"]
    assert api.get(f"/phone/users/{broken_email}/call_logs").status_code == 400
