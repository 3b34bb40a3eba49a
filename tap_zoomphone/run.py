"""What the streams of one run share: settings, Zoom's API, the user directory, the outcome."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tap_zoomphone.reading.directory import UserDirectory
from tap_zoomphone.reading.windows import readable_floor
from tap_zoomphone.zoom.api import ZoomAPI
from tap_zoomphone.zoom.apischema import api_scopes
from tap_zoomphone.zoom.auth import ZoomServerToServerAuth
from tap_zoomphone.zoom.daily import DailyAllowance
from tap_zoomphone.zoom.errors import RunIncomplete, StreamsFailed
from tap_zoomphone.zoom.moments import zoom_time
from tap_zoomphone.zoom.pacing import RateBudget

if TYPE_CHECKING:
    import datetime
    import logging

    from tap_zoomphone.settings import Settings
    from tap_zoomphone.zoom.errors import (
        DailyLimitReached,
        EndpointUnavailable,
        ListIncomplete,
        MissingScopes,
    )


@dataclass
class ZoomRun:
    """One extraction's shared pieces; one token, one rate budget, one user listing."""

    settings: Settings
    api: ZoomAPI
    directory: UserDirectory
    daily_limit: DailyLimitReached | None = None
    retired: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    _history_start: datetime.datetime | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def history_start(self, logger: logging.Logger) -> datetime.datetime:
        """Where history starts for this run: start_date, clamped once to Zoom's six months."""
        with self._lock:
            if self._history_start is None:
                floor = readable_floor(self.api.now())
                start = self.settings.start
                if start is not None and start < floor:
                    logger.warning(
                        "start_date %s is older than the six months Zoom serves; "
                        "reading from %s instead",
                        zoom_time(start),
                        zoom_time(floor),
                    )
                self._history_start = floor if start is None else max(start, floor)
            return self._history_start

    @classmethod
    def close_all(cls) -> list[ZoomRun]:
        """Close the connections of every run started in this process; return those runs."""
        runs = list(_STARTED)
        _STARTED.clear()
        for run in runs:
            run.api.close()
        return runs

    @classmethod
    def start(cls, settings: Settings, *, user_agent: str) -> ZoomRun:
        """Wire the API client for these settings; nothing is requested yet."""
        _collect_garbage_rarely()
        auth = ZoomServerToServerAuth(
            account_id=settings.account_id,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            oauth_url=settings.oauth_url,
            timeout=settings.retry.timeout,
        )
        api = ZoomAPI(
            base_url=settings.api_url,
            auth=auth,
            budget=RateBudget(settings.rate_limits, headroom=settings.headroom, now=auth.clock.now),
            allowance=DailyAllowance(
                cap=settings.daily_cap, share=settings.daily_share, now=auth.clock.now
            ),
            retry=settings.retry,
            user_agent=user_agent,
        )
        run = cls(settings=settings, api=api, directory=UserDirectory(api, settings))
        _STARTED.append(run)
        return run

    def retire(self, stream: str, successor: str | None, error: EndpointUnavailable) -> None:
        """Remember that Zoom no longer serves a stream's endpoint, and what replaces it."""
        instead = (
            f"select {successor}, which replaces it, instead"
            if successor
            else "deselect the stream"
        )
        tracking = f" (Zoom tracking id: {error.tracking_id})" if error.tracking_id else ""
        self.retired.append(
            f"{stream}: Zoom no longer serves GET {error.path} (HTTP {error.status}: "
            f"{error.zoom_message}); {instead}.{tracking}"
        )

    def refuse(self, stream: str, error: MissingScopes) -> None:
        """Remember that the app lacks a stream's scopes; name the scopes that would do."""
        scopes = api_scopes(error.path) or ("those Zoom names",)
        tracking = f" (Zoom tracking id: {error.tracking_id})" if error.tracking_id else ""
        self.retired.append(
            f"{stream}: the Zoom app lacks the scopes of GET {error.path} (HTTP {error.status}, "
            f"code {error.code}: {error.zoom_message}); add any one of {', '.join(scopes)}, "
            f"or deselect the stream.{tracking}"
        )

    def fail(self, stream: str, error: ListIncomplete) -> None:
        """Remember a stream that could not be read to its end; the others go on."""
        self.failed.append(f"{stream}: {error}")

    def raise_for_outcome(self, logger: logging.Logger) -> None:
        """End a run that lost a stream, or stopped at the daily limit, as the settings ask."""
        if self.failed or self.retired:
            also = f" {self.daily_limit}" if self.daily_limit else ""
            lost = " ".join(self.failed + self.retired)
            msg = f"{lost} The other selected streams completed.{also}"
            # A failed read needs only another run; a retired endpoint needs another stream.
            raise StreamsFailed(msg) if self.failed else RunIncomplete(msg)
        if self.daily_limit is None:
            return
        if self.settings.on_daily_limit == "fail":
            raise self.daily_limit
        logger.warning("%s Exiting with status 0 (on_daily_limit=succeed).", self.daily_limit)


# The runs of this process, so the command line can close them and report their outcome.
_STARTED: list[ZoomRun] = []

# Pages parsed from JSON are trees without reference cycles: reference counting frees them.
GC_THRESHOLD = (50_000, 20, 100)


def _collect_garbage_rarely() -> None:
    """Spare every page the cyclic collector's scans of records and of the SDK's own objects.

    With the default threshold each 300-record page triggered several collections that walked
    every record still queued: measured here, that doubled the cost of parsing a page.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
