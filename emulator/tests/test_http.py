"""HTTP behaviour: headers, keep-alive, unknown paths, latency, lifecycle and loopback only."""

from __future__ import annotations

import gc
import http.client
import threading
import time
from typing import TYPE_CHECKING

import pytest
import requests

from zoom_client import ZoomClient, config
from zoomphone_emulator import Emulator

if TYPE_CHECKING:
    from collections.abc import Callable


def test_api_responses_carry_zoom_headers(api: ZoomClient) -> None:
    response = api.get("/phone/users")

    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert int(response.headers["Content-Length"]) == len(response.content)
    assert response.headers["x-zm-trackingid"] != api.get("/phone/users").headers["x-zm-trackingid"]
    assert response.headers["Date"] == "Fri, 20 Nov 2026 12:00:00 GMT"


def test_date_header_follows_the_emulator_clock(api: ZoomClient) -> None:
    api.emu.clock.advance(hours=30)

    assert api.get("/phone/users").headers["Date"] == "Sat, 21 Nov 2026 18:00:00 GMT"


def test_connections_are_kept_alive(api: ZoomClient) -> None:
    token = api.authenticate()
    connection = http.client.HTTPConnection("127.0.0.1", api.emu.port, timeout=10)
    try:
        sockets = set()
        for _ in range(3):
            connection.request(
                "GET", "/v2/phone/users", headers={"Authorization": f"Bearer {token}"}
            )
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.version == 11
            sockets.add(id(connection.sock))
        assert len(sockets) == 1
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/v2/phone/nothing", "/v2/phone/users/x/y/z", "/v3/phone/users"])
def test_unknown_path_is_404(api: ZoomClient, path: str) -> None:
    api.authenticate()
    response = api.session.get(api.emu.base_url + path, timeout=10)

    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": "Not found"}


def test_latency_is_added_to_api_requests(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(latency_ms=150, jitter_ms=50)
    api.authenticate()

    started = time.perf_counter()
    api.get("/phone/users")

    assert 0.15 <= time.perf_counter() - started < 2


def test_concurrency_peak_counts_simultaneous_requests(zoom: Callable[..., ZoomClient]) -> None:
    api = zoom(latency_ms=300)
    token = api.authenticate()
    api.emu.reset_stats()

    def one() -> None:
        with requests.Session() as session:
            session.get(
                api.emu.api_url + "/phone/users",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stats = api.emu.stats()
    assert stats["concurrency_peak"] == 4
    assert stats["requests_by_endpoint"] == {"users": 4}
    assert stats["status_counts"] == {200: 4}
    assert stats["records_served"] == {"users": 4 * 6}


def test_start_and_stop_without_a_context_manager() -> None:
    emu = Emulator(config())
    emu.start()
    try:
        with requests.Session() as session:
            assert session.get(emu.base_url + "/_emulator/health", timeout=10).status_code == 200
    finally:
        emu.stop()
    emu.stop()  # stopping twice is harmless
    gc.collect()  # an unclosed socket would surface here as a ResourceWarning (an error)
    with pytest.raises(requests.ConnectionError), requests.Session() as session:
        session.get(emu.base_url + "/_emulator/health", timeout=2)


def test_stop_closes_idle_keep_alive_connections() -> None:
    emu = Emulator(config()).start()
    session = requests.Session()
    try:
        session.get(emu.base_url + "/_emulator/health", timeout=10)
        started = time.perf_counter()
        emu.stop()
        assert time.perf_counter() - started < 3
    finally:
        session.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::1", "example.com"])  # noqa: S104
def test_only_loopback_addresses_are_accepted(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        Emulator(config(), host=host)


def test_run_emulator_urls_and_tap_config(api: ZoomClient) -> None:
    emu = api.emu

    assert emu.base_url == f"http://127.0.0.1:{emu.port}"
    assert emu.api_url == emu.base_url + "/v2"
    assert emu.oauth_url == emu.base_url + "/oauth/token"
    assert emu.tap_config() == {
        "account_id": "emulator-account",
        "client_id": "emulator-client",
        "client_secret": "emulator-secret",
        "api_url": emu.api_url,
        "oauth_url": emu.oauth_url,
    }
