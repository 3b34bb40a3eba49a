"""A small Zoom Phone API client for the emulator's tests: tokens, pages, windows, sync."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests

from zoomphone_emulator import EmulatorConfig

if TYPE_CHECKING:
    from zoomphone_emulator import Emulator

# A fixed, frozen "now" makes ground truth exact; tests advance it explicitly.
NOW = dt.datetime(2026, 11, 20, 12, 0, 0, tzinfo=dt.UTC)
MAX_PAGES = 10_000


def config(**overrides: Any) -> EmulatorConfig:
    """A small frozen-clock account with no rate limiting, unless overridden."""
    values: dict[str, Any] = {
        "seed": 7,
        "users": 6,
        "calls_per_user": 120,
        "clock_start": NOW,
        "frozen": True,
        "plan": "off",
    }
    return EmulatorConfig(**(values | overrides))


def month_windows(start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """Consecutive date windows of at most one month, as a careful client asks them."""
    windows = []
    first = start
    while first <= end:
        month = first.month % 12 + 1
        year = first.year + (first.month == 12)
        last = min(dt.date(year, month, 1) - dt.timedelta(days=1), end)
        windows.append((first.isoformat(), last.isoformat()))
        first = last + dt.timedelta(days=1)
    return windows


def decode_sync_token(token: str) -> list[str]:
    return base64.b64decode(token).decode().split("_")


@dataclass
class SyncRun:
    """Everything a sync client received, page by page."""

    pages: list[list[dict[str, Any]]] = field(default_factory=list)
    token: str = ""

    @property
    def records(self) -> list[dict[str, Any]]:
        return [r for page in self.pages for r in page]


class ZoomClient:
    """Talks to one emulator like a tap would: OAuth, bearer token, paging, windows, sync."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.session = requests.Session()
        self.token: str | None = None

    def close(self) -> None:
        self.session.close()

    def oauth(
        self,
        auth: tuple[str, str] | None = None,
        *,
        form: bool = False,
        **params: str,
    ) -> requests.Response:
        cfg = self.emu.config
        values = {"grant_type": "account_credentials", "account_id": cfg.account_id} | params
        return self.session.post(
            self.emu.oauth_url,
            params=None if form else values,
            data=values if form else None,
            auth=auth or (cfg.client_id, cfg.client_secret),
            timeout=10,
        )

    def authenticate(self) -> str:
        response = self.oauth()
        assert response.status_code == 200, response.text
        self.token = response.json()["access_token"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"
        return self.token

    def get(self, path: str, **params: Any) -> requests.Response:
        if self.token is None:
            self.authenticate()
        return self.session.get(self.emu.api_url + path, params=params, timeout=30)

    def ok(self, path: str, **params: Any) -> dict[str, Any]:
        response = self.get(path, **params)
        assert response.status_code == 200, (response.status_code, response.text)
        body: dict[str, Any] = response.json()
        return body

    def pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every page of a list request, following next_page_token until it is empty."""
        bodies = [self.ok(path, **params)]
        while bodies[-1].get("next_page_token") and len(bodies) < MAX_PAGES:
            bodies.append(self.ok(path, **params, next_page_token=bodies[-1]["next_page_token"]))
        return bodies

    def records(self, path: str, array: str, **params: Any) -> list[dict[str, Any]]:
        return [r for body in self.pages(path, **params) for r in body.get(array, [])]

    def crawl(self, path: str, array: str, **params: Any) -> list[dict[str, Any]]:
        """Every record of the readable range, one month window at a time."""
        start = self.emu.truth.readable_start().date()
        end = self.emu.clock.now().date()
        found = []
        for first, last in month_windows(start, end):
            found += self.records(path, array, **{"from": first, "to": last, **params})
        return found

    def sync(
        self, path: str, array: str, sync_type: str, token: str = "", count: int = 30
    ) -> tuple[list[dict[str, Any]], str]:
        params: dict[str, Any] = {"sync_type": sync_type, "count": count}
        if token:
            params["sync_token"] = token
        body = self.ok(path, **params)
        return body[array], body["sync_token"]

    def drain(self, path: str, array: str, sync_type: str, token: str, count: int = 30) -> SyncRun:
        """Repeat ISync or BSync, storing each token, until a page comes back empty."""
        run = SyncRun(token=token)
        for _ in range(MAX_PAGES):
            page, run.token = self.sync(path, array, sync_type, run.token, count)
            if not page:
                return run
            run.pages.append(page)
        msg = "sync never returned an empty page"
        raise AssertionError(msg)
