"""Faults on demand: each kind, `after`/`count`, endpoint matching, clearing."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import pytest
import requests

from zoomphone_emulator import Fault

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def test_status_fault_answers_json_then_html_then_recovers(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="status", status=503, count=2, endpoint="users"))

    first, second, third = (api.get("/phone/users") for _ in range(3))

    assert first.status_code == second.status_code == 503
    assert first.json() == {"code": 503, "message": "Service Unavailable"}
    assert second.headers["Content-Type"].startswith("text/html")
    assert "Service Unavailable" in second.text
    assert third.status_code == 200


def test_after_lets_matching_requests_pass_first(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    api.authenticate()
    api.emu.add_fault(Fault(kind="status", status=500, after=2, endpoint="user_call_logs"))

    statuses = [api.get(f"/phone/users/{user}/call_logs").status_code for _ in range(4)]
    other = api.get("/phone/users")

    assert statuses == [200, 200, 500, 200]
    assert other.status_code == 200


def test_count_zero_fires_until_cleared(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="status", status=502, count=0))

    assert {api.get("/phone/users").status_code for _ in range(5)} == {502}
    api.emu.clear_faults()
    assert api.get("/phone/users").status_code == 200


def test_faults_without_endpoint_spare_oauth_unless_named(api: ZoomClient) -> None:
    api.emu.add_fault(Fault(kind="status", count=0))
    assert api.oauth().status_code == 200

    api.emu.clear_faults()
    api.emu.add_fault(Fault(kind="status", status=504, endpoint="oauth"))
    assert api.oauth().status_code == 504
    assert api.oauth().status_code == 200


def test_rate_limit_fault_is_a_per_second_429(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="rate_limit", count=2, retry_after=3, endpoint="call_history"))

    first = api.get("/phone/call_history")
    api.get("/phone/call_history")
    third = api.get("/phone/call_history")

    assert first.status_code == 429
    assert first.headers["Retry-After"] == "3"
    assert first.headers["X-RateLimit-Type"] == "QPS"
    assert first.json()["message"].startswith("You have reached the maximum per-second rate limit")
    assert third.status_code == 200
    assert api.emu.stats()["rate_limited"] == 2


def test_daily_cap_fault_exhausts_heavy_until_midnight(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="business")
    api.authenticate()
    api.emu.add_fault(Fault(kind="daily_cap"))

    heavy = api.get("/phone/call_logs")
    medium = api.get("/phone/users")
    again = api.get("/phone/call_history")

    assert heavy.status_code == again.status_code == 429
    assert heavy.headers["X-RateLimit-Type"] == "Daily-limit"
    assert heavy.headers["Retry-After"] == "2026-11-21T00:00:00Z"
    assert medium.status_code == 200
    api.emu.clock.advance(hours=12)
    api.authenticate()
    assert api.get("/phone/call_logs").status_code == 200


def test_reset_fault_drops_the_connection(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="reset", endpoint="users"))

    with pytest.raises(requests.ConnectionError):
        api.get("/phone/users")

    assert api.get("/phone/users").status_code == 200
    assert api.emu.stats()["status_counts"][0] == 1


def test_slow_fault_delays_the_answer(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="slow", delay=0.4))

    started = time.perf_counter()
    response = api.get("/phone/users")

    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.4


def test_slow_fault_trips_a_client_timeout(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="slow", delay=1.0))

    with pytest.raises(requests.Timeout):
        api.session.get(api.emu.api_url + "/phone/users", timeout=0.2)


def test_malformed_fault_truncates_the_json_body(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    api.authenticate()
    api.emu.add_fault(Fault(kind="malformed", endpoint="user_call_logs"))

    response = api.get(f"/phone/users/{user}/call_logs", **OCTOBER)

    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert api.get(f"/phone/users/{user}/call_logs", **OCTOBER).json()["call_logs"]


def test_token_expiry_fault_revokes_every_token(api: ZoomClient) -> None:
    api.authenticate()
    api.emu.add_fault(Fault(kind="token_expiry"))

    expired = api.get("/phone/users")
    revoked = api.get("/phone/users")
    api.authenticate()

    assert expired.status_code == 401
    assert expired.json() == {"code": 124, "message": "Access token is expired."}
    assert revoked.json() == {"code": 124, "message": "Invalid access token."}
    assert api.get("/phone/users").status_code == 200


def test_page_token_expiry_fault_hits_requests_that_carry_a_page_token(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    path = f"/phone/users/{user}/call_logs"
    api.emu.add_fault(Fault(kind="page_token_expiry"))

    first = api.get(path, page_size=2, **OCTOBER)
    token = first.json()["next_page_token"]
    expired = api.get(path, page_size=2, next_page_token=token, **OCTOBER)

    assert first.status_code == 200
    assert expired.status_code == 400
    assert expired.json() == {"code": 400, "message": "The next page token is invalid or expired."}
    assert api.get(path, page_size=2, next_page_token=token, **OCTOBER).status_code == 200


def test_sync_token_expiry_fault_hits_requests_that_carry_a_sync_token(api: ZoomClient) -> None:
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"
    api.emu.add_fault(Fault(kind="sync_token_expiry", endpoint="user_call_logs_sync"))

    _, token = api.sync(path, "call_logs", "FSync")
    expired = api.get(path, sync_type="ISync", sync_token=token)

    assert expired.status_code == 404
    assert expired.json() == {"code": 300, "message": "The sync token is invalid or expired."}
    assert api.get(path, sync_type="ISync", sync_token=token).status_code == 200


def test_page_token_repeat_fault_answers_with_the_token_it_was_asked_with(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    path = f"/phone/users/{user}/call_logs"
    api.emu.add_fault(Fault(kind="page_token_repeat", endpoint="user_call_logs"))

    first = api.get(path, page_size=2, **OCTOBER).json()
    token = first["next_page_token"]
    repeated = api.get(path, page_size=2, next_page_token=token, **OCTOBER).json()
    honest = api.get(path, page_size=2, next_page_token=token, **OCTOBER).json()

    assert repeated["next_page_token"] == token  # the loop a client must not follow forever
    assert repeated["call_logs"] == honest["call_logs"]  # the page itself is the real one
    assert repeated["total_records"] == first["total_records"] > 4
    assert honest["next_page_token"] not in {"", token}


def test_faults_armed_in_turn_fire_in_turn(api: ZoomClient) -> None:
    # N 429s then a 503: the second fault sees only the requests the first let through.
    api.authenticate()
    api.emu.add_fault(Fault(kind="rate_limit", endpoint="users", count=3))
    api.emu.add_fault(Fault(kind="status", status=503, endpoint="users", count=1))

    statuses = [api.get("/phone/users").status_code for _ in range(5)]

    assert statuses == [429, 429, 429, 503, 200]


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "meteor"},
        {"kind": "status", "endpoint": "nowhere"},
        {"kind": "status", "count": -1},
    ],
)
def test_bad_faults_are_refused(fault: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"kind|endpoint|count"):
        Fault(**fault)  # type: ignore[arg-type]
