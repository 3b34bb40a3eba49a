"""`/phone/recordings` and `/phone/voice_mails`: paging, Zoom's window rules, filters, truth."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from zoom_client import NOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

UTC = dt.UTC
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
OCT_1 = dt.datetime(2026, 10, 1, tzinfo=UTC)
OCT_31_END = dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)
DATED = {"/phone/recordings": "recordings", "/phone/voice_mails": "voice_mails"}


def _ids(api: ZoomClient, path: str, **params: Any) -> list[str]:
    return [r["id"] for r in api.records(path, DATED[path], page_size=300, **params)]


@pytest.mark.parametrize("path", list(DATED))
def test_page_size_defaults_to_30_and_caps_at_300(
    zoom: Callable[..., ZoomClient], path: str
) -> None:
    share = {"recording_share": 1} if path == "/phone/recordings" else {"voicemail_share": 0.5}
    api = zoom(users=4, calls_per_user=4000, **share)
    array = DATED[path]

    default = api.ok(path, **OCTOBER)
    capped = api.ok(path, page_size=1000, **OCTOBER)
    paged = _ids(api, path, **OCTOBER)

    assert (default["page_size"], len(default[array])) == (30, 30)
    assert (capped["page_size"], len(capped[array])) == (300, 300)
    assert capped["total_records"] > 300
    assert len(paged) == len(set(paged)) == capped["total_records"]
    assert api.get(path, page_size=0).json() == {
        "code": 300,
        "message": "Invalid parameter: page_size.",
    }


def test_only_voice_mails_echo_the_window(api: ZoomClient) -> None:
    recordings = api.ok("/phone/recordings", **OCTOBER)
    voicemails = api.ok("/phone/voice_mails", **OCTOBER)

    assert set(recordings) == {"next_page_token", "page_size", "total_records", "recordings"}
    assert (voicemails["from"], voicemails["to"]) == ("2026-10-01", "2026-10-31")
    assert voicemails["page_count"] == -(-voicemails["total_records"] // 30)


def test_without_from_only_the_last_24_hours_are_served(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=4, calls_per_user=2000)
    truth = api.emu.truth
    day_ago = NOW - dt.timedelta(days=1)

    recordings = set(_ids(api, "/phone/recordings"))
    voicemails = api.ok("/phone/voice_mails", page_size=300)

    assert recordings == truth.recording_ids(day_ago, NOW)
    assert recordings
    assert (voicemails["from"], voicemails["to"]) == (
        "2026-11-19T12:00:00Z",
        "2026-11-20T12:00:00Z",
    )
    assert {r["id"] for r in voicemails["voice_mails"]} == truth.voicemail_ids(day_ago, NOW)
    assert voicemails["voice_mails"]


@pytest.mark.parametrize("path", list(DATED))
def test_more_than_a_month_is_served_as_its_last_month(api: ZoomClient, path: str) -> None:
    asked = {"from": "2026-08-01", "to": "2026-11-15"}
    served = (
        dt.datetime(2026, 10, 15, tzinfo=UTC),
        dt.datetime(2026, 11, 15, 23, 59, 59, tzinfo=UTC),
    )
    truth = api.emu.truth
    expected = (
        truth.recording_ids(*served)
        if path == "/phone/recordings"
        else truth.voicemail_ids(*served)
    )

    assert set(_ids(api, path, **asked)) == expected
    assert expected
    if path == "/phone/voice_mails":
        assert (api.ok(path, **asked)["from"], api.ok(path, **asked)["to"]) == (
            "2026-10-15",
            "2026-11-15",
        )


@pytest.mark.parametrize("path", list(DATED))
def test_only_the_last_six_months_can_be_read(zoom: Callable[..., ZoomClient], path: str) -> None:
    api = zoom(users=6, calls_per_user=600)
    may = {"from": "2026-05-01", "to": "2026-05-31"}
    boundary = dt.datetime(2026, 5, 20, tzinfo=UTC)
    may_end = dt.datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC)
    truth = api.emu.truth
    expected = (
        truth.recording_ids(boundary, may_end)
        if path == "/phone/recordings"
        else truth.voicemail_ids(boundary, may_end)
    )

    served = _ids(api, path, **may)
    older = _ids(api, path, **{"from": "2026-04-01", "to": "2026-04-30"})
    api.emu.config.old_from = "error"
    refused = api.get(path, **may)

    assert set(served) == expected
    assert served
    assert older == []
    assert refused.status_code == 400
    assert refused.json() == {"code": 300, "message": "Invalid parameter: from."}


@pytest.mark.parametrize("path", [*DATED, "/phone/sms/sessions"])
@pytest.mark.parametrize(
    ("window", "bad"),
    [
        ({"from": "2026-10-01"}, "to"),
        ({"from": "2026/10/01", "to": "2026/10/31"}, "from"),
        ({"from": "2026-10-01", "to": "2026-10-31T00:00:00Z"}, "to"),
    ],
)
def test_bad_windows_are_refused(
    api: ZoomClient, path: str, window: dict[str, str], bad: str
) -> None:
    response = api.get(path, **window)

    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": f"Invalid parameter: {bad}."}


def test_query_date_type_picks_the_time_the_window_applies_to(api: ZoomClient) -> None:
    window = {"from": "2026-10-05T08:00:00Z", "to": "2026-10-20T17:00:00Z"}
    bounds = (dt.datetime(2026, 10, 5, 8, tzinfo=UTC), dt.datetime(2026, 10, 20, 17, tzinfo=UTC))

    starts = api.records("/phone/recordings", "recordings", page_size=300, **window)
    ends = api.records(
        "/phone/recordings", "recordings", page_size=300, query_date_type="end_time", **window
    )

    assert all(window["from"] <= r["date_time"] <= window["to"] for r in starts)
    assert all(window["from"] <= r["end_time"] <= window["to"] for r in ends)
    assert [r["end_time"] for r in ends] == sorted((r["end_time"] for r in ends), reverse=True)
    assert {r["id"] for r in ends} == api.emu.truth.recording_ids(*bounds, "end_time")
    assert {r["id"] for r in starts} == api.emu.truth.recording_ids(*bounds)
    assert api.get("/phone/recordings", query_date_type="date").status_code == 400


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/phone/recordings", {}),
        ("/phone/recordings", {"query_date_type": "end_time"}),
        ("/phone/voice_mails", {}),
        ("/phone/voice_mails", {"trashed": "true"}),
    ],
)
def test_a_month_by_month_crawl_equals_the_truth(
    zoom: Callable[..., ZoomClient], path: str, params: dict[str, str]
) -> None:
    api = zoom(users=5, calls_per_user=400)
    truth = api.emu.truth

    ids = [r["id"] for r in api.crawl(path, DATED[path], page_size=50, **params)]

    if path == "/phone/recordings":
        expected = truth.recording_ids(date_type=params.get("query_date_type", "start_time"))
    else:
        expected = truth.voicemail_ids(trashed=params.get("trashed") == "true")
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert expected


def test_recordings_and_voicemails_belong_to_their_calls(api: ZoomClient) -> None:
    logs = {
        r["id"]: r
        for user in api.emu.user_ids()
        for r in api.records(
            f"/phone/users/{user}/call_logs", "call_logs", page_size=300, **OCTOBER
        )
    }
    account = {
        r["recording_id"]: r
        for r in api.records("/phone/call_logs", "call_logs", page_size=300, **OCTOBER)
        if "recording_id" in r
    }

    recordings = api.records("/phone/recordings", "recordings", page_size=300, **OCTOBER)
    voicemails = api.records("/phone/voice_mails", "voice_mails", page_size=300, **OCTOBER)

    assert recordings
    for recording in recordings:
        log = logs[recording["call_log_id"]]
        assert (log["call_id"], log["has_recording"]) == (recording["call_id"], True)
        assert log["user_id"] == recording["owner"]["id"]
        assert account[recording["id"]]["call_id"] == recording["call_id"]
        assert recording["recording_type"] in ("OnDemand", "Automatic")
        assert recording["duration"] == log["duration"]
    assert voicemails
    for voicemail in voicemails:
        log = logs[voicemail["call_log_id"]]
        assert (log["call_id"], log["has_voicemail"], log["direction"]) == (
            voicemail["call_id"],
            True,
            "inbound",
        )
        assert log["user_id"] == voicemail["owner"]["id"]


def test_trash_is_listed_apart_and_says_when(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=6, calls_per_user=1000, voicemail_share=0.6)
    window = {"from": "2026-10-01", "to": "2026-10-31", "page_size": 300}

    inbox = api.records("/phone/voice_mails", "voice_mails", **window)
    trash = api.records("/phone/voice_mails", "voice_mails", trashed="true", **window)

    assert inbox
    assert trash
    assert not {r["id"] for r in inbox} & {r["id"] for r in trash}
    for record in inbox:
        assert (record["deleted_time"], record["days_left_auto_permantely_delete"]) == (
            "1970-01-01T00:00:00Z",
            -1,
        )
    for record in trash:
        assert record["date_time"] < record["deleted_time"] <= "2026-11-20T12:00:00Z"
        assert -1 <= record["days_left_auto_permantely_delete"] <= 30
    assert {r["soft_deleted_type"] for r in trash} == {"Manual", "Data Retention"}
    assert api.get("/phone/voice_mails", trashed="maybe").status_code == 400


def test_filters_narrow_the_lists(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=30, calls_per_user=300)
    window = {"page_size": 300, **OCTOBER}
    recordings = api.records("/phone/recordings", "recordings", **window)
    voicemails = api.records("/phone/voice_mails", "voice_mails", **window)
    site = recordings[0]["site"]["id"]

    def count(path: str, **params: str) -> int:
        return len(api.records(path, DATED[path], **window, **params))

    assert count("/phone/recordings", owner_type="user") == len(recordings)
    assert count("/phone/recordings", owner_type="callQueue") == 0
    assert count("/phone/recordings", recording_type="OnDemand") + count(
        "/phone/recordings", recording_type="Automatic"
    ) == len(recordings)
    assert (
        count("/phone/recordings", site_id=site)
        == sum(r["site"]["id"] == site for r in recordings)
        < len(recordings)
    )
    assert count("/phone/voice_mails", status="read") + count(
        "/phone/voice_mails", status="unread"
    ) == len(voicemails)
    assert count("/phone/voice_mails", owner_type="sharedLineGroup") == 0
    assert sum(
        count("/phone/voice_mails", voicemail_type=kind) for kind in ("normal", "spam", "maybeSpam")
    ) == len(voicemails)
    for path, param in (
        ("/phone/recordings", "owner_type"),
        ("/phone/recordings", "recording_type"),
        ("/phone/voice_mails", "status"),
        ("/phone/voice_mails", "owner_type"),
        ("/phone/voice_mails", "voicemail_type"),
    ):
        assert api.get(path, **{param: "nonsense"}).json() == {
            "code": 300,
            "message": f"Invalid parameter: {param}.",
        }


def test_new_recordings_and_voicemails_appear_as_the_clock_moves_on(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(users=10, calls_per_user=600)
    truth = api.emu.truth
    recordings, voicemails = truth.recording_ids(), truth.voicemail_ids()

    api.emu.clock.advance(days=3)
    window = {"from": "2026-11-20T12:00:00Z", "to": "2026-11-23T12:00:00Z"}
    new_recordings = set(_ids(api, "/phone/recordings", **window))
    new_voicemails = set(_ids(api, "/phone/voice_mails", **window))

    assert new_recordings
    assert new_voicemails
    assert not new_recordings & recordings
    assert not new_voicemails & voicemails
    assert new_recordings <= truth.recording_ids()
    assert new_voicemails <= truth.voicemail_ids() | truth.voicemail_ids(trashed=True)


def test_shares_scale_recordings_and_voicemails(zoom: Callable[..., ZoomClient]) -> None:
    none = zoom(recording_share=0, voicemail_share=0).emu.truth
    default = zoom().emu.truth
    recorded = zoom(recording_share=1).emu.truth
    voicemail = zoom(voicemail_share=0.5).emu.truth

    assert none.recording_ids() == none.voicemail_ids() == set()
    assert 2.5 < len(recorded.recording_ids()) / len(default.recording_ids()) < 4.5
    assert 3.5 < len(voicemail.voicemail_ids()) / len(default.voicemail_ids()) < 7


def test_page_tokens_pin_the_window_and_expire(api: ZoomClient) -> None:
    first = api.ok("/phone/recordings", page_size=5, **OCTOBER)
    token = first["next_page_token"]

    api.emu.clock.advance(seconds=899)
    second = api.ok("/phone/recordings", page_size=5, next_page_token=token, **OCTOBER)
    api.emu.clock.advance(seconds=2)
    expired = api.get("/phone/recordings", page_size=5, next_page_token=token, **OCTOBER)
    elsewhere = api.get("/phone/voice_mails", page_size=5, next_page_token=token, **OCTOBER)

    assert not {r["id"] for r in first["recordings"]} & {r["id"] for r in second["recordings"]}
    assert expired.status_code == elsewhere.status_code == 400
    assert expired.json() == {"code": 400, "message": "The next page token is invalid or expired."}
