"""How one GET spends its retry budget: Zoom's answers scripted one by one on a local server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tap_zoomphone.zoom import errors
from tap_zoomphone.zoom.api import ZoomAPI
from tap_zoomphone.zoom.auth import ZoomServerToServerAuth
from tap_zoomphone.zoom.daily import DailyAllowance
from tap_zoomphone.zoom.pacing import MEDIUM, RateBudget, account_plan_limits
from tap_zoomphone.zoom.retries import RetryPolicy
from tests.tapruns import FakeClock

THROTTLED = (429, {"Retry-After": "1"}, {"code": 429, "message": "You have reached the maximum"})
UNAVAILABLE = (503, {}, {"code": 503, "message": "Service Unavailable"})
EXPIRED = (401, {}, {"code": 124, "message": "Access token is expired."})
OK = (200, {}, {"users": [{"id": "u1"}], "next_page_token": ""})


class ScriptedZoom:
    """Answers each GET with the next scripted answer; every token request with a token."""

    def __init__(self, answers: list[tuple[int, dict[str, str], dict[str, object]]]) -> None:
        self.answers = list(answers)
        self.gets = 0
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the token endpoint
                self._answer(200, {}, {"access_token": "t", "expires_in": 3599})

            def do_GET(self) -> None:
                script.gets += 1
                self._answer(*script.answers.pop(0))

            def _answer(self, status: int, headers: dict[str, str], body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def zoom_answering():
    started: list[tuple[ScriptedZoom, ZoomAPI]] = []

    def start(answers, *, max_retries=2, max_seconds=900.0):
        zoom = ScriptedZoom(answers)
        clock = FakeClock()
        auth = ZoomServerToServerAuth(
            account_id="a",
            client_id="c",
            client_secret="s",
            oauth_url=zoom.url + "/oauth/token",
        )
        api = ZoomAPI(
            base_url=zoom.url,
            auth=auth,
            budget=RateBudget(
                account_plan_limits("pro"), headroom=0, monotonic=clock.monotonic, sleep=clock.sleep
            ),
            allowance=DailyAllowance(cap=15_000, share=1.0, now=auth.clock.now),
            retry=RetryPolicy(
                max_retries=max_retries, max_seconds=max_seconds, base_wait=0.001, timeout=5
            ),
            user_agent="test",
        )
        started.append((zoom, api))
        return zoom, api, clock

    yield start
    for zoom, api in started:
        api.close()
        api.auth._token_session.close()
        zoom.server.shutdown()
        zoom.server.server_close()


def get_users(api: ZoomAPI):
    return api.get("/phone/users", params={}, label=MEDIUM, stream="phone_users")


def test_any_number_of_429s_leaves_every_retry_for_real_failures(zoom_answering):
    zoom, api, clock = zoom_answering([THROTTLED] * 20 + [UNAVAILABLE] * 2 + [OK], max_retries=2)
    reply = get_users(api)
    assert reply.body["users"] == [{"id": "u1"}]
    assert zoom.gets == 23
    assert clock.slept >= 20  # every Retry-After was honoured
    assert (api.tally.throttled, api.tally.retries) == (20, 22)


def test_the_issues_eight_429s_then_a_503_is_retried(zoom_answering):
    zoom, api, _ = zoom_answering([THROTTLED] * 8 + [UNAVAILABLE, OK], max_retries=8)
    assert get_users(api).body["users"] == [{"id": "u1"}]
    assert zoom.gets == 10


def test_failures_alone_spend_max_retries(zoom_answering):
    zoom, api, _ = zoom_answering([THROTTLED] * 9 + [UNAVAILABLE] * 3 + [OK], max_retries=2)
    with pytest.raises(errors.RetriesExhausted) as failed:
        get_users(api)
    assert zoom.gets == 12
    message = str(failed.value)
    assert "after 3 attempts (and 9 rate-limited answers waited out)" in message
    assert "HTTP 503" in message


def test_a_refreshed_token_does_not_spend_a_retry(zoom_answering):
    zoom, api, _ = zoom_answering([UNAVAILABLE, EXPIRED, UNAVAILABLE, OK], max_retries=2)
    assert get_users(api).body["users"] == [{"id": "u1"}]
    assert zoom.gets == 4


def test_a_429_that_outlasts_the_time_cap_gives_up(zoom_answering):
    long_wait = (429, {"Retry-After": "120"}, THROTTLED[2])
    zoom, api, _ = zoom_answering([UNAVAILABLE, long_wait, OK], max_seconds=60)
    with pytest.raises(errors.RetriesExhausted, match=r"still rate limited \(HTTP 429\)"):
        get_users(api)
    assert zoom.gets == 2
