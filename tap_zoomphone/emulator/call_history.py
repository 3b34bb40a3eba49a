"""Call-history (v2) records: one per call account-wide, its elements per user, its path.

Zoom is renaming arrays and ids here: the old names (`call_logs`, `call_path`, `id`,
`call_path_id`) and the new ones (`call_history`, `call_elements`, `call_element_id`,
`call_history_uuid`) are both served, chosen by the emulator's settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tap_zoomphone.emulator.calls import OUTSIDE
from tap_zoomphone.emulator.ids import day_prefix, uuid_v4
from tap_zoomphone.emulator.shapes import add_extra, iso, optional, party_fields

if TYPE_CHECKING:
    from tap_zoomphone.emulator.calls import Call
    from tap_zoomphone.emulator.facts import CallFacts
    from tap_zoomphone.emulator.parties import Party

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
    """Fields every v2 shape shares, in Zoom's order."""
    return {
        "connect_type": "external" if OUTSIDE in (call.caller, call.callee) else "internal",
        "call_type": "emergency" if facts.emergency else "general",
        "direction": "inbound" if call.caller == OUTSIDE else "outbound",
    }


def _times(start: int, answer: int | None, end: int) -> dict[str, Any]:
    return optional(
        start_time=iso(start), answer_time=iso(answer) if answer is not None else None
    ) | {"end_time": iso(end)}


def _home(facts: CallFacts) -> dict[str, Any]:
    """Department, cost center and site of the account side of a call."""
    home = facts.home
    user, site = home.user, home.site
    return optional(
        department=user.department if user else None,
        cost_center=user.cost_center if user else None,
        site_id=site.id if site else None,
        group_id=facts.group_id,
        site_name=site.name if site else None,
    )


def account_call_history(
    call: Call, facts: CallFacts, *, old_name: bool, extras: bool
) -> dict[str, Any]:
    """Return a call as `/phone/call_history` lists it (`accountCallHistory`).

    Args:
        call: The call.
        facts: Its facts.
        old_name: Old array shape: the uuid is under `id`.
        extras: `unknown_fields` setting.

    Returns:
        The record.
    """
    common = _common(call, facts)
    record: dict[str, Any] = {
        "id" if old_name else "call_history_uuid": facts.uuid,
        "call_id": facts.call_id,
        "direction": common["direction"],
        "international": facts.international,
    }
    record |= _times(call.start, call.start + call.wait if call.answered else None, call.end)
    record |= {"duration": call.talk, "connect_type": common["connect_type"]}
    if facts.trunk:
        sbc_id, sbc_name, group_id, group_name = facts.trunk
        record |= {
            "sbc_id": sbc_id,
            "sbc_name": sbc_name,
            "sip_group_id": group_id,
            "sip_group_name": group_name,
        }
    record |= {
        "call_type": common["call_type"],
        "call_result": facts.call_result,
        "hide_caller_id": facts.hide_caller_id,
        "end_to_end": facts.end_to_end,
    }
    record |= party_fields("caller", facts.caller, ACCOUNT_PARTY)
    record |= party_fields("callee", facts.callee, ACCOUNT_PARTY)
    record |= _home(facts)
    record |= optional(spam=facts.spam)
    record["recording_status"] = "recorded" if facts.recording_id else "non_recorded"
    record |= optional(
        caller_account_code=facts.caller.account_code,
        callee_account_code=facts.callee.account_code,
    )
    return add_extra(record, facts.uuid, enabled=extras)


def _leg_details(call: Call, facts: CallFacts, leg: int) -> dict[str, Any]:
    """What happened on one element: event, result, operator, recording, voicemail."""
    last = leg == call.legs - 1
    operator: Party | None = facts.operator if facts.events[leg] == "forward" else None
    details: dict[str, Any] = {"event": facts.events[leg], "result": facts.leg_results[leg]}
    details |= optional(result_reason=facts.reasons[leg])
    if operator:
        details |= {
            "operator_ext_number": operator.ext_number,
            "operator_ext_id": operator.ext_id,
            "operator_ext_type": operator.ext_type,
            "operator_name": operator.name,
        }
    if last and facts.recording_id and facts.recording_type:
        details |= {
            "recording_id": facts.recording_id,
            "recording_type": V2_RECORDING[facts.recording_type],
        }
    return details


def user_call_element(  # noqa: PLR0913 - one element plus three shape switches
    call: Call, facts: CallFacts, leg: int, *, old_name: bool, sync: bool, extras: bool
) -> dict[str, Any]:
    """Return one element of a call as a user's call history shows it.

    Args:
        call: The call.
        facts: Its facts.
        leg: Element index.
        old_name: Old shape (`id` + `call_path_id`) instead of `call_element_id` +
            `call_history_uuid`.
        sync: Shape of the sync endpoint (adds `ai_call_summary_id`).
        extras: `unknown_fields` setting.

    Returns:
        The record.
    """
    ident = element_id(call, leg)
    last = leg == call.legs - 1
    start, answer, end = call.leg_times(leg)
    record: dict[str, Any] = (
        {"id": ident, "call_path_id": facts.uuid}
        if old_name
        else {"call_element_id": ident, "call_history_uuid": facts.uuid}
    )
    record["call_id"] = facts.call_id
    record |= optional(group_id=facts.group_id)
    record |= _common(call, facts)
    record |= {"hide_caller_id": facts.hide_caller_id, "end_to_end": facts.end_to_end}
    record |= party_fields("caller", facts.caller, ELEMENT_PARTY)
    record |= party_fields("callee", facts.leg_callee(leg), ELEMENT_PARTY)
    record |= _times(start, answer, end)
    record |= _leg_details(call, facts, leg)
    record |= optional(voicemail_id=facts.voicemail_id if last else None)
    record |= {
        "talk_time": call.talk if last else 0,
        "hold_time": call.hold if last else 0,
        "wait_time": end - start if not last else call.wait - (start - call.start),
    }
    if sync:
        record |= optional(ai_call_summary_id=facts.summary_id if last else None)
    record |= optional(
        caller_account_code=facts.caller.account_code,
        callee_account_code=facts.callee.account_code if last else None,
    )
    return add_extra(record, ident, enabled=extras)


def _path_element(call: Call, facts: CallFacts, leg: int, *, old_name: bool) -> dict[str, Any]:
    """One element as `/phone/call_history/{uuid}` lists it."""
    ident = element_id(call, leg)
    last = leg == call.legs - 1
    start, answer, end = call.leg_times(leg)
    callee = facts.leg_callee(leg)
    record: dict[str, Any] = {"id" if old_name else "call_element_id": ident}
    record["call_id"] = facts.call_id
    record |= _common(call, facts)
    record |= {"hide_caller_id": facts.hide_caller_id, "end_to_end": facts.end_to_end}
    record |= party_fields("caller", facts.caller, PATH_PARTY)
    record |= party_fields("callee", callee, PATH_PARTY)
    record |= optional(client_code=facts.client_code)
    record |= _home(facts)
    record |= _times(start, answer, end)
    details = _leg_details(call, facts, leg)
    record |= {k: details.pop(k) for k in ("event", "result")}
    record |= optional(result_reason=details.pop("result_reason", None))
    record |= {
        "device_private_ip": facts.caller.private_ip or "",
        "device_public_ip": facts.caller.public_ip or "",
    }
    record |= {k: v for k, v in details.items() if k.startswith("operator_")}
    record |= optional(press_key=str(1 + leg) if callee.ext_type == "auto_receptionist" else None)
    record |= {"segment": leg, "node": leg, "is_node": int(leg > 0)}
    record |= {k: v for k, v in details.items() if k.startswith("recording_")}
    record |= {
        "hold_time": call.hold if last else 0,
        "waiting_time": end - start if not last else call.wait,
    }
    record |= optional(voicemail_id=facts.voicemail_id if last else None)
    return record


def call_path(call: Call, facts: CallFacts, *, arrays: str, extras: bool) -> dict[str, Any]:
    """Return `/phone/call_history/{uuid}`: the call and its path elements.

    Args:
        call: The call.
        facts: Its facts.
        arrays: "call_path" (old), "call_elements" (new) or "both".
        extras: `unknown_fields` setting.

    Returns:
        The response body.
    """
    record: dict[str, Any] = {
        "id": facts.uuid,
        "call_history_uuid": facts.uuid,
        "call_id": facts.call_id,
    }
    common = _common(call, facts)
    record |= {
        "connect_type": common["connect_type"],
        "call_type": common["call_type"],
        "direction": common["direction"],
        "international": facts.international,
        "hide_caller_id": facts.hide_caller_id,
        "end_to_end": facts.end_to_end,
    }
    record |= party_fields("caller", facts.caller, DETAIL_PARTY)
    record |= party_fields("callee", facts.callee, DETAIL_PARTY)
    record |= _home(facts)
    record |= _times(call.start, call.start + call.wait if call.answered else None, call.end)
    if arrays in ("call_path", "both"):
        record["call_path"] = [
            _path_element(call, facts, leg, old_name=True) for leg in range(call.legs)
        ]
    # Zoom's own spelling of this field ("acconut") is kept on purpose.
    record |= optional(
        caller_acconut_code=facts.caller.account_code,
        callee_account_code=facts.callee.account_code,
    )
    if arrays in ("call_elements", "both"):
        record["call_elements"] = [
            _path_element(call, facts, leg, old_name=False) for leg in range(call.legs)
        ]
    return add_extra(record, facts.uuid, enabled=extras)
