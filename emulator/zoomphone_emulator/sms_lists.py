"""`/phone/sms/sessions` and `/phone/sms/sessions/{sessionId}`.

Sessions follow the dated lists' window rules (a month at most, six months back, the last 24
hours without `from`), applied by `filter_type` (see `SmsBook.listed`); `session_type` defaults
to `user`, so the call-queue, auto-receptionist and service-endpoint sessions only show with
their type or `all`. A session's messages take `from`/`to` under the same rules; without `from`
they are every message of the session that can be read (the last six months). A session
that has not started yet (by the emulator's now) is unknown. `sort` 1 is
oldest first, 2 (the default) newest first. An unknown session answers 404 code 7013 "Error
retrieving SMS history.", the error Zoom documents for this endpoint.

Members outside the account carry the zero owner (`id` "", `type` "user"); every member's
`extension_status` is "inactive" and `extension_deleted_time` "" (see `recordings.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomphone_emulator.errors import ApiError, reject_parameter
from zoomphone_emulator.ids import zoom_id
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.shapes import iso
from zoomphone_emulator.sms import FILTER_TYPES, SESSION_TYPES
from zoomphone_emulator.tokens import NO_USER
from zoomphone_emulator.windows import Window, readable_start

if TYPE_CHECKING:
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.paging import Pager, Payload
    from zoomphone_emulator.sms import Listed, Member, Message, SmsBook, SmsSession

DELIVERY_STATUSES = (
    "received",
    "delivered",
    "failed_to_send",
    "sent",
    "failed_to_deliver",
    "unknown",
)
# The MMS variant of each message type (SMS 1 -> MMS 2, group SMS 3 -> group MMS 4).
WITH_ATTACHMENT = {1: 2, 3: 4}


def _member(member: Member) -> dict[str, Any]:
    return {
        "display_name": member.name,
        "owner": {"id": member.owner_id, "type": member.owner_type},
        "phone_number": member.number,
    }


def participant_record(member: Member, *, owner: bool) -> dict[str, Any]:
    """Return a session participant.

    Args:
        member: The participant.
        owner: Whether it is the account's side of the session.

    Returns:
        The object.
    """
    return {
        "display_name": member.name,
        "extension_deleted_time": "",
        "extension_status": "inactive",
        "is_session_owner": owner,
        "owner": {"id": member.owner_id, "type": member.owner_type},
        "phone_number": member.number,
    }


def session_record(item: Listed) -> dict[str, Any]:
    """Return a session as `/phone/sms/sessions` lists it.

    Args:
        item: The listed session.

    Returns:
        The record (`last_access_time` is its last message at the list's snapshot).
    """
    session = item.session
    return {
        "last_access_time": iso(item.last.time),
        "participants": [
            participant_record(session.owner, owner=True),
            *(participant_record(peer, owner=False) for peer in session.peers),
        ],
        "session_id": session.id,
        "session_type": session.type,
    }


def message_record(session: SmsSession, message: Message) -> dict[str, Any]:
    """Return a message as `/phone/sms/sessions/{sessionId}` lists it.

    Args:
        session: Its session.
        message: The message.

    Returns:
        The record.
    """
    if message.outbound:
        sender, receivers = session.owner, session.peers
    else:
        sender = session.peers[message.sender]
        others = tuple(p for p in session.peers if p is not sender)
        receivers = (session.owner, *others)
    attachments = []
    message_type = session.message_type
    if message.attachment is not None:
        kind, extension, size = message.attachment
        ident = zoom_id(message.id, "attachment")
        attachments.append(
            {
                "download_url": f"https://file.zoom.us/file/download/{ident}",
                "id": ident,
                "name": f"{ident}.{extension}",
                "size": size,
                "type": kind,
            }
        )
        message_type = WITH_ATTACHMENT.get(message_type, message_type)
    return {
        "attachments": attachments,
        "date_time": iso(message.time),
        "delivery_status": message.status,
        "direction": "Out" if message.outbound else "In",
        "message": message.text,
        "message_id": message.id,
        "message_type": message_type,
        "sender": _member(sender),
        "to_members": [_member(r) for r in receivers],
    }


def digits(raw: str) -> str:
    """Return the digits of a phone number ("+1 818..." -> "1818...").

    Args:
        raw: The number as given.

    Returns:
        Its digits.
    """
    return "".join(ch for ch in raw if ch.isdigit())


class SmsLists:
    """Handlers of the two SMS endpoints.

    Args:
        clock: The emulator clock.
        pager: Windows and page tokens.
        sms: The account's SMS.
    """

    def __init__(self, clock: EmulatorClock, pager: Pager, sms: SmsBook) -> None:
        """Keep the collaborators."""
        self._clock = clock
        self._pager = pager
        self._sms = sms

    def sms_sessions(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/sms/sessions.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.

        Raises:
            ApiError: 400 code 400 "SMS session type is invalid." for an unknown type.
        """
        self._pager.page_size("sms_sessions", query)
        session_type = query.get("session_type") or "user"
        if session_type not in (*SESSION_TYPES, "all"):
            raise ApiError(400, 400, "SMS session type is invalid.")
        filter_type = query.get("filter_type") or FILTER_TYPES[0]
        if filter_type not in FILTER_TYPES:
            reject_parameter("filter_type")
        types = SESSION_TYPES if session_type == "all" else (session_type,)
        cursor = self._pager.cursor("sms_sessions", NO_USER, query)
        window, snapshot_ms = self._pager.window(query, cursor)
        listed = self._sms.listed(
            window.start,
            window.end,
            snapshot_ms // 1000,
            types,
            filter_type,
            digits(query.get("phone_number", "")),
        )
        page, envelope = self._pager.slice(
            "sms_sessions",
            NO_USER,
            query,
            listed,
            cursor=cursor,
            window=window,
            snapshot_ms=snapshot_ms,
        )
        body = envelope_of(envelope, "next_page_token", "page_size")
        body["sms_sessions"] = [session_record(item) for item in page]
        return body, len(page)

    def sms_session_detail(self, arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/sms/sessions/{sessionId}.

        Args:
            arg: The session id.
            query: Query parameters.

        Returns:
            Body and record count.

        Raises:
            ApiError: 404 code 7013 for an unknown session.
        """
        self._pager.page_size("sms_session_detail", query)
        session = self._sms.find(arg)
        if session is None or session.times[0] > self._clock.timestamp():
            raise ApiError(404, 7013, "Error retrieving SMS history.")
        order = query.get("sort") or "2"
        if order not in ("1", "2"):
            reject_parameter("sort")
        status = query.get("delivery_status") or "all"
        if status not in (*DELIVERY_STATUSES, "all"):
            reject_parameter("delivery_status")
        cursor = self._pager.cursor("sms_session_detail", session.key, query)
        if cursor is None and not query.get("from"):
            now = self._clock.now()
            start = int(readable_start(now).timestamp())
            window = Window(start, int(now.timestamp()), dates=False)
            snapshot_ms = int(now.timestamp() * 1000)
        else:
            window, snapshot_ms = self._pager.window(query, cursor)
        messages = [
            m
            for m in self._sms.messages(session, window.start, min(window.end, snapshot_ms // 1000))
            if status in ("all", m.status)
        ]
        messages.sort(key=lambda m: (m.time, m.id), reverse=order == "2")
        page, envelope = self._pager.slice(
            "sms_session_detail",
            session.key,
            query,
            messages,
            cursor=cursor,
            window=window,
            snapshot_ms=snapshot_ms,
        )
        body = envelope_of(envelope, "next_page_token", "page_size")
        body["sms_histories"] = [message_record(session, m) for m in page]
        return body, len(page)
