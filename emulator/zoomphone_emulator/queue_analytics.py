"""Call queue analytics: `GET /phone/call_queue_analytics`, aggregates over `from`..`to`.

One row per call queue, whatever the range (a tap picks the grain by the range it asks). The
figures are those of the calls that passed through the queue and started in the range: the
first call queue is the routing stop of inbound calls (see `catalog.py`), the others take no
calls and show zeros. `from`/`to` are required, at most a year apart and at most two years back
(400 code 300 otherwise); paged by `next_page_token` (`page_size` up to 300).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomphone_emulator.errors import validation_failed
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.tokens import NO_USER
from zoomphone_emulator.windows import Window, minus_months, parse_bound, readable_start

if TYPE_CHECKING:
    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.catalog import Extension
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.paging import Pager
    from zoomphone_emulator.queries import Entry

REACH_MONTHS = 24
QUEUE_HOP = "call_queue"


def queue_calls(account: PhoneAccount, scope: Scope) -> list[Entry]:
    """Return the calls of a scope that passed through the first call queue.

    Args:
        account: The calls and their facts.
        scope: The window (on the call's start) and snapshot.

    Returns:
        The calls' entries.
    """
    facts = account.facts.facts
    return [
        entry
        for entry in account.queries.account_history(scope, keep=False)
        if any(hop.ext_type == QUEUE_HOP for hop in facts(entry.call).hops)
    ]


def analytics_record(queue: Extension, calls: list[Entry]) -> dict[str, Any]:
    """Return a queue's figures over some calls.

    Args:
        queue: The call queue.
        calls: The calls that passed through it in the range.

    Returns:
        The record.
    """
    completed = [e.call for e in calls if e.call.outcome == "answered"]
    waits = [e.call.wait for e in calls]
    return {
        "abandoned_calls": sum(1 for e in calls if e.call.outcome in ("missed", "cancelled")),
        "avg_handle_time": sum(c.talk for c in completed) // len(completed) if completed else 0,
        "avg_in_queue_wait_time": sum(waits) // len(waits) if waits else 0,
        "avg_wrap_up_time": 0,
        "call_queue_ext_id": queue.extension_id,
        "call_queue_id": queue.id,
        "call_queue_name": queue.name,
        "completed_calls": len(completed),
        "inbound_calls": len(calls),
        "max_in_queue_wait_time": max(waits, default=0),
        "outbound_calls": 0,
        "outbound_connected_calls": 0,
        "outbound_unconnected_calls": 0,
        "overflowed_calls": sum(1 for e in calls if e.call.outcome == "voicemail"),
        "site_id": queue.site.id,
        "site_name": queue.site.name,
    }


class QueueAnalytics:
    """The handler of `/phone/call_queue_analytics`.

    Args:
        config: The live settings (ingest delay).
        clock: The emulator clock.
        pager: Page tokens.
        account: Queues, calls and facts.
    """

    def __init__(
        self, config: EmulatorConfig, clock: EmulatorClock, pager: Pager, account: PhoneAccount
    ) -> None:
        """Keep the collaborators."""
        self._config = config
        self._clock = clock
        self._pager = pager
        self._account = account

    def window(self, query: dict[str, str]) -> Window:
        """Check `from`/`to`: both required, a year at most, two years back at most.

        Args:
            query: Query parameters.

        Returns:
            The range asked.

        Raises:
            ApiError: 400 code 300 otherwise.
        """
        raw_from, raw_to = query.get("from", ""), query.get("to", "")
        if not raw_from or not raw_to:
            missing = "from" if not raw_from else "to"
            raise validation_failed(missing)
        start, dates = parse_bound(raw_from, "from", end=False)
        end, _ = parse_bound(raw_to, "to", end=True)
        now = self._clock.now()
        bad = "to" if start > end or minus_months(end, 12) > start else ""
        bad = bad or ("from" if start < readable_start(now, REACH_MONTHS) else "")
        if bad:
            raise validation_failed(bad)
        return Window(int(start.timestamp()), int(end.timestamp()), dates)

    def call_queue_analytics(self, _arg: str, query: dict[str, str]) -> tuple[dict[str, Any], int]:
        """GET /phone/call_queue_analytics.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        self._pager.page_size("call_queue_analytics", query)
        cursor = self._pager.cursor("call_queue_analytics", NO_USER, query)
        if cursor is not None:
            window = Window(cursor.start, cursor.end, cursor.dates)
            snapshot_ms = cursor.snapshot_ms
        else:
            window, snapshot_ms = self.window(query), int(self._clock.timestamp() * 1000)
        queues = list(self._account.catalog.call_queues)
        site = query.get("site_id", "")
        queues = [q for q in queues if not site or q.site.id == site]
        page, envelope = self._pager.slice(
            "call_queue_analytics",
            NO_USER,
            query,
            queues,
            cursor=cursor,
            window=window,
            snapshot_ms=snapshot_ms,
        )
        scope = Scope(
            window.start,
            window.end,
            by_end=False,
            snapshot_ms=snapshot_ms,
            delay=self._config.ingest_delay,
        )
        calls = queue_calls(self._account, scope) if page else []
        first = self._account.catalog.call_queues[0] if self._account.catalog.call_queues else None
        body = envelope_of(envelope, "from", "to", "page_size", "next_page_token")
        body["call_queues"] = [analytics_record(q, calls if q is first else []) for q in page]
        return body, len(page)
