"""Ground truth equals what a complete, careful crawl of the API returns."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient


@pytest.fixture
def crawled(zoom: Callable[..., ZoomClient]) -> ZoomClient:
    return zoom(users=5, calls_per_user=300)


def test_user_call_logs_crawl_equals_truth(crawled: ZoomClient) -> None:
    for user in crawled.emu.user_ids():
        records = crawled.crawl(f"/phone/users/{user}/call_logs", "call_logs", page_size=40)
        ids = [r["id"] for r in records]
        assert len(ids) == len(set(ids))
        assert set(ids) == crawled.emu.truth.call_log_ids(user)


def test_user_sync_equals_truth(crawled: ZoomClient) -> None:
    for user in crawled.emu.user_ids():
        path = f"/phone/users/{user}/call_logs/sync"
        newest, token = crawled.sync(path, "call_logs", "FSync", count=50)
        older = crawled.drain(path, "call_logs", "BSync", token, count=50)
        ids = [r["id"] for r in newest + older.records]
        assert len(ids) == len(set(ids))
        assert set(ids) == crawled.emu.truth.call_log_ids(user)


def test_user_call_history_sync_equals_truth(crawled: ZoomClient) -> None:
    for user in crawled.emu.user_ids():
        path = f"/phone/users/{user}/call_history/sync"
        newest, token = crawled.sync(path, "call_logs", "FSync", count=50)
        older = crawled.drain(path, "call_logs", "BSync", token, count=50)
        ids = [r["id"] for r in newest + older.records]
        assert len(ids) == len(set(ids))
        assert set(ids) == crawled.emu.truth.user_call_history_ids(user)


def test_account_call_logs_crawl_equals_truth(crawled: ZoomClient) -> None:
    truth = crawled.emu.truth

    ids = [r["id"] for r in crawled.crawl("/phone/call_logs", "call_logs", page_size=300)]

    assert len(ids) == len(set(ids))
    assert set(ids) == truth.account_call_log_ids()
    assert set(ids) == set().union(*(truth.call_log_ids(u) for u in crawled.emu.user_ids()))


def test_call_history_crawl_equals_truth(crawled: ZoomClient) -> None:
    uuids = [
        r["call_history_uuid"]
        for r in crawled.crawl("/phone/call_history", "call_history", page_size=300)
    ]

    assert len(uuids) == len(set(uuids))
    assert set(uuids) == crawled.emu.truth.call_history_uuids()


def test_user_call_history_crawl_equals_truth(crawled: ZoomClient) -> None:
    crawled.emu.config.user_call_history_array = "call_elements"
    for user in crawled.emu.user_ids():
        records = crawled.crawl(f"/phone/users/{user}/call_history", "call_elements", page_size=300)
        ids = [r["call_element_id"] for r in records]
        assert len(ids) == len(set(ids))
        assert set(ids) == crawled.emu.truth.user_call_history_ids(user)


def test_call_elements_equal_truth(crawled: ZoomClient) -> None:
    crawled.emu.config.call_path_array = "call_elements"
    calls = crawled.records(
        "/phone/call_history",
        "call_history",
        page_size=100,
        **{"from": "2026-10-01", "to": "2026-10-31"},
    )

    for call in calls[:100]:
        uuid = call["call_history_uuid"]
        detail = crawled.ok(f"/phone/call_history/{uuid}")
        assert detail["call_history_uuid"] == uuid
        assert "call_path" not in detail
        assert {
            e["call_element_id"] for e in detail["call_elements"]
        } == crawled.emu.truth.call_element_ids(uuid)


@pytest.mark.parametrize(
    "uuid",
    [
        "20261001-00000000-0000-0000-0000-000000000000",
        "not-a-uuid",
        "20990101-43d1b50c-de32-e758-1a84-ec7c9021c75b",
    ],
)
def test_unknown_call_history_is_404(crawled: ZoomClient, uuid: str) -> None:
    response = crawled.get(f"/phone/call_history/{uuid}")

    assert response.status_code == 404
    assert response.json() == {"code": 3001, "message": "Call history does not exist."}
    assert crawled.emu.truth.call_element_ids(uuid) == set()


def test_nothing_is_served_before_it_is_visible(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=2, calls_per_user=3000, ingest_delay=600, access_token_ttl=86400)
    user = api.emu.user_ids()[0]
    today = {"from": "2026-11-20", "to": "2026-11-20"}

    before = {
        r["id"]
        for r in api.records(f"/phone/users/{user}/call_logs", "call_logs", page_size=300, **today)
    }
    api.emu.clock.advance(hours=6)
    later = api.records(f"/phone/users/{user}/call_logs", "call_logs", page_size=300, **today)

    now = api.emu.clock.now()
    assert before < {r["id"] for r in later}
    for record in later:
        ended = dt.datetime.fromisoformat(record["call_end_time"])
        assert ended + dt.timedelta(seconds=600) <= now
    assert {r["id"] for r in later} == api.emu.truth.call_log_ids(
        user,
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 20, 23, 59, 59, tzinfo=dt.UTC),
    )
