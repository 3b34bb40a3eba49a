"""Zoom Server-to-Server OAuth: one token per run, refreshed early, shared by all workers."""

from __future__ import annotations

import base64
import logging
import threading
import time
from http import HTTPStatus

import requests
from singer_sdk.authenticators import OAuthAuthenticator
from typing_extensions import override

from tap_zoomphone.zoom.clock import ServerClock
from tap_zoomphone.zoom.errors import AuthenticationFailed

logger = logging.getLogger(__name__)

TOKEN_ATTEMPTS = 3
DEFAULT_LIFETIME = 3599  # seconds: Zoom's tokens live an hour
RETRYABLE_TOKEN_STATUSES = frozenset({429, 500, 502, 503, 504})


class ZoomServerToServerAuth(OAuthAuthenticator):
    """Server-to-Server OAuth with the `account_credentials` grant and Basic client auth."""

    def __init__(  # noqa: PLR0913  # keyword-only credentials and endpoint
        self,
        *,
        account_id: str,
        client_id: str,
        client_secret: str,
        oauth_url: str,
        refresh_margin: float = 300.0,
        timeout: float = 60.0,
    ) -> None:
        """Build the token request once; the secret only ever lives in the Basic header."""
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        self._token_headers = {"Authorization": f"Basic {basic}"}
        super().__init__(
            auth_endpoint=oauth_url,
            oauth_headers=self._token_headers,
            client_id=client_id,
            client_secret=client_secret,
            default_expiration=DEFAULT_LIFETIME,
        )
        self._token_session = requests.Session()
        self._account_id = account_id
        self._refresh_margin = refresh_margin
        self._timeout = timeout
        self._lock = threading.Lock()
        self._fetched_at = 0.0
        self.clock = ServerClock()

    @property
    @override
    def oauth_request_body(self) -> dict[str, str]:
        return {"grant_type": "account_credentials", "account_id": self._account_id}

    @override
    def is_token_valid(self) -> bool:
        if self.access_token is None:
            return False
        if not self.expires_in:
            return True
        # Refresh a few minutes early, or a tenth of a very short lifetime.
        margin = min(self._refresh_margin, self.expires_in / 10)
        return time.monotonic() - self._fetched_at < self.expires_in - margin

    def bearer(self) -> str:
        """The Authorization header value, fetching a token only when the current one is stale."""
        with self._lock:
            if not self.is_token_valid():
                self.update_access_token()
            return f"Bearer {self.access_token}"

    def invalidate(self, header: str) -> None:
        """Forget a token Zoom rejected (401 code 124) unless another worker replaced it already."""
        with self._lock:
            if header == f"Bearer {self.access_token}":
                self.access_token = None

    @override
    def update_access_token(self) -> None:
        logger.info("Requesting a Zoom access token from %s", self.auth_endpoint)
        response = self._post_for_token()
        self.clock.observe(response.headers.get("Date"))
        try:
            body = response.json()
            token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            msg = (
                f"Zoom's token endpoint {self.auth_endpoint} answered HTTP {response.status_code} "
                "without an access token."
            )
            raise AuthenticationFailed(msg) from None
        self.access_token = str(token)
        expires = body.get("expires_in", DEFAULT_LIFETIME)
        self.expires_in = int(expires) if expires else None
        self._fetched_at = time.monotonic()

    def _post_for_token(self) -> requests.Response:
        last_problem = ""
        for attempt in range(1, TOKEN_ATTEMPTS + 1):
            try:
                response = self._token_session.post(
                    self.auth_endpoint,
                    headers=self._token_headers,
                    data=self.oauth_request_body,
                    timeout=self._timeout,
                )
            except requests.RequestException as exc:
                last_problem = f"could not reach it ({type(exc).__name__})"
            else:
                if response.status_code < HTTPStatus.BAD_REQUEST:
                    return response
                if response.status_code not in RETRYABLE_TOKEN_STATUSES:
                    raise AuthenticationFailed(self._refusal(response))
                last_problem = f"HTTP {response.status_code}"
            if attempt < TOKEN_ATTEMPTS:
                time.sleep(2 ** (attempt - 1))
        msg = f"Zoom's token endpoint {self.auth_endpoint} failed: {last_problem}."
        raise AuthenticationFailed(msg)

    def _refusal(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        reason = body.get("reason") or body.get("message") or response.reason or "refused"
        error = body.get("error") or body.get("code")
        detail = f"{reason} ({error})" if error else str(reason)
        tracking = response.headers.get("x-zm-trackingid")
        suffix = f" (Zoom tracking id: {tracking})" if tracking else ""
        return (
            f"Zoom rejected the Server-to-Server OAuth credentials: {detail}. "
            f"Check account_id, client_id and client_secret.{suffix}"
        )
