"""Call queue analytics, one row per call queue and UTC day."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_zoomphone.reading.account import AccountWindowStream
from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.reading.windows import day_windows
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import MEDIUM

if t.TYPE_CHECKING:
    import datetime

    from tap_zoomphone.reading.listing import Record
    from tap_zoomphone.reading.windows import Window

# Zoom keeps call queue analytics two years back.
ANALYTICS_MONTHS = 24


class CallQueueAnalyticsStream(AccountWindowStream):
    """Each call queue's figures (inbound, completed, abandoned calls, waits, handle time) per day.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-queues/GET/phone/call_queue_analytics
    Scopes: phone:read:admin (granular phone:read:list_call_queues:admin).
    Zoom aggregates over whatever `from`..`to` it is asked: the tap asks one UTC
    day at a time, so a row is one queue's day (`date`), keyed by (`call_queue_id`, `date`). A
    day is final once it has ended; today's row is read again, whole, by the next run.
    """

    name = "call_queue_analytics"
    primary_keys = ("call_queue_id", "date")
    endpoint = Endpoint(
        "/phone/call_queue_analytics",
        MEDIUM,
        ("call_queues",),
        ids=("call_queue_id",),
        page_cap=300,
    )
    reach_months = ANALYTICS_MONTHS
    window_kind = "day"
    bookmark = "date (whole UTC days), with lookback"
    schema = api_schema("/phone/call_queue_analytics", "call_queues", added=("date",))
    selected_by_default = False

    @override
    def windows(self, start: datetime.datetime, end: datetime.datetime) -> list[Window]:
        return day_windows(start, end)

    @override
    def stamp(self, records: list[Record], window: Window) -> list[Record]:
        day = window.start.strftime("%Y-%m-%d")
        for record in records:
            record["date"] = day
        return records
