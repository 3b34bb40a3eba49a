"""Reading AI call summaries: ids from call-history rows, asked until served, re-read for edits.

Zoom has no list of summaries: a summary's id is the `ai_call_summary_id` of a call's element in
the sync rows of `user_call_history` (its parent). Each id the parent writes waits in STATE
(`pending`) until the summary exists (404 before: it appears some minutes after the call), for
up to `GIVE_UP`. A summary can be edited later (`modified_time` moves, `edited` becomes true;
Zoom announces it with `phone.ai_call_summary_changed`, which a tap cannot receive): each
summary is read again on every run for `EDIT_WINDOW` after it was created (`known`), and
emitted again only when its `modified_time` moved.
"""

from __future__ import annotations

import datetime
import typing as t

from typing_extensions import override

from tap_zoomphone.reading.costs import CostEstimate
from tap_zoomphone.reading.crawl import Crawl, Page, Skipped
from tap_zoomphone.reading.followers import RowFollower
from tap_zoomphone.zoom.errors import MissingScopes, ZoomAPIError
from tap_zoomphone.zoom.moments import read_moment, zoom_time

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from tap_zoomphone.reading.endpoints import Endpoint
    from tap_zoomphone.reading.listing import Record

GIVE_UP = datetime.timedelta(days=7)
EDIT_WINDOW = datetime.timedelta(days=7)
NOT_YET = 404
NAMED = 5


class SummaryFollower(RowFollower):
    """Summaries whose ids its parent's rows carry: asked until served, read again for edits."""

    endpoint: t.ClassVar[Endpoint]

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        return (cls.endpoint,)

    def _maps(self) -> tuple[dict[str, dict[str, t.Any]], dict[str, dict[str, t.Any]]]:
        state = self.stream_state
        pending = state.setdefault("pending", {})
        known = state.setdefault("known", {})
        return pending, known

    @override
    def note(self, records: list[Record]) -> None:
        pending, known = self._maps()
        now = None
        for record in records:
            summary = record.get("ai_call_summary_id")
            if summary and summary not in pending and summary not in known:
                now = now or zoom_time(self.zoom.api.clock.now())
                pending[summary] = {"user": record.get("user_id"), "since": now}

    @override
    def read_noted(self) -> None:
        zoom = self.zoom
        pending, known = self._maps()
        now = zoom.api.now()
        units = {summary: entry["user"] for summary, entry in pending.items()}
        units |= {
            summary: entry["user"] for summary, entry in known.items() if summary not in units
        }
        estimate = CostEstimate(
            self.name, f"{len(pending):,} new and {len(units) - len(pending):,} recent summaries"
        )
        estimate.add(zoom.api.label_for(self.endpoint.path, self.endpoint.label), len(units))
        estimate.log(zoom.api, self.logger)
        self.write_schema()
        progress = self.new_progress("summaries", len(units))
        moved: list[str] = []

        def emit(item: Page | Skipped) -> Iterator[Record]:
            progress.done += 1
            if isinstance(item, Skipped):
                progress.skipped += 1
                self.logger.warning("%s: skipping summary %s: %s", self.name, item.unit, item.error)
                pending.pop(item.unit, None)
                known.pop(item.unit, None)
                return
            for record in item.records:
                earlier = known.get(item.unit)
                if earlier is not None and earlier.get("modified") == record.get("modified_time"):
                    continue  # unchanged since it was emitted
                if earlier is not None:
                    moved.append(item.unit)
                pending.pop(item.unit, None)
                known[item.unit] = {
                    "user": units[item.unit],
                    "modified": record.get("modified_time"),
                    "created": record.get("created_time"),
                }
                self.write_record(record)
                progress.records += 1
            yield from ()

        crawl = Crawl(
            list(units),
            lambda summary: self._read(summary, units[summary]),
            zoom.settings.max_workers,
        )
        with self.ending_alone(progress):
            finished = _drain(self.crawl_records(crawl, progress, emit))
            if finished:
                self._prune(pending, known, now)
                if moved:
                    self.logger.info(
                        "%s: %d summaries were edited since they were emitted; emitted again",
                        self.name,
                        len(moved),
                    )
                progress.summary()
        self.emit_state()

    def _read(self, summary: str, user: str) -> Iterator[Page]:
        """One summary, or nothing yet (runs on a worker thread)."""
        try:
            reply = self.zoom.api.get(
                self.endpoint.path,
                params={},
                label=self.endpoint.label,
                stream=self.name,
                path_args={"user_id": user, "summary_id": summary},
            )
        except MissingScopes:
            raise
        except ZoomAPIError as exc:
            if exc.status != NOT_YET:
                raise
            yield Page(summary, [], last=True)
            return
        record = reply.body
        record["ai_call_summary_id"] = record.get("ai_call_summary_id") or summary
        yield Page(summary, [record], last=True)

    def _prune(
        self,
        pending: dict[str, dict[str, t.Any]],
        known: dict[str, dict[str, t.Any]],
        now: datetime.datetime,
    ) -> None:
        """Give up on summaries that never came; stop re-reading those past the edit window."""
        late = [s for s, e in pending.items() if _age(e.get("since"), now) > GIVE_UP]
        for summary in late:
            del pending[summary]
        if late:
            self.logger.warning(
                "%s: gave up on %d AI call summaries Zoom still did not serve %d days after their "
                "call was read: %s%s",
                self.name,
                len(late),
                GIVE_UP.days,
                ", ".join(late[:NAMED]),
                f" and {len(late) - NAMED} more" if len(late) > NAMED else "",
            )
        for summary in [s for s, e in known.items() if _age(e.get("created"), now) > EDIT_WINDOW]:
            del known[summary]


def _age(moment: object, now: datetime.datetime) -> datetime.timedelta:
    parsed = read_moment(moment)
    return now - parsed if parsed is not None else datetime.timedelta(0)


def _drain(crawl: t.Generator[Record, None, bool]) -> bool:
    """Run a crawl whose records are written as they come; whether it finished."""
    while True:
        try:
            next(crawl)
        except StopIteration as stop:
            return bool(stop.value)
