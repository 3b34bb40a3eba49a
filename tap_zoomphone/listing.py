"""Reading one date window of a Zoom list endpoint completely, page by page.

A window is walked by following `next_page_token` until Zoom returns an empty token (or, for
endpoints that keep returning a token, until `page_count`/`total_records` say it is done). The
`from`/`to` Zoom echoes are checked against what was asked, and any span it did not serve is
asked for again rather than skipped. A page token that expired restarts the window; records
already emitted from it are not emitted twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tap_zoomphone.errors import PageTokenExpired, ZoomAPIError
from tap_zoomphone.windows import Window, strict_floor, unserved_spans

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tap_zoomphone.api import ZoomAPI

logger = logging.getLogger("tap-zoomphone.listing")

MAX_WINDOW_RESTARTS = 5
MAX_UNSERVED_DEPTH = 3

Record = dict[str, Any]


@dataclass(frozen=True)
class ListQuery:
    """What to ask a list endpoint, apart from the window and the page token."""

    stream: str
    path: str
    label: str
    records_keys: tuple[str, ...]
    record_id: Callable[[Record], object]
    params: dict[str, Any] = field(default_factory=dict)
    path_args: dict[str, str] = field(default_factory=dict)
    # Some endpoints return a token on their last page: trust page_count/total_records there.
    stop_on_counts: bool = False
    subject: str = ""

    def for_user(self, user: str) -> ListQuery:
        """The same query for one user's endpoint."""
        return replace(self, path_args={"user_id": user}, subject=f" for user {user}")


def records_of(body: dict[str, Any], keys: tuple[str, ...]) -> list[Record]:
    """The record array of a response, under whichever of its names Zoom used."""
    for key in keys:
        value = body.get(key)
        if isinstance(value, list):
            return value
    return []


class PageTokens:
    """Follows `next_page_token`: ends on an empty token and refuses to go round in circles."""

    def __init__(self, *, stop_on_counts: bool) -> None:
        """Start before the first page."""
        self.current: str | None = None
        self.finished = False
        self.pages = 0
        self.records = 0
        self._seen: set[str] = set()
        self._stop_on_counts = stop_on_counts

    def advance(self, body: dict[str, Any], records: int) -> None:
        """Move to the page after `body`, or finish."""
        self.pages += 1
        self.records += records
        token = body.get("next_page_token")
        if (
            not token
            or not isinstance(token, str)
            or (self._stop_on_counts and self._counts_say_done(body))
        ):
            self.finished = True
        elif token in self._seen:
            logger.warning("Zoom repeated a next_page_token; stopping to avoid a loop")
            self.finished = True
        else:
            self._seen.add(token)
            self.current = token

    def _counts_say_done(self, body: dict[str, Any]) -> bool:
        page_count = body.get("page_count")
        total = body.get("total_records")
        if isinstance(page_count, int) and self.pages >= page_count:
            return True
        return isinstance(total, int) and self.records >= total


def list_pages(api: ZoomAPI, query: ListQuery) -> Iterator[list[Record]]:
    """Every record of an undated list, a page at a time, following `next_page_token`."""
    for _, records in _walk(api, query, None):
        yield records


def window_pages(api: ZoomAPI, query: ListQuery, window: Window) -> Iterator[list[Record]]:
    """Every record of `window`, a page at a time, each record once."""
    yield from _window_pages(api, query, window, depth=0)


def _window_pages(
    api: ZoomAPI, query: ListQuery, window: Window, *, depth: int
) -> Iterator[list[Record]]:
    seen: set[object] = set()
    gaps: list[Window] = []
    for restart in range(MAX_WINDOW_RESTARTS + 1):
        try:
            for body, records in _walk(api, query, window):
                gaps.extend(gap for gap in unserved_spans(window, body) if gap not in gaps)
                yield _unseen(records, seen, query.record_id)
            break
        except PageTokenExpired:
            if restart == MAX_WINDOW_RESTARTS:
                raise
            logger.warning(
                "%s: a page token expired in window %s%s; reading the window again "
                "(records already emitted are not repeated)",
                query.stream,
                window,
                query.subject,
            )
        except ZoomAPIError as exc:
            # A server that counts six months to the second refuses the day's first hours.
            floor = strict_floor(api.now())
            if type(exc) is not ZoomAPIError or window.start >= floor or window.end < floor:
                raise
            logger.info(
                "%s: Zoom refused %s%s (%s); reading from %s instead",
                query.stream,
                window,
                query.subject,
                exc.zoom_message,
                floor,
            )
            window = Window(floor, window.end)
    floor = strict_floor(api.now())
    for gap in gaps:
        if gap.end < floor:
            continue  # older than six months by any reading: Zoom keeps nothing there to serve
        if depth < MAX_UNSERVED_DEPTH:
            logger.info(
                "%s: Zoom served less than asked; reading %s%s separately",
                query.stream,
                gap,
                query.subject,
            )
            yield from _window_pages(api, query, gap, depth=depth + 1)
        else:
            logger.warning(
                "%s: Zoom did not serve %s%s although it was asked for it repeatedly; "
                "records in that span (if any) could not be read",
                query.stream,
                gap,
                query.subject,
            )


def _unseen(
    records: list[Record], seen: set[object], record_id: Callable[[Record], object]
) -> list[Record]:
    """The records not yielded before from this window; remembers them."""
    keys = list(map(record_id, records))
    if seen.isdisjoint(keys) and len(set(keys)) == len(keys):  # the usual page: all new
        seen.update(keys)
        return records
    fresh = []
    for key, record in zip(keys, records, strict=True):
        if key not in seen:
            seen.add(key)
            fresh.append(record)
    return fresh


def _walk(
    api: ZoomAPI, query: ListQuery, window: Window | None
) -> Iterator[tuple[dict[str, Any], list[Record]]]:
    tokens = PageTokens(stop_on_counts=query.stop_on_counts)
    dates = window.params if window is not None else {}
    while not tokens.finished:
        params = {**query.params, **dates, "next_page_token": tokens.current}
        reply = api.get(
            query.path,
            params=params,
            label=query.label,
            stream=query.stream,
            path_args=query.path_args,
        )
        records = records_of(reply.body, query.records_keys)
        tokens.advance(reply.body, len(records))
        yield reply.body, records
