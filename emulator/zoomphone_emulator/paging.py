"""Paging of Zoom's list endpoints: page sizes, windows and filters, signed page tokens.

Also what every endpoint handler takes and returns (`Handler`, `Payload`), so that endpoint
modules need nothing from the module that names them all (handlers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from zoomphone_emulator.errors import invalid_page_token, reject_parameter
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.tokens import PageCursor, PageTokens, query_hash
from zoomphone_emulator.windows import READABLE_MONTHS, Window, resolve_window

if TYPE_CHECKING:
    from collections.abc import Sequence

    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.queries import Entry
    from zoomphone_emulator.tokens import Signer

T = TypeVar("T")

# A handler's answer: the body (a dict, or JSON bytes assembled from cached records) and the
# number of records in it. Rule violations are raised as ApiError instead.
Payload = tuple[dict[str, Any] | bytes, int]
# A handler takes the path argument (decoded; "" when the path has none) and the query.
Handler = Callable[[str, dict[str, str]], Payload]

DEFAULT_PAGE_SIZE = 30
LIST_CAP = 300
# The largest `page_size` each paged endpoint serves (larger asks are capped silently).
PAGE_CAPS = {
    "users": 100,
    "user_call_logs": LIST_CAP,
    "account_call_logs": LIST_CAP,
    "call_history": LIST_CAP,
    "user_call_history": LIST_CAP,
    "recordings": LIST_CAP,
    "voice_mails": LIST_CAP,
    "sms_sessions": 100,
    "sms_session_detail": 100,
    "sites": LIST_CAP,
    "call_queues": 100,
    "auto_receptionists": 100,
    "common_areas": 100,
    "shared_line_groups": LIST_CAP,
    "devices": LIST_CAP,
    "numbers": 100,
    "emergency_addresses": LIST_CAP,
    "call_charges": LIST_CAP,
    "sms_charges": LIST_CAP,
    "call_queue_analytics": LIST_CAP,
}
# Numbers that page tokens carry so a token only works where it was issued.
PAGED = {name: number for number, name in enumerate(PAGE_CAPS, start=1)}
NO_WINDOW = Window(0, 0, dates=False)


def positive_int(query: dict[str, str], name: str, default: int, cap: int) -> int:
    """Read a positive integer parameter, capped silently like Zoom does.

    Args:
        query: Query parameters.
        name: The parameter.
        default: Value when absent.
        cap: Largest value served.

    Returns:
        The value.
    """
    raw = query.get(name, "")
    if raw == "":
        return default
    value = int(raw) if raw.isdigit() else 0
    if value < 1:
        reject_parameter(name)
    return min(value, cap)


class Pager:
    """Serves pages of Zoom's list endpoints.

    A page token pins the query, the served window, the offset and a snapshot instant, so
    records that appear during a crawl do not shift its pages.

    Args:
        config: The live settings.
        clock: The emulator clock.
        signer: Key for the page tokens.
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock, signer: Signer) -> None:
        """Keep the collaborators."""
        self._config = config
        self._clock = clock
        self._tokens = PageTokens(signer)

    def _now_ms(self) -> int:
        return int(self._clock.timestamp() * 1000)

    def cursor(self, endpoint: str, user: int, query: dict[str, str]) -> PageCursor | None:
        """Verify the request's page token.

        Args:
            endpoint: Endpoint name.
            user: User index the request is about (NO_USER account-wide).
            query: Query parameters.

        Returns:
            The cursor, or None when the request has no token.

        Raises:
            ApiError: 400 for a forged, expired or misused token.
        """
        token = query.get("next_page_token", "")
        if not token:
            return None
        cursor = self._tokens.decode(token)
        if (
            cursor is None
            or cursor.endpoint != PAGED[endpoint]
            or cursor.user != user
            or cursor.query != query_hash(query)
            or self._now_ms() - cursor.issued_ms > self._config.page_token_ttl * 1000
        ):
            raise invalid_page_token(self._config.page_token_error_code)
        return cursor

    def token(  # noqa: PLR0913 - everything a token pins
        self,
        endpoint: str,
        user: int,
        query: dict[str, str],
        *,
        window: Window,
        offset: int,
        snapshot_ms: int,
    ) -> str:
        """Issue the token of the page starting at `offset`.

        Args:
            endpoint: Endpoint name.
            user: User index (NO_USER account-wide).
            query: Query parameters of the request that gets the token.
            window: The served window.
            offset: First record of the next page.
            snapshot_ms: Visibility snapshot of the crawl.

        Returns:
            The token.
        """
        cursor = PageCursor(
            PAGED[endpoint],
            user,
            window.start,
            window.end,
            window.dates,
            offset,
            snapshot_ms,
            self._now_ms(),
            query_hash(query),
        )
        return self._tokens.encode(cursor)

    def page_size(self, endpoint: str, query: dict[str, str]) -> int:
        """Read an endpoint's `page_size` (default 30, capped at its PAGE_CAPS entry).

        Args:
            endpoint: Endpoint name.
            query: Query parameters.

        Returns:
            The page size served.
        """
        return positive_int(query, "page_size", DEFAULT_PAGE_SIZE, PAGE_CAPS[endpoint])

    def window(
        self, query: dict[str, str], cursor: PageCursor | None, months: int = READABLE_MONTHS
    ) -> tuple[Window, int]:
        """Work out the window a dated list serves and its visibility snapshot.

        Args:
            query: Query parameters (`from`, `to`).
            cursor: The request's page cursor, if any (its window and snapshot win).
            months: How far back the endpoint reaches.

        Returns:
            The served window and the snapshot instant (epoch ms).
        """
        if cursor is not None:
            return Window(cursor.start, cursor.end, cursor.dates), cursor.snapshot_ms
        now = self._clock.now()
        window = resolve_window(
            query.get("from"), query.get("to"), now, old_from=self._config.old_from, months=months
        )
        return window, int(now.timestamp() * 1000)

    def scope(
        self, query: dict[str, str], cursor: PageCursor | None, time_types: tuple[str, str]
    ) -> tuple[Window, Scope]:
        """Work out the window and the filters of a call-log or call-history list request.

        Args:
            query: Query parameters.
            cursor: The request's page cursor, if any (its window and snapshot win).
            time_types: The endpoint's names for (start, end) time filtering.

        Returns:
            The served window and the query scope.
        """
        time_type = query.get("time_type") or time_types[0]
        if time_type not in time_types:
            reject_parameter("time_type")
        kind = query.get("type") or "all"
        if kind not in ("all", "missed"):
            reject_parameter("type")
        window, snapshot_ms = self.window(query, cursor)
        phone = (query.get("phone_number") or "").strip() or None
        if phone and not phone.startswith("+"):
            phone = f"+{phone}"  # an unencoded "+" arrives as a space
        scope = Scope(
            window.start,
            window.end,
            time_type == time_types[1],
            snapshot_ms,
            self._config.ingest_delay,
            kind == "missed",
            phone,
        )
        return window, scope

    def slice(  # noqa: PLR0913 - everything a page and its token depend on
        self,
        endpoint: str,
        user: int,
        query: dict[str, str],
        listed: Sequence[T],
        *,
        cursor: PageCursor | None,
        window: Window = NO_WINDOW,
        snapshot_ms: int = 0,
        token_on_last_page: bool = False,
    ) -> tuple[list[T], dict[str, Any]]:
        """Cut one page out of a whole listing and issue the token of the next one.

        Args:
            endpoint: Endpoint name.
            user: What the request is about beyond its query (a user or session index;
                NO_USER account-wide): a token only works there.
            query: Query parameters.
            listed: Everything the request lists, in order.
            cursor: The request's page cursor, if any.
            window: The served window (NO_WINDOW for lists without dates).
            snapshot_ms: Visibility snapshot of the crawl (0 for lists without dates).
            token_on_last_page: Zoom's call-history quirk: a token on the last page too.

        Returns:
            The page and the envelope: from, to (window echo), next_page_token, page_count,
            page_size, total_records; each endpoint keeps those its answers carry.
        """
        page_size = self.page_size(endpoint, query)
        offset = cursor.offset if cursor else 0
        page = list(listed[offset : offset + page_size])
        following = offset + page_size
        token = ""
        if following < len(listed) or (token_on_last_page and page):
            following = min(following, len(listed))
            token = self.token(
                endpoint, user, query, window=window, offset=following, snapshot_ms=snapshot_ms
            )
        echo_from, echo_to = window.echo()
        envelope = {
            "from": echo_from,
            "to": echo_to,
            "next_page_token": token,
            "page_count": -(-len(listed) // page_size),
            "page_size": page_size,
            "total_records": len(listed),
        }
        return page, envelope

    def page(  # noqa: PLR0913 - the knobs of Zoom's list endpoints
        self,
        endpoint: str,
        user: int,
        query: dict[str, str],
        time_types: tuple[str, str],
        entries: Callable[[Scope], list[Entry]],
        *,
        token_on_last_page: bool = False,
    ) -> tuple[list[Entry], dict[str, Any]]:
        """Serve one page of a windowed call-log or call-history list.

        Args:
            endpoint: Endpoint name.
            user: User index (NO_USER account-wide).
            query: Query parameters.
            time_types: The endpoint's names for (start, end) time filtering.
            entries: Lists the whole window for a scope.
            token_on_last_page: Zoom's call-history quirk: a token on the last page too.

        Returns:
            The page's entries and the response envelope (window echo, token, totals).
        """
        self.page_size(endpoint, query)  # a bad page size is refused before anything else
        cursor = self.cursor(endpoint, user, query)
        window, scope = self.scope(query, cursor, time_types)
        return self.slice(
            endpoint,
            user,
            query,
            entries(scope),
            cursor=cursor,
            window=window,
            snapshot_ms=scope.snapshot_ms,
            token_on_last_page=token_on_last_page,
        )


def envelope_of(envelope: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Keep the envelope fields an endpoint's answers carry, in the order given.

    Args:
        envelope: What `Pager.slice` returned.
        *keys: The fields to keep.

    Returns:
        The fields.
    """
    return {key: envelope[key] for key in keys}
