"""Records that become visible late and change after they appear, and what ISync follows."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import TYPE_CHECKING, Any

import pytest

from zoomphone_emulator.calls import uniform
from zoomphone_emulator.settling import Settling

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

HOUR = 3600


def _history(api: ZoomClient, until: dt.datetime) -> dict[str, dict[str, Any]]:
    """The account's call history of the 20 days up to `until`."""
    since = (until - dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    api.authenticate()  # the clock may have moved past the last access token
    records = api.records(
        "/phone/call_history",
        "call_history",
        **{"from": since, "to": until.strftime("%Y-%m-%dT%H:%M:%SZ"), "page_size": 300},
    )
    return {r["call_history_uuid"]: r for r in records}


def test_lateness_and_changes_follow_their_documented_distributions() -> None:
    settling = Settling(late_share=0.05, late_median_hours=3, change_share=0.1)
    draws = [settling.draw(f"key-{n}", uniform) for n in range(40_000)]
    late = [d[0] for d in draws if d[0]]
    changes = [d[1] for d in draws if d[1]]

    assert 0.04 < len(late) / len(draws) < 0.06
    assert 0.09 < len(changes) / len(draws) < 0.11
    assert 2.5 * HOUR < statistics.median(late) < 3.5 * HOUR
    # The long tail: some of the late records are later than two days.
    beyond_two_days = sum(1 for d in late if d > 48 * HOUR) / len(late)
    assert 0.01 < beyond_two_days < 0.06
    assert all(30 <= d[2] <= 600 for d in draws if d[1])


def test_off_by_default(api: ZoomClient) -> None:
    truth = api.emu.truth
    versions = truth.versions("call_history")

    assert versions
    assert all(v.final for v in versions.values())
    assert set(versions) == truth.call_history_uuids()


def test_a_late_record_is_listed_only_once_visible(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(late_share=0.3)
    now = api.emu.clock.now()
    versions = api.emu.truth.versions("call_history")
    book_calls = {api.emu.account.uuid(c): c for c in _recent_calls(api)}
    pending = [u for u, c in book_calls.items() if c.visible_at(30) > now.timestamp()]
    assert pending, "some recent calls are still to become visible"

    listed = _history(api, now)
    assert not set(pending) & set(listed)
    assert not set(pending) & set(versions)

    api.emu.clock.advance(days=40)
    later = api.emu.truth.call_history_uuids(start=now - dt.timedelta(days=20), end=now)
    assert set(pending) <= later


def test_a_changed_record_is_served_in_its_final_version_once_changed(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(change_share=0.5)
    now = api.emu.clock.now()
    before = _history(api, now)
    versions = api.emu.truth.versions("call_history")
    waiting = [u for u in before if not versions[u].final]
    assert waiting
    assert all(before[u]["duration"] == versions[u].talk for u in before)

    api.emu.clock.advance(days=40)
    after = _history(api, now)
    final = api.emu.truth.versions("call_history")
    changed = [u for u in waiting if u in after]
    assert changed
    for uuid in changed:
        assert final[uuid].final
        assert after[uuid]["duration"] == final[uuid].talk > before[uuid]["duration"]
        assert after[uuid]["end_time"] > before[uuid]["end_time"]
        assert final[uuid].settles > final[uuid].started


@pytest.mark.parametrize("follows", ["visible", "start"])
def test_isync_follows_visibility_or_start(zoom: Callable[..., ZoomClient], follows: str) -> None:
    api = zoom(
        calls_per_user=4000,
        late_share=0.3,
        late_median_hours=12,
        change_share=0.3,
        change_median_hours=12,
        isync_follows=follows,
        sync_token_ttl=90 * 86400,
    )
    user = api.emu.user_ids()[0]
    path = f"/phone/users/{user}/call_logs/sync"
    first, token = api.sync(path, "call_logs", "FSync", count=1)
    api.emu.clock.advance(minutes=50)
    run = api.drain(path, "call_logs", "ISync", token)
    delivered = {r["id"]: r["date_time"] for r in [*first, *run.records]}
    drained = api.emu.clock.now()

    api.emu.clock.advance(days=30)
    api.authenticate()
    returned = {r["id"] for r in api.drain(path, "call_logs", "ISync", run.token).records}
    versions = api.emu.truth.versions("call_logs", user)
    # Records that started before the token was drained and appeared or changed after it.
    settled_later = {i for i, v in versions.items() if v.started < drained < v.settles}
    assert settled_later
    if follows == "visible":
        assert settled_later <= returned
        return
    newest = max(dt.datetime.fromisoformat(d) for d in delivered.values())
    assert not returned & set(delivered)  # a changed record is not served again
    lost = {i for i in settled_later - returned if versions[i].started < newest}
    assert lost  # those that appeared behind the token are never served


def _recent_calls(api: ZoomClient) -> list[Any]:
    account = api.emu.account
    now = int(api.emu.clock.timestamp())
    first = (now - 2 * 86400) // 86400 + 719163
    return [
        call
        for user in range(account.book.users)
        for call in account.book.user_calls(user, first, first + 2)
        if call.start <= now
    ]
