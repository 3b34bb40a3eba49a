"""Page sizes and caps, page tokens (expiry, forgery, pinning), snapshots, the last-page quirk."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
PAGE_TOKEN_ERROR = "The next page token is invalid or expired."


def test_users_are_paged_30_by_default_and_capped_at_100(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=130)

    first = api.ok("/phone/users")
    assert (first["page_size"], len(first["users"]), first["total_records"]) == (30, 30, 130)
    assert first["next_page_token"]

    capped = api.ok("/phone/users", page_size=1000)
    assert (capped["page_size"], len(capped["users"])) == (100, 100)
    last = api.ok("/phone/users", page_size=1000, next_page_token=capped["next_page_token"])
    assert (len(last["users"]), last["next_page_token"]) == (30, "")

    listed = [u["id"] for body in api.pages("/phone/users", page_size=7) for u in body["users"]]
    assert listed == api.emu.user_ids()


def test_call_logs_page_size_defaults_to_30_and_caps_at_300(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(users=2, calls_per_user=5000)
    user = api.emu.user_ids()[0]
    october = {"from": "2026-10-01", "to": "2026-10-31"}

    default = api.ok(f"/phone/users/{user}/call_logs", **october)
    capped = api.ok(f"/phone/users/{user}/call_logs", page_size=5000, **october)

    assert (default["page_size"], len(default["call_logs"])) == (30, 30)
    assert (capped["page_size"], len(capped["call_logs"])) == (300, 300)
    assert capped["total_records"] > 300
    assert capped["page_count"] == -(-capped["total_records"] // 300)


@pytest.mark.parametrize("page_size", ["0", "-3", "abc", "1.5"])
def test_bad_page_size_is_refused(api: ZoomClient, page_size: str) -> None:
    response = api.get("/phone/users", page_size=page_size)

    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": "Invalid parameter: page_size."}


def test_pages_cover_the_window_exactly_once(api: ZoomClient) -> None:
    user = api.emu.user_ids()[1]
    path = f"/phone/users/{user}/call_logs"

    bodies = api.pages(path, page_size=4, **NOVEMBER)
    paged = [r["id"] for body in bodies for r in body["call_logs"]]
    whole = [r["id"] for r in api.ok(path, page_size=300, **NOVEMBER)["call_logs"]]

    assert paged == whole
    assert len(set(paged)) == len(paged) == bodies[0]["total_records"]
    assert {b["page_count"] for b in bodies} == {len(bodies)}
    assert bodies[-1]["next_page_token"] == ""


def test_page_token_expires_after_15_minutes_of_emulator_time(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    path = f"/phone/users/{user}/call_logs"
    token = api.ok(path, page_size=2, **NOVEMBER)["next_page_token"]

    api.emu.clock.advance(seconds=899)
    fresh = api.ok(path, page_size=2, next_page_token=token, **NOVEMBER)
    api.emu.clock.advance(seconds=901)
    expired = api.get(path, page_size=2, next_page_token=fresh["next_page_token"], **NOVEMBER)

    assert expired.status_code == 400
    assert expired.json() == {"code": 400, "message": PAGE_TOKEN_ERROR}


def test_page_token_error_code_setting(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(page_token_error_code=300)

    response = api.get("/phone/users", next_page_token="garbage")

    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": PAGE_TOKEN_ERROR}


def _tampered(token: str) -> str:
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


def test_forged_or_misused_page_tokens_are_refused(api: ZoomClient) -> None:
    first, second = api.emu.user_ids()[:2]
    path = f"/phone/users/{first}/call_logs"
    token = api.ok(path, page_size=2, **NOVEMBER)["next_page_token"]

    attempts = {
        "garbled": api.get(
            path, page_size=2, next_page_token="BJLYC6PABbAHdjwSkGVQeeR6B1", **NOVEMBER
        ),
        "tampered": api.get(path, page_size=2, next_page_token=_tampered(token), **NOVEMBER),
        "other window": api.get(
            path, page_size=2, next_page_token=token, **{"from": "2026-11-02", "to": "2026-11-30"}
        ),
        "other page size": api.get(path, page_size=3, next_page_token=token, **NOVEMBER),
        "other user": api.get(
            f"/phone/users/{second}/call_logs", page_size=2, next_page_token=token, **NOVEMBER
        ),
        "other endpoint": api.get(
            "/phone/call_logs", page_size=2, next_page_token=token, **NOVEMBER
        ),
        "without the query": api.get(path, next_page_token=token),
    }

    for name, response in attempts.items():
        assert response.status_code == 400, name
        assert response.json() == {"code": 400, "message": PAGE_TOKEN_ERROR}, name
    assert api.get(path, page_size=2, next_page_token=token, **NOVEMBER).status_code == 200


def test_a_crawl_sees_its_snapshot_while_new_calls_arrive(zoom: Callable[..., ZoomClient]) -> None:
    # Long-lived tokens so that three days can pass in the middle of one crawl.
    api = zoom(calls_per_user=2000, page_token_ttl=7 * 86400, access_token_ttl=7 * 86400)
    user = api.emu.user_ids()[2]
    path = f"/phone/users/{user}/call_logs"
    before = api.emu.truth.call_log_ids(user, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))

    first = api.ok(path, page_size=25, **NOVEMBER)
    api.emu.clock.advance(days=3)  # calls of Nov 20..23 become visible mid-crawl
    seen = [r["id"] for r in first["call_logs"]]
    token = first["next_page_token"]
    while token:
        body = api.ok(path, page_size=25, next_page_token=token, **NOVEMBER)
        seen += [r["id"] for r in body["call_logs"]]
        token = body["next_page_token"]

    assert len(seen) == len(set(seen)) == first["total_records"]
    assert set(seen) == before
    after = {r["id"] for r in api.records(path, "call_logs", page_size=300, **NOVEMBER)}
    assert after > before


def test_call_history_returns_a_token_on_its_last_page(api: ZoomClient) -> None:
    bodies = api.pages("/phone/call_history", page_size=300, **NOVEMBER)
    last = bodies[-2]  # the last page with records; the client then got an empty one
    assert last["call_history"]
    assert sum(len(b["call_history"]) for b in bodies) == last["total_records"]
    assert last["next_page_token"]

    after = api.ok(
        "/phone/call_history", page_size=300, next_page_token=last["next_page_token"], **NOVEMBER
    )

    assert after["call_history"] == []
    assert after["next_page_token"] == ""
    assert after["total_records"] == last["total_records"]


def test_last_page_token_quirk_can_be_turned_off(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(last_page_token=False)

    bodies = api.pages("/phone/call_history", page_size=300, **NOVEMBER)

    assert bodies[-1]["call_history"]
    assert bodies[-1]["next_page_token"] == ""
