"""Reading a Zoom list endpoint, or one date window of it, completely, page by page.

A list is walked by following `next_page_token` until Zoom returns an empty token (or, for
endpoints that keep returning a token, until `page_count`/`total_records` say it is done). The
`from`/`to` Zoom echoes are checked against what was asked, and any span it did not serve is
asked for again rather than skipped. A page token that expires, or that Zoom repeats before
its envelope says the list is complete, restarts the read from the list's start; records already
emitted from it are not emitted twice. A read that still cannot finish fails loudly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from tap_zoomphone.reading.windows import Window, strict_floor, unserved_spans
from tap_zoomphone.zoom.errors import ListIncomplete, PageTokenExpired, ZoomAPIError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tap_zoomphone.zoom.api import ZoomAPI

logger = logging.getLogger("tap-zoomphone.listing")

# Reads of one list or window from its start before it fails (a token lives 15 minutes).
MAX_READS = 6
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


class PageTokenRepeated(Exception):  # a signal within this module, not an error
    """Zoom gave a `next_page_token` it had given before, while its envelope says more remain."""


class PageTokens:
    """Follows `next_page_token`: ends on an empty token and refuses to go round in circles."""

    def __init__(self, *, stop_on_counts: bool) -> None:
        """Start before the first page."""
        self.current: str | None = None
        self.finished = False
        self.pages = 0
        self.records = 0
        # Set when Zoom repeated a token before the list was complete: what was read by then.
        self.repeated_early: str | None = None
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
            self.finished = True
            if not self._counts_say_done(body):
                self.repeated_early = self._position(body)
        else:
            self._seen.add(token)
            self.current = token

    def _counts_say_done(self, body: dict[str, Any]) -> bool:
        page_count = body.get("page_count")
        total = body.get("total_records")
        if isinstance(page_count, int) and self.pages >= page_count:
            return True
        return isinstance(total, int) and self.records >= total

    def _position(self, body: dict[str, Any]) -> str:
        total = body.get("total_records")
        of = f"{total}" if isinstance(total, int) else "an unknown number of"
        return f"Zoom repeated a next_page_token after {self.records} of {of} records"


def list_pages(api: ZoomAPI, query: ListQuery) -> Iterator[list[Record]]:
    """Every record of an undated list, a page at a time, each record once."""
    yield from _read_to_the_end(api, query, None, [])


def window_pages(api: ZoomAPI, query: ListQuery, window: Window) -> Iterator[list[Record]]:
    """Every record of `window`, a page at a time, each record once."""
    yield from _window_pages(api, query, window, depth=0)


def _window_pages(
    api: ZoomAPI, query: ListQuery, window: Window, *, depth: int
) -> Iterator[list[Record]]:
    gaps: list[Window] = []
    yield from _read_to_the_end(api, query, window, gaps)
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


def _read_to_the_end(
    api: ZoomAPI, query: ListQuery, window: Window | None, gaps: list[Window]
) -> Iterator[list[Record]]:
    """Every record of a list (or of one window), each once; its unserved spans into `gaps`.

    A page token that expires, or repeats early, sends the read back to the start: the rows
    are upserts, and the ones already yielded are not yielded again.
    """
    seen: set[object] = set()
    problem = ""
    for read in range(1, MAX_READS + 1):
        try:
            for body, records in _walk(api, query, window):
                if window is not None:
                    gaps.extend(gap for gap in unserved_spans(window, body) if gap not in gaps)
                yield _unseen(records, seen, query.record_id)
        except PageTokenExpired as exc:
            problem = f"Zoom's next_page_token expired ({exc})"
        except PageTokenRepeated as exc:
            problem = str(exc)
        except ZoomAPIError as exc:
            readable = _readable_part(api, query, window, exc)
            if readable is None:
                raise
            window, problem = readable, str(exc)
            continue
        else:
            return
        if read < MAX_READS:
            logger.warning(
                "%s: %s%s: %s; reading it again from its start "
                "(records already emitted are not repeated)",
                query.stream,
                _named(window),
                query.subject,
                problem,
            )
    raise ListIncomplete(
        stream=query.stream,
        what=f"GET {query.path.format(**query.path_args)}{_in(window)}",
        reads=MAX_READS,
        problem=problem,
        bookmarked=window is not None,
    )


def _named(window: Window | None) -> str:
    return "the whole list" if window is None else f"window {window}"


def _in(window: Window | None) -> str:
    return "" if window is None else f" for {window}"


def _readable_part(
    api: ZoomAPI, query: ListQuery, window: Window | None, exc: ZoomAPIError
) -> Window | None:
    """The part of `window` Zoom serves, when it refused it for reaching past six months."""
    if window is None or type(exc) is not ZoomAPIError:
        return None
    # A server that counts six months to the second refuses the day's first hours.
    floor = strict_floor(api.now())
    if window.start >= floor or window.end < floor:
        return None
    logger.info(
        "%s: Zoom refused %s%s (%s); reading from %s instead",
        query.stream,
        window,
        query.subject,
        exc.zoom_message,
        floor,
    )
    return Window(floor, window.end)


def _unseen(
    records: list[Record], seen: set[object], record_id: Callable[[Record], object]
) -> list[Record]:
    """The records not yielded before from this read; remembers them."""
    keys = list(map(record_id, records))
    if seen.isdisjoint(keys) and len(set(keys)) == len(keys):  # the usual page: all new
        seen.update(keys)
        return records
    fresh = []
    for key, record in zip(keys, records, strict=True):
        if key is None or key not in seen:  # a record without an id cannot be told apart: keep
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
        if tokens.repeated_early is not None:
            raise PageTokenRepeated(tokens.repeated_early)
