"""The charge reports: what each call and each SMS cost, by month windows over 13 months."""

from __future__ import annotations

from tap_zoomphone.reading.account import AccountWindowStream
from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import HEAVY

# Zoom serves the charge reports 13 months back, not six.
REPORT_MONTHS = 13


class CallChargesStream(AccountWindowStream):
    """The call charges usage report: one row per charged call log.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/reports/GET/phone/reports/call_charges
    Scopes: phone:read:admin (granular phone:read:call_charges:admin).
    Tied to calls by `call_log_id` and `call_id`; read with Zoom's default
    `show_charges_only=false`, so calls that cost nothing are listed too.
    """

    name = "call_charges"
    primary_keys = ("charge_id",)
    endpoint = Endpoint(
        "/phone/reports/call_charges",
        HEAVY,
        ("call_charges",),
        ids=("charge_id",),
        page_cap=300,
    )
    reach_months = REPORT_MONTHS
    schema = api_schema("/phone/reports/call_charges", "call_charges")
    selected_by_default = False


class SmsChargesStream(AccountWindowStream):
    """The SMS/MMS charges usage report: one row per charged message.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/reports/GET/phone/reports/sms_charges
    Scopes: phone:read:admin (granular phone:read:sms_charges:admin).
    Zoom gives no charge id: the key is (`session_id`, `message_id`), the
    message's own key in `sms_messages`.
    """

    name = "sms_charges"
    primary_keys = ("session_id", "message_id")
    endpoint = Endpoint(
        "/phone/reports/sms_charges",
        HEAVY,
        ("sms_charges",),
        ids=("message_id",),
        page_cap=300,
    )
    reach_months = REPORT_MONTHS
    schema = api_schema("/phone/reports/sms_charges", "sms_charges")
    selected_by_default = False
