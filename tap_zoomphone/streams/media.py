"""Recordings and voicemails of the whole account, by month windows with a date bookmark."""

from __future__ import annotations

from tap_zoomphone.reading.account import AccountWindowStream
from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import HEAVY, MEDIUM


class RecordingsStream(AccountWindowStream):
    """Call recordings of every owner (users, call queues, common areas) in the account.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/recordings/GET/phone/recordings
    Scopes: phone:read:admin or phone_recording:read:admin (granular
    phone:read:list_call_recordings:admin).
    A recording is filed under its start (`query_date_type=start_time`, its `date_time`).
    """

    name = "recordings"
    primary_keys = ("id",)
    endpoint = Endpoint(
        "/phone/recordings",
        MEDIUM,
        ("recordings",),
        page_cap=300,
        fixed={"query_date_type": "start_time"},
    )
    schema = api_schema("/phone/recordings", "recordings")
    selected_by_default = False


class VoicemailsStream(AccountWindowStream):
    """Voicemails of every owner in the account (not those in the trash).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/voicemails/GET/phone/voice_mails
    Scopes: phone:read:admin or phone_voicemail:read:admin (granular
    phone:read:list_voicemails:admin).
    """

    name = "voicemails"
    primary_keys = ("id",)
    endpoint = Endpoint("/phone/voice_mails", HEAVY, ("voice_mails",), page_cap=300)
    schema = api_schema("/phone/voice_mails", "voice_mails")
    selected_by_default = False
