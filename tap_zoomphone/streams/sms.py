"""SMS sessions of the account by month windows, and, when selected, each session's messages."""

from __future__ import annotations

from tap_zoomphone.reading.account import AccountWindowStream, WindowChild
from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import MEDIUM


class SmsSessionsStream(AccountWindowStream):
    """SMS sessions of every type (users, call queues, auto receptionists, service endpoints).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/sms/GET/phone/sms/sessions
    Scopes: phone:read:admin or phone_sms:read:admin (granular
    phone:read:list_sms_sessions:admin).
    A session is filed under its last message (`filter_type=last_message_time`): a session with
    new messages is read again and upserted by `session_id`, taken to be stable.
    """

    name = "sms_sessions"
    primary_keys = ("session_id",)
    endpoint = Endpoint(
        "/phone/sms/sessions",
        MEDIUM,
        ("sms_sessions",),
        ids=("session_id",),
        page_cap=100,
        fixed={"filter_type": "last_message_time", "session_type": "all"},
    )
    schema = api_schema("/phone/sms/sessions", "sms_sessions")
    selected_by_default = False


class SmsMessagesStream(WindowChild):
    """The messages of each SMS session read by `sms_sessions`; read only when selected.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/sms/GET/phone/sms/sessions/{sessionId}
    Scopes: phone:read:admin or phone_sms:read:admin (granular phone:read:sms_session:admin).
    A session is read month by month from where the run starts
    to the end of the window its last message fell in, oldest first.
    """

    name = "sms_messages"
    primary_keys = ("session_id", "message_id")
    parent_stream_type = SmsSessionsStream
    endpoint = Endpoint(
        "/phone/sms/sessions/{session_id}",
        MEDIUM,
        ("sms_histories",),
        ids=("message_id",),
        page_cap=100,
        fixed={"sort": "1"},
    )
    parent_key = "session_id"
    dated = True
    unit = "sessions"
    schema = api_schema("/phone/sms/sessions/{sessionId}", "sms_histories", added=("session_id",))
    selected_by_default = False
