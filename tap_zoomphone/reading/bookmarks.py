"""Per-user bookmarks kept as one small map in the stream's STATE, and emitted on a timer.

STATE shape for a per-user stream (documented in the README):

    {"bookmarks": {"call_logs": {"users": {
        "<user id>": {"sync_token": "<Zoom's token>", "synced_to": "2026-11-23T08:00:00Z"},
        "<user id>": {"sync_token": "...", "synced_to": "...", "backfilling": true}}}}}

`synced_to`: every call up to this moment has been emitted. `sync_token`: where the next ISync
starts. `backfilling`: the token was taken before the backfill finished; the backfill resumes
from `synced_to` and only then is the token used. `walked`: the backfill walked the sync
endpoint (read again by windows if a later check finds the walk incomplete); `walk_token` and
`walk_until` only while a walk is under way (see `tap_zoomphone.reading.sync_walk`). Beside `users`,
`walk_refuted` says why the sync walk is no longer trusted for backfills.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

Bookmark = dict[str, Any]


class UserBookmarks:
    """The map of user id to bookmark inside a stream's state."""

    def __init__(self, stream_state: dict[str, Any]) -> None:
        """Work directly on the stream's state, so every STATE message carries the map."""
        users = stream_state.get("users")
        if not isinstance(users, dict):
            users = {}
            stream_state["users"] = users
        self._users: dict[str, Bookmark] = users

    def get(self, user: str) -> Bookmark:
        """A copy of the user's bookmark ({} when the user is new)."""
        bookmark = self._users.get(user)
        return dict(bookmark) if isinstance(bookmark, dict) else {}

    def update(self, user: str, changes: Bookmark) -> None:
        """Apply changes to a user's bookmark; a None value removes that key."""
        bookmark = self._users.setdefault(user, {})
        for key, value in changes.items():
            if value is None:
                bookmark.pop(key, None)
            else:
                bookmark[key] = value

    def users(self) -> list[str]:
        """The users with a bookmark, in the order STATE holds them."""
        return list(self._users)

    def extensions(self) -> dict[str, str]:
        """User by extension id, as the last directory listing recorded them (`ext`)."""
        found = ((b.get("ext"), user) for user, b in self._users.items() if isinstance(b, dict))
        return {str(ext): user for ext, user in found if ext}

    def walked(self) -> list[str]:
        """Users whose backfill was a sync walk."""
        return [user for user, bookmark in self._users.items() if bookmark.get("walked")]

    def drop(self, user: str) -> None:
        """Forget a user."""
        self._users.pop(user, None)

    def keep_only(self, users: Iterable[str], log: Callable[[str, str], None]) -> None:
        """Forget users who are no longer in the account, saying so."""
        current = set(users)
        for user in [u for u in self._users if u not in current]:
            log("user %s is no longer a phone user of the account; dropping its bookmark", user)
            del self._users[user]


class StateTimer:
    """Emits STATE at most every `interval` seconds, so its cost stays a small share of the run."""

    def __init__(self, emit: Callable[[], None], interval: float) -> None:
        """`emit` writes the whole tap state (deduplicated by the SDK's state writer)."""
        self._emit = emit
        self._interval = interval
        self._last = time.monotonic()

    def tick(self) -> None:
        """Emit if the interval has passed."""
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._emit()

    def now(self) -> None:
        """Emit right away."""
        self._last = time.monotonic()
        self._emit()
