"""`/phone/sms/sessions` and `/phone/sms/sessions/{sessionId}`: types, filters, windows, paging."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from zoom_client import NOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

UTC = dt.UTC
SESSIONS = "/phone/sms/sessions"
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
OCT_1 = dt.datetime(2026, 10, 1, tzinfo=UTC)
OCT_31_END = dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)
BUSY = {"users": 8, "sms_sessions_per_user": 100, "sms_per_session": 10}


def _sessions(api: ZoomClient, page_size: int = 100, **params: Any) -> list[dict[str, Any]]:
    return api.records(SESSIONS, "sms_sessions", page_size=page_size, **params)


def _messages(api: ZoomClient, session: str, **params: Any) -> list[dict[str, Any]]:
    return api.records(f"{SESSIONS}/{session}", "sms_histories", page_size=100, **params)


def _a_session(api: ZoomClient) -> str:
    """A session with messages in October."""
    found = _sessions(api, filter_type="sent_received_message_time", **OCTOBER)
    session: str = found[0]["session_id"]
    return session


def test_sessions_page_30_by_default_capped_at_100(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=20, sms_sessions_per_user=100)
    window = {"filter_type": "sent_received_message_time", **OCTOBER}

    default = api.ok(SESSIONS, **window)
    capped = api.ok(SESSIONS, page_size=500, **window)
    every = [s["session_id"] for s in _sessions(api, page_size=17, **window)]

    assert (default["page_size"], len(default["sms_sessions"])) == (30, 30)
    assert (capped["page_size"], len(capped["sms_sessions"])) == (100, 100)
    assert set(default) == set(capped) == {"next_page_token", "page_size", "sms_sessions"}
    assert len(every) == len(set(every)) > 100


def test_session_messages_page_30_by_default_capped_at_100(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(users=2, sms_per_session=400)
    session = _a_session(api)
    path = f"{SESSIONS}/{session}"

    default = api.ok(path)
    capped = api.ok(path, page_size=500)
    paged = [m["message_id"] for m in api.records(path, "sms_histories", page_size=7)]

    assert (default["page_size"], len(default["sms_histories"])) == (30, 30)
    assert (capped["page_size"], len(capped["sms_histories"])) == (100, 100)
    assert len(paged) == len(set(paged)) > 100
    assert set(paged) == api.emu.truth.sms_message_ids(session)


def test_session_type_user_by_default_all_shows_the_others(api: ZoomClient) -> None:
    window = {"filter_type": "sent_received_message_time", "from": "2026-10-20", "to": "2026-11-19"}

    default = _sessions(api, **window)
    every = _sessions(api, session_type="all", **window)
    by_type = {
        kind: _sessions(api, session_type=kind, **window)
        for kind in ("user", "call_queue", "auto_receptionist", "service_endpoint")
    }

    assert {s["session_type"] for s in default} == {"user"}
    assert {s["session_type"] for s in every} == set(by_type)
    assert all({s["session_type"] for s in found} == {kind} for kind, found in by_type.items())
    assert sorted(s["session_id"] for s in every) == sorted(
        s["session_id"] for found in by_type.values() for s in found
    )
    owner_types = {
        p["owner"]["type"] for s in every for p in s["participants"] if p["is_session_owner"]
    }
    assert owner_types == {"user", "callQueue", "autoReceptionist", "serviceEndpoint"}
    assert api.get(SESSIONS, session_type="group").json() == {
        "code": 400,
        "message": "SMS session type is invalid.",
    }


def test_filter_types(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(**BUSY)
    window = {"from": "2026-11-10", "to": "2026-11-16"}
    edges = ("2026-11-10T00:00:00Z", "2026-11-16T23:59:59Z")

    def listed(filter_type: str) -> dict[str, dict[str, Any]]:
        found = _sessions(api, session_type="all", filter_type=filter_type, **window)
        return {s["session_id"]: s for s in found}

    last = listed("last_message_time")
    sent, received = listed("sent_message_time"), listed("received_message_time")
    either = listed("sent_received_message_time")

    assert last
    assert all(edges[0] <= s["last_access_time"] <= edges[1] for s in last.values())
    assert sent
    assert received
    assert set(sent) | set(received) == set(either)
    assert set(last) <= set(either)
    for session in either:
        directions = {m["direction"] for m in _messages(api, session, **window)}
        assert ("Out" in directions) == (session in sent)
        assert ("In" in directions) == (session in received)
    assert api.get(SESSIONS, filter_type="first_message_time").json() == {
        "code": 300,
        "message": "Invalid parameter: filter_type.",
    }


def test_sessions_without_from_are_the_last_24_hours(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(**BUSY)

    ids = {s["session_id"] for s in _sessions(api)}

    day_ago = NOW - dt.timedelta(days=1)
    assert ids == api.emu.truth.sms_session_ids(day_ago, NOW, session_type="user")
    assert ids
    assert all(s["last_access_time"] >= "2026-11-19T12:00:00Z" for s in _sessions(api))


def test_sessions_longer_range_is_its_last_month_and_six_months_back(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(**BUSY)
    truth = api.emu.truth

    longer = {s["session_id"] for s in _sessions(api, **{"from": "2026-08-01", "to": "2026-11-15"})}
    old = {s["session_id"] for s in _sessions(api, **{"from": "2026-05-01", "to": "2026-05-31"})}
    older = _sessions(api, **{"from": "2026-04-01", "to": "2026-04-30"})

    assert longer == truth.sms_session_ids(
        dt.datetime(2026, 10, 15, tzinfo=UTC),
        dt.datetime(2026, 11, 15, 23, 59, 59, tzinfo=UTC),
        session_type="user",
    )
    assert old == truth.sms_session_ids(
        dt.datetime(2026, 5, 20, tzinfo=UTC),
        dt.datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC),
        session_type="user",
        filter_type="last_message_time",
    )
    assert old
    assert older == []


@pytest.mark.parametrize("session_type", ["user", "all"])
def test_a_month_by_month_crawl_equals_the_truth(
    zoom: Callable[..., ZoomClient], session_type: str
) -> None:
    api = zoom(users=6, sms_per_session=60)

    ids = [
        s["session_id"]
        for s in api.crawl(SESSIONS, "sms_sessions", page_size=7, session_type=session_type)
    ]

    assert len(ids) == len(set(ids))
    assert set(ids) == api.emu.truth.sms_session_ids(session_type=session_type)
    assert ids


def test_every_message_of_a_session_without_from(api: ZoomClient) -> None:
    truth = api.emu.truth
    sessions = sorted(truth.sms_session_ids())

    assert len(sessions) > 40
    for session in sessions[:: len(sessions) // 40]:
        ids = [m["message_id"] for m in _messages(api, session)]
        assert len(ids) == len(set(ids))
        assert set(ids) == truth.sms_message_ids(session)
        assert ids
        assert all(m["date_time"] >= "2026-05-20T00:00:00Z" for m in _messages(api, session))


def test_session_messages_sort_and_windows(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=2, sms_per_session=400)
    session = _a_session(api)

    default = _messages(api, session)
    ascending = _messages(api, session, sort=1)
    descending = _messages(api, session, sort=2)
    october = _messages(api, session, **OCTOBER)
    longer = _messages(api, session, **{"from": "2026-08-01", "to": "2026-11-15"})

    times = [m["date_time"] for m in ascending]
    assert times == sorted(times)
    assert len(times) > 30
    assert descending == default == ascending[::-1]
    assert october
    assert all("2026-10-01T00:00:00Z" <= m["date_time"] <= "2026-10-31T23:59:59Z" for m in october)
    assert {m["message_id"] for m in october} == api.emu.truth.sms_message_ids(
        session, OCT_1, OCT_31_END
    )
    assert {m["message_id"] for m in longer} == api.emu.truth.sms_message_ids(
        session,
        dt.datetime(2026, 10, 15, tzinfo=UTC),
        dt.datetime(2026, 11, 15, 23, 59, 59, tzinfo=UTC),
    )
    assert api.get(f"{SESSIONS}/{session}", sort=3).json() == {
        "code": 300,
        "message": "Invalid parameter: sort.",
    }
    assert api.get(f"{SESSIONS}/{session}", **{"from": "2026-10-01"}).status_code == 400


def test_delivery_status_filter(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=2, sms_per_session=100)
    session = _a_session(api)

    every = _messages(api, session, **OCTOBER)
    received = _messages(api, session, delivery_status="received", **OCTOBER)

    assert received == [m for m in every if m["delivery_status"] == "received"]
    assert {m["direction"] for m in received} == {"In"}
    assert api.get(f"{SESSIONS}/{session}", delivery_status="lost").status_code == 400


def test_unknown_session_is_404_code_7013(api: ZoomClient) -> None:
    response = api.get(f"{SESSIONS}/0123456789abcdef0123456789abcdef")

    assert response.status_code == 404
    assert response.json() == {"code": 7013, "message": "Error retrieving SMS history."}
    assert api.emu.truth.sms_message_ids("0123456789abcdef0123456789abcdef") == set()


def test_a_page_token_only_works_for_its_session(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=2, sms_per_session=100)
    found = _sessions(api, filter_type="sent_received_message_time", **OCTOBER)
    first, second = (s["session_id"] for s in found[:2])
    token = api.ok(f"{SESSIONS}/{first}", page_size=2, **OCTOBER)["next_page_token"]

    elsewhere = api.get(f"{SESSIONS}/{second}", page_size=2, next_page_token=token, **OCTOBER)

    assert elsewhere.status_code == 400
    assert api.ok(f"{SESSIONS}/{first}", page_size=2, next_page_token=token, **OCTOBER)


def test_new_messages_appear_as_the_clock_moves_on(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=6, sms_per_session=100)
    truth = api.emu.truth
    before = {s: truth.sms_message_ids(s) for s in truth.sms_session_ids(session_type="all")}
    unknown = api.get(f"{SESSIONS}/{_started_later(api)}")

    api.emu.clock.advance(days=2)
    api.authenticate()  # the access token of before has expired
    assert truth.sms_session_ids() - set(before), "conversations keep starting"
    assert api.get(f"{SESSIONS}/{_started_later(api)}").status_code == 200
    assert unknown.json() == {"code": 7013, "message": "Error retrieving SMS history."}
    recent = _sessions(
        api, session_type="all", **{"from": "2026-11-20T12:00:01Z", "to": "2026-11-22T12:00:00Z"}
    )

    assert recent
    for session in recent:
        new = {
            m["message_id"]
            for m in _messages(
                api,
                session["session_id"],
                **{"from": "2026-11-20T12:00:01Z", "to": "2026-11-22T12:00:00Z"},
            )
        }
        assert new
        assert not new & before.get(session["session_id"], set())
        assert session["last_access_time"] > "2026-11-20T12:00:00Z"


def _started_later(api: ZoomClient) -> str:
    """The first session that starts after 2026-11-20T12:00:00Z (the tests' now)."""
    sms = api.emu.account.sms
    day = NOW.date().toordinal()
    for session in sorted(
        (s for d in (day, day + 1) for o in range(len(sms.owners)) for s in sms._of_day(o, d)),
        key=lambda s: s.times[0],
    ):
        if session.times[0] > NOW.timestamp() + 60:
            return session.id
    msg = "no session starts in the next two days"
    raise AssertionError(msg)


def test_phone_number_filter(api: ZoomClient) -> None:
    session = _sessions(api, filter_type="sent_received_message_time", **OCTOBER)[0]
    number = session["participants"][1]["phone_number"]

    found = _sessions(
        api, phone_number=f"+{number}", filter_type="sent_received_message_time", **OCTOBER
    )

    assert session["session_id"] in {s["session_id"] for s in found}
    assert all(number in {p["phone_number"] for p in s["participants"]} for s in found)


def test_no_sms_without_sessions(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(sms_sessions_per_user=0)

    assert api.emu.truth.sms_session_ids(session_type="all") == set()
    assert _sessions(api, session_type="all", **OCTOBER) == []
