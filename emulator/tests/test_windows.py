"""Date windows: formats, validation, one month at most, six months back, echo, order."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from zoom_client import NOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoom_client import ZoomClient

UTC = dt.UTC


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _logs(api: ZoomClient, user: str, **params: Any) -> dict[str, Any]:
    return api.ok(f"/phone/users/{user}/call_logs", page_size=300, **params)


def test_date_window_is_echoed_and_covers_whole_days(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]

    body = _logs(api, user, **{"from": "2026-10-01", "to": "2026-10-31"})

    assert (body["from"], body["to"]) == ("2026-10-01", "2026-10-31")
    ids = {r["id"] for r in body["call_logs"]}
    assert ids == api.emu.truth.call_log_ids(
        user,
        dt.datetime(2026, 10, 1, tzinfo=UTC),
        dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC),
    )
    assert all(
        "2026-10-01T00:00:00Z" <= r["date_time"] <= "2026-10-31T23:59:59Z"
        for r in body["call_logs"]
    )


def test_datetime_window_is_echoed_and_inclusive(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    window = {"from": "2026-10-05T06:30:00Z", "to": "2026-10-19T18:00:00Z"}

    body = _logs(api, user, **window)

    assert (body["from"], body["to"]) == (window["from"], window["to"])
    ids = {r["id"] for r in body["call_logs"]}
    assert ids == api.emu.truth.call_log_ids(user, _at(window["from"]), _at(window["to"]))
    assert ids


@pytest.mark.parametrize(
    ("window", "bad"),
    [
        ({"from": "2026/10/01", "to": "2026/10/31"}, "from"),
        ({"from": "2026-10-01", "to": "31.10.2026"}, "to"),
        ({"from": "2026-10-01T00:00:00", "to": "2026-10-02T00:00:00"}, "from"),
        ({"from": "2026-10-01", "to": "2026-10-31T00:00:00Z"}, "to"),
        ({"from": "2026-02-30", "to": "2026-03-10"}, "from"),
        ({"from": "2026-10-01"}, "to"),
        ({"from": "2026-10-10", "to": "2026-10-01"}, "from"),
    ],
)
def test_bad_windows_are_refused(api: ZoomClient, window: dict[str, str], bad: str) -> None:
    user = api.emu.user_ids()[0]

    response = api.get(f"/phone/users/{user}/call_logs", **window)

    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": f"Invalid parameter: {bad}."}


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        (("2026-08-01", "2026-11-15"), ("2026-10-15", "2026-11-15")),
        (
            ("2026-08-01T00:00:00Z", "2026-11-15T10:00:00Z"),
            ("2026-10-15T10:00:00Z", "2026-11-15T10:00:00Z"),
        ),
        (("2026-09-30", "2026-10-31"), ("2026-09-30", "2026-10-31")),
    ],
)
def test_more_than_a_month_is_served_as_its_last_month(
    api: ZoomClient, asked: tuple[str, str], served: tuple[str, str]
) -> None:
    endpoints = {
        f"/phone/users/{api.emu.user_ids()[0]}/call_logs": "call_logs",
        "/phone/call_logs": "call_logs",
        "/phone/call_history": "call_history",
        f"/phone/users/{api.emu.user_ids()[0]}/call_history": "call_logs",
    }
    for path in endpoints:
        body = api.ok(path, page_size=300, **{"from": asked[0], "to": asked[1]})
        assert (body["from"], body["to"]) == served, path

    body = _logs(api, api.emu.user_ids()[0], **{"from": asked[0], "to": asked[1]})
    start = served[0] if "T" in served[0] else served[0] + "T00:00:00Z"
    assert all(r["date_time"] >= start for r in body["call_logs"])


def test_from_older_than_six_months_is_clamped_by_default(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    assert api.emu.truth.readable_start() == dt.datetime(2026, 5, 20, tzinfo=UTC)

    body = _logs(api, user, **{"from": "2026-05-01", "to": "2026-05-31"})
    timed = _logs(api, user, **{"from": "2026-05-01T00:00:00Z", "to": "2026-05-31T00:00:00Z"})

    assert (body["from"], body["to"]) == ("2026-05-20", "2026-05-31")
    assert (timed["from"], timed["to"]) == ("2026-05-20T00:00:00Z", "2026-05-31T00:00:00Z")
    assert body["call_logs"]
    assert all(r["date_time"] >= "2026-05-20T00:00:00Z" for r in body["call_logs"])


def test_from_older_than_six_months_can_be_an_error(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(old_from="error")
    user = api.emu.user_ids()[0]

    response = api.get(
        f"/phone/users/{user}/call_logs", **{"from": "2026-05-19", "to": "2026-05-31"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == 300
    assert api.get(
        f"/phone/users/{user}/call_logs", **{"from": "2026-05-20", "to": "2026-05-31"}
    ).ok


def test_without_from_the_last_24_hours_are_served(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=2, calls_per_user=2000)
    user = api.emu.user_ids()[0]

    body = _logs(api, user)

    assert (body["from"], body["to"]) == ("2026-11-19T12:00:00Z", "2026-11-20T12:00:00Z")
    ids = {r["id"] for r in body["call_logs"]}
    assert ids == api.emu.truth.call_log_ids(user, NOW - dt.timedelta(days=1), NOW)
    assert ids


def test_records_are_newest_first_with_ties_by_id(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(users=20, calls_per_user=2500)

    records = api.records(
        "/phone/call_logs", "call_logs", page_size=300, **{"from": "2026-11-01", "to": "2026-11-19"}
    )

    keys = [(r["date_time"], r["id"]) for r in records]
    assert keys == sorted(keys, key=lambda k: (-_at(k[0]).timestamp(), k[1]))
    times = [k[0] for k in keys]
    assert len(set(times)) < len(times), "the data should hold calls starting in the same second"


def test_time_type_end_time_filters_and_orders_on_the_end(api: ZoomClient) -> None:
    user = api.emu.user_ids()[0]
    window = {"from": "2026-10-10T00:00:00Z", "to": "2026-10-20T00:00:00Z"}

    body = _logs(api, user, time_type="endTime", **window)

    ends = [r["call_end_time"] for r in body["call_logs"]]
    assert ends == sorted(ends, reverse=True)
    assert all(window["from"] <= end <= window["to"] for end in ends)
    assert {r["id"] for r in body["call_logs"]} == api.emu.truth.call_log_ids(
        user, _at(window["from"]), _at(window["to"]), time_type="endTime"
    )


def test_type_missed_keeps_only_missed_calls(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(calls_per_user=600)
    user = api.emu.user_ids()[0]
    window = {"from": "2026-10-01", "to": "2026-10-31"}

    everything = _logs(api, user, **window)["call_logs"]
    missed = _logs(api, user, type="missed", **window)["call_logs"]

    assert missed
    assert len(missed) < len(everything)
    assert all(r["direction"] == "inbound" and "answer_start_time" not in r for r in missed)
    assert {r["id"] for r in missed} <= {r["id"] for r in everything}


@pytest.mark.parametrize(("param", "value"), [("type", "answered"), ("time_type", "start_time")])
def test_bad_filters_are_refused(api: ZoomClient, param: str, value: str) -> None:
    user = api.emu.user_ids()[0]

    response = api.get(f"/phone/users/{user}/call_logs", **{param: value})

    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": f"Invalid parameter: {param}."}


def test_call_history_windows_use_its_own_time_type_names(api: ZoomClient) -> None:
    window = {"from": "2026-10-10T00:00:00Z", "to": "2026-10-20T00:00:00Z"}

    body = api.ok("/phone/call_history", page_size=300, time_type="end_time", **window)

    assert all(window["from"] <= r["end_time"] <= window["to"] for r in body["call_history"])
    assert api.get("/phone/call_history", time_type="endTime").status_code == 400


def test_phone_number_filter(api: ZoomClient) -> None:
    user = api.emu.users()[0]
    number = "+" + user["phone_numbers"][0]["number"]
    window = {"from": "2026-10-01", "to": "2026-10-31"}

    records = _logs(api, user["id"], phone_number=number, **window)["call_logs"]

    assert records
    assert all(number in (r["caller_did_number"], r["callee_did_number"]) for r in records)
