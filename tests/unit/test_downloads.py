"""A download endpoint's redirect is followed safely: the token stays with Zoom's API host."""

from types import SimpleNamespace

import pytest
import requests

from tap_zoomphone.zoom import downloads
from tap_zoomphone.zoom.downloads import DownloadFailed, fetch_json

API = SimpleNamespace(
    base_url="https://api.zoom.us/v2", auth=SimpleNamespace(bearer=lambda: "Bearer secret")
)


class Answer:
    def __init__(self, status: int, content: bytes = b'{"timeline": []}') -> None:
        self.status_code = status
        self.content = content


@pytest.fixture
def sent(monkeypatch):
    """The requests fetch_json sends, answered by `sent.answers` (200 with JSON by default)."""
    log = SimpleNamespace(calls=[], answers=[])

    def get(url, *, headers, timeout, allow_redirects):
        assert allow_redirects is False
        log.calls.append((url, dict(headers)))
        return log.answers.pop(0) if log.answers else Answer(200)

    monkeypatch.setattr(requests, "get", get)
    monkeypatch.setattr(downloads.time, "sleep", lambda _: None)
    return log


def test_another_host_gets_no_token(sent):
    assert fetch_json(API, "https://file.zoom.us/t/abc.json?sig=1", timeout=5) == {"timeline": []}
    [(url, headers)] = sent.calls
    assert url == "https://file.zoom.us/t/abc.json?sig=1"
    assert "Authorization" not in headers


def test_the_api_host_gets_its_token(sent):
    fetch_json(API, "/v2/files/abc.json", timeout=5)
    [(url, headers)] = sent.calls
    assert url == "https://api.zoom.us/v2/files/abc.json"
    assert headers["Authorization"] == "Bearer secret"


@pytest.mark.parametrize(
    "location", ["http://file.zoom.us/abc.json", "ftp://file.zoom.us/abc", "http://10.0.0.8/x"]
)
def test_a_url_that_is_not_https_is_refused_before_any_request(sent, location):
    with pytest.raises(DownloadFailed, match="not HTTPS"):
        fetch_json(API, location, timeout=5)
    assert sent.calls == []


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"])
def test_loopback_may_be_plain_http(sent, host):
    fetch_json(API, f"http://{host}/files/abc.json", timeout=5)
    assert len(sent.calls) == 1


def test_a_further_redirect_is_refused_and_a_server_error_retried(sent):
    sent.answers = [Answer(302)]
    with pytest.raises(DownloadFailed, match="HTTP 302"):
        fetch_json(API, "https://file.zoom.us/abc.json", timeout=5)
    sent.calls.clear()
    sent.answers = [Answer(503), Answer(200, b"not json"), Answer(200)]
    assert fetch_json(API, "https://file.zoom.us/abc.json", timeout=5) == {"timeline": []}
    assert len(sent.calls) == 3
