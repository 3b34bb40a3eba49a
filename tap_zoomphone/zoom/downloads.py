"""Following a download endpoint's redirect to its file, safely.

Zoom's download endpoints (a recording's transcript) answer 302 to a URL on a file host. The
access token is Zoom's API's alone: it goes with the request only when the URL is on the API's
own host (scheme, host and port), never to another host; a signed download URL needs nothing
else (Zoom's description names no header for it). A URL that is not HTTPS is refused, except
on a loopback host (the emulator in tests); a further redirect is refused too.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import orjson
import requests

from tap_zoomphone.zoom.api import TRANSIENT_EXCEPTIONS
from tap_zoomphone.zoom.errors import TapError

if TYPE_CHECKING:
    from tap_zoomphone.zoom.api import ZoomAPI

logger = logging.getLogger("tap-zoomphone.downloads")

ATTEMPTS = 3
LOOPBACK_NAMES = frozenset({"localhost"})


class DownloadFailed(TapError):
    """A file could not be fetched (refused URL, HTTP error, not JSON); the item is kept."""


def is_loopback(host: str | None) -> bool:
    """Whether `host` names this machine (127.0.0.0/8, ::1 or localhost)."""
    if host is None:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower() or None, parts.port or default


def fetch_json(api: ZoomAPI, location: str, *, timeout: float) -> dict[str, Any]:
    """The JSON object at a download URL (`location` as Zoom's redirect gave it).

    Raises:
        DownloadFailed: the URL is refused, or the file host keeps failing or answers
            something other than a JSON object.
    """
    url = urljoin(api.base_url + "/", location)
    scheme, host, _ = _origin(url)
    if scheme != "https" and not (scheme == "http" and is_loopback(host)):
        msg = f"refused a download URL that is not HTTPS ({scheme}://{host})"
        raise DownloadFailed(msg)
    headers = {"Accept": "application/json"}
    if _origin(url) == _origin(api.base_url):
        headers["Authorization"] = api.auth.bearer()  # Zoom's own host: its token
    failure = ""
    for attempt in range(1, ATTEMPTS + 1):
        body, failure = _attempt(url, headers, timeout)
        if body is not None:
            return body
        if attempt < ATTEMPTS:
            time.sleep(0.5 * attempt * random.uniform(0.5, 1.0))  # noqa: S311  # jitter
    msg = f"the file host at {host} failed {ATTEMPTS} times; last: {failure}"
    raise DownloadFailed(msg)


def _attempt(
    url: str, headers: dict[str, str], timeout: float
) -> tuple[dict[str, Any] | None, str]:
    """One GET of the file: its JSON object, or what went wrong that a retry may fix."""
    try:
        response = requests.get(url, headers=headers, timeout=timeout, allow_redirects=False)
    except TRANSIENT_EXCEPTIONS as exc:
        return None, type(exc).__name__
    status = response.status_code
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return None, f"HTTP {status}"
    if status != HTTPStatus.OK:  # a refusal or a further redirect: retrying will not help
        msg = f"the file host answered HTTP {status} for {urlsplit(url).hostname}"
        raise DownloadFailed(msg)
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        body = None
    return (body, "") if isinstance(body, dict) else (None, "an answer that is not a JSON object")
