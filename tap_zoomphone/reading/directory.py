"""The phone users a run reads: the configured ones, or everyone Zoom lists, fetched once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import orjson

from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.reading.listing import list_pages
from tap_zoomphone.zoom.errors import ListIncomplete
from tap_zoomphone.zoom.pacing import MEDIUM

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tap_zoomphone.settings import Settings
    from tap_zoomphone.zoom.api import ZoomAPI

logger = logging.getLogger("tap-zoomphone.directory")

# The account's phone users: the phone_users stream, and the users of every per-user stream.
PHONE_USERS = Endpoint("/phone/users", MEDIUM, ("users",), page_cap=100)


class UserDirectory:
    """Lists the account's phone users at most once per run.

    Streams run in name order, so `call_logs` may need the users before `phone_users` emits
    them: the pages are kept as compact JSON (about 1 KB a user) and served again from memory.
    """

    def __init__(self, api: ZoomAPI, settings: Settings) -> None:
        """The `user_ids` setting when given; otherwise Zoom lists them when first needed."""
        self._api = api
        self._settings = settings
        self._configured = settings.user_ids
        self._listed: list[str] | None = None
        self._pages: list[bytes] = []
        # A listing that would not complete fails every stream that needs it, asked once.
        self._failure: ListIncomplete | None = None

    @property
    def configured(self) -> bool:
        """True when the user list comes from the `user_ids` setting."""
        return self._configured is not None

    def user_ids(self) -> list[str]:
        """The users to read, in a stable order."""
        if self._configured is not None:
            return list(self._configured)
        if self._listed is None:
            for _ in self.pages(stream="phone_users"):
                pass
        return list(self._listed or [])

    def pages(self, *, stream: str) -> Iterator[list[dict[str, Any]]]:
        """Every phone user record, a page at a time; asked of Zoom only the first time."""
        if self._listed is not None:
            for page in self._pages:
                yield orjson.loads(page)
            return
        if self._failure is not None:
            raise self._failure
        ids: list[str] = []
        pages: list[bytes] = []
        query = PHONE_USERS.query(self._settings, stream=stream)
        try:
            for users in list_pages(self._api, query):
                ids.extend(str(user["id"]) for user in users if user.get("id"))
                pages.append(orjson.dumps(users))
                yield users
        except ListIncomplete as exc:
            self._failure = exc
            raise
        self._pages = pages
        self._listed = list(dict.fromkeys(ids))
        logger.info("Zoom lists %d phone users", len(self._listed))
