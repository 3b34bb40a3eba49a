"""Zoom's successors of the call-log endpoints: call history, per user and account-wide.

Zoom renames arrays while these endpoints roll out (`call_logs` to `call_history` or
`call_elements`, `call_path` to `call_elements`), and with them the record ids (`id` to
`call_history_uuid` or `call_element_id`). Both generations are read; the primary key is always
filled under its new name.
"""

from __future__ import annotations

from tap_zoomphone.reading.account import AccountWindowStream, WindowChild
from tap_zoomphone.reading.endpoints import HISTORY_TIME_TYPE, Endpoint
from tap_zoomphone.reading.per_user import PerUserStream
from tap_zoomphone.reading.settling import ACCOUNT_CALL_HISTORY
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import LIGHT, MEDIUM

# A user's history: each element (leg) of each call, under either generation's names.
ELEMENTS = ("call_elements", "call_logs")
ELEMENT_IDS = ("call_element_id", "id")
ELEMENT_RENAMES = {"call_element_id": "id", "call_history_uuid": "call_path_id"}


class CallHistoryStream(AccountWindowStream):
    """Every call of the account as one v2 call-history record (admin).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/call_history
    Scopes: phone:read:admin or phone:read:list_call_logs:admin.
    Zoom returns a next_page_token on the last page too: page_count/total_records end a window.
    """

    name = "call_history"
    primary_keys = ("call_history_uuid",)
    endpoint = ACCOUNT_CALL_HISTORY
    selected_by_default = False
    settles = True
    bookmark = "date, with settle reads"


class CallElementsStream(WindowChild):
    """Each call's path: the elements (legs) of every call in call_history; one request per call.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/call_history/{callHistoryUuid}
    Scopes: phone:read:admin or phone:read:call_log:admin. Off unless selected.
    """

    name = "call_elements"
    primary_keys = ("call_element_id",)
    parent_stream_type = CallHistoryStream
    endpoint = Endpoint(
        "/phone/call_history/{call_history_uuid}",
        LIGHT,
        ("call_elements", "call_path"),
        ids=ELEMENT_IDS,
        renames={"call_element_id": "id"},
    )
    parent_key = "call_history_uuid"
    selected_by_default = False


class UserCallHistoryStream(PerUserStream):
    """Each phone user's call history (selected by default): backfilled, then its sync endpoint.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-logs/GET/phone/users/{userId}/call_history
    and .../call_history/sync. Scopes: those of Zoom's description, in the README's stream
    table (generated from it).
    """

    name = "user_call_history"
    # A leg between two users of the account is in both users' histories.
    primary_keys = ("call_element_id", "user_id")
    listing = Endpoint(
        "/phone/users/{user_id}/call_history",
        MEDIUM,
        ELEMENTS,
        ids=ELEMENT_IDS,
        page_cap=300,
        params=(HISTORY_TIME_TYPE,),
        renames=ELEMENT_RENAMES,
    )
    syncing = Endpoint(
        "/phone/users/{user_id}/call_history/sync",
        MEDIUM,
        ELEMENTS,
        ids=ELEMENT_IDS,
        page_cap=250,
        sized_by="count",
        renames=ELEMENT_RENAMES,
    )
    time_field = "start_time"
    end_field = "end_time"


class CallQosStream(WindowChild):
    """Each call's quality of service (MOS, jitter, loss per minute, both sides); one per call.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/dashboard/GET/phone/metrics/call_logs/{callId}/qos
    Scopes: phone:read:admin (granular phone:read:call_qos:admin). Rate label: Light, one
    request per call read by `call_history`: 10,000 calls cost 10,000 Light requests (about
    five minutes at the paced Business rate). Off unless selected.
    """

    name = "call_qos"
    primary_keys = ("call_id",)
    parent_stream_type = CallHistoryStream
    endpoint = Endpoint("/phone/metrics/call_logs/{call_id}/qos", LIGHT, (), ids=("call_id",))
    parent_key = "call_id"
    single = True
    schema = api_schema("/phone/metrics/call_logs/{callId}/qos")
    selected_by_default = False
