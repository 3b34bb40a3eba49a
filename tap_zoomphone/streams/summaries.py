"""AI call summaries of the calls in users' call history (reading/summaries.py says how)."""

from __future__ import annotations

from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.reading.summaries import SummaryFollower
from tap_zoomphone.streams.call_history import UserCallHistoryStream
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import MEDIUM


class AiCallSummariesStream(SummaryFollower):
    """The AI call summary of each call whose `user_call_history` rows carry one.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/ai-call-summary/GET/phone/user/{userId}/ai_call_summary/{aiCallSummaryId}
    Scopes: phone:read:admin (granular phone:read:ai_call_summary:admin, which Zoom confirms
    works for Server-to-Server apps). One request per summary and run while it is new or
    within seven days of its creation. Ids come from the sync endpoint's rows: a user
    backfilled by month windows (`backfill_method: list`) shows none for that backfill.
    """

    name = "ai_call_summaries"
    primary_keys = ("ai_call_summary_id",)
    endpoint = Endpoint("/phone/user/{user_id}/ai_call_summary/{summary_id}", MEDIUM, ())
    parent_stream_type = UserCallHistoryStream
    bookmark = "pending and recent summary ids, from its parent's rows"
    schema = api_schema("/phone/user/{userId}/ai_call_summary/{aiCallSummaryId}")
    selected_by_default = False
