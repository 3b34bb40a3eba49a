"""The users list and the call records' endpoints: call logs, call history and their sync feeds.

Parameters, paging, sync and record shapes; list pages are assembled from records rendered
once and cached (`RenderCache`), which `CallLists.warm` can fill ahead of a benchmark. The
other endpoints live in their own modules; `handlers.Handlers` names them all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zoomphone_emulator.call_history import (
    account_call_history,
    call_path,
    user_call_element,
)
from zoomphone_emulator.call_logs import account_call_log, user_call_log
from zoomphone_emulator.errors import ApiError
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.render_cache import MB, RenderCache, page_body, shape
from zoomphone_emulator.shapes import iso
from zoomphone_emulator.sync import SyncFeeds
from zoomphone_emulator.tokens import NO_USER
from zoomphone_emulator.windows import readable_start

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.calls import Call
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.directory import PhoneUser
    from zoomphone_emulator.paging import Pager, Payload
    from zoomphone_emulator.queries import Entry
    from zoomphone_emulator.tokens import Signer

Builder = Callable[["Entry"], dict[str, Any]]

LOG_TIME_TYPES = ("startTime", "endTime")
HISTORY_TIME_TYPES = ("start_time", "end_time")
# The list endpoints, whose records are rendered once and cached (and can be warmed up).
LIST_KINDS = (
    "user_call_logs",
    "user_call_logs_sync",
    "account_call_logs",
    "call_history",
    "user_call_history",
    "user_call_history_sync",
)


def finalise(kind: str, record: dict[str, Any], call: Call, part: int) -> dict[str, Any]:
    """Turn a record's first version into its final one (the call changed after visibility).

    How a call changes is drawn in settling.py; this is what the change does to its records.

    Args:
        kind: The list endpoint (LIST_KINDS).
        record: The first version, as built.
        call: The call.
        part: The entry's part (the element index for call-history elements).

    Returns:
        The same dict, changed.
    """
    extra = call.extra
    end = iso(call.end + extra)
    if kind in ("user_call_history", "user_call_history_sync"):
        if part == call.legs - 1:  # the conversation is on the last element
            record["talk_time"] = call.talk + extra
            record["end_time"] = end
        return record
    record["duration"] = call.talk + extra
    record["end_time" if kind == "call_history" else "call_end_time"] = end
    return record


class CallLists:
    """Handlers of `/phone/users` and of the call records' endpoints.

    Args:
        config: The live settings.
        clock: The emulator clock.
        account: The account's data.
        pager: The pager every list endpoint shares.
        signer: Key for sync tokens.

    Attributes:
        pager: The shared pager.
        feeds: The sync feeds (call logs and call history).
        cache: The rendered-record cache.
    """

    def __init__(
        self,
        config: EmulatorConfig,
        clock: EmulatorClock,
        account: PhoneAccount,
        pager: Pager,
        signer: Signer,
    ) -> None:
        """Keep the collaborators; start with an empty cache."""
        self.config = config
        self.clock = clock
        self.account = account
        self.pager = pager
        self.feeds = SyncFeeds(config, clock, account.queries, signer)
        self.cache = RenderCache(lambda: config.render_cache_mb * MB)

    def user(self, key: str) -> PhoneUser:
        """Resolve a `userId` (id, email or "me").

        Args:
            key: The path argument.

        Returns:
            The user.

        Raises:
            ApiError: for an unknown user, in the configured form.
        """
        found = self.account.directory.find(key)
        if found is not None:
            return found
        style = self.config.unknown_users_error
        if style == "invalid":
            raise ApiError(400, 300, "Invalid user id.")
        raise ApiError(404, 300 if style == "300" else 1001, f"User does not exist: {key}.")

    def _readable_user(self, key: str) -> PhoneUser:
        """Resolve a user whose call records are requested (broken users fail here)."""
        user = self.user(key)
        broken = set(self.config.broken_users)
        if user.id in broken or user.email in broken:
            raise ApiError(400, 3001, "Error retrieving call logs.")
        return user

    # -- rendered records ----------------------------------------------------------------

    def _shape(self, kind: str) -> tuple[str, Builder]:
        """Name the record shape a list endpoint serves under the live settings, and its builder.

        The settings are read once, so the builder always matches the name it is cached under.
        """
        config, facts, users = self.config, self.account.facts.facts, self.account.directory.users
        extras = config.unknown_fields
        if kind in ("user_call_logs", "user_call_logs_sync"):
            sync = kind == "user_call_logs_sync"
            return shape("user_call_log", sync, extras), lambda e: user_call_log(
                e.call, facts(e.call), users[e.part], ident=e.id, sync=sync, extras=extras
            )
        if kind == "account_call_logs":
            return shape("account_call_log", extras), lambda e: account_call_log(
                e.call, facts(e.call), users[e.part], ident=e.id, extras=extras
            )
        if kind == "call_history":
            old = config.call_history_array == "call_logs"
            return shape("account_call_history", old, extras), lambda e: account_call_history(
                e.call, facts(e.call), uuid=e.id, old_name=old, extras=extras
            )
        if kind in ("user_call_history", "user_call_history_sync"):
            old, sync = config.user_call_history_array == "call_logs", kind.endswith("_sync")
            uuid = self.account.uuid
            return shape("user_call_element", old, sync, extras), lambda e: user_call_element(
                e.call,
                facts(e.call),
                e.part,
                ident=e.id,
                uuid=uuid(e.call),
                old_name=old,
                sync=sync,
                extras=extras,
            )
        msg = f"kind must be one of {LIST_KINDS}, not {kind!r}"
        raise ValueError(msg)

    def _render(self, kind: str, page: Sequence[Entry]) -> list[bytes]:
        name, build = self._shape(kind)
        if not self.account.book.changes:
            return self.cache.render(name, page, build)
        now, delay = self.clock.timestamp(), self.config.ingest_delay
        final = [entry.call.final_at(delay, now) for entry in page]
        if not any(final):
            return self.cache.render(name, page, build)
        # A call that changed is served in its final version, cached under its own shape.
        first = iter(
            self.cache.render(name, [e for e, f in zip(page, final, strict=True) if not f], build)
        )
        later = iter(
            self.cache.render(
                f"{name}:final",
                [e for e, f in zip(page, final, strict=True) if f],
                lambda e: finalise(kind, build(e), e.call, e.part),
            )
        )
        return [next(later) if f else next(first) for f in final]

    def warm(self, kinds: Sequence[str] | None = None) -> dict[str, float]:
        """Render and cache every record the given list endpoints can serve now.

        Covers the readable history as of the emulator's now, user by user; stops early,
        keeping what it rendered, once the cache budget (`render_cache_mb`) is full.

        Args:
            kinds: List endpoint names (LIST_KINDS); None means all of them.

        Returns:
            {"records": how many records those endpoints serve are now cached (a leg of a
            call between two users counts in both histories), "seconds": time taken}.

        Raises:
            ValueError: for an unknown endpoint name.
        """
        started = time.perf_counter()
        shapes = {kind: self._shape(kind) for kind in (LIST_KINDS if kinds is None else kinds)}
        now = self.clock.now()
        scope = Scope(
            start=int(readable_start(now).timestamp()),
            end=int(now.timestamp()),
            by_end=False,
            snapshot_ms=int(now.timestamp() * 1000),
            delay=self.config.ingest_delay,
        )
        records = 0
        for kind, entries in self._everything(tuple(shapes), scope):
            name, build = shapes[kind]
            cached, full = self.cache.fill(name, entries, build)
            records += cached
            if full:
                break
        return {"records": records, "seconds": time.perf_counter() - started}

    def _everything(
        self, kinds: tuple[str, ...], scope: Scope
    ) -> Iterator[tuple[str, list[Entry]]]:
        """Every entry the endpoints can serve in a scope, user by user, then account-wide.

        User by user, the facts of a user's calls are drawn once for all the endpoints.
        """
        queries = self.account.queries
        for user in range(len(self.account.directory.users)):
            for kind in kinds:
                if kind in ("user_call_logs", "account_call_logs"):
                    yield kind, queries.user_logs(user, scope, keep=False)
                elif kind == "user_call_history":
                    yield kind, queries.user_elements(user, scope, keep=False)
                elif kind != "call_history":
                    feed = "L" if kind == "user_call_logs_sync" else "H"
                    yield (
                        kind,
                        queries.feed(
                            user,
                            feed,
                            scope.start,
                            scope.snapshot_ms,
                            scope.delay,
                            follows=self.config.isync_follows,
                        ),
                    )
        if "call_history" in kinds:
            yield "call_history", queries.account_history(scope, keep=False)

    # -- endpoints -----------------------------------------------------------------------

    def users(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        self.pager.page_size("users", query)
        cursor = self.pager.cursor("users", NO_USER, query)
        users, envelope = self.pager.slice(
            "users", NO_USER, query, self.account.directory.users, cursor=cursor
        )
        page = [u.record() for u in users]
        body = envelope_of(envelope, "next_page_token", "page_size", "total_records")
        body["users"] = page
        return body, len(page)

    def user_call_logs(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_logs.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, envelope = self.pager.page(
            "user_call_logs",
            user.index,
            query,
            LOG_TIME_TYPES,
            lambda scope: self.account.queries.user_logs(user.index, scope),
        )
        return page_body("call_logs", self._render("user_call_logs", page), envelope), len(page)

    def user_call_logs_sync(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_logs/sync.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, token = self.feeds.serve(user.index, "L", query)
        records = self._render("user_call_logs_sync", page)
        return page_body("call_logs", records, {"sync_token": token}), len(page)

    def account_call_logs(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/call_logs.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        page, envelope = self.pager.page(
            "account_call_logs", NO_USER, query, LOG_TIME_TYPES, self.account.queries.account_logs
        )
        records = self._render("account_call_logs", page)
        return page_body("call_logs", records, envelope), len(page)

    def call_history(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/call_history.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        page, envelope = self.pager.page(
            "call_history",
            NO_USER,
            query,
            HISTORY_TIME_TYPES,
            self.account.queries.account_history,
            token_on_last_page=self.config.last_page_token,
        )
        array = self.config.call_history_array
        return page_body(array, self._render("call_history", page), envelope), len(page)

    def user_call_history(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_history.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, envelope = self.pager.page(
            "user_call_history",
            user.index,
            query,
            HISTORY_TIME_TYPES,
            lambda scope: self.account.queries.user_elements(user.index, scope),
        )
        array = self.config.user_call_history_array
        records = self._render("user_call_history", page)
        return page_body(array, records, envelope), len(page)

    def user_call_history_sync(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/call_history/sync.

        Args:
            arg: The userId.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        user = self._readable_user(arg)
        page, token = self.feeds.serve(user.index, "H", query)
        array = self.config.user_call_history_array
        records = self._render("user_call_history_sync", page)
        return page_body(array, records, {"sync_token": token}), len(page)

    def call_history_detail(self, arg: str, _query: dict[str, str]) -> Payload:
        """GET /phone/call_history/{callHistoryUuid}.

        Args:
            arg: The call-history UUID.
            _query: Unused.

        Returns:
            Body and record count (the call's elements).

        Raises:
            ApiError: 404 code 3001 for an unknown, not yet visible or unreadable call.
        """
        call = self.account.find_call(arg)
        now = self.clock.now()
        if (
            call is None
            or call.visible_at(self.config.ingest_delay) > now.timestamp()
            or call.start < readable_start(now).timestamp()
        ):
            raise ApiError(404, 3001, "Call history does not exist.")
        body = call_path(
            call,
            self.account.facts.facts(call),
            uuid=self.account.uuid(call),
            arrays=self.config.call_path_array,
            extras=self.config.unknown_fields,
        )
        return body, call.legs
