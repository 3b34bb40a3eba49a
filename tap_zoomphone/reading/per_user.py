"""Streams read user by user: a backfill the first time, then Zoom's sync endpoint.

A user without a bookmark is backfilled either by walking the sync endpoint backwards (FSync,
then BSync: `tap_zoomphone.reading.sync_walk`) or by month windows of the list endpoint.
Windows are read after a token is taken (FSync) and up to now: whatever is logged after the
token was taken comes with the next ISync, whatever before it comes with the windows, so
nothing falls between.
Later runs ask ISync for what is new, page after page, until Zoom has nothing newer. A rejected
token falls back to the windows from the user's last known date, less a lookback.
"""

from __future__ import annotations

import threading
import typing as t
from typing import ClassVar

from typing_extensions import override

from tap_zoomphone.reading.bookmarks import UserBookmarks
from tap_zoomphone.reading.costs import CostEstimate
from tap_zoomphone.reading.crawl import Crawl, Page, Skipped
from tap_zoomphone.reading.followers import RowFollower
from tap_zoomphone.reading.listing import Record, window_pages
from tap_zoomphone.reading.plan import (
    Backfill,
    ChangeRead,
    Increments,
    RunStep,
    SettleRead,
    Skip,
    StepCosts,
    Sweep,
    UserFacts,
    UserStep,
    WalkBegin,
    WalkResume,
    Windows,
    run_step,
    settle_step,
    skip_or_step,
    user_step,
)
from tap_zoomphone.reading.settle_read import Scan, UserSettleRead, scan_calls
from tap_zoomphone.reading.settling import (
    ACCOUNT_CALL_HISTORY,
    SettleMemory,
    call_signature,
    day_of,
    memory_floor,
    settle_cost,
    settle_scope,
)
from tap_zoomphone.reading.stream import ZoomPhoneStream
from tap_zoomphone.reading.sync_walk import SyncWalk, WalkCheck
from tap_zoomphone.reading.windows import ONE_SECOND, month_windows
from tap_zoomphone.zoom.errors import (
    EndpointUnavailable,
    ListIncomplete,
    MissingScopes,
    SyncTokenExpired,
    TapError,
    ZoomAPIError,
)
from tap_zoomphone.zoom.moments import read_moment, zoom_time

if t.TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_zoomphone.output.progress import Progress
    from tap_zoomphone.reading.bookmarks import Bookmark
    from tap_zoomphone.reading.endpoints import Endpoint
    from tap_zoomphone.reading.listing import ListQuery
    from tap_zoomphone.zoom.api import Reply

# Bounds one user's ISync pages per run: 10,000 pages of 250 is far beyond a day of calls.
MAX_SYNC_PAGES = 10_000
USER_GONE = 1001


class PerUserStream(ZoomPhoneStream):
    """A user-by-user stream with a sync-token bookmark per user.

    A subclass declares `listing` (the list endpoint, read by month windows) and `syncing` (its
    sync endpoint), and the record field that holds the call's start (`time_field`).
    """

    listing: ClassVar[Endpoint]
    syncing: ClassVar[Endpoint]
    bookmark = "sync token per user"
    time_field: ClassVar[str] = "date_time"
    # The field with the call's end, which Zoom's changes after the fact move (settling.py).
    end_field: ClassVar[str] = "call_end_time"

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        return (cls.listing, cls.syncing)

    def __init__(self, tap: Tap) -> None:
        """Incremental by design, even though the bookmark is not a record field."""
        super().__init__(tap)
        self.forced_replication_method = "INCREMENTAL"
        self._sync_unavailable = threading.Event()
        self._rejected_tokens: list[str] = []
        self._walks = False
        self._check: WalkCheck | None = None
        self._follower: RowFollower | None = None
        # A change run ends a user's increments on a short page (see `increments`).
        self._short_page_ends = False

    def prepare(self, record: Record, user: str) -> Record:
        """Fill renamed fields, and make the record carry the user it was read for."""
        self.listing.normalize(record)
        if not record.get("user_id"):
            record["user_id"] = user
        return record

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        zoom = self.zoom
        bookmarks = UserBookmarks(self.stream_state)
        self._choose_backfill()
        facts = self.user_facts()
        memory = self._memory(facts.now)
        whom = self._whom(bookmarks, memory, facts.now)
        if whom is None:
            return
        run, users, active, scan, settle = whom
        self._short_page_ends = active is not None
        owners = bookmarks.extensions() if active is not None else None
        plans = {user: bookmarks.get(user) for user in users}
        steps = {user: skip_or_step(user, b, facts, active) for user, b in plans.items()}
        self.log_plan(steps, settle, run=run, scan=scan)
        reading = [user for user, step in steps.items() if not isinstance(step, Skip)]
        plans = {user: plans[user] for user in reading}
        progress = self.new_progress("users", len(reading))
        skips: list[Skipped] = []
        reread: list[str] = []
        self._follower = self._selected_follower()

        def emit(item: Page | Skipped) -> Iterator[Record]:
            yield from self._emit(item, bookmarks, progress, skips, memory)
            if self._check is None or not self._check.refuted.is_set():
                return
            if "walk_refuted" not in self.stream_state:  # just refuted: every walked user
                reread.extend(self._walked_again(bookmarks, bookmarks.walked()))
            elif isinstance(item, Page) and item.bookmark and item.bookmark.get("walked"):
                reread.extend(self._walked_again(bookmarks, [item.unit]))

        crawl = Crawl(
            reading, lambda user: self._read_user(user, plans.pop(user)), zoom.settings.max_workers
        )
        finished = yield from self.crawl_records(crawl, progress, emit)
        if finished and reread:
            # Users walked before the walk was refuted: read again, now by month windows.
            progress.total += len(reread)
            again = {user: bookmarks.get(user) for user in reread}
            crawl = Crawl(
                reread,
                lambda user: self._read_user(user, again.pop(user)),
                zoom.settings.max_workers,
            )
            finished = yield from self.crawl_records(crawl, progress, emit)
        if finished:
            self._finish(progress, skips)
            yield from self._settle_read(settle, memory, users, owners=owners, scan=scan)
            self._changes_read(run, memory, facts.now)
        if self._follower is not None:  # what the users' rows pointed to (and earlier runs')
            self._follower.follow()

    def _whom(
        self, bookmarks: UserBookmarks, memory: SettleMemory | None, now: datetime.datetime
    ) -> tuple[RunStep, list[str], set[str] | None, Scan | None, SettleRead | None] | None:
        """This run's kind, its users, those to read (None: all), its scan and settle read.

        None when the users cannot be listed: this stream ends, the others go on.
        """
        zoom = self.zoom
        run = self._run_step(bookmarks, memory, now)
        found = self._change_read(run, memory, bookmarks) if isinstance(run, ChangeRead) else None
        if found is not None:
            users, active, scan = found
            settled = t.cast("SettleMemory", memory).bookmark
            return run, users, active, scan, settle_step(settled, zoom.settings.settle, now)
        if isinstance(run, ChangeRead):
            run = Sweep("the account's call history could not be read")
        try:
            users = zoom.directory.user_ids()
        except ListIncomplete as exc:
            self._end_alone(exc, self.new_progress("users", 0))
            return None
        if not zoom.directory.configured:
            bookmarks.keep_only(users, self.logger.info)
        settle = self._settle_step(memory, bookmarks, users, now)
        if memory is not None:
            self._note_extensions(bookmarks, users)
        return run, users, None, None, settle

    def _run_step(
        self, bookmarks: UserBookmarks, memory: SettleMemory | None, now: datetime.datetime
    ) -> RunStep:
        """A sweep of every user, or a change read naming the users to read (steps.run_step)."""
        changes = self.stream_state.get("changes")
        return run_step(
            changes if isinstance(changes, dict) else {},
            self.zoom.settings.sweep,
            now,
            first=not bookmarks.users(),
            fixed_end=memory is None,
        )

    def _change_read(
        self, run: ChangeRead, memory: SettleMemory | None, bookmarks: UserBookmarks
    ) -> tuple[list[str], set[str], Scan] | None:
        """Read who changed: (the users, those to read, the scan); None when it cannot be read.

        When a settle read is due, its window (which holds this one) is read instead: one
        account-wide read serves both. A user extension the bookmarks do not know sends the
        run to the directory once: a new user is backfilled, a deleted one is dropped.
        """
        zoom = self.zoom
        memory = t.cast("SettleMemory", memory)
        settle = settle_step(memory.bookmark, zoom.settings.settle, run.end)
        start = min(run.start, settle.start) if settle is not None else run.start
        start = max(start, zoom.history_start(self.logger))
        try:
            scan = scan_calls(self, start, run.end)
        except (MissingScopes, EndpointUnavailable, ListIncomplete) as exc:
            self.logger.warning(
                "%s: the change read of %s failed (%s); this run reads every user",
                self.name,
                ACCOUNT_CALL_HISTORY.path,
                exc,
            )
            return None
        configured = zoom.directory.configured
        users = list(zoom.settings.user_ids or ()) if configured else bookmarks.users()
        named, unknown = scan.named(bookmarks.extensions(), memory)
        if unknown:
            try:
                listed = zoom.directory.user_ids()
            except ListIncomplete as exc:
                self.logger.warning(
                    "%s: %d user extensions of the change read are unknown and the user list "
                    "could not be read (%s); the next sweep reads them",
                    self.name,
                    len(unknown),
                    exc,
                )
            else:
                if not configured:
                    bookmarks.keep_only(listed, self.logger.info)
                    users = listed
                self._note_extensions(bookmarks, users)
                named, _ = scan.named(bookmarks.extensions(), memory)
        return users, set(named), scan

    def _note_extensions(self, bookmarks: UserBookmarks, users: list[str]) -> None:
        """Keep each user's extension id in its bookmark: a change read names users by it."""
        wanted = set(users)
        try:
            for page in self.zoom.directory.pages(stream="phone_users"):
                for user in page:
                    user_id, ext = str(user.get("id") or ""), user.get("extension_id")
                    if user_id in wanted and ext and bookmarks.get(user_id).get("ext") != ext:
                        bookmarks.update(user_id, {"ext": str(ext)})
        except ListIncomplete as exc:
            self.logger.warning("%s: user extensions not recorded: %s", self.name, exc)

    def _changes_read(
        self, run: RunStep, memory: SettleMemory | None, now: datetime.datetime
    ) -> None:
        """A run is complete: the next change read starts here (and a sweep is noted)."""
        if memory is None:  # a fixed end_date keeps no bookmark
            return
        changes = self.stream_state.get("changes")
        if not isinstance(changes, dict):
            changes = {}
            self.stream_state["changes"] = changes
        changes["read_to"] = zoom_time(now)
        if isinstance(run, Sweep):
            changes["swept_at"] = zoom_time(now)
        self.emit_state()

    def _settle_step(
        self,
        memory: SettleMemory | None,
        bookmarks: UserBookmarks,
        users: list[str],
        now: datetime.datetime,
    ) -> SettleRead | None:
        """This run's settle read, if one is due (a first run's backfill counts as one)."""
        if memory is None:
            return None
        first = not any(bookmarks.get(user) for user in users)
        return settle_step(memory.bookmark, self.zoom.settings.settle, now, first=first)

    def _settle_read(
        self,
        settle: SettleRead | None,
        memory: SettleMemory | None,
        users: list[str],
        *,
        owners: dict[str, str] | None = None,
        scan: Scan | None = None,
    ) -> Iterator[Record]:
        """The settle read, when one is due (served by the change read's scan, if any)."""
        if settle is not None and memory is not None:
            read = UserSettleRead(self, settle, memory, users, owners=owners, scan=scan)
            yield from read.records()

    def note_rows(self, records: list[Record]) -> None:
        """Hand rows emitted outside the crawl (a settle read's) to the follower, if any."""
        if self._follower is not None and records:
            self._follower.note(records)

    def _memory(self, now: datetime.datetime) -> SettleMemory | None:
        """What this stream emitted of the calls still settling (None with a fixed end_date)."""
        settings = self.zoom.settings
        if settings.end is not None:
            return None
        settled = self.stream_state.get("settling") or {}
        return SettleMemory(self.stream_state, memory_floor(settled, settings.settle, now))

    def _selected_follower(self) -> RowFollower | None:
        """The selected child fed with this stream's rows (ai_call_summaries), if any."""
        followers = (c for c in self.child_streams if isinstance(c, RowFollower) and c.selected)
        return next(followers, None)

    def _choose_backfill(self) -> None:
        """Walk the sync endpoint or read month windows, as the settings and past runs say."""
        settings = self.zoom.settings
        method = settings.backfill_method
        refuted = self.stream_state.get("walk_refuted")
        filters = self.listing.filters_in_use(settings)
        self._walks = method != "list" and settings.end is None
        if self._walks and filters:
            self.logger.info(
                "%s: backfilling by month windows: the sync endpoint cannot filter by %s",
                self.name,
                filters,
            )
            self._walks = False
        elif self._walks and method == "auto" and refuted:
            self.logger.info(
                "%s: backfilling by month windows: an earlier run found the sync walk "
                "incomplete (%s); set backfill_method to 'sync' to walk regardless",
                self.name,
                refuted,
            )
            self._walks = False
        self._check = WalkCheck(self.name) if self._walks and method == "auto" else None

    def user_facts(self) -> UserFacts:
        """What the plan of a user's read depends on besides its bookmark, as of now."""
        zoom = self.zoom
        settings = zoom.settings
        return UserFacts(
            history_start=zoom.history_start(self.logger),
            now=zoom.api.now(),
            lookback=settings.lookback,
            end=settings.end,
            walks=self._walks,
            walk_refuted=self._walk_refuted(),
        )

    def log_plan(
        self,
        steps: dict[str, UserStep | Skip],
        settle: SettleRead | None = None,
        *,
        run: RunStep | None = None,
        scan: Scan | None = None,
    ) -> None:
        """Say what this run will cost before spending it: the price of the planned steps.

        A change read is spent before the line (it decides who is read): its pages are priced
        as read, and a settle read it serves costs no more pages.
        """
        zoom = self.zoom
        list_label = zoom.api.label_for(self.listing.path, self.listing.label)
        sync_label = zoom.api.label_for(self.syncing.path, self.syncing.label)
        estimate = CostEstimate(self.name, f"{len(steps):,} users")
        costs = StepCosts(zoom.api.now())
        for step in steps.values():
            sync, listed = costs.of(step)
            estimate.add(sync_label, sync)
            estimate.add(list_label, listed)
        walks = sum(1 for step in steps.values() if isinstance(step, WalkBegin))
        windows = sum(
            1 for step in steps.values() if isinstance(step, Backfill) and step.token is None
        )
        if walks:
            estimate.scope += f", {walks:,} to backfill by the sync walk"
            if self._check is not None:
                facts = self.user_facts()
                months = len(month_windows(facts.history_start, facts.now))
                checked = min(walks, 3) + 0.01 * max(0, walks - 3)
                estimate.add(list_label, checked * months)
                estimate.add(sync_label, checked)
        elif windows:
            estimate.scope += f", {windows:,} to backfill by month windows"
            estimate.cheaper = (
                f"backfill_method auto walks the same {windows:,} users through the sync "
                f"endpoint for about {2 * windows:,} {sync_label} requests"
            )
        history = ACCOUNT_CALL_HISTORY
        history_label = zoom.api.label_for(history.path, history.label)
        if run is not None:
            estimate.scope += f", {self._run_scope(run, steps, scan)}"
        if scan is not None:
            estimate.add(history_label, scan.pages)
        if settle is not None:
            settled = self.stream_state.get("settling") or {}
            estimate.scope += f", {settle_scope(settle, settled, zoom.settings.settle)}"
            pages, users = settle_cost(settle, settled)
            estimate.add(history_label, pages if scan is None else 0)
            estimate.add(list_label, users * len(month_windows(settle.start, settle.end)))
        if not estimate.cheaper:
            estimate.cheaper = "a later start_date, fewer months to read per user"
        estimate.log(zoom.api, self.logger)

    def _run_scope(self, run: RunStep, steps: dict[str, UserStep | Skip], scan: Scan | None) -> str:
        """The plan line's words for who is read this run, and why."""
        sweep = self.zoom.settings.sweep
        hours = f"{sweep.total_seconds() / 3600:g} h"
        if isinstance(run, Sweep):
            return f"a sweep of every user ({run.why}; one every sweep_hours, {hours})"
        skipped = sum(isinstance(step, Skip) for step in steps.values())
        read = len(steps) - skipped
        calls = len(scan.calls) if scan is not None else 0
        swept = read_moment((self.stream_state.get("changes") or {}).get("swept_at"))
        due = (
            f"; the next sweep in {(swept + sweep - run.end).total_seconds() / 3600:.1f} h"
            if swept
            else ""
        )
        return (
            f"a change read of the calls started since {zoom_time(run.start)} ({calls:,} calls) "
            f"names {read:,} users to read; {skipped:,} skipped, nothing new for them{due}"
        )

    def _walk_refuted(self) -> bool:
        return self._check is not None and self._check.refuted.is_set()

    def _walked_again(self, bookmarks: UserBookmarks, walked: list[str]) -> list[str]:
        """Once the walk is refuted: mark walked users for a re-read by windows."""
        self.stream_state["walk_refuted"] = t.cast("WalkCheck", self._check).reason
        for user in walked:
            bookmarks.update(user, {"walked": None, "synced_to": None, "backfilling": True})
        return walked

    def _emit(
        self,
        item: Page | Skipped,
        bookmarks: UserBookmarks,
        progress: Progress,
        skips: list[Skipped],
        memory: SettleMemory | None = None,
    ) -> Iterator[Record]:
        """A page's records; then, with them written, its bookmark change."""
        if isinstance(item, Skipped):
            self._skip(item, bookmarks, progress)
            skips.append(item)
            return
        for record in item.records:
            prepared = self.prepare(record, item.unit)
            if memory is not None:
                signature = call_signature(
                    prepared.get("call_id"), item.unit, prepared.get(self.end_field)
                )
                memory.add(day_of(prepared.get(self.time_field)), signature)
            yield prepared
        progress.records += len(item.records)
        if self._follower is not None and item.records:  # its ids, in STATE with the rows
            self._follower.note(item.records)
        if item.bookmark:
            bookmarks.update(item.unit, item.bookmark)
        if item.last:
            progress.done += 1

    def _finish(self, progress: Progress, skips: list[Skipped]) -> None:
        progress.summary()
        if len(self._rejected_tokens) > 1:
            self.logger.info(
                "%s: %d users had their sync token rejected and were read again by date",
                self.name,
                len(self._rejected_tokens),
            )
        if progress.total and len(skips) == progress.total:
            msg = f"{self.name}: none of the {progress.total} users could be read; {skips[0].error}"
            raise TapError(msg)

    def _skip(self, item: Skipped, bookmarks: UserBookmarks, progress: Progress) -> None:
        progress.skipped += 1
        progress.done += 1
        self.logger.warning("%s: skipping user %s: %s", self.name, item.unit, item.error)
        if item.error.code == USER_GONE:
            bookmarks.drop(item.unit)

    def _read_user(self, user: str, bookmark: Bookmark) -> Iterator[Page]:
        """Every page of one user for this run (runs on a worker thread): its planned step.

        The step is planned again here, by the same function, because the run may have
        learned since the plan line (a refuted walk sends new users to month windows).
        """
        step = user_step(bookmark, self.user_facts())
        if isinstance(step, Windows):
            yield from self._windows(user, step.start, step.end)
            yield Page(user, [], last=True)
        elif isinstance(step, WalkResume):
            yield from SyncWalk(self, self._check, user, step.start).resume(bookmark)
        elif isinstance(step, WalkBegin):
            yield from SyncWalk(self, self._check, user, step.start).begin()
        elif isinstance(step, Increments):
            try:
                yield from self.increments(user, step.token)
            except SyncTokenExpired as exc:
                self._token_rejected(user, exc)
                yield from self.backfill(user, step.fallback, None)
        else:
            yield from self.backfill(user, step.start, step.token)

    def _token_rejected(self, user: str, error: SyncTokenExpired) -> None:
        """Say once per run that tokens expired; each such user is re-read from its last date."""
        self._rejected_tokens.append(user)  # list.append is atomic: workers share it safely
        if len(self._rejected_tokens) == 1:
            self.logger.warning(
                "%s: Zoom rejected the sync token of user %s (%s); such users are read again "
                "from their last synced date less %s with the list endpoint, and get a new token",
                self.name,
                user,
                error.zoom_message,
                self.zoom.settings.lookback,
            )

    def backfill(self, user: str, start: datetime.datetime, token: str | None) -> Iterator[Page]:
        """Month windows from `start` to now, after a token for the ISync that follows."""
        if token is None:
            reply = self.full_sync(user, 1)
            token = reply.body.get("sync_token") if reply else None
            token = token if isinstance(token, str) and token else None
            yield Page(user, [], {"sync_token": token, "backfilling": True if token else None})
        # After the token: the windows reach past the moment it was taken.
        end = self.zoom.api.now() + ONE_SECOND
        yield from self._windows(user, start, end)
        yield Page(user, [], {"synced_to": zoom_time(end), "backfilling": None}, last=True)

    def list_query(self, user: str) -> ListQuery:
        """What one user's list endpoint is asked, apart from the window."""
        return self.listing.query(self.zoom.settings, stream=self.name, user=user)

    def _windows(
        self, user: str, start: datetime.datetime, end: datetime.datetime
    ) -> Iterator[Page]:
        bookmarked = self.zoom.settings.end is None
        query = self.list_query(user)
        for window in month_windows(start, end):
            for records in window_pages(self.zoom.api, query, window):
                if records:
                    yield Page(user, records)
            if bookmarked:
                yield Page(user, [], {"synced_to": zoom_time(window.end)})

    def increments(self, user: str, token: str) -> Iterator[Page]:
        """ISync from `token` until Zoom has nothing newer (a change run: a short page)."""
        api = self.zoom.api
        count = self.zoom.settings.sync_count
        for _ in range(MAX_SYNC_PAGES):
            asked_at = api.now()
            reply = self.sync_request(user, "ISync", count, token)
            records = self.syncing.records(reply.body)
            new_token = reply.body.get("sync_token")
            new_token = new_token if isinstance(new_token, str) and new_token else token
            # A change run takes a short page as the last (Zoom does not say so): what it
            # held back keeps its user named by the next change read, and the sweep asks
            # until an empty page.
            short = self._short_page_ends and len(records) < count
            if not records or short:
                synced = {"sync_token": new_token, "synced_to": zoom_time(asked_at)}
                yield Page(user, records, synced, last=True)
                return
            yield Page(user, records, {"sync_token": new_token})
            if new_token == token:
                self.logger.warning(
                    "%s: Zoom's sync token for user %s did not move after a page of records; "
                    "stopping this user's increments for this run to avoid a loop",
                    self.name,
                    user,
                )
                break
            token = new_token
        else:
            self.logger.warning(
                "%s: user %s still had new records after %d sync pages; the next run goes on "
                "from here",
                self.name,
                user,
                MAX_SYNC_PAGES,
            )
        yield Page(user, [], last=True)

    def sync_request(
        self, user: str, sync_type: str, count: int, token: str | None = None
    ) -> Reply:
        """One request of the user's sync endpoint (FSync takes no token)."""
        return self.zoom.api.get(
            self.syncing.path,
            params={"sync_type": sync_type, "count": self.syncing.page(count), "sync_token": token},
            label=self.syncing.label,
            stream=self.name,
            path_args={"user_id": user},
        )

    def backward_sync(self, user: str, token: str) -> Reply:
        """One BSync page: the records just older than `token`."""
        return self.sync_request(user, "BSync", self.zoom.settings.sync_count, token)

    def full_sync(self, user: str, count: int) -> Reply | None:
        """FSync: the newest records and a token, or None when the sync endpoint is not served."""
        if self._sync_unavailable.is_set():
            return None
        try:
            return self.sync_request(user, "FSync", count)
        except ZoomAPIError as exc:
            if type(exc) not in {ZoomAPIError, EndpointUnavailable}:
                raise
            if not self._sync_unavailable.is_set():
                self._sync_unavailable.set()
                self.logger.warning(
                    "%s: Zoom does not serve the sync endpoint (%s); this stream goes on "
                    "incrementally by date, re-reading the last %s of each user",
                    self.name,
                    exc,
                    self.zoom.settings.lookback,
                )
            return None
