"""The request pipeline of the emulated API.

Routing, faults, latency, OAuth, access tokens, scopes, rate limits, handlers and Zoom-shaped
replies, in the order Zoom's edge applies them. The routes are declared in routes.py and their
handlers named in handlers.py.
"""

from __future__ import annotations

import base64
import binascii
import http
import random
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

import orjson

from zoomphone_emulator.errors import (
    ApiError,
    invalid_access_token,
    invalid_page_token,
    invalid_sync_token,
)
from zoomphone_emulator.faults import FaultBook
from zoomphone_emulator.limits import RateLimiter, per_second_error
from zoomphone_emulator.replies import HTML, Reply, json_reply
from zoomphone_emulator.routes import FILES, match_route
from zoomphone_emulator.stats import Stats
from zoomphone_emulator.tokens import AccessTokens
from zoomphone_emulator.transcripts import Redirect

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.faults import Fault
    from zoomphone_emulator.handlers import Handlers
    from zoomphone_emulator.routes import Route

# What Zoom's edge answers for a path it does not know (and for a retired endpoint).
NOT_FOUND = {"code": 404, "message": "Not found"}


class ZoomPhoneApi:
    """Turns an HTTP request into a Zoom-like reply; owns the account-wide request state.

    Args:
        config: The live settings.
        clock: The emulator clock.
        handlers: Every route's handler.
        base_url: Returns the emulator's base URL (for the OAuth answer).

    Attributes:
        access: Issued access tokens.
        limiter: The rate limiter.
        faults: Faults in force.
        stats: Traffic counters.
    """

    def __init__(
        self,
        config: EmulatorConfig,
        clock: EmulatorClock,
        handlers: Handlers,
        base_url: Callable[[], str],
    ) -> None:
        """Start with no tokens, no faults and empty counters."""
        self.config = config
        self.clock = clock
        self.handlers = handlers
        self.base_url = base_url
        self.access = AccessTokens()
        self.stats = Stats()
        self.limiter = RateLimiter(config, clock, self.stats)
        self.faults = FaultBook()
        self._jitter = random.Random()  # noqa: S311 - latency jitter, not security

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one API request (everything but the admin surface).

        Args:
            method: HTTP method.
            target: Request target (path and query).
            headers: Request headers, names in lower case.
            body: Request body.

        Returns:
            The reply.
        """
        url = urlsplit(target)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        route, arg = match_route(method, url.path)
        name = route.name if route else "unknown"
        # A retired endpoint is an unknown path to Zoom; the stats still name it.
        gone = route is None or route.name in self.config.retired
        label = self._label(route) if route and not gone else ""
        self.stats.begin(name, label)
        reply = Reply(0)
        try:
            if route is None or gone:
                reply = json_reply(404, NOT_FOUND)
            else:
                reply = self._serve(route, arg, query, headers, body, label=label)
        finally:
            self.stats.end(name, reply.status, reply.records)
        return reply

    def _serve(  # noqa: PLR0913 - one request's parts, split as the pipeline uses them
        self,
        route: Route,
        arg: str,
        query: dict[str, str],
        headers: Mapping[str, str],
        body: bytes,
        *,
        label: str,
    ) -> Reply:
        picked = self.faults.pick(
            route.name,
            page_token=bool(query.get("next_page_token")),
            sync_token=bool(query.get("sync_token")),
        )
        if picked:
            early = self._fault(label, *picked)
            if early is not None:
                return early
        if route.name == "oauth":
            reply = self._oauth(query, headers, body)
        elif route is FILES:
            reply = self._file(arg, query, headers)
        else:
            self._wait()
            reply = self._api(route, label, arg, query, headers)
        if picked and picked[0].kind == "malformed":
            reply.body = reply.body[: max(1, len(reply.body) // 2)]
        if picked and picked[0].kind == "page_token_repeat" and reply.status == http.HTTPStatus.OK:
            reply.body = _repeat_page_token(reply.body, query["next_page_token"])
        return reply

    def _label(self, route: Route) -> str:
        """The rate label in force for a route: `labels`, then `call_logs_label`, then its own.

        Returns:
            The label; "" for OAuth, which has none.
        """
        if route.label is None:
            return ""
        override = (self.config.labels or {}).get(route.name)
        if override:
            return override
        return self.config.call_logs_label if route.label == "call_logs" else route.label

    def _api(
        self, route: Route, label: str, arg: str, query: dict[str, str], headers: Mapping[str, str]
    ) -> Reply:
        try:
            scopes = self.access.check(headers.get("authorization"), self.clock.timestamp())
            _check_scopes(route, scopes)
            limits = self.limiter.admit(label)
            payload, records = self.handlers.handler(route.name)(arg, query)
        except ApiError as error:
            return json_reply(error.status, error.body, self.limiter.headers(label) | error.headers)
        except Redirect as redirect:
            return Reply(302, b"", limits | {"Location": redirect.location})
        # List pages arrive already serialized (assembled from cached records).
        reply = (
            Reply(200, payload, limits)
            if isinstance(payload, bytes)
            else json_reply(200, payload, limits)
        )
        reply.records = records
        return reply

    def _file(self, arg: str, query: dict[str, str], headers: Mapping[str, str]) -> Reply:
        """A download URL's file: no access token, no rate label, its own signature."""
        try:
            body = self.handlers.transcripts.file(arg, query, headers.get("authorization"))
        except ApiError as error:
            return json_reply(error.status, error.body, error.headers)
        reply = json_reply(200, body)
        reply.records = 1
        return reply

    def _wait(self) -> None:
        """Add the configured latency and jitter."""
        delay = self.config.latency_ms + self._jitter.uniform(0, self.config.jitter_ms)
        if delay > 0:
            time.sleep(delay / 1000)

    def _fault(self, label: str, fault: Fault, firing: int) -> Reply | None:
        """Apply a fault; return the reply that replaces the real one, or None to go on."""
        kind = fault.kind
        if kind == "slow":
            time.sleep(fault.delay)
            return None
        if kind == "daily_cap":
            self.limiter.exhaust_daily()
            return None
        if kind in {"malformed", "page_token_repeat"}:  # the answer itself is altered
            return None
        if kind == "reset":
            return Reply(0, reset=True)
        if kind == "status":
            return _status_reply(fault.status, html=firing % 2 == 1)
        storm = label or "Light"  # OAuth has no label of its own
        errors: dict[str, Callable[[], ApiError]] = {
            "rate_limit": lambda: per_second_error(
                storm, self.limiter.limit(storm), fault.retry_after or 1
            ),
            "token_expiry": lambda: invalid_access_token(expired=True),
            "page_token_expiry": lambda: invalid_page_token(self.config.page_token_error_code),
            "sync_token_expiry": invalid_sync_token,
        }
        if kind == "token_expiry":
            self.access.revoke_all()
        error = errors[kind]()
        limits = self.limiter.headers(label) if label else {}
        return json_reply(error.status, error.body, limits | error.headers)

    def _oauth(self, query: dict[str, str], headers: Mapping[str, str], body: bytes) -> Reply:
        """POST /oauth/token with the account-credentials grant."""
        params = query | dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        scheme, _, encoded = (headers.get("authorization") or "").partition(" ")
        try:
            client = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            client = ""
        config = self.config
        if scheme.lower() != "basic" or client != f"{config.client_id}:{config.client_secret}":
            return _oauth_error("Invalid client_id or client_secret", "invalid_client")
        if params.get("grant_type") != "account_credentials":
            return _oauth_error("Unsupported grant type", "unsupported_grant_type")
        if params.get("account_id") != config.account_id:
            return _oauth_error("Invalid account_id", "invalid_request")
        scopes = tuple(config.scopes)
        token = self.access.issue(self.clock.timestamp(), config.access_token_ttl, scopes)
        self.stats.token_issued()
        return json_reply(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": config.access_token_ttl,
                "scope": " ".join(scopes),
                "api_url": self.base_url(),
            },
        )


def _check_scopes(route: Route, scopes: tuple[str, ...]) -> None:
    """Refuse a token that has none of the endpoint's scopes (Zoom's 400 code 4711)."""
    if not set(route.scopes) & set(scopes):
        wanted = ", ".join(route.scopes)
        raise ApiError(400, 4711, f"Invalid access token, does not contain scopes:[{wanted}].")


def _repeat_page_token(body: bytes, token: str) -> bytes:
    """The page as served, but pointing at itself: the token it was asked with comes back."""
    page = orjson.loads(body)
    page["next_page_token"] = token
    return orjson.dumps(page, option=orjson.OPT_NON_STR_KEYS)


def _oauth_error(reason: str, error: str) -> Reply:
    return json_reply(400, {"reason": reason, "error": error})


def _status_reply(status: int, *, html: bool) -> Reply:
    """A server error in either of the forms Zoom's edge produces: JSON or an HTML page."""
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    if html:
        title = f"{status} {phrase}"
        page = f"<html><head><title>{title}</title></head><body><h1>{phrase}</h1></body></html>"
        return Reply(status, page.encode(), content_type=HTML)
    return json_reply(status, {"code": status, "message": phrase})
