"""The charge reports: `/phone/reports/call_charges` and `/phone/reports/sms_charges`.

Both are dated lists like the call logs (one month a request, `next_page_token`, Heavy) but
reach 13 months back: an older `from` answers 400 code 400 "Invalid start date.". Every call
log with a party outside the account (a PSTN leg) has one call charge, tied to it by
`call_log_id` and to its call by `call_id` (outbound legs cost a rate per minute, inbound
ones nothing); every message of an SMS session with a party outside the account has one SMS
charge, keyed by its `session_id` and `message_id`. Newest first, like the call logs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from zoomphone_emulator.call_logs import account_call_log
from zoomphone_emulator.ids import hex_id
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.sms import SESSION_TYPES
from zoomphone_emulator.tokens import NO_USER

if TYPE_CHECKING:
    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.paging import Pager, Payload
    from zoomphone_emulator.queries import Entry
    from zoomphone_emulator.sms import Message, SmsSession

REPORT_MONTHS = 13
EXTERNAL = 2  # `*_number_type` of a number outside the account
PER_MINUTE = "0.02"
PER_MESSAGE = "0.0075"


def _moment(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def charged_logs(account: PhoneAccount, scope: Scope) -> list[tuple[Entry, dict[str, Any]]]:
    """Return the call logs of a scope that carry a charge, with their records.

    Args:
        account: The account's data.
        scope: The window and snapshot.

    Returns:
        (entry, call-log record) of every log with a party outside the account, newest first.
    """
    users, facts = account.directory.users, account.facts.facts
    out = []
    for entry in account.queries.account_logs(scope):
        log = account_call_log(
            entry.call, facts(entry.call), users[entry.part], ident=entry.id, extras=False
        )
        if EXTERNAL in (log["caller_number_type"], log["callee_number_type"]):
            out.append((entry, log))
    return out


def call_charge_record(log: dict[str, Any], employee_id: str) -> dict[str, Any]:
    """Return a call log's charge as the call charges report lists it.

    Args:
        log: The call-log record (`/phone/call_logs`).
        employee_id: The owner's employee id.

    Returns:
        The record.
    """
    outbound = log["direction"] == "outbound"
    minutes = -(-int(log["duration"]) // 60)
    rate = PER_MINUTE if outbound else "0.00"
    user_number = log.get("caller_did_number", "") if outbound else log.get("callee_did_number", "")
    return {
        "answer_time": log.get("answer_start_time", ""),
        "billing_number": user_number,
        "call_id": log["call_id"],
        "call_log_id": log["id"],
        "call_type": "local"
        if outbound
        else "tollfree"
        if log.get("call_type", "") == "tollfree"
        else "voip",
        "callee_billing_number": log.get("callee_did_number", ""),
        "callee_billing_number_type": "fixed_line_or_mobile" if outbound else "voip",
        "callee_number": log["callee_number"],
        "caller_billing_number": log.get("caller_did_number", ""),
        "caller_billing_number_type": "voip" if outbound else "fixed_line_or_mobile",
        "caller_number": log["caller_number"],
        "calling_party_name": log.get("caller_name", ""),
        "charge_id": hex_id("charge", log["id"]),
        "charge_mode": "per_min",
        "cost_center": log.get("cost_center", ""),
        "currency": "USD",
        "department": log.get("department", ""),
        "direction": log["direction"],
        "duration": log["duration"],
        "employee_id": employee_id,
        "end_time": log.get("call_end_time", ""),
        "forward_number_billing": "",
        "rate": rate,
        "service_type": "call",
        "start_time": log["date_time"],
        "total_charge": f"{minutes * float(rate):.2f}",
    }


def charged_messages(
    account: PhoneAccount, start: int, end: int, snapshot: int
) -> list[tuple[SmsSession, Message]]:
    """Return the messages of a window that carry a charge, newest first.

    Args:
        account: The account's data.
        start: First epoch second.
        end: Last epoch second.
        snapshot: Only messages created by then count.

    Returns:
        (session, message) of every message of a session with a party outside the account.
    """
    sms = account.sms
    listed = sms.listed(start, end, snapshot, SESSION_TYPES, "sent_received_message_time")
    found = [
        (item.session, message)
        for item in listed
        if any(not peer.owner_id for peer in item.session.peers)
        for message in sms.messages(item.session, start, min(end, snapshot))
    ]
    found.sort(key=lambda pair: (-pair[1].time, pair[1].id))
    return found


def sms_charge_record(
    session: SmsSession, message: Message, account: PhoneAccount
) -> dict[str, Any]:
    """Return a message's charge as the SMS charges report lists it.

    Args:
        session: The message's session.
        message: The message.
        account: The account (the owner's email and extension, when a user).

    Returns:
        The record.
    """
    owner, peer = session.owner, session.peers[message.sender % len(session.peers)]
    user = account.directory.find(owner.owner_id) if owner.owner_type == "user" else None
    ours = {
        "display_name": owner.name,
        "email": user.email if user else "",
        "extension_number": str(user.extension_number) if user else "",
        "number": owner.number,
    }
    theirs = {"display_name": peer.name, "email": "", "extension_number": "", "number": peer.number}
    sender, receiver = (ours, theirs) if message.outbound else (theirs, ours)
    return {
        "billing_number": owner.number,
        "cost_center": user.cost_center if user else "",
        "currency": "USD",
        "delivery_detail": "",
        "delivery_status": "Delivered" if message.outbound else "Received",
        "department": user.department if user else "",
        **{f"from_{key}": value for key, value in sender.items()},
        "message_id": message.id,
        "message_type": "MMS" if message.attachment else "SMS",
        "rate": PER_MESSAGE,
        "sent_time": _moment(message.time),
        "session_id": session.id,
        **{f"to_{key}": value for key, value in receiver.items()},
        "total_charge": PER_MESSAGE,
    }


class ChargeReports:
    """Handlers of the two charge reports.

    Args:
        config: The live settings (ingest delay, `from` rules).
        pager: Issues and checks page tokens and windows.
        account: The account's data.
    """

    def __init__(self, config: EmulatorConfig, pager: Pager, account: PhoneAccount) -> None:
        """Keep the collaborators."""
        self._config = config
        self._pager = pager
        self._account = account

    def call_charges(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/reports/call_charges (`from`/`to` one month, 13 months back).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        self._pager.page_size("call_charges", query)
        cursor = self._pager.cursor("call_charges", NO_USER, query)
        window, snapshot_ms = self._pager.window(query, cursor, REPORT_MONTHS)
        scope = Scope(
            window.start,
            window.end,
            by_end=False,
            snapshot_ms=snapshot_ms,
            delay=self._config.ingest_delay,
        )
        listed = charged_logs(self._account, scope)
        page, envelope = self._pager.slice(
            "call_charges",
            NO_USER,
            query,
            listed,
            cursor=cursor,
            window=window,
            snapshot_ms=snapshot_ms,
        )
        users = self._account.directory.users
        body = envelope_of(envelope, "next_page_token", "page_size", "total_records", "from", "to")
        body["call_charges"] = [
            call_charge_record(log, users[entry.part].employee_id) for entry, log in page
        ]
        return body, len(page)

    def sms_charges(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/reports/sms_charges (`from`/`to` one month, 13 months back).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        self._pager.page_size("sms_charges", query)
        cursor = self._pager.cursor("sms_charges", NO_USER, query)
        window, snapshot_ms = self._pager.window(query, cursor, REPORT_MONTHS)
        listed = charged_messages(self._account, window.start, window.end, snapshot_ms // 1000)
        page, envelope = self._pager.slice(
            "sms_charges",
            NO_USER,
            query,
            listed,
            cursor=cursor,
            window=window,
            snapshot_ms=snapshot_ms,
        )
        body = envelope_of(envelope, "next_page_token", "page_size", "total_records", "from", "to")
        body["sms_charges"] = [sms_charge_record(s, m, self._account) for s, m in page]
        return body, len(page)
