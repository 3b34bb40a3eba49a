"""One GET against Zoom's API, paced, authenticated, retried and mapped to a clear outcome.

Every request of every stream and worker goes through `ZoomAPI.get`: it takes a slot from the
account's rate budget, sends the request with the shared access token, and either returns the
parsed body or raises one of the errors in `tap_zoomphone.zoom.errors`.
"""

from __future__ import annotations

import datetime
import logging
import random
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import backoff
import orjson
import requests
import urllib3
from singer_sdk import metrics

from tap_zoomphone.zoom import errors
from tap_zoomphone.zoom.moments import parse_timestamp
from tap_zoomphone.zoom.pacing import parse_retry_after
from tap_zoomphone.zoom.ratelimits import read_rate_headers

if TYPE_CHECKING:
    from tap_zoomphone.zoom.auth import ZoomServerToServerAuth
    from tap_zoomphone.zoom.daily import DailyAllowance
    from tap_zoomphone.zoom.pacing import RateBudget
    from tap_zoomphone.zoom.retries import RetryPolicy

logger = logging.getLogger("tap-zoomphone.api")

TRANSIENT_EXCEPTIONS = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
SCOPE_CODES = frozenset({4700, 4711})
USER_CODES = frozenset({1001, 3001})
TOKEN_CODES = frozenset({300, 400, 124})
MAX_BACKOFF_SECONDS = 60.0
PER_SECOND_TOLERANCE = 1e-6
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class Reply:
    """A successful response: its parsed body and the tracking id Zoom gave it."""

    body: dict[str, Any]
    tracking_id: str | None
    # Where a redirect (a download endpoint's 302) points; its body is then empty.
    location: str | None = None


class Tally:
    """Thread-safe counts of what the run asked of Zoom: requests, retries, 429s."""

    def __init__(self) -> None:
        """Start every count at zero."""
        self._lock = threading.Lock()
        self.requests = 0
        self.retries = 0
        self.throttled = 0

    def count(self, what: str) -> None:
        """Add one to `what` (requests, retries or throttled)."""
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)


class ZoomAPI:
    """Thread-safe access to Zoom's REST API for all streams of one run."""

    def __init__(  # noqa: PLR0913  # the run's shared pieces, each named
        self,
        *,
        base_url: str,
        auth: ZoomServerToServerAuth,
        budget: RateBudget,
        allowance: DailyAllowance,
        retry: RetryPolicy,
        user_agent: str,
    ) -> None:
        """Share one token, one budget and one clock; give each thread its own connections."""
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.budget = budget
        self.allowance = allowance
        # Endpoint -> the label Zoom's headers gave it, where that differs from the plan table.
        self._labels: dict[str, str] = {}
        self._reported_rates: dict[str, float] = {}
        self.retry = retry
        self.clock = auth.clock
        self._headers = {
            "User-Agent": user_agent,
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
        }
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self.tally = Tally()
        self._metrics = metrics.get_metrics_logger()

    def label_for(self, path: str, label: str) -> str:
        """The label an endpoint is paced by: Zoom's, once its headers named one."""
        return self._labels.get(path, label)

    def now(self) -> datetime.datetime:
        """Zoom's current time, from the Date of its answers (fetching a token if need be)."""
        self.auth.bearer()
        return self.clock.now()

    def close(self) -> None:
        """Close every thread's connections."""
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def get(  # noqa: PLR0913  # keyword-only parts of one request
        self,
        path: str,
        *,
        params: dict[str, Any],
        label: str,
        stream: str,
        path_args: dict[str, str] | None = None,
        redirects: bool = False,
    ) -> Reply:
        """GET `path` (a template like `/phone/users/{user_id}/call_logs`) and return its body.

        `redirects`: a download endpoint, whose 3xx is returned (`Reply.location`) for the caller
        to follow (downloads.py); elsewhere a redirect is an error, never an empty answer.
        """
        concrete = path.format(**{k: quote(v, safe="") for k, v in (path_args or {}).items()})
        query = {k: v for k, v in params.items() if v is not None}
        # Encoded once here rather than by requests on every attempt (measured ~85 us each).
        url = f"{self.base_url}{concrete}?{urlencode(query)}" if query else self.base_url + concrete
        # Only failures spend max_retries: 429s are waited out on Zoom's terms (Retry-After).
        failures = throttled = 0
        started = time.monotonic()
        refreshed = False
        waits = backoff.expo(base=2, factor=self.retry.base_wait, max_value=MAX_BACKOFF_SECONDS)
        next(waits)  # backoff's generators start with a priming None
        while True:
            label = self._labels.get(path, label)
            header = self._admit(label)
            self.tally.count("requests")
            response = self._send(url, header, label=label, path=path, stream=stream)
            if isinstance(response, str):
                failure = response
            elif (status := response.status_code) == HTTPStatus.OK:
                parsed = self._parse(response)
                if isinstance(parsed, Reply):
                    return parsed
                failure = parsed
            elif status in REDIRECTS and redirects:
                response.close()
                location = response.headers.get("Location")
                tracking_id = response.headers.get("x-zm-trackingid")
                return Reply(body={}, tracking_id=tracking_id, location=location)
            elif status == HTTPStatus.TOO_MANY_REQUESTS:
                throttled += 1
                self._throttled(response, label, concrete, started, failures + throttled)
                continue
            elif status == HTTPStatus.UNAUTHORIZED and _zoom_error(response)[0] in {124, None}:
                if refreshed:
                    msg = (
                        f"Zoom rejected a freshly issued access token for GET {concrete} "
                        f"(HTTP 401). Check that the Zoom app is activated.{_tracking(response)}"
                    )
                    raise errors.AuthenticationFailed(msg)
                # The token expired or was revoked early: fetch a new one and retry once.
                self.auth.invalidate(header)
                refreshed = True
                self.tally.count("retries")
                continue
            elif status >= HTTPStatus.INTERNAL_SERVER_ERROR or status == HTTPStatus.REQUEST_TIMEOUT:
                failure = f"HTTP {status}{_tracking(response)}"
                response.close()  # its body is never read: free the connection now
            else:
                raise _classify(response, concrete, query)
            failures += 1
            self._retry_or_give_up(
                concrete, failures, started, failure, next(waits), throttled=throttled
            )

    def _admit(self, label: str) -> str:
        """Wait for a slot of the label's budget and the day's share; the Authorization value."""
        self.allowance.reserve(label)
        try:
            self.budget.acquire(label)
        except errors.DailyLimitReached:
            self.allowance.settle(label, None)
            raise
        return self.auth.bearer()

    def _send(
        self, url: str, header: str, *, label: str, path: str, stream: str
    ) -> requests.Response | str:
        """One attempt: Zoom's response, or what went wrong on the way (retried like a 5xx)."""
        try:
            # A prepared request skips the session's per-call merging of cookies, auth and
            # settings (~0.2 ms of CPU a request); the headers below are all it needs.
            prepared = requests.PreparedRequest()
            prepared.prepare(
                method="GET", url=url, headers={**self._headers, "Authorization": header}
            )
            response = self._session().send(
                prepared,
                timeout=self.retry.timeout,
                stream=True,  # the body is read in one call by _parse
                allow_redirects=False,  # a download's redirect is the caller's (downloads.py)
            )
        except TRANSIENT_EXCEPTIONS as exc:
            self.allowance.settle(label, None)
            return _describe_exception(exc)
        self._observe_limits(response, path, label)
        self._log_duration(response, stream=stream, endpoint=path)
        self.clock.observe(response.headers.get("Date"))
        return response

    def _observe_limits(self, response: requests.Response, path: str, label: str) -> None:
        """Settle the daily count and pace by the label and limit Zoom reports, saying so once."""
        report = read_rate_headers(
            response.headers, label=label, per_second=self.budget.limit(label)
        )
        self.allowance.settle(label, report)
        if report is None or report.label is None:
            return
        if report.label != label:
            with self._lock:
                first = path not in self._labels
                self._labels[path] = report.label
        else:
            first = False
        if first:
            logger.info(
                "Zoom reports GET %s as a %s API (the plan table says %s); pacing it as %s",
                path,
                report.label,
                label,
                report.label,
            )
        per_second = report.per_second
        if per_second is None or self._reported_rates.get(report.label) == per_second:
            return
        with self._lock:
            if self._reported_rates.get(report.label) == per_second:
                return
            self._reported_rates[report.label] = per_second
        paced = self.budget.limit(report.label)
        if abs(paced - per_second) > PER_SECOND_TOLERANCE:
            self.budget.set_rate(report.label, per_second)
            logger.info(
                "Zoom reports %g %s requests per second for this account (the plan says %g); "
                "pacing by Zoom's",
                per_second,
                report.label,
                paced,
            )

    def _parse(self, response: requests.Response) -> Reply | str:
        """The parsed body, or a description of why it cannot be used (retried like a 5xx)."""
        try:
            # One read of the whole body: requests' 10 KB chunks each hand the GIL around.
            content = response.raw.read(decode_content=True)
        except (urllib3.exceptions.HTTPError, OSError):
            response.close()
            return f"a truncated answer{_tracking(response)}"
        response.raw.release_conn()
        try:
            body = orjson.loads(content)
        except orjson.JSONDecodeError:
            return f"malformed JSON in a {len(content)}-byte answer{_tracking(response)}"
        if not isinstance(body, dict):
            return f"an answer that is not a JSON object{_tracking(response)}"
        return Reply(body=body, tracking_id=response.headers.get("x-zm-trackingid"))

    def _retry_or_give_up(  # noqa: PLR0913  # one request's retry accounting, each named
        self,
        path: str,
        attempts: int,
        started: float,
        failure: str,
        backoff_wait: float,
        *,
        throttled: int,
    ) -> None:
        """Wait before the next attempt, or give up once `attempts` failures exceed the budget."""
        wait = backoff_wait * random.uniform(0.5, 1.0)  # noqa: S311  # jitter, not cryptography
        elapsed = time.monotonic() - started
        if attempts > self.retry.max_retries or elapsed + wait > self.retry.max_seconds:
            raise errors.RetriesExhausted(
                path=path, attempts=attempts, last_failure=failure, throttled=throttled
            )
        logger.warning(
            "GET %s failed: %s; retrying in %.1fs (attempt %d of %d)",
            path,
            failure,
            wait,
            attempts,
            self.retry.max_retries + 1,
        )
        self.tally.count("retries")
        time.sleep(wait)

    def _throttled(
        self, response: requests.Response, label: str, path: str, started: float, sent: int
    ) -> None:
        """Honour a 429: pause the label for Retry-After, or stop on a spent daily cap."""
        self.tally.count("throttled")
        headers = response.headers
        _, message = _zoom_error(response)
        retry_after = (headers.get("Retry-After") or "").strip()
        resets_at = None if retry_after.isdigit() else parse_timestamp(retry_after)
        limit_type = (headers.get("X-RateLimit-Type") or "").lower()
        if "daily" in limit_type or "daily" in message.lower() or resets_at is not None:
            self.budget.block_until(label, resets_at)
            raise errors.DailyLimitReached(label=label, resets_at=resets_at)
        wait = parse_retry_after(retry_after, now=datetime.datetime.now(datetime.UTC))
        wait = 1.0 if wait is None else max(wait, 0.1)
        elapsed = time.monotonic() - started
        if elapsed + wait > self.retry.max_seconds:
            raise errors.RetriesExhausted(
                path=path,
                attempts=sent,
                last_failure=(
                    f"still rate limited (HTTP 429) after {elapsed:.0f}s{_tracking(response)}"
                ),
            )
        logger.info("Zoom rate-limited GET %s; pausing %s requests for %.1fs", path, label, wait)
        self.budget.pause(label, wait)
        self.tally.count("retries")

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Read proxies, the CA bundle and .netrc once, not on every request: it cost
            # about a fifth of each request's CPU time.
            settings = session.merge_environment_settings(self.base_url, {}, None, None, None)
            session.proxies = settings["proxies"]
            session.verify = settings["verify"]
            session.trust_env = False
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _log_duration(self, response: requests.Response, *, stream: str, endpoint: str) -> None:
        """The SDK's `http_request_duration` metric, at DEBUG: one line per request drowns the rest.

        `metrics_log_level: debug` (or TAP_ZOOMPHONE_LOGLEVEL=debug) shows them.
        """
        if not self._metrics.isEnabledFor(logging.DEBUG):
            return
        self._metrics.debug(
            "METRIC: %s",
            metrics.Point(
                "timer",
                metric=metrics.Metric.HTTP_REQUEST_DURATION,
                value=response.elapsed.total_seconds(),
                tags={
                    metrics.Tag.STREAM: stream,
                    metrics.Tag.ENDPOINT: endpoint,
                    metrics.Tag.HTTP_STATUS_CODE: response.status_code,
                    metrics.Tag.STATUS: (
                        metrics.Status.SUCCEEDED
                        if response.status_code < HTTPStatus.BAD_REQUEST
                        else metrics.Status.FAILED
                    ),
                },
            ),
        )


def _tracking(response: requests.Response) -> str:
    tracking_id = response.headers.get("x-zm-trackingid")
    return f" (Zoom tracking id: {tracking_id})" if tracking_id else ""


def _describe_exception(exc: requests.RequestException) -> str:
    # The exception text repeats the URL with its query string: name the kind only.
    if isinstance(exc, requests.exceptions.Timeout):
        return "no answer within the request timeout"
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return "a truncated answer"
    return "the connection failed or was reset"


def _zoom_error(response: requests.Response) -> tuple[int | None, str]:
    """Zoom's error code and message from `{"code": int, "message": str}`, when present."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None, (response.reason or "").strip() or f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return None, f"HTTP {response.status_code}"
    code = body.get("code")
    message = str(body.get("message") or body.get("reason") or response.reason or "")
    return (code if isinstance(code, int) else None), message


def _classify(response: requests.Response, path: str, query: dict[str, Any]) -> errors.ZoomAPIError:
    """The error a non-retryable answer means for the user."""
    status = response.status_code
    code, message = _zoom_error(response)
    details: dict[str, Any] = {
        "status": status,
        "code": code,
        "message": message,
        "path": path,
        "tracking_id": response.headers.get("x-zm-trackingid"),
    }
    lowered = message.lower()
    if code in SCOPE_CODES or "scope" in lowered:
        return errors.MissingScopes(
            **details,
            hint="Add the missing scopes to the Zoom app, or deselect the streams that need them.",
        )
    # Zoom words an unknown user several ways (1001, or 300/404 "Invalid user id.").
    about_a_user = "/phone/users/" in path and "user" in lowered and code in {300, 404, None}
    if code in USER_CODES or about_a_user:
        return errors.UserUnavailable(**details)
    if "sync_token" in query and (code in TOKEN_CODES or "token" in lowered):
        return errors.SyncTokenExpired(**details)
    if "next_page_token" in query and (code in TOKEN_CODES or "token" in lowered):
        return errors.PageTokenExpired(**details)
    if status in {404, 405, 410} and code in {None, 404}:
        return errors.EndpointUnavailable(**details)
    return errors.ZoomAPIError(**details)
