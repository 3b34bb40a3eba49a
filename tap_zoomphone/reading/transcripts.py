"""Reading recording transcripts: late data, asked for again until Zoom has them or gives up.

The stream lists the account's recordings by month windows itself (so it needs neither
`recordings` selected nor its records), then asks each recording's transcript: Zoom answers
302 to the transcript's JSON file (downloads.py follows it safely), or 400 with a code:

- 12002 "still being transcribed": the id waits in STATE (`pending`) and is asked again on
  every later run, until the transcript arrives or `GIVE_UP` after the recording (then one
  WARNING names it and it is not asked again);
- 12000 "unable to transcribe" (and 404, no file): asked once more, no sooner than
  `RETRY_UNABLE` later (users see such transcripts in the web portal), then given up;
- 12001 (transcription disabled) and 12003 (download failed): given up at once, one WARNING.

Given-up ids stay in STATE (`never`) only while a later run's windows can list the recording
again (the lookback), so they are never asked twice; STATE stays bounded by both ages.
"""

from __future__ import annotations

import datetime
import typing as t

from typing_extensions import override

from tap_zoomphone.reading.costs import CostEstimate
from tap_zoomphone.reading.crawl import Crawl, Page, Skipped
from tap_zoomphone.reading.listing import Record, window_pages
from tap_zoomphone.reading.plan import AccountFacts, account_step
from tap_zoomphone.reading.stream import ZoomPhoneStream
from tap_zoomphone.reading.windows import month_windows
from tap_zoomphone.zoom.downloads import DownloadFailed, fetch_json
from tap_zoomphone.zoom.errors import MissingScopes, ZoomAPIError
from tap_zoomphone.zoom.moments import read_moment, zoom_time

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.reading.endpoints import Endpoint

GIVE_UP = datetime.timedelta(days=7)
RETRY_UNABLE = datetime.timedelta(hours=24)
MAX_PENDING = 50_000  # far above a week of recordings of a large account; oldest dropped beyond
TRANSCRIBING = 12002
UNABLE = frozenset({12000, 404})
NEVER = frozenset({12001, 12003})
NAMED = 5  # ids named in a WARNING line; the rest are counted


class TranscriptStream(ZoomPhoneStream):
    """Transcripts of the recordings its `listing` finds, asked until Zoom has them or gives up."""

    # The recordings' list, read by month windows, and the transcript download.
    listing: t.ClassVar[Endpoint]
    endpoint: t.ClassVar[Endpoint]

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        return (cls.listing, cls.endpoint)

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        settings = zoom.settings
        state = self.stream_state
        bookmarked = settings.end is None
        now = zoom.api.now()
        facts = AccountFacts(zoom.history_start(self.logger), now, settings.lookback, settings.end)
        step = account_step(read_moment(state.get("synced_to")), facts)
        end = step.end
        windows = month_windows(step.start, end)
        pending: dict[str, dict[str, t.Any]] = dict(state.get("pending") or {})
        never: dict[str, str] = dict(state.get("never") or {})
        state["pending"], state["never"] = pending, never
        progress = self.new_progress("recordings", 0)
        with self.ending_alone(progress):
            listed = self._recordings(windows)
            due = [rid for rid in listed if rid not in never and self._due(pending.get(rid), now)]
            again = [
                rid for rid, entry in pending.items() if rid not in listed and self._due(entry, now)
            ]
            units = due + again
            progress.total = len(units)
            self._log_plan(len(windows), len(due), len(again))
            outcomes = _Outcomes(self, listed, pending, never, now)

            def emit(item: Page | Skipped) -> Iterator[Record]:
                progress.done += 1
                if isinstance(item, Page):
                    outcomes.apply(item.unit, item.bookmark or {})
                    progress.records += len(item.records)
                    yield from item.records

            crawl = Crawl(units, self._read, settings.max_workers)
            if (yield from self.crawl_records(crawl, progress, emit)):
                outcomes.finish(end - settings.lookback)
                if bookmarked:
                    state["synced_to"] = zoom_time(end)
                progress.summary()

    @staticmethod
    def _due(entry: dict[str, t.Any] | None, now: datetime.datetime) -> bool:
        """Whether to ask now: a first time, a transcript in progress, or an unable's retry."""
        if entry is None or entry.get("code") not in UNABLE:
            return True
        asked = read_moment(entry.get("asked"))
        return asked is None or now - asked >= RETRY_UNABLE

    def _recordings(self, windows: list[t.Any]) -> dict[str, str]:
        """The recordings of the windows: id -> its `date_time`."""
        endpoint = self.listing
        query = endpoint.query(self.zoom.settings, stream=self.name)
        listed: dict[str, str] = {}
        for window in windows:
            for page in window_pages(self.zoom.api, query, window):
                for record in page:
                    if record.get("id"):
                        listed[str(record["id"])] = str(record.get("date_time") or "")
        return listed

    def _log_plan(self, windows: int, due: int, again: int) -> None:
        api = self.zoom.api
        estimate = CostEstimate(self.name, f"{windows} month windows, {due + again:,} transcripts")
        estimate.add(api.label_for(self.listing.path, self.listing.label), windows)
        estimate.add(api.label_for(self.endpoint.path, self.endpoint.label), due + again)
        estimate.log(api, self.logger)
        if again:
            self.logger.info(
                "%s: %d transcripts pending from earlier runs are asked again", self.name, again
            )

    def _read(self, recording_id: str) -> Iterator[Page]:
        """One recording's transcript, or what Zoom said instead (runs on a worker thread)."""
        api = self.zoom.api
        try:
            reply = api.get(
                self.endpoint.path,
                params={},
                label=self.endpoint.label,
                stream=self.name,
                path_args={"recording_id": recording_id},
                redirects=True,
            )
        except MissingScopes:
            raise
        except ZoomAPIError as exc:
            if exc.code not in {TRANSCRIBING, *UNABLE, *NEVER}:
                raise
            yield Page(recording_id, [], {"code": exc.code, "message": exc.zoom_message}, last=True)
            return
        try:
            if reply.location is None:
                msg = "Zoom answered the transcript request without a download URL"
                raise DownloadFailed(msg)  # noqa: TRY301  # handled as any failed download
            transcript = fetch_json(api, reply.location, timeout=self.zoom.settings.retry.timeout)
        except DownloadFailed as exc:
            yield Page(recording_id, [], {"code": "download", "message": str(exc)}, last=True)
            return
        transcript["recording_id"] = transcript.get("recording_id") or recording_id
        yield Page(recording_id, [transcript], {"code": None}, last=True)


class _Outcomes:
    """Applies each answer to the pending and given-up ids (on the writing thread only)."""

    def __init__(
        self,
        stream: TranscriptStream,
        listed: dict[str, str],
        pending: dict[str, dict[str, t.Any]],
        never: dict[str, str],
        now: datetime.datetime,
    ) -> None:
        self._stream = stream
        self._listed = listed
        self._pending = pending
        self._never = never
        self._now = zoom_time(now)
        self._clock = now
        self._refused: list[str] = []

    def apply(self, recording_id: str, outcome: dict[str, t.Any]) -> None:
        code = outcome.get("code")
        earlier = self._pending.pop(recording_id, None)
        recorded = self._listed.get(recording_id) or (earlier or {}).get("recorded") or self._now
        if code is None:
            return
        logger, name = self._stream.logger, self._stream.name
        if code in NEVER or (
            code in UNABLE and earlier is not None and earlier.get("code") in UNABLE
        ):
            self._never[recording_id] = recorded
            logger.warning(
                "%s: Zoom will not give the transcript of recording %s (code %s: %s); it is not "
                "asked for again",
                name,
                recording_id,
                code,
                outcome.get("message"),
            )
            return
        first = (earlier or {}).get("first") or self._now
        self._pending[recording_id] = {
            "recorded": recorded,
            "code": code,
            "asked": self._now,
            "first": first,
        }
        if code == "download":
            logger.warning(
                "%s: recording %s: %s; asked again on the next run",
                name,
                recording_id,
                outcome.get("message"),
            )

    def finish(self, relisted_from: datetime.datetime) -> None:
        """Give up on transcripts past `GIVE_UP`; keep STATE bounded; forget what cannot return."""
        logger, name = self._stream.logger, self._stream.name
        # Still transcribing past the give-up age, and asked on an earlier run too (a first
        # run's old recordings get one more chance); a 12000 waits for its one retry instead.
        late = [
            rid
            for rid, entry in self._pending.items()
            if entry.get("code") not in UNABLE
            and entry.get("first", self._now) != self._now
            and (recorded := read_moment(entry.get("recorded"))) is not None
            and self._clock - recorded > GIVE_UP
        ]
        overflow = sorted(self._pending, key=lambda rid: str(self._pending[rid].get("recorded")))
        late += [
            rid for rid in overflow[: max(0, len(self._pending) - MAX_PENDING)] if rid not in late
        ]
        for rid in late:
            self._never[rid] = str(self._pending.pop(rid).get("recorded"))
        if late:
            logger.warning(
                "%s: gave up on %d transcripts Zoom still had not produced %d days after the "
                "recording (or beyond %d pending): %s%s",
                name,
                len(late),
                GIVE_UP.days,
                MAX_PENDING,
                ", ".join(late[:NAMED]),
                f" and {len(late) - NAMED} more" if len(late) > NAMED else "",
            )
        # A given-up recording older than the next run's first window cannot be listed again.
        for rid in [rid for rid, when in self._never.items() if _before(when, relisted_from)]:
            del self._never[rid]
        if self._pending:
            logger.info(
                "%s: %d transcripts are still being produced; the next runs ask for them again "
                "(for up to %d days after each recording)",
                name,
                len(self._pending),
                GIVE_UP.days,
            )


def _before(moment: str, limit: datetime.datetime) -> bool:
    parsed = read_moment(moment)
    return parsed is not None and parsed < limit
