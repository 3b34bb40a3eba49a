"""The settle read of a per-user stream: one account-wide read, then only the users it names.

A user's sync token alone cannot be trusted to bring records that appear or change after the
call (whether ISync follows the call's start or the moment a record appeared is not
documented). So, at the settle cadence, the calls that started within the settle window are read
once account-wide from `/phone/call_history` (Heavy pages of 300 calls). A call whose signature
(call id, user, end time: steps and settling.py) this stream has not emitted for one of its
users is new or changed: only those users' list endpoints are read over the window, and only
those calls' records are emitted again, under the same primary keys.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field, replace

from tap_zoomphone.reading.crawl import Crawl, Page, Skipped
from tap_zoomphone.reading.listing import window_pages
from tap_zoomphone.reading.settling import (
    ACCOUNT_CALL_HISTORY,
    BY_START,
    ONE_DAY,
    call_signature,
    day_of,
    log_settled,
)
from tap_zoomphone.reading.windows import month_windows
from tap_zoomphone.zoom.errors import EndpointUnavailable, MissingScopes
from tap_zoomphone.zoom.moments import read_moment

if t.TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator

    from tap_zoomphone.reading.listing import ListQuery, Record
    from tap_zoomphone.reading.per_user import PerUserStream
    from tap_zoomphone.reading.plan import SettleRead
    from tap_zoomphone.reading.settling import SettleMemory

# The fields of a call-history record that name the account's users taking part.
PARTY_KEYS = ("caller_ext_id", "callee_ext_id", "caller_email", "callee_email")
# The extension id of each side, and the field that says whether it is a user's.
SIDES = (("caller_ext_id", "caller_ext_type"), ("callee_ext_id", "callee_ext_type"))
# What a scan keeps of each call: enough to name its users and tell a new version.
KEPT = ("call_id", "start_time", "end_time", *PARTY_KEYS, "caller_ext_type", "callee_ext_type")


@dataclass
class Scan:
    """The calls of the account that started in a window, as one account-wide read found them."""

    calls: list[dict[str, t.Any]] = field(default_factory=list)
    pages: int = 0

    def named(
        self, owners: dict[str, str], memory: SettleMemory
    ) -> tuple[dict[str, set[str]], set[str]]:
        """Users with a call new or changed for them (user -> call ids), and unknown users.

        Unknown: the user extensions no owner is known for (a new user, or one deleted since).
        """
        named: dict[str, set[str]] = {}
        unknown: set[str] = set()
        for call in self.calls:
            for ext_key, type_key in SIDES:
                ext = call.get(ext_key)
                if ext and call.get(type_key) == "user" and str(ext) not in owners:
                    unknown.add(str(ext))
            call_id, end = call.get("call_id"), call.get("end_time")
            users = {owners.get(str(call.get(key))) for key in PARTY_KEYS} - {None}
            for user in t.cast("set[str]", users):
                if not memory.holds(call_signature(call_id, user, end)):
                    named.setdefault(user, set()).add(str(call_id))
        return named, unknown


def scan_calls(stream: PerUserStream, start: datetime.datetime, end: datetime.datetime) -> Scan:
    """Read the account's calls that started in [start, end], by start time (Heavy pages)."""
    query = ACCOUNT_CALL_HISTORY.query(stream.zoom.settings, stream=stream.name)
    query = replace(query, params={**query.params, **BY_START})
    scan = Scan()
    for window in month_windows(start, end):
        for calls in window_pages(stream.zoom.api, query, window):
            scan.pages += 1
            scan.calls.extend({key: call.get(key) for key in KEPT} for call in calls)
    return scan


class UserSettleRead:
    """One settle read of a per-user stream (on the writing thread; user reads on workers)."""

    def __init__(  # noqa: PLR0913 - what a settle read serves and reuses
        self,
        stream: PerUserStream,
        read: SettleRead,
        memory: SettleMemory,
        users: list[str],
        *,
        owners: dict[str, str] | None = None,
        scan: Scan | None = None,
    ) -> None:
        """The stream, the window, what it emitted, and the users it reads.

        `owners` (user by extension id) spares the directory listing; `scan` is this window's
        account-wide read when a change read already made it (one read serves both).
        """
        self._stream = stream
        self._read = read
        self._memory = memory
        self._users = users
        self._owners_known = owners
        self._scan = scan
        self._start = max(read.start, stream.zoom.history_start(stream.logger))

    def records(self) -> t.Generator[Record, None, bool]:
        """The records new or changed since emitted; False when the read could not finish."""
        stream, read, memory = self._stream, self._read, self._memory
        settle = stream.zoom.settings.settle
        if not read.reads:
            memory.read(read, calls=0)
            return True
        try:
            affected, seen, pages, late = self._affected()
        except (MissingScopes, EndpointUnavailable) as exc:
            stream.logger.warning(
                "%s: the settle read needs %s (%s); records that appear or change after "
                "their user's sync are not read again",
                stream.name,
                ACCOUNT_CALL_HISTORY.path,
                exc,
            )
            return False
        progress = stream.new_progress("settling users", len(affected))
        fresh = 0

        def emit(item: Page | Skipped) -> Iterator[Record]:
            nonlocal fresh
            progress.done += isinstance(item, Skipped) or item.last
            if isinstance(item, Skipped):
                progress.skipped += 1
                stream.logger.warning(
                    "%s: skipping user %s: %s", stream.name, item.unit, item.error
                )
                return
            emitted = []
            for record in item.records:
                prepared = stream.prepare(record, item.unit)
                text = call_signature(
                    prepared.get("call_id"), item.unit, prepared.get(stream.end_field)
                )
                if memory.holds(text):
                    continue
                memory.add(day_of(prepared.get(stream.time_field)), text)
                emitted.append(prepared)
                yield prepared
            fresh += len(emitted)
            progress.records += len(emitted)
            stream.note_rows(emitted)

        crawl = Crawl(
            sorted(affected),
            lambda user: self._reread(user, affected[user]),
            stream.zoom.settings.max_workers,
        )
        finished = yield from stream.crawl_records(crawl, progress, emit)
        if not finished:
            return False
        progress.summary()
        memory.read(read, calls=seen, users=len(affected))
        memory.forget_before(read.end - settle - ONE_DAY)
        stream.emit_state()
        log_settled(
            stream.logger,
            stream.name,
            read,
            seen=seen,
            pages=pages,
            users=len(affected),
            fresh=fresh,
            late=late,
            settle=settle,
        )
        return True

    def _affected(self) -> tuple[dict[str, set[str]], int, int, int]:
        """Users with calls of the window new or changed for them: user -> call ids.

        Also how many calls were read in how many pages, and how many of the new or changed
        ones started more than the settle time before the read (they settled later than it).
        """
        stream, read, memory = self._stream, self._read, self._memory
        settings = stream.zoom.settings
        owners = self._owners()
        scan = self._scan if self._scan is not None else scan_calls(stream, self._start, read.end)
        too_late = read.end - settings.settle
        known = memory.read_at is not None
        affected, _ = scan.named(owners, memory)
        late = 0
        for call in scan.calls:
            started = read_moment(call.get("start_time"))
            if not known or started is None or started >= too_late:
                continue
            call_id = str(call.get("call_id"))
            late += sum(call_id in calls for calls in affected.values())
        return affected, len(scan.calls), scan.pages, late

    def _owners(self) -> dict[str, str]:
        """The stream's users by every key a call names them by: id, extension id, email."""
        if self._owners_known is not None:
            return self._owners_known
        wanted = set(self._users)
        owners: dict[str, str] = {}
        for page in self._stream.zoom.directory.pages(stream="phone_users"):
            for user in page:
                user_id = str(user.get("id") or "")
                if user_id not in wanted:
                    continue
                for key in (user_id, user.get("extension_id"), user.get("email")):
                    if key:
                        owners[str(key)] = user_id
        return owners

    def _reread(self, user: str, calls: set[str]) -> Iterator[Page]:
        """The user's records of the window that belong to the calls new or changed for it."""
        stream = self._stream
        query = by_start(stream.list_query(user))
        for window in month_windows(self._start, self._read.end):
            for records in window_pages(stream.zoom.api, query, window):
                kept = [r for r in records if str(r.get("call_id")) in calls]
                if kept:
                    yield Page(user, kept)
        yield Page(user, [], last=True)


def by_start(query: ListQuery) -> ListQuery:
    """The same list query, selecting records by their start (in either spelling Zoom uses)."""
    spelled = query.params.get("time_type")
    if spelled is None:
        return query
    value = "start_time" if "_" in str(spelled) else "startTime"
    return replace(query, params={**query.params, "time_type": value})
