"""Legacy call-log records: per user (list and sync) and account-wide.

One call between two users of the account yields one log per user: different `id`s, the
same `call_id`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomphone_emulator.ids import uuid_v4
from zoomphone_emulator.shapes import finish, iso, legacy_party_fields

if TYPE_CHECKING:
    from zoomphone_emulator.calls import Call
    from zoomphone_emulator.directory import PhoneUser
    from zoomphone_emulator.facts import CallFacts


def log_id(call: Call, user: int) -> str:
    """Return the call-log id of a call as seen in one user's logs.

    Args:
        call: The call.
        user: Index of the user whose log it is.

    Returns:
        A UUID.
    """
    return uuid_v4(call.key, "log", user)


def user_call_log(  # noqa: PLR0913 - one log plus its id and two shape switches
    call: Call, facts: CallFacts, owner: PhoneUser, *, ident: str, sync: bool, extras: bool
) -> dict[str, Any]:
    """Return one user's log of a call (`phoneUserCallLogs`, or `syncUserCallLogs` if sync).

    Args:
        call: The call.
        facts: Its facts.
        owner: The user whose log this is.
        ident: The log's id (`log_id`, as the query listed it).
        sync: Shape of the sync endpoint (user ids, no department / cost center).
        extras: `unknown_fields` setting.

    Returns:
        The record.
    """
    outbound = call.caller == owner.index
    rerouted = not outbound and len(facts.hops) > 0
    caller_user, callee_user = facts.caller.user, facts.callee.user
    record = {
        "accepted_by": facts.callee.legacy() if call.answered and not outbound else None,
        "answer_start_time": iso(call.start + call.wait) if call.answered else None,
        "call_end_time": iso(call.end),
        "call_id": facts.call_id,
        "callee_user_id": callee_user.id if sync and callee_user else None,
        **legacy_party_fields("callee", facts.callee, caller=False),
        "caller_user_id": caller_user.id if sync and caller_user else None,
        **legacy_party_fields("caller", facts.caller, caller=True),
        "caller_billing_reference_id": facts.billing_reference,
        "charge": facts.charge,
        "client_code": facts.client_code,
        "date_time": iso(call.start),
        "direction": "outbound" if outbound else "inbound",
        "duration": call.talk,
        "forwarded_by": facts.hops[-1].legacy(with_type=True) if rerouted else None,
        "forwarded_to": facts.callee.legacy() if rerouted else None,
        "has_recording": facts.recording_id is not None,
        "has_voicemail": facts.voicemail_id is not None,
        "id": ident,
        "outgoing_by": facts.caller.legacy() if outbound else None,
        "path": facts.path,
        "rate": f"${facts.rate}",
        "recording_type": facts.recording_type,
        "result": facts.result,
        "site": {"id": owner.site.id, "name": owner.site.name},
        "user_id": owner.id,
        "hold_time": call.hold,
        "waiting_time": call.wait,
        "department": None if sync else owner.department,
        "cost_center": None if sync else owner.cost_center,
    }
    return finish(record, ident, extras=extras)


def account_call_log(
    call: Call, facts: CallFacts, owner: PhoneUser, *, ident: str, extras: bool
) -> dict[str, Any]:
    """Return one user's log of a call as the account-wide list shows it (`accountCallLogs`).

    Args:
        call: The call.
        facts: Its facts.
        owner: The user whose log this is.
        ident: The log's id (`log_id`, as the query listed it).
        extras: `unknown_fields` setting.

    Returns:
        The record.
    """
    outbound = call.caller == owner.index
    own_side = facts.caller if outbound else facts.callee
    record = {
        "answer_start_time": iso(call.start + call.wait) if call.answered else None,
        "call_end_time": iso(call.end),
        "call_id": facts.call_id,
        "call_type": facts.account_call_type,
        **legacy_party_fields("callee", facts.callee, caller=False),
        **legacy_party_fields("caller", facts.caller, caller=True),
        "caller_billing_reference_id": facts.billing_reference,
        "charge": facts.charge,
        "client_code": facts.client_code,
        "date_time": iso(call.start),
        "device_private_ip": own_side.private_ip,
        "device_public_ip": own_side.public_ip,
        "direction": "outbound" if outbound else "inbound",
        "duration": call.talk,
        "id": ident,
        "owner": {
            "extension_number": owner.extension_number,
            "id": owner.id,
            "name": owner.name,
            "type": "user",
        },
        "path": facts.path,
        "rate": facts.rate,
        "recording_id": facts.recording_id,
        "recording_type": facts.recording_type,
        "result": facts.result,
        "site": {"id": owner.site.id, "name": owner.site.name},
        "user_id": owner.id,
        "hold_time": call.hold,
        "waiting_time": call.wait,
        "department": owner.department,
        "cost_center": owner.cost_center,
    }
    return finish(record, ident, extras=extras)
