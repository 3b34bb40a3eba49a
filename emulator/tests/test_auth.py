"""OAuth (Server-to-Server, account credentials), bearer tokens, expiry, revocation, scopes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient


@pytest.mark.parametrize("form", [False, True], ids=["query-string", "form-body"])
def test_oauth_issues_a_bearer_token(api: ZoomClient, *, form: bool) -> None:
    response = api.oauth(form=form)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert response.headers["x-zm-trackingid"]
    body = response.json()
    assert len(body["access_token"]) >= 40
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3599
    assert "phone:read:admin" in body["scope"].split()
    assert body["api_url"] == api.emu.base_url


@pytest.mark.parametrize(
    ("auth", "params", "reason", "error"),
    [
        (("emulator-client", "wrong"), {}, "Invalid client_id or client_secret", "invalid_client"),
        (
            ("someone", "emulator-secret"),
            {},
            "Invalid client_id or client_secret",
            "invalid_client",
        ),
        (None, {"account_id": "other"}, "Invalid account_id", "invalid_request"),
        (None, {"grant_type": "refresh_token"}, "Unsupported grant type", "unsupported_grant_type"),
        (
            None,
            {"grant_type": "client_credentials"},
            "Unsupported grant type",
            "unsupported_grant_type",
        ),
    ],
)
def test_oauth_refuses_bad_requests(
    api: ZoomClient,
    auth: tuple[str, str] | None,
    params: dict[str, str],
    reason: str,
    error: str,
) -> None:
    response = api.oauth(auth, **params)

    assert response.status_code == 400
    assert response.json() == {"reason": reason, "error": error}


def test_oauth_without_basic_auth_is_an_invalid_client(api: ZoomClient) -> None:
    response = api.session.post(
        api.emu.oauth_url,
        params={"grant_type": "account_credentials", "account_id": "emulator-account"},
        timeout=10,
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


def test_several_tokens_are_valid_at_once(api: ZoomClient) -> None:
    first = api.oauth().json()["access_token"]
    second = api.oauth().json()["access_token"]

    assert first != second
    for token in (first, second):
        response = api.session.get(
            api.emu.api_url + "/phone/users", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
    assert api.emu.stats()["tokens_issued"] == 2
    assert api.emu.issued_tokens() == [first, second]


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic abc", "Bearer "])
def test_missing_or_unknown_token_is_401_code_124(api: ZoomClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = api.session.get(api.emu.api_url + "/phone/users", headers=headers, timeout=10)

    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Invalid access token."}


def test_token_expires_on_the_emulator_clock(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.clock.advance(seconds=3598)
    assert api.get("/phone/users").status_code == 200

    api.emu.clock.advance(seconds=2)
    response = api.get("/phone/users")

    assert response.status_code == 401
    assert response.json() == {"code": 124, "message": "Access token is expired."}


def test_revoked_tokens_are_refused_and_new_ones_work(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.revoke_tokens()

    response = api.get("/phone/users")
    assert response.status_code == 401
    assert response.json()["code"] == 124

    api.authenticate()
    assert api.get("/phone/users").status_code == 200
    assert len(api.emu.issued_tokens()) == 2  # revoked tokens are still listed


def test_access_token_ttl_setting(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(access_token_ttl=60)
    assert api.oauth().json()["expires_in"] == 60
    api.authenticate()
    api.emu.clock.advance(seconds=61)
    assert api.get("/phone/users").status_code == 401


def test_token_without_the_endpoint_scopes_gets_4711(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(scopes=("phone:read",))
    user = api.emu.user_ids()[0]

    response = api.get("/phone/users")

    assert response.status_code == 400
    assert response.json() == {
        "code": 4711,
        "message": (
            "Invalid access token, does not contain scopes:"
            "[phone:read:admin, phone:read:list_users:admin]."
        ),
    }
    # phone:read is one of the scopes of the user-level call logs.
    assert api.get(f"/phone/users/{user}/call_logs").status_code == 200
    assert api.get("/phone/call_history").json()["code"] == 4711


def test_scopes_are_those_of_the_token_when_it_was_issued(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.config.scopes = ("phone:read",)
    assert api.get("/phone/users").status_code == 200

    api.authenticate()
    assert api.get("/phone/users").status_code == 400
