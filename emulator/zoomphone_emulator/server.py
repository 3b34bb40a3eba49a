"""The emulator: a threaded HTTP server on 127.0.0.1 plus the admin surface and public API."""

from __future__ import annotations

import contextlib
import email.utils
import http
import ipaddress
import itertools
import logging
import secrets
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self

from zoomphone_emulator.account import PhoneAccount
from zoomphone_emulator.admin import AdminSurface
from zoomphone_emulator.clock import EmulatorClock
from zoomphone_emulator.config import EmulatorConfig
from zoomphone_emulator.handlers import Handlers
from zoomphone_emulator.ids import digest
from zoomphone_emulator.pipeline import ZoomPhoneApi
from zoomphone_emulator.replies import Reply, json_reply
from zoomphone_emulator.tokens import Signer
from zoomphone_emulator.truth import GroundTruth

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from types import TracebackType

    from zoomphone_emulator.faults import Fault

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"
JOIN_TIMEOUT = 5.0


class TrackingIds:
    """`x-zm-trackingid` values: a random per-process prefix plus a counter.

    As unique as random ids for a client's purposes, at the cost of a counter step.
    """

    def __init__(self) -> None:
        """Pick the prefix."""
        self._prefix = f"v=2.0;clid=us06;rid=WEB_{secrets.token_hex(8)}"
        self._counter = itertools.count()  # next() on it is atomic under the GIL

    def next(self) -> str:
        """Return a new tracking id.

        Returns:
            e.g. "v=2.0;clid=us06;rid=WEB_<16 hex digits of prefix><16 of counter>".
        """
        return f"{self._prefix}{next(self._counter):016x}"


class HttpDates:
    """RFC 7231 `Date` values, formatted once per second of the emulator clock."""

    def __init__(self) -> None:
        """Start with nothing formatted."""
        self._last: tuple[int, str] = (-1, "")

    def format(self, now: float) -> str:
        """Return the `Date` header value of an instant.

        Args:
            now: Epoch seconds.

        Returns:
            e.g. "Mon, 23 Nov 2026 10:47:05 GMT".
        """
        second = int(now)
        last = self._last
        if last[0] != second:
            last = (second, email.utils.formatdate(second, usegmt=True))
            self._last = last  # a tuple swap: threads see an old or a new pair, never half
        return last[1]


def check_loopback(host: str) -> str:
    """Accept only IPv4 loopback addresses (and "localhost", meaning 127.0.0.1).

    Args:
        host: The requested bind address.

    Returns:
        The address to bind.

    Raises:
        ValueError: for anything that is not loopback.
    """
    if host == "localhost":
        return LOOPBACK
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_loopback:  # noqa: PLR2004
        msg = f"the emulator only binds to loopback addresses, not {host!r}"
        raise ValueError(msg)
    return host


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler: one write per response, no request logging."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # One write per response plus NODELAY: no Nagle / delayed-ACK stalls on keep-alive.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002, ANN401 - base signature
        """Stay quiet: benchmarks send many thousands of requests."""

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        emulator = self.server.emulator
        try:
            if self.path.startswith("/_emulator/"):
                reply = emulator.admin.handle(self.command, self.path, body)
            else:
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = emulator.api.handle(self.command, self.path, headers, body)
        except Exception:  # a bug answers 500 rather than dropping the connection
            log.exception("emulator failed on %s %s", self.command, self.path)
            reply = json_reply(500, {"code": 500, "message": "Internal emulator error"})
        if reply.reset:
            self._reset()
            return
        self._write(reply, emulator.clock.timestamp())

    def _write(self, reply: Reply, now: float) -> None:
        phrase = http.HTTPStatus(reply.status).phrase if reply.status in _STATUSES else ""
        emulator = self.server.emulator
        lines = [
            f"HTTP/1.1 {reply.status} {phrase}",
            f"Date: {emulator.http_dates.format(now)}",
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(reply.body)}",
            f"x-zm-trackingid: {emulator.tracking_ids.next()}",
            *(f"{k}: {v}" for k, v in reply.headers.items()),
        ]
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + reply.body)

    def _reset(self) -> None:
        """Drop the connection with a TCP RST (SO_LINGER 0), answering nothing."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # the socket only really closes once its file wrappers are closed
        self.connection.close()


_STATUSES = {s.value for s in http.HTTPStatus}


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks its connections so `stop()` can close them all."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self._live: dict[socket.socket, threading.Thread] = {}
        self._live_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:  # noqa: ANN401
        thread = threading.Thread(
            target=self._serve_connection, args=(request, client_address), daemon=True
        )
        with self._live_lock:
            self._live[request] = thread
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:  # noqa: ANN401
        try:
            self.finish_request(request, client_address)
        except OSError:
            pass  # the client went away mid-request
        except Exception:  # noqa: BLE001 - socketserver's policy: report it, keep serving
            self.handle_error(request, client_address)
        finally:
            with self._live_lock:
                self._live.pop(request, None)
            self.shutdown_request(request)

    def close_connections(self) -> None:
        """Shut every open connection down and wait for its thread to finish."""
        with self._live_lock:
            live = list(self._live.items())
        for sock, _ in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for _, thread in live:
            thread.join(JOIN_TIMEOUT)


class Emulator:
    """A local Zoom Phone API.

    Use as a context manager (`with Emulator(cfg) as emu:`) or call `start()` / `stop()`.

    Args:
        config: Settings; defaults to `EmulatorConfig()`.
        host: Loopback address to bind.
        port: Port to bind; 0 picks a free one.
    """

    def __init__(
        self, config: EmulatorConfig | None = None, *, host: str = LOOPBACK, port: int = 0
    ) -> None:
        """Build the account and the API (nothing listens until `start()`)."""
        self.config = config or EmulatorConfig()
        self._host = check_loopback(host)
        self._port = port
        self.clock = EmulatorClock(self.config.clock_start, frozen=self.config.frozen)
        origin = int(self.clock.timestamp()) - self.config.history_days * 86400
        self.account = PhoneAccount(self.config, origin)
        # Token keys follow the seed and secret, so tokens survive an emulator restart.
        signer = Signer(digest("tokens", self.config.seed, self.config.client_secret, size=32))
        self.handlers = Handlers(
            self.config, self.clock, self.account, signer, lambda: self.base_url
        )
        self.api = ZoomPhoneApi(self.config, self.clock, self.handlers, lambda: self.base_url)
        self.truth = GroundTruth(self.config, self.clock, self.account)
        self.admin = AdminSurface(self)
        self.tracking_ids = TrackingIds()
        self.http_dates = HttpDates()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._bound: int | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> Self:
        """Start serving in a daemon thread.

        Returns:
            The emulator.
        """
        if self._server is None:
            self._server = _Server((self._host, self._port), self)
            self._bound = int(self._server.server_address[1])
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="zoomphone-emulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and release the port."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT)
        server.server_close()

    def __enter__(self) -> Self:
        """Start serving.

        Returns:
            The emulator.
        """
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        self.stop()

    # -- addresses -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (known once `start()` has run)."""
        if self._bound is None:
            msg = "the emulator has not been started"
            raise RuntimeError(msg)
        return self._bound

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The tap's `api_url` setting (`base_url` + "/v2")."""
        return f"{self.base_url}/v2"

    @property
    def oauth_url(self) -> str:
        """The tap's `oauth_url` setting."""
        return f"{self.base_url}/oauth/token"

    def tap_config(self) -> dict[str, str]:
        """Return the tap settings that point at this emulator.

        Returns:
            account_id, client_id, client_secret, api_url and oauth_url.
        """
        return {
            "account_id": self.config.account_id,
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "api_url": self.api_url,
            "oauth_url": self.oauth_url,
        }

    # -- data and control ----------------------------------------------------------------

    def user_ids(self) -> list[str]:
        """Return the phone user ids in listing order.

        Returns:
            The ids.
        """
        return [u.id for u in self.account.directory.users]

    def users(self) -> list[dict[str, Any]]:
        """Return the user records as `GET /phone/users` serves them.

        Returns:
            The records.
        """
        return [u.record() for u in self.account.directory.users]

    def stats(self) -> dict[str, Any]:
        """Return the traffic counters.

        Returns:
            requests_total, requests_by_endpoint, status_counts, rate_limited,
            concurrency_peak, tokens_issued, records_served.
        """
        return self.api.stats.snapshot()

    def reset_stats(self) -> None:
        """Set the traffic counters back to zero."""
        self.api.stats.reset()

    def add_fault(self, fault: Fault) -> None:
        """Arm a fault.

        Args:
            fault: The fault.
        """
        self.api.faults.add(fault)

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.api.faults.clear()

    def revoke_tokens(self) -> None:
        """Invalidate every issued access token."""
        self.api.access.revoke_all()

    def issued_tokens(self) -> list[str]:
        """Return every access token issued so far (to check that none leaks into logs).

        Returns:
            The tokens, oldest first, revoked and expired ones included.
        """
        return self.api.access.issued()

    def faults(self) -> list[dict[str, Any]]:
        """Return the armed faults with how often each matched and fired.

        Returns:
            One dict per fault.
        """
        return self.api.faults.active()

    def warm(self, kinds: Sequence[str] | None = None) -> dict[str, float]:
        """Render and cache every record the given list endpoints can serve now.

        A benchmark calls this before timing, so that pages are assembled from cached bytes.
        It stops early, keeping what it rendered, once `render_cache_mb` is used up.

        Args:
            kinds: List endpoint names, e.g. ["user_call_logs"]; None means every list
                endpoint (user_call_logs, user_call_logs_sync, account_call_logs,
                call_history, user_call_history, user_call_history_sync).

        Returns:
            {"records": records cached, "seconds": time taken}.
        """
        return self.handlers.calls.warm(kinds)

    def render_cache(self) -> dict[str, int]:
        """Return the size and counters of the rendered-record cache.

        Returns:
            records, bytes, budget_bytes, hits, misses, evictions.
        """
        return self.handlers.calls.cache.info()


@contextlib.contextmanager
def run_emulator(config: EmulatorConfig | None = None) -> Iterator[Emulator]:
    """Run an emulator on 127.0.0.1 and a free port for the duration of a `with` block.

    Args:
        config: Settings; defaults to `EmulatorConfig()`.

    Yields:
        The running emulator.
    """
    with Emulator(config) as emulator:
        yield emulator
