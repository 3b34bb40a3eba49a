"""The sync endpoints: FSync, ISync (both orders), BSync, tokens, expiry and exactly-once."""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from zoom_client import decode_sync_token

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

SYNC_ERROR = {"code": 300, "message": "The sync token is invalid or expired."}
# (endpoint path under the user, array name, id field, ground-truth method)
FEEDS = {
    "call_logs": ("call_logs/sync", "call_logs", "id", "call_log_ids"),
    "call_history": ("call_history/sync", "call_logs", "id", "user_call_history_ids"),
}


def _truth(api: ZoomClient, feed: str, user: str) -> set[str]:
    ids: set[str] = getattr(api.emu.truth, FEEDS[feed][3])(user)
    return ids


def _ids(records: list[dict[str, Any]], feed: str) -> list[str]:
    return [r[FEEDS[feed][2]] for r in records]


def test_fsync_returns_the_newest_records_and_a_zoom_like_token(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]

    records, token = api.sync(f"/phone/users/{user}/call_logs/sync", "call_logs", "FSync", count=5)

    assert len(records) == 5
    ends = [r["call_end_time"] for r in records]
    assert ends == sorted(ends, reverse=True)
    newest = max(
        api.ok(f"/phone/users/{user}/call_logs", page_size=300)["call_logs"] or records,
        key=lambda r: r["call_end_time"],
    )
    assert records[0]["call_end_time"] >= newest["call_end_time"]
    key, low, high, *_ = decode_sync_token(token)
    assert key.isalnum()
    assert int(low) <= int(high)
    assert dt.datetime.fromtimestamp(int(high) / 1000, dt.UTC) <= api.emu.clock.now()
    for record in records:
        assert "department" not in record
        assert "cost_center" not in record
        assert record["user_id"] == user


def test_sync_records_name_the_users_on_both_ends(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=400)
    first, second = api.emu.user_ids()[:2]

    records, _ = api.sync(f"/phone/users/{first}/call_logs/sync", "call_logs", "FSync", count=250)

    internal = [r for r in records if "caller_user_id" in r and "callee_user_id" in r]
    assert internal
    assert all({r["caller_user_id"], r["callee_user_id"]} == {first, second} for r in internal)
    inbound = [r for r in records if r["direction"] == "inbound"]
    assert all(r["callee_user_id"] == first for r in inbound)


def test_isync_with_nothing_new_returns_the_same_token(api: ZoomClient) -> None:
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"
    _, token = api.sync(path, "call_logs", "FSync")

    records, again = api.sync(path, "call_logs", "ISync", token)

    assert (records, again) == ([], token)


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("feed", ["call_logs", "call_history"])
def test_a_client_storing_every_token_gets_every_record_exactly_once(
    zoom: Callable[..., ZoomClient], order: str, feed: str
) -> None:
    api = zoom(isync_order=order, calls_per_user=900, access_token_ttl=30 * 86400)
    user = api.emu.user_ids()[0]
    path, array = f"/phone/users/{user}/{FEEDS[feed][0]}", FEEDS[feed][1]

    received, token = api.sync(path, array, "FSync", count=7)
    older = api.drain(path, array, "BSync", token, count=7)
    received += older.records
    token = older.token
    expected = _truth(api, feed, user)
    assert set(_ids(received, feed)) == expected
    most_pages = 0

    for hours in (1, 30, 70, 150):  # new calls become visible between runs (token TTL: 7 days)
        api.emu.clock.advance(hours=hours)
        expected_new = _truth(api, feed, user) - set(_ids(received, feed))
        run = api.drain(path, array, "ISync", token, count=5)
        token = run.token
        assert set(_ids(run.records, feed)) == expected_new
        received += run.records
        most_pages = max(most_pages, len(run.pages))
        expected |= _truth(api, feed, user)  # the oldest records age out as time passes
        if feed == "call_logs" and run.records:
            ends = [r["call_end_time"] for r in run.records]
            # asc: oldest new records first; desc: the newest page first, then the gap.
            assert ends[0] == (max(ends) if order == "desc" else min(ends))

    ids = _ids(received, feed)
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert most_pages > 1, "a run should span several pages (a gap, in descending order)"


def test_isync_asc_serves_the_oldest_new_records_first(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=2000, access_token_ttl=30 * 86400)
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"
    _, token = api.sync(path, "call_logs", "FSync", count=5)
    api.emu.clock.advance(days=4)

    pages = api.drain(path, "call_logs", "ISync", token, count=3).pages

    assert len(pages) > 1
    ends = [r["call_end_time"] for page in pages for r in page]
    assert ends == sorted(ends)


def test_bsync_walks_back_newest_first(api: ZoomClient) -> None:
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"
    first, token = api.sync(path, "call_logs", "FSync", count=5)

    older, token = api.sync(path, "call_logs", "BSync", token, count=5)

    ends = [r["call_end_time"] for r in first + older]
    assert ends == sorted(ends, reverse=True)
    assert not {r["id"] for r in first} & {r["id"] for r in older}


def test_empty_feed_gives_a_token_for_now(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=0)
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"

    records, token = api.sync(path, "call_logs", "FSync")

    assert records == []
    _, low, high, *_ = decode_sync_token(token)
    now_ms = int(api.emu.clock.now().timestamp() * 1000)
    assert int(low) == int(high) == now_ms
    assert api.sync(path, "call_logs", "ISync", token) == ([], token)


def test_count_is_capped_at_250(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=2, calls_per_user=1000)
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"

    records, _ = api.sync(path, "call_logs", "FSync", count=1000)

    assert len(records) == 250


def test_sync_token_expires(api: ZoomClient) -> None:
    path = f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync"
    _, token = api.sync(path, "call_logs", "FSync")

    api.emu.clock.advance(days=7, seconds=1)
    api.authenticate()
    response = api.get(path, sync_type="ISync", sync_token=token)

    assert response.status_code == 404
    assert response.json() == SYNC_ERROR


def _forged(token: str) -> str:
    fields = base64.b64decode(token).decode().split("_")
    fields[2] = str(int(fields[2]) - 86_400_000)  # pretend less was delivered
    return base64.b64encode("_".join(fields).encode()).decode()


def test_invalid_sync_tokens_are_404_code_300(api: ZoomClient) -> None:
    first, second = api.emu.user_ids()[:2]
    logs = f"/phone/users/{first}/call_logs/sync"
    _, token = api.sync(logs, "call_logs", "FSync")
    _, history_token = api.sync(f"/phone/users/{first}/call_history/sync", "call_logs", "FSync")

    attempts = {
        "garbage": api.get(logs, sync_type="ISync", sync_token="not base64!"),
        "zoom's example": api.get(
            logs,
            sync_type="ISync",
            sync_token="SDVjM3NHRlNyMF8xNjQwODI3NTkyMzkwXzE2NDgwMTUzNTk0MzI=",
        ),
        "forged": api.get(logs, sync_type="ISync", sync_token=_forged(token)),
        "other user": api.get(
            f"/phone/users/{second}/call_logs/sync", sync_type="ISync", sync_token=token
        ),
        "other feed": api.get(logs, sync_type="ISync", sync_token=history_token),
        "isync without token": api.get(logs, sync_type="ISync"),
        "bsync without token": api.get(logs, sync_type="BSync"),
    }

    for name, response in attempts.items():
        assert response.status_code == 404, name
        assert response.json() == SYNC_ERROR, name


def test_bad_sync_type_is_refused(api: ZoomClient) -> None:
    response = api.get(f"/phone/users/{api.emu.user_ids()[0]}/call_logs/sync", sync_type="Full")

    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": "Invalid parameter: sync_type."}


# The field holding each feed's start time: the instant BSync's reach is judged on.
STARTS = {"call_logs": "date_time", "call_history": "start_time"}


@pytest.mark.parametrize("feed", ["call_logs", "call_history"])
def test_bsync_reaches_back_only_bsync_days(zoom: Callable[..., ZoomClient], feed: str) -> None:
    api = zoom(bsync_days=30, calls_per_user=400)
    user = api.emu.user_ids()[0]
    path, array = f"/phone/users/{user}/{FEEDS[feed][0]}", FEEDS[feed][1]
    edge = api.emu.clock.now() - dt.timedelta(days=30)
    edge_iso = edge.strftime("%Y-%m-%dT%H:%M:%SZ")

    newest, token = api.sync(path, array, "FSync", count=7)
    older = api.drain(path, array, "BSync", token, count=7)

    received = newest + older.records
    assert len(older.pages) > 1
    assert min(r[STARTS[feed]] for r in received) >= edge_iso
    assert set(_ids(received, feed)) == getattr(api.emu.truth, FEEDS[feed][3])(user, edge)
    # At the edge BSync keeps answering an empty page and the same token.
    assert api.sync(path, array, "BSync", older.token, count=7) == ([], older.token)
    # The list endpoint still serves the older calls BSync no longer reaches.
    window = {
        "from": (edge - dt.timedelta(days=30)).date().isoformat(),
        "to": edge.date().isoformat(),
    }
    listed = api.records(path.removesuffix("/sync"), array, **window)
    beyond = [r for r in listed if r[STARTS[feed]] < edge_iso]
    assert beyond
    assert not set(_ids(beyond, feed)) & set(_ids(received, feed))

    api.emu.config.bsync_days = None  # read live: the walk goes on to the six-month edge
    rest = api.drain(path, array, "BSync", older.token, count=250)
    assert set(_ids(received + rest.records, feed)) == _truth(api, feed, user)


@pytest.mark.parametrize("feed", ["call_logs", "call_history"])
def test_bsync_refused_when_not_served(zoom: Callable[..., ZoomClient], feed: str) -> None:
    api = zoom(bsync_served=False)
    path, array = f"/phone/users/{api.emu.user_ids()[0]}/{FEEDS[feed][0]}", FEEDS[feed][1]
    _, token = api.sync(path, array, "FSync")

    refused = [
        api.get(path, sync_type="BSync", sync_token=token),
        api.get(path, sync_type="BSync"),
    ]

    for response in refused:
        assert response.status_code == 400
        assert response.json() == {"code": 300, "message": "Invalid parameter: sync_type."}
    assert api.sync(path, array, "ISync", token) == ([], token)
    api.emu.config.bsync_served = True
    assert api.sync(path, array, "BSync", token)[0]
