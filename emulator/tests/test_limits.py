"""Rate limits: per-label per-second windows, the Heavy daily cap, headers and bodies."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from zoomphone_emulator import Fault

if TYPE_CHECKING:
    from collections.abc import Callable

    import requests

    from zoom_client import ZoomClient

PER_SECOND = {
    "code": 429,
    "message": "You have reached the maximum per-second rate limit for this API. Try again later.",
}
DAILY = {
    "code": 429,
    "message": (
        "You have reached the maximum daily rate limit for this API. Refer to the response "
        "header for details on when you can make another request."
    ),
}


def _burst(api: ZoomClient, path: str, count: int) -> list[requests.Response]:
    return [api.get(path) for _ in range(count)]


def test_per_second_limit_answers_429_with_retry_after(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="pro", rate_limits={"Heavy": 3})
    api.authenticate()

    responses = _burst(api, "/phone/call_logs", 6)

    assert [r.status_code for r in responses[:3]] == [200, 200, 200]
    refused = [r for r in responses if r.status_code == 429]
    assert refused
    assert refused[0].json() == PER_SECOND
    assert refused[0].headers["Retry-After"] == "1"
    assert refused[0].headers["X-RateLimit-Category"] == "Heavy"
    assert refused[0].headers["X-RateLimit-Type"] == "QPS"
    assert refused[0].headers["X-RateLimit-Limit"] == "3"
    assert refused[0].headers["X-RateLimit-Remaining"] == "0"
    assert api.emu.stats()["rate_limited"] == len(refused)

    time.sleep(1.05)
    assert api.get("/phone/call_logs").status_code == 200


@pytest.mark.parametrize(
    ("plan", "path", "label", "limit"),
    [
        ("business", "/phone/users", "Medium", "20"),
        ("business", "/phone/call_history", "Heavy", "10"),
        ("pro", "/phone/users", "Medium", "10"),
        ("pro", "/phone/call_logs", "Heavy", "5"),
    ],
)
def test_every_api_response_carries_rate_limit_headers(
    zoom: Callable[..., ZoomClient], plan: str, path: str, label: str, limit: str
) -> None:
    api = zoom(plan=plan)

    response = api.get(path)

    assert response.status_code == 200
    assert response.headers["X-RateLimit-Category"] == label
    assert response.headers["X-RateLimit-Type"] == "QPS"
    assert response.headers["X-RateLimit-Limit"] == limit
    assert response.headers["X-RateLimit-Remaining"] == str(int(limit) - 1)


def test_labels_of_every_endpoint(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="business")  # labels are reported only while limits are in force
    user = api.emu.user_ids()[0]
    uuid = api.ok("/phone/call_history", **{"from": "2026-10-01", "to": "2026-10-31"})[
        "call_history"
    ][0]["call_history_uuid"]
    labels = {
        "/phone/users": "Medium",
        f"/phone/users/{user}/call_logs": "Heavy",
        f"/phone/users/{user}/call_logs/sync": "Medium",
        "/phone/call_logs": "Heavy",
        "/phone/call_history": "Heavy",
        f"/phone/users/{user}/call_history": "Medium",
        f"/phone/users/{user}/call_history/sync": "Medium",
        f"/phone/call_history/{uuid}": "Light",
    }

    for path, label in labels.items():
        assert api.get(path).headers["X-RateLimit-Category"] == label, path

    api.emu.config.call_logs_label = "Medium"
    assert api.get(f"/phone/users/{user}/call_logs").headers["X-RateLimit-Category"] == "Medium"


def test_labels_of_the_other_endpoints(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="business", labels={"sites": "Light"})
    labels = {
        "/phone/recordings": "Medium",
        "/phone/voice_mails": "Heavy",
        "/phone/sms/sessions": "Medium",
        "/phone/call_queues": "Medium",
        "/phone/devices?type=assigned": "Medium",
        "/phone/sites": "Light",
    }

    for path, label in labels.items():
        assert api.get(path).headers["X-RateLimit-Category"] == label, path

    assert api.emu.stats()["heavy_by_day"] == {"2026-11-20": 1}


def test_labels_are_limited_independently(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="pro", rate_limits={"Heavy": 2, "Medium": 3})
    api.authenticate()

    heavy = _burst(api, "/phone/call_history", 4)
    medium = _burst(api, "/phone/users", 3)

    assert [r.status_code for r in heavy] == [200, 200, 429, 429]
    assert [r.status_code for r in medium] == [200, 200, 200]
    assert api.get("/phone/users").status_code == 429


def test_daily_cap_is_shared_by_heavy_endpoints_until_midnight(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(daily_cap=3, plan="business")
    api.authenticate()

    statuses = [
        api.get(p).status_code
        for p in ("/phone/call_logs", "/phone/call_history", "/phone/call_logs")
    ]
    refused = api.get("/phone/call_history")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json() == DAILY
    assert refused.headers["X-RateLimit-Type"] == "Daily-limit"
    assert refused.headers["X-RateLimit-Category"] == "Heavy"
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["Retry-After"] == "2026-11-21T00:00:00Z"
    assert api.get("/phone/users").status_code == 200

    api.emu.clock.advance(hours=12)  # past midnight UTC of the emulator clock
    api.authenticate()
    assert api.get("/phone/call_history").status_code == 200


def test_refused_requests_do_not_count_against_the_daily_cap(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(plan="pro", rate_limits={"Heavy": 2}, daily_cap=4)
    api.authenticate()

    first = [r.status_code for r in _burst(api, "/phone/call_logs", 5)]
    time.sleep(1.05)
    second = [r.status_code for r in _burst(api, "/phone/call_logs", 2)]
    time.sleep(1.05)
    third = api.get("/phone/call_logs")

    assert first == [200, 200, 429, 429, 429]
    assert second == [200, 200]
    assert third.status_code == 429
    assert third.headers["X-RateLimit-Type"] == "Daily-limit"


@pytest.mark.parametrize(("plan", "cap"), [("pro", "15000"), ("business", "30000")])
def test_plan_default_daily_caps(zoom: Callable[..., ZoomClient], plan: str, cap: str) -> None:
    api = zoom(plan=plan)
    api.emu.add_fault(Fault(kind="daily_cap"))  # use the whole cap up at once

    response = api.get("/phone/call_history")

    assert response.status_code == 429
    assert response.headers["X-RateLimit-Limit"] == cap


def _rate_headers(response: requests.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower().startswith("x-ratelimit-")}


def test_plan_off_never_limits_nor_reports_limits(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="off", daily_cap=1)
    api.authenticate()
    user = api.emu.user_ids()[0]

    responses = _burst(api, "/phone/call_history", 30)
    others = [
        api.get("/phone/users"),
        api.get(f"/phone/users/{user}/call_logs"),
        api.get(f"/phone/users/{user}/call_logs/sync"),
        api.get("/phone/users/nobody/call_logs"),  # an error answer reports nothing either
    ]

    assert {r.status_code for r in responses} == {200}
    assert [r.status_code for r in others] == [200, 200, 200, 404]
    assert all(_rate_headers(r) == {} for r in responses + others)
    # Counted, not enforced; the 404 too, admitted before its user was looked up.
    assert api.emu.stats()["heavy_by_day"] == {"2026-11-20": 32}


def _daily(remaining: int, cap: int) -> dict[str, str]:
    return {
        "X-RateLimit-Category": "Heavy",
        "X-RateLimit-Type": "Daily-limit",
        "X-RateLimit-Limit": str(cap),
        "X-RateLimit-Remaining": str(remaining),
    }


def test_daily_headers_on_successful_heavy_answers(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="business", daily_cap=4, daily_headers=True)
    api.authenticate()

    heavy = [api.get(p) for p in ("/phone/call_logs", "/phone/call_history", "/phone/call_logs")]
    medium = api.get("/phone/users")
    last, refused = api.get("/phone/call_history"), api.get("/phone/call_logs")

    assert [_rate_headers(r) for r in [*heavy, last]] == [_daily(n, 4) for n in (3, 2, 1, 0)]
    assert medium.headers["X-RateLimit-Type"] == "QPS"
    assert medium.headers["X-RateLimit-Category"] == "Medium"
    assert refused.status_code == 429
    assert refused.json() == DAILY
    assert _rate_headers(refused) == _daily(0, 4)
    assert refused.headers["Retry-After"] == "2026-11-21T00:00:00Z"

    api.emu.config.daily_headers = False  # read live
    api.emu.config.daily_cap = 10
    assert _rate_headers(api.get("/phone/call_logs"))["X-RateLimit-Type"] == "QPS"


def test_daily_headers_report_the_plan_cap(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="pro", daily_headers=True)

    response = api.get("/phone/call_history")

    assert _rate_headers(response) == _daily(14_999, 15_000)


def test_daily_headers_with_plan_off_report_an_unenforced_cap(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(plan="off", daily_cap=2, daily_headers=True)
    api.authenticate()

    heavy = _burst(api, "/phone/call_logs", 3)
    medium = api.get("/phone/users")

    assert [r.status_code for r in heavy] == [200, 200, 200]
    assert [_rate_headers(r) for r in heavy] == [_daily(n, 2) for n in (1, 0, 0)]
    assert _rate_headers(medium) == {}


def test_label_overrides_are_limited_counted_and_reported(
    zoom: Callable[..., ZoomClient],
) -> None:
    api = zoom(
        plan="pro",
        call_logs_label="Light",
        labels={"user_call_logs": "Medium", "users": "Heavy"},
        rate_limits={"Heavy": 2},
    )
    user = api.emu.user_ids()[0]
    api.authenticate()
    api.emu.reset_stats()

    logs = api.get(f"/phone/users/{user}/call_logs")
    users = _burst(api, "/phone/users", 3)
    history = api.get(f"/phone/users/{user}/call_history")

    assert logs.headers["X-RateLimit-Category"] == "Medium"  # wins over call_logs_label
    assert logs.headers["X-RateLimit-Limit"] == "10"
    assert [r.status_code for r in users] == [200, 200, 429]
    assert {r.headers["X-RateLimit-Category"] for r in users} == {"Heavy"}
    assert history.headers["X-RateLimit-Category"] == "Medium"  # not overridden
    stats = api.emu.stats()
    assert stats["requests_by_label"] == {"Medium": 2, "Heavy": 3}
    assert stats["heavy_by_day"] == {"2026-11-20": 2}  # the refused one is not admitted

    api.emu.config.labels = None  # read live
    assert api.get(f"/phone/users/{user}/call_logs").headers["X-RateLimit-Category"] == "Light"


def test_stats_count_heavy_by_day_and_daily_refusals(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(plan="pro", rate_limits={"Heavy": 2}, daily_cap=3)
    api.authenticate()

    first = [r.status_code for r in _burst(api, "/phone/call_logs", 3)]  # the third: per second
    time.sleep(1.05)
    second = [r.status_code for r in _burst(api, "/phone/call_history", 2)]  # cap hit
    api.emu.clock.advance(hours=13)  # the next emulator day
    api.authenticate()
    third = api.get("/phone/call_logs").status_code

    assert (first, second, third) == ([200, 200, 429], [200, 429], 200)
    stats = api.emu.stats()
    assert stats["heavy_by_day"] == {"2026-11-20": 3, "2026-11-21": 1}
    assert stats["rate_limited"] == 2
    assert stats["daily_limited"] == 1
    assert stats["requests_by_label"] == {"Heavy": 6}

    api.emu.reset_stats()
    cleared = api.emu.stats()
    assert (cleared["heavy_by_day"], cleared["daily_limited"], cleared["requests_by_label"]) == (
        {},
        0,
        {},
    )
