"""`/phone/recordings` and `/phone/voice_mails`: dated lists by Zoom's window rules.

Both take `from`/`to` (`yyyy-mm-dd` or `yyyy-MM-ddTHH:mm:ssZ`, `to` required with `from`),
serve at most a month (a longer range is served as its last month), only the last six months,
and without `from` the last 24 hours. Only `/phone/voice_mails` echoes `from`/`to` (and
`page_count`), as Zoom's response schemas say.

Every record carries every field of Zoom's item schema. A field Zoom sends only when something
holds (a deleted extension, a voicemail in the trash) is sent anyway; when it does not hold,
its value is the zero of its type: "" for a string, 0 for an integer (-1, Zoom's "never", for
`days_left_auto_permantely_delete`), the first documented value for an enumeration (so a live
owner's `extension_status` is "inactive") and the epoch, 1970-01-01T00:00:00Z, for a date-time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomphone_emulator.call_history import element_id
from zoomphone_emulator.call_logs import log_id
from zoomphone_emulator.errors import reject_parameter
from zoomphone_emulator.media import answered_at, trashed_at
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.shapes import iso
from zoomphone_emulator.tokens import NO_USER

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.directory import PhoneUser
    from zoomphone_emulator.facts import CallFacts
    from zoomphone_emulator.media import Media
    from zoomphone_emulator.paging import Pager, Payload
    from zoomphone_emulator.parties import Party

EPOCH = "1970-01-01T00:00:00Z"
DATE_TYPES = ("start_time", "end_time")
RECORDING_TYPES = {
    "1": "OnDemand",
    "OnDemand": "OnDemand",
    "2": "Automatic",
    "Automatic": "Automatic",
}
VOICEMAIL_TYPES = {None: "normal", "Spam": "spam", "Maybe Spam": "maybeSpam"}
# Owner types the `owner_type` filters accept; only users own recordings and voicemails here.
RECORDING_OWNERS = ("user", "callQueue", "commonArea", "sharedOffice")
VOICEMAIL_OWNERS = (
    "user",
    "callQueue",
    "sharedLineGroup",
    "autoReceptionist",
    "commonArea",
    "sharedOffice",
)
ANY = ("", "all", "null")
TRASH_DAYS = 30


def owner_record(user: PhoneUser) -> dict[str, Any]:
    """Return the `owner` of a user's recording or voicemail.

    Args:
        user: The owner.

    Returns:
        The object (the extension is live: `extension_status` and its time are zero values).
    """
    return {
        "extension_deleted_time": "",
        "extension_number": user.extension_number,
        "extension_status": "inactive",
        "id": user.id,
        "name": user.name,
        "type": "user",
    }


def _parties(facts: CallFacts) -> dict[str, Any]:
    """The caller and callee fields recordings and voicemails share."""
    out: dict[str, Any] = {}
    for prefix, party in (("callee", facts.callee), ("caller", facts.caller)):
        out |= {
            f"{prefix}_account_code": party.account_code or "",
            f"{prefix}_name": party.name,
            f"{prefix}_number": party.number,
            f"{prefix}_number_type": min(party.number_type, 2),
        }
    return out


def _by(party: Party) -> dict[str, str]:
    return {"extension_number": party.ext_number or "", "name": party.name}


def recording_record(item: Media, facts: CallFacts, owner: PhoneUser) -> dict[str, Any]:
    """Return a recording as `/phone/recordings` lists it.

    Args:
        item: The recording.
        facts: Its call's facts.
        owner: The user it belongs to.

    Returns:
        The record.
    """
    call, ident = item.call, item.id
    auto_delete = int(ident[4], 16) % 2 == 0
    return {
        "accepted_by": _by(facts.callee),
        "auto_delete_enable": auto_delete,
        "auto_delete_policy": "1 year" if auto_delete else "",
        "call_element_id": element_id(call, call.legs - 1),
        "call_id": facts.call_id,
        "call_log_id": log_id(call, owner.index),
        **_parties(facts),
        "date_time": iso(answered_at(call)),
        "direction": "outbound" if call.caller == owner.index else "inbound",
        "disclaimer_status": int(ident[5], 16) % 3,
        "download_url": f"https://zoom.us/v2/phone/recording/download/{ident}",
        "duration": call.talk,
        "end_time": iso(call.end),
        "id": ident,
        "meeting_uuid": "",
        "outgoing_by": _by(facts.caller),
        "owner": owner_record(owner),
        "recording_type": RECORDING_TYPES[facts.recording_type or "1"],
        "site": {"id": owner.site.id, "name": owner.site.name},
        "transcript_download_url": (
            f"https://zoom.us/v2/phone/recording_transcript/download/{ident}"
        ),
    }


def voicemail_read(item: Media) -> bool:
    """Whether a voicemail has been listened to (two in three have).

    Args:
        item: The voicemail.

    Returns:
        True for "read".
    """
    return int(item.id[4:6], 16) % 3 != 0


def in_trash(item: Media, now: int) -> bool:
    """Whether a voicemail is in the trash at an instant.

    Args:
        item: The voicemail.
        now: Epoch seconds.

    Returns:
        True once it has been deleted.
    """
    deleted = trashed_at(item)
    return deleted is not None and deleted <= now


def voicemail_record(item: Media, facts: CallFacts, owner: PhoneUser, now: int) -> dict[str, Any]:
    """Return a voicemail as `/phone/voice_mails` lists it.

    Args:
        item: The voicemail.
        facts: Its call's facts.
        owner: The user it belongs to (the callee).
        now: The instant the list is served at (epoch seconds), for the trash fields.

    Returns:
        The record.
    """
    call, ident = item.call, item.id
    deleted = trashed_at(item)
    trashed = deleted is not None and deleted <= now
    days_left = -1
    if deleted is not None and trashed and int(ident[6], 16) % 4:
        days_left = max(0, TRASH_DAYS - (now - deleted) // 86400)
    retention = int(ident[7], 16) % 4 == 0
    return {
        "call_element_id": element_id(call, call.legs - 1),
        "call_id": facts.call_id,
        "call_log_id": log_id(call, owner.index),
        **_parties(facts),
        "date_time": iso(answered_at(call)),
        "days_left_auto_permantely_delete": days_left,
        "deleted_time": iso(deleted) if deleted is not None and trashed else EPOCH,
        "download_url": f"https://zoom.us/v2/phone/voice_mails/download/{ident}",
        "duration": call.talk,
        "id": ident,
        "owner": owner_record(owner),
        "soft_deleted_type": "Data Retention" if trashed and retention else "Manual",
        "status": "read" if voicemail_read(item) else "unread",
    }


def _choice(query: dict[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = query.get(name) or default
    if value not in allowed:
        reject_parameter(name)
    return value


def _owner_filter(query: dict[str, str], owners: tuple[str, ...]) -> bool:
    """Whether `owner_type` lets users' records through (400 code 300 for unknown types)."""
    wanted = query.get("owner_type", "")
    if wanted in ANY:
        return True
    if wanted not in owners:
        reject_parameter("owner_type")
    return wanted == "user"


class MediaLists:
    """Handlers of `/phone/recordings` and `/phone/voice_mails`.

    Args:
        config: The live settings.
        clock: The emulator clock.
        pager: Windows and page tokens.
        account: The account's data.
    """

    def __init__(
        self, config: EmulatorConfig, clock: EmulatorClock, pager: Pager, account: PhoneAccount
    ) -> None:
        """Keep the collaborators."""
        self._config = config
        self._clock = clock
        self._pager = pager
        self._account = account

    def _owner(self, item: Media) -> PhoneUser:
        return self._account.directory.users[item.owner]

    def _site_filter(self, query: dict[str, str]) -> Callable[[Media], bool]:
        site = query.get("site_id", "")
        if site in ("", "All sites"):
            return lambda _item: True
        return lambda item: self._owner(item).site.id == site

    def _dated(
        self,
        name: str,
        query: dict[str, str],
        listing: Callable[[Scope], list[Media]],
        keep: Callable[[Media, int], bool],
        *,
        by_end: bool = False,
    ) -> tuple[list[Media], dict[str, Any], int]:
        """One page of a dated list: window, filters, paging; and the snapshot (seconds)."""
        cursor = self._pager.cursor(name, NO_USER, query)
        window, snapshot_ms = self._pager.window(query, cursor)
        scope = Scope(window.start, window.end, by_end, snapshot_ms, self._config.ingest_delay)
        now = snapshot_ms // 1000
        listed = [item for item in listing(scope) if keep(item, now)]
        page, envelope = self._pager.slice(
            name, NO_USER, query, listed, cursor=cursor, window=window, snapshot_ms=snapshot_ms
        )
        return page, envelope, now

    def recordings(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/recordings.

        `query_date_type` (start_time, the default, or end_time) picks the time the window
        applies to; `owner_type`, `recording_type`, `site_id` and `group_id` narrow the list.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        self._pager.page_size("recordings", query)
        by_end = _choice(query, "query_date_type", DATE_TYPES, "start_time") == "end_time"
        owners = _owner_filter(query, RECORDING_OWNERS)
        kind = query.get("recording_type", "")
        if kind not in ("", "null", "OnDemand", "Automatic"):
            reject_parameter("recording_type")
        group = query.get("group_id", "")
        on_site = self._site_filter(query)
        facts = self._account.facts.facts

        any_kind, any_group = kind in ("", "null"), group in ("", "All groups")

        def keep(item: Media, _now: int) -> bool:
            if not (owners and on_site(item)):
                return False
            if any_kind and any_group:
                return True  # the common case: no facts needed
            details = facts(item.call)
            return (any_kind or RECORDING_TYPES[details.recording_type or "1"] == kind) and (
                any_group or details.group_id == group
            )

        page, envelope, _ = self._dated(
            "recordings", query, self._account.media.recordings, keep, by_end=by_end
        )
        body = envelope_of(envelope, "next_page_token", "page_size", "total_records")
        body["recordings"] = [
            recording_record(item, facts(item.call), self._owner(item)) for item in page
        ]
        return body, len(page)

    def voice_mails(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/voice_mails.

        The window applies to `date_time`; `trashed=true` lists the trash instead of the
        mailboxes; `status`, `owner_type`, `voicemail_type` and `site_id` narrow the list.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        self._pager.page_size("voice_mails", query)
        status = _choice(query, "status", ("all", "read", "unread"), "all")
        owners = _owner_filter(query, VOICEMAIL_OWNERS)
        spam = query.get("voicemail_type", "")
        if spam not in ("", *VOICEMAIL_TYPES.values()):
            reject_parameter("voicemail_type")
        trash = _choice(query, "trashed", ("true", "false"), "false") == "true"
        on_site = self._site_filter(query)
        facts = self._account.facts.facts

        def keep(item: Media, now: int) -> bool:
            return (
                owners
                and in_trash(item, now) == trash
                and (status == "all" or voicemail_read(item) == (status == "read"))
                and on_site(item)
                and (not spam or VOICEMAIL_TYPES[facts(item.call).spam] == spam)
            )

        page, envelope, now = self._dated(
            "voice_mails", query, self._account.media.voicemails, keep
        )
        body = envelope_of(
            envelope, "from", "to", "next_page_token", "page_count", "page_size", "total_records"
        )
        body["voice_mails"] = [
            voicemail_record(item, facts(item.call), self._owner(item), now) for item in page
        ]
        return body, len(page)
