"""Ground truth: the ids a complete extraction must return, as of the emulator's now.

Only visible records inside the readable range (the last six months) count. The answers come
straight from the generators, bypassing windows, paging, tokens and faults.

Id fields: call logs `id`; call history `call_history_uuid` (old `call_path_id`) and elements
`call_element_id` (old `id`); recordings and voicemails `id`; SMS sessions `session_id`, their
messages `message_id`; sites, call queues, auto receptionists, common areas, shared line
groups and devices `id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from zoomphone_emulator.account_lists import devices_matching
from zoomphone_emulator.call_history import element_id
from zoomphone_emulator.charges import (
    REPORT_MONTHS,
    call_charge_record,
    charged_logs,
    charged_messages,
)
from zoomphone_emulator.queries import Scope
from zoomphone_emulator.queue_analytics import queue_calls
from zoomphone_emulator.recordings import DATE_TYPES, in_trash
from zoomphone_emulator.sms import FILTER_TYPES, SESSION_TYPES
from zoomphone_emulator.summaries import Summaries
from zoomphone_emulator.transcripts import Transcripts
from zoomphone_emulator.windows import readable_start

if TYPE_CHECKING:
    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.directory import PhoneUser


@dataclass(frozen=True, slots=True)
class Version:
    """A record as it is served now, and when it settled (reached its final version).

    Attributes:
        started: When its call (or, for a call-history element, the element) started.
        settles: When its final version is served from: its visibility, or its change.
        final: Whether it is served in its final version now.
        talk: The talk seconds it shows now: `duration` (call logs, call history) or
            `talk_time` (call-history elements; 0 on every element but the last).
    """

    started: datetime
    settles: datetime
    final: bool
    talk: int


def _moment(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class GroundTruth:
    """Sets of ids per endpoint family.

    Args:
        config: The live settings (for the ingest delay).
        clock: The emulator clock.
        account: The account's data.
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock, account: PhoneAccount) -> None:
        """Keep the collaborators."""
        self._config = config
        self._clock = clock
        self._account = account

    def readable_start(self) -> datetime:
        """Return the six-month boundary: nothing older can be read.

        Returns:
            Midnight UTC six calendar months before the emulator's now.
        """
        return readable_start(self._clock.now())

    def _scope(self, start: datetime | None, end: datetime | None, *, by_end: bool) -> Scope:
        now = self._clock.now()
        boundary = readable_start(now).timestamp()
        first = max(start.timestamp(), boundary) if start else boundary
        last = min(end.timestamp(), now.timestamp()) if end else now.timestamp()
        return Scope(
            int(-(-first // 1)),
            int(last),
            by_end,
            int(now.timestamp() * 1000),
            self._config.ingest_delay,
        )

    def _user(self, user_id: str) -> PhoneUser:
        user = self._account.directory.find(user_id)
        if user is None:
            msg = f"unknown user {user_id!r}"
            raise KeyError(msg)
        return user

    def call_log_ids(
        self,
        user_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        time_type: str = "startTime",
    ) -> set[str]:
        """Return the ids of a user's call logs (what `call_logs` and `call_logs/sync` hold).

        Args:
            user_id: User id, email or "me".
            start: Inclusive lower bound (None: the six-month boundary).
            end: Inclusive upper bound (None: now).
            time_type: "startTime" or "endTime": which time the bounds apply to.

        Returns:
            The call-log ids.
        """
        scope = self._scope(start, end, by_end=time_type == "endTime")
        return {e.id for e in self._account.queries.user_logs(self._user(user_id).index, scope)}

    def account_call_log_ids(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the ids of every user's call logs (what `/phone/call_logs` holds).

        Args:
            start: Inclusive lower bound on `date_time` (None: the six-month boundary).
            end: Inclusive upper bound (None: now).

        Returns:
            The call-log ids.
        """
        return {
            e.id for e in self._account.queries.account_logs(self._scope(start, end, by_end=False))
        }

    def call_history_uuids(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the call-history UUIDs of the account's calls (`/phone/call_history`).

        Args:
            start: Inclusive lower bound on `start_time` (None: the six-month boundary).
            end: Inclusive upper bound (None: now).

        Returns:
            The UUIDs.
        """
        scope = self._scope(start, end, by_end=False)
        return {e.id for e in self._account.queries.account_history(scope)}

    def user_call_history_ids(
        self, user_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the element ids of a user's call history (under either array name).

        Args:
            user_id: User id, email or "me".
            start: Inclusive lower bound on the element's `start_time`.
            end: Inclusive upper bound (None: now).

        Returns:
            The element ids.
        """
        scope = self._scope(start, end, by_end=False)
        index = self._user(user_id).index
        return {e.id for e in self._account.queries.user_elements(index, scope)}

    def versions(self, family: str, user_id: str | None = None) -> dict[str, Version]:
        """Return every visible record of a family with the version it is served in now.

        Args:
            family: "call_history" (account-wide, by `call_history_uuid`), "call_logs" or
                "user_call_history" (one user's, by `id` or `call_element_id`).
            user_id: The user, for the per-user families.

        Returns:
            Record id to its version.

        Raises:
            ValueError: for another family, or a per-user family without a user.
        """
        delay = self._config.ingest_delay
        scope = self._scope(None, None, by_end=False)
        now = scope.snapshot_ms / 1000
        queries = self._account.queries
        if family == "call_history":
            entries = queries.account_history(scope)
        elif family in ("call_logs", "user_call_history") and user_id is not None:
            index = self._user(user_id).index
            if family == "call_logs":
                entries = queries.user_logs(index, scope)
            else:
                entries = queries.user_elements(index, scope)
        else:
            msg = "family must be call_history, or call_logs or user_call_history with a user"
            raise ValueError(msg)
        out = {}
        for entry in entries:
            call = entry.call
            changed = call.changed_at(delay)
            final = call.final_at(delay, now)
            talk = call.talk + (call.extra if final else 0)
            if family == "user_call_history" and entry.part != call.legs - 1:
                talk, changed = 0, None  # only the last element carries the conversation
            out[entry.id] = Version(
                _moment(-entry.rank),
                _moment(changed if changed is not None else call.visible_at(delay)),
                final or changed is None,
                talk,
            )
        return out

    def call_element_ids(self, uuid: str) -> set[str]:
        """Return the element ids of one call's path (empty when not visible or readable).

        Args:
            uuid: The call-history UUID.

        Returns:
            The element ids.
        """
        call = self._account.find_call(uuid)
        now = self._clock.now()
        if (
            call is None
            or call.visible_at(self._config.ingest_delay) > now.timestamp()
            or call.start < readable_start(now).timestamp()
        ):
            return set()
        return {element_id(call, leg) for leg in range(call.legs)}

    def recording_ids(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        date_type: str = "start_time",
    ) -> set[str]:
        """Return the ids of the account's recordings (`/phone/recordings`, field `id`).

        Args:
            start: Inclusive lower bound (None: the six-month boundary).
            end: Inclusive upper bound (None: now).
            date_type: "start_time" (`date_time`) or "end_time": which time the bounds apply to.

        Returns:
            The recording ids.

        Raises:
            ValueError: for another `date_type`.
        """
        if date_type not in DATE_TYPES:
            msg = f"date_type must be one of {DATE_TYPES}"
            raise ValueError(msg)
        scope = self._scope(start, end, by_end=date_type == "end_time")
        return {m.id for m in self._account.media.recordings(scope)}

    def voicemail_ids(
        self, start: datetime | None = None, end: datetime | None = None, *, trashed: bool = False
    ) -> set[str]:
        """Return the ids of the account's voicemails (`/phone/voice_mails`, field `id`).

        Args:
            start: Inclusive lower bound on `date_time` (None: the six-month boundary).
            end: Inclusive upper bound (None: now).
            trashed: The voicemails in the trash (`trashed=true`) instead of the others.

        Returns:
            The voicemail ids.
        """
        scope = self._scope(start, end, by_end=False)
        now = scope.snapshot_ms // 1000
        return {m.id for m in self._account.media.voicemails(scope) if in_trash(m, now) == trashed}

    def sms_session_ids(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        session_type: str = "all",
        filter_type: str = "last_message_time",
    ) -> set[str]:
        """Return the ids of SMS sessions (`/phone/sms/sessions`, field `session_id`).

        Args:
            start: Inclusive lower bound (None: the six-month boundary).
            end: Inclusive upper bound (None: now).
            session_type: "user", "call_queue", "auto_receptionist", "service_endpoint" or
                "all" (the default, unlike the endpoint's: a complete extraction asks for
                every type).
            filter_type: Which messages the bounds apply to (as the endpoint's parameter):
                the last one by default.

        Returns:
            The session ids.

        Raises:
            ValueError: for an unknown session or filter type.
        """
        if session_type not in (*SESSION_TYPES, "all") or filter_type not in FILTER_TYPES:
            msg = f"session_type must be one of {SESSION_TYPES} or all, filter_type {FILTER_TYPES}"
            raise ValueError(msg)
        scope = self._scope(start, end, by_end=False)
        types = SESSION_TYPES if session_type == "all" else (session_type,)
        listed = self._account.sms.listed(
            scope.start, scope.end, scope.snapshot_ms // 1000, types, filter_type
        )
        return {item.id for item in listed}

    def sms_message_ids(
        self, session_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> set[str]:
        """Return the ids of a session's messages (`sms_histories`, field `message_id`).

        Args:
            session_id: The session id.
            start: Inclusive lower bound on `date_time` (None: the six-month boundary).
            end: Inclusive upper bound (None: now).

        Returns:
            The message ids (empty for an unknown session).
        """
        session = self._account.sms.find(session_id)
        if session is None:
            return set()
        scope = self._scope(start, end, by_end=False)
        return {m.id for m in self._account.sms.messages(session, scope.start, scope.end)}

    def site_ids(self) -> set[str]:
        """Return the ids of the account's sites (`/phone/sites`, field `id`).

        Returns:
            The site ids.
        """
        return {site.id for site in self._account.directory.sites}

    def call_queue_ids(self) -> set[str]:
        """Return the ids of the call queues (`/phone/call_queues`, field `id`).

        Returns:
            The ids.
        """
        return {queue.id for queue in self._account.catalog.call_queues}

    def auto_receptionist_ids(self) -> set[str]:
        """Return the ids of the auto receptionists (`/phone/auto_receptionists`, field `id`).

        Returns:
            The ids.
        """
        return {item.id for item in self._account.catalog.auto_receptionists}

    def common_area_ids(self) -> set[str]:
        """Return the ids of the common areas (`/phone/common_areas`, field `id`).

        Returns:
            The ids.
        """
        return {area.id for area in self._account.catalog.common_areas}

    def shared_line_group_ids(self) -> set[str]:
        """Return the ids of the shared line groups (`/phone/shared_line_groups`, field `id`).

        Returns:
            The ids.
        """
        return {group.id for group in self._account.catalog.shared_line_groups}

    def _report_scope(self) -> Scope:
        """The charge reports' 13 months up to now, as a call-log scope."""
        now = self._clock.now()
        return Scope(
            start=int(readable_start(now, REPORT_MONTHS).timestamp()),
            end=int(now.timestamp()),
            by_end=False,
            snapshot_ms=int(now.timestamp() * 1000),
            delay=self._config.ingest_delay,
        )

    def call_charge_links(self) -> dict[str, tuple[str, str]]:
        """Return each call charge's (`call_log_id`, `call_id`): the call it is for.

        Only call logs with a party outside the account carry a charge, over the report's 13
        months (older than six: the call logs themselves are no longer served).

        Returns:
            charge id -> (call log id, call id).
        """
        return {
            call_charge_record(log, "")["charge_id"]: (log["id"], log["call_id"])
            for _, log in charged_logs(self._account, self._report_scope())
        }

    def sms_charge_keys(self) -> set[tuple[str, str]]:
        """Return (`session_id`, `message_id`) of the SMS charges report over its 13 months.

        Returns:
            The keys.
        """
        now = self._clock.now()
        first, last = int(readable_start(now, REPORT_MONTHS).timestamp()), int(now.timestamp())
        return {(s.id, m.id) for s, m in charged_messages(self._account, first, last, last)}

    def transcript_ids(self) -> set[str]:
        """Return the recordings (six months) whose transcript is served now.

        Returns:
            The recording ids.
        """
        now = self._clock.now()
        return self._account_transcripts().ready_ids(
            int(readable_start(now).timestamp()), int(now.timestamp())
        )

    def transcripts_never(self) -> dict[str, int]:
        """Return the recordings (six months) that will never have a transcript, with the code.

        Returns:
            recording id -> 12000, 12001 or 12003.
        """
        now = self._clock.now()
        return self._account_transcripts().never_ids(
            int(readable_start(now).timestamp()), int(now.timestamp())
        )

    def _account_transcripts(self) -> Transcripts:
        return Transcripts(self._config, self._clock, self._account, lambda: "")

    def ai_call_summary_versions(self) -> dict[str, str]:
        """Return the AI call summaries served now (calls of the six months), with versions.

        Returns:
            summary id -> its `modified_time` now.
        """
        now = self._clock.now()
        first, last = int(readable_start(now).timestamp()), int(now.timestamp())
        return {
            s.id: datetime.fromtimestamp(s.modified(last), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for s in Summaries(self._config, self._clock, self._account).all(last)
            if s.created <= last and s.call.start >= first
        }

    def queue_inbound_by_day(self) -> dict[tuple[str, str], int]:
        """Return the inbound calls of each call queue and UTC day since the six-month boundary.

        Returns:
            (call queue id, yyyy-mm-dd) -> calls that passed through it and started that day
            (days without calls are absent).
        """
        now = self._clock.now()
        first = self._account.catalog.call_queues[0]
        counts: dict[tuple[str, str], int] = {}
        for entry in queue_calls(self._account, self._scope(None, now, by_end=False)):
            day = datetime.fromtimestamp(entry.call.start, UTC).strftime("%Y-%m-%d")
            counts[first.id, day] = counts.get((first.id, day), 0) + 1
        return counts

    def call_ids(self, start: datetime | None = None, end: datetime | None = None) -> set[str]:
        """Return the `call_id`s of the account's calls (one QoS answer each).

        Args:
            start: Inclusive lower bound on the start (None: the six-month boundary).
            end: Inclusive upper bound (None: now).

        Returns:
            The call ids.
        """
        facts = self._account.facts.facts
        scope = self._scope(start, end, by_end=False)
        return {facts(e.call).call_id for e in self._account.queries.account_history(scope)}

    def phone_number_ids(self) -> set[str]:
        """Return the ids of every number, BYOC ones included (`/phone/numbers`, field `id`).

        Returns:
            The ids.
        """
        return {number.id for number in self._account.numbers_book.numbers}

    def emergency_address_ids(self) -> set[str]:
        """Return the ids of the emergency addresses (`/phone/emergency_addresses`, `id`).

        Returns:
            The ids.
        """
        return set(self._account.numbers_book.address_ids())

    def call_queue_member_keys(self) -> set[tuple[str, str]]:
        """Return (call queue id, member id) of every queue's members.

        Returns:
            The pairs.
        """
        book, queues = self._account.numbers_book, self._account.catalog.call_queues
        return {(queue.id, member[1]) for queue in queues for member in book.members(queue)}

    def device_ids(self, type: str | None = None) -> set[str]:  # noqa: A002 - Zoom's name
        """Return the ids of the desk phones (`/phone/devices`, field `id`).

        Args:
            type: "assigned" or "unassigned" (the endpoint requires one); None for both.

        Returns:
            The ids.

        Raises:
            ValueError: for another type.
        """
        if type is None:
            return {device.id for device in self._account.catalog.devices}
        if type not in ("assigned", "unassigned"):
            msg = "type must be assigned, unassigned or None"
            raise ValueError(msg)
        return {d.id for d in devices_matching(self._account.catalog, {"type": type})}
