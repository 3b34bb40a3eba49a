"""Call-history (v2) records: one per call account-wide, its elements per user, its path.

Zoom is renaming arrays and ids here: the old names (`call_logs`, `call_path`, `id`,
`call_path_id`) and the new ones (`call_history`, `call_elements`, `call_element_id`,
`call_history_uuid`) are both served, chosen by the emulator's settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomphone_emulator.calls import OUTSIDE
from zoomphone_emulator.ids import day_prefix, uuid_v4
from zoomphone_emulator.shapes import finish, iso, party_fields

if TYPE_CHECKING:
    from zoomphone_emulator.calls import Call
    from zoomphone_emulator.facts import CallFacts
    from zoomphone_emulator.parties import Party

ACCOUNT_PARTY = (
    "ext_id",
    "did_number",
    "ext_number",
    "name",
    "email",
    "ext_type",
    "number_type",
    "device_type",
    "country_iso_code",
    "country_code",
)
ELEMENT_PARTY = (
    "ext_id",
    "name",
    "email",
    "employee_id",
    "did_number",
    "ext_number",
    "ext_type",
    "number_type",
    "device_private_ip",
    "device_public_ip",
    "device_type",
    "country_iso_code",
    "country_code",
    "site_id",
    "department",
    "cost_center",
)
DETAIL_PARTY = ("ext_id", "name", "did_number", "ext_number", "email", "ext_type")
PATH_PARTY = (
    "ext_id",
    "name",
    "email",
    "did_number",
    "ext_number",
    "ext_type",
    "number_type",
    "device_type",
    "country_iso_code",
    "country_code",
)
V2_RECORDING = {"1": "ad-hoc", "OnDemand": "ad-hoc", "2": "automatic", "Automatic": "automatic"}


def element_id(call: Call, leg: int) -> str:
    """Return the id of one element of a call's path (`call_element_id`, old `id`).

    Args:
        call: The call.
        leg: Element index.

    Returns:
        The id.
    """
    return f"{day_prefix(call.day)}-{uuid_v4(call.key, 'leg', leg)}"


def _common(call: Call, facts: CallFacts) -> dict[str, Any]:
    """Connection, type and direction: the same in every v2 shape."""
    return {
        "connect_type": "external" if OUTSIDE in (call.caller, call.callee) else "internal",
        "call_type": "emergency" if facts.emergency else "general",
        "direction": "inbound" if call.caller == OUTSIDE else "outbound",
    }


def _times(start: int, answer: int | None, end: int) -> dict[str, Any]:
    return {
        "start_time": iso(start),
        "answer_time": iso(answer) if answer is not None else None,
        "end_time": iso(end),
    }


def _call_times(call: Call) -> dict[str, Any]:
    return _times(call.start, call.start + call.wait if call.answered else None, call.end)


def _home(facts: CallFacts) -> dict[str, Any]:
    """Department, cost center and site of the account side of a call."""
    user, site = facts.home.user, facts.home.site
    return {
        "department": user.department if user else None,
        "cost_center": user.cost_center if user else None,
        "site_id": site.id if site else None,
        "group_id": facts.group_id,
        "site_name": site.name if site else None,
    }


def account_call_history(
    call: Call, facts: CallFacts, *, uuid: str, old_name: bool, extras: bool
) -> dict[str, Any]:
    """Return a call as `/phone/call_history` lists it (`accountCallHistory`).

    Args:
        call: The call.
        facts: Its facts.
        uuid: Its call-history UUID.
        old_name: Old array shape: the uuid is under `id`.
        extras: `unknown_fields` setting.

    Returns:
        The record.
    """
    common = _common(call, facts)
    sbc_id, sbc_name, group_id, group_name = facts.trunk or (None, None, None, None)
    record = {
        "id" if old_name else "call_history_uuid": uuid,
        "call_id": facts.call_id,
        "direction": common["direction"],
        "international": facts.international,
        **_call_times(call),
        "duration": call.talk,
        "connect_type": common["connect_type"],
        "sbc_id": sbc_id,
        "sbc_name": sbc_name,
        "sip_group_id": group_id,
        "sip_group_name": group_name,
        "call_type": common["call_type"],
        "call_result": facts.call_result,
        "hide_caller_id": facts.hide_caller_id,
        "end_to_end": facts.end_to_end,
        **party_fields("caller", facts.caller, ACCOUNT_PARTY),
        **party_fields("callee", facts.callee, ACCOUNT_PARTY),
        **_home(facts),
        "spam": facts.spam,
        "recording_status": "recorded" if facts.recording_id else "non_recorded",
        "caller_account_code": facts.caller.account_code,
        "callee_account_code": facts.callee.account_code,
    }
    return finish(record, uuid, extras=extras)


def _leg_details(call: Call, facts: CallFacts, leg: int) -> dict[str, Any]:
    """What happened on one element: event, result, operator, recording."""
    last = leg == call.legs - 1
    operator: Party | None = facts.operator if facts.events[leg] == "forward" else None
    recorded = last and facts.recording_type is not None
    return {
        "event": facts.events[leg],
        "result": facts.leg_results[leg],
        "result_reason": facts.reasons[leg],
        "operator_ext_number": operator.ext_number if operator else None,
        "operator_ext_id": operator.ext_id if operator else None,
        "operator_ext_type": operator.ext_type if operator else None,
        "operator_name": operator.name if operator else None,
        "recording_id": facts.recording_id if recorded else None,
        "recording_type": V2_RECORDING[facts.recording_type or "1"] if recorded else None,
    }


def user_call_element(  # noqa: PLR0913 - one element, its ids and three shape switches
    call: Call,
    facts: CallFacts,
    leg: int,
    *,
    ident: str,
    uuid: str,
    old_name: bool,
    sync: bool,
    extras: bool,
) -> dict[str, Any]:
    """Return one element of a call as a user's call history shows it.

    Args:
        call: The call.
        facts: Its facts.
        leg: Element index.
        ident: The element's id (`element_id`, as the query listed it).
        uuid: The call's call-history UUID.
        old_name: Old shape (`id` + `call_path_id`) instead of `call_element_id` +
            `call_history_uuid`.
        sync: Shape of the sync endpoint (adds `ai_call_summary_id`).
        extras: `unknown_fields` setting.

    Returns:
        The record.
    """
    last = leg == call.legs - 1
    start, answer, end = call.leg_times(leg)
    names = ("id", "call_path_id") if old_name else ("call_element_id", "call_history_uuid")
    record = {
        names[0]: ident,
        names[1]: uuid,
        "call_id": facts.call_id,
        "group_id": facts.group_id,
        **_common(call, facts),
        "hide_caller_id": facts.hide_caller_id,
        "end_to_end": facts.end_to_end,
        **party_fields("caller", facts.caller, ELEMENT_PARTY),
        **party_fields("callee", facts.leg_callee(leg), ELEMENT_PARTY),
        **_times(start, answer, end),
        **_leg_details(call, facts, leg),
        "voicemail_id": facts.voicemail_id if last else None,
        "talk_time": call.talk if last else 0,
        "hold_time": call.hold if last else 0,
        "wait_time": end - start if not last else call.wait - (start - call.start),
        "ai_call_summary_id": facts.summary_id if sync and last else None,
        "caller_account_code": facts.caller.account_code,
        "callee_account_code": facts.callee.account_code if last else None,
    }
    return finish(record, ident, extras=extras)


def _path_element(call: Call, facts: CallFacts, leg: int, *, old_name: bool) -> dict[str, Any]:
    """One element as `/phone/call_history/{uuid}` lists it."""
    last = leg == call.legs - 1
    start, answer, end = call.leg_times(leg)
    callee = facts.leg_callee(leg)
    details = _leg_details(call, facts, leg)
    record = {
        "id" if old_name else "call_element_id": element_id(call, leg),
        "call_id": facts.call_id,
        **_common(call, facts),
        "hide_caller_id": facts.hide_caller_id,
        "end_to_end": facts.end_to_end,
        **party_fields("caller", facts.caller, PATH_PARTY),
        **party_fields("callee", callee, PATH_PARTY),
        "client_code": facts.client_code,
        **_home(facts),
        **_times(start, answer, end),
        "event": details.pop("event"),
        "result": details.pop("result"),
        "result_reason": details.pop("result_reason"),
        "device_private_ip": facts.caller.private_ip or "",
        "device_public_ip": facts.caller.public_ip or "",
        "press_key": str(1 + leg) if callee.ext_type == "auto_receptionist" else None,
        "segment": leg,
        "node": leg,
        "is_node": int(leg > 0),
        **details,
        "hold_time": call.hold if last else 0,
        "waiting_time": end - start if not last else call.wait,
        "voicemail_id": facts.voicemail_id if last else None,
    }
    return {k: v for k, v in record.items() if v is not None}


def call_path(
    call: Call, facts: CallFacts, *, uuid: str, arrays: str, extras: bool
) -> dict[str, Any]:
    """Return `/phone/call_history/{uuid}`: the call and its path elements.

    Args:
        call: The call.
        facts: Its facts.
        uuid: Its call-history UUID.
        arrays: "call_path" (old), "call_elements" (new) or "both".
        extras: `unknown_fields` setting.

    Returns:
        The response body.
    """
    legs = range(call.legs)
    record = {
        "id": uuid,
        "call_history_uuid": uuid,
        "call_id": facts.call_id,
        **_common(call, facts),
        "international": facts.international,
        "hide_caller_id": facts.hide_caller_id,
        "end_to_end": facts.end_to_end,
        **party_fields("caller", facts.caller, DETAIL_PARTY),
        **party_fields("callee", facts.callee, DETAIL_PARTY),
        **_home(facts),
        **_call_times(call),
        "call_path": [_path_element(call, facts, leg, old_name=True) for leg in legs]
        if arrays in ("call_path", "both")
        else None,
        # Zoom's own spelling of this field ("acconut") is kept on purpose.
        "caller_acconut_code": facts.caller.account_code,
        "callee_account_code": facts.callee.account_code,
        "call_elements": [_path_element(call, facts, leg, old_name=False) for leg in legs]
        if arrays in ("call_elements", "both")
        else None,
    }
    return finish(record, uuid, extras=extras)
