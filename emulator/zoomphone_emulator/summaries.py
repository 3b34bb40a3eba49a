"""AI call summaries: `GET /phone/user/{userId}/ai_call_summary/{aiCallSummaryId}`.

There is no list: a summary's id is the `ai_call_summary_id` of its call's last element in the
user call-history sync rows. A summary appears 5 minutes to 6 hours after its call ends (404
before);
one in four is edited one to three days later (`modified_time` moves, `edited` becomes true,
its text changes), as Zoom's `phone.ai_call_summary_changed` event announces.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from zoomphone_emulator.errors import ApiError
from zoomphone_emulator.queries import Scope

if TYPE_CHECKING:
    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.calls import Call
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig

DAY = 86_400
EDITED_SHARE = 25  # percent of summaries edited later


@dataclass(frozen=True, slots=True)
class Summary:
    """One summary's life.

    Attributes:
        id: Its id.
        call: Its call.
        created: Epoch second it appears.
        edited: Epoch second of its edit, or None.
    """

    id: str
    call: Call
    created: int
    edited: int | None

    def modified(self, now: int) -> int:
        """Return its `modified_time` as of `now` (epoch seconds)."""
        return self.edited if self.edited is not None and now >= self.edited else self.created


def life(summary_id: str, call: Call) -> Summary:
    """Return a summary's creation and edit times (fixed by its id and its call's end).

    Args:
        summary_id: The id.
        call: Its call.

    Returns:
        The summary.
    """
    mark = int(hashlib.blake2b(summary_id.encode(), digest_size=4).hexdigest(), 16)
    created = call.end + 300 + mark % (6 * 3600)
    edited = created + DAY + (mark >> 8) % (2 * DAY) if (mark >> 16) % 100 < EDITED_SHARE else None
    return Summary(summary_id, call, created, edited)


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Summaries:
    """The summary endpoint, with an index of the calls that have one.

    Args:
        config: The live settings (account id, ingest delay).
        clock: The emulator clock.
        account: The calls and their facts.
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock, account: PhoneAccount) -> None:
        """Keep the collaborators; no index yet."""
        self._config = config
        self._clock = clock
        self._account = account
        self._lives: dict[str, Summary] = {}
        self._indexed_at = -1

    def all(self, now: int) -> list[Summary]:
        """Return every summary of a call that ended by `now`.

        Args:
            now: Epoch seconds.

        Returns:
            The summaries (created or not yet).
        """
        if now != self._indexed_at:
            scope = Scope(
                0, now, by_end=False, snapshot_ms=now * 1000, delay=self._config.ingest_delay
            )
            facts = self._account.facts.facts
            self._lives = {
                summary: life(summary, entry.call)
                for entry in self._account.queries.account_history(scope, keep=False)
                if (summary := facts(entry.call).summary_id) is not None
            }
            self._indexed_at = now
        return list(self._lives.values())

    def ai_call_summary(self, arg: str, _query: dict[str, str]) -> tuple[dict[str, Any], int]:
        """GET /phone/user/{userId}/ai_call_summary/{aiCallSummaryId}.

        Args:
            arg: "{userId}/ai_call_summary/{aiCallSummaryId}".
            _query: Unused.

        Returns:
            Body and record count.

        Raises:
            ApiError: 404 for a summary that does not exist (yet).
        """
        user_key, _, summary_id = arg.partition("/ai_call_summary/")
        user = self._account.directory.find(user_key)
        now = int(self._clock.timestamp())
        self.all(now)
        found = self._lives.get(summary_id)
        if user is None or found is None or found.created > now:
            raise ApiError(404, 404, "AI call summary does not exist.")
        modified = found.modified(now)
        edited = modified != found.created
        facts = self._account.facts.facts(found.call)
        topic = "a delivery" if found.call.talk % 2 else "an invoice"
        body = {
            "account_id": self._config.account_id,
            "ai_call_summary_id": found.id,
            "call_id": facts.call_id,
            "call_summary": f"The caller asked about {topic}." + (" (edited)" if edited else ""),
            "call_summary_rate": "thumb_down" if edited else "thumb_up",
            "created_time": _iso(found.created),
            "detailed_summary": f"The agent looked up {topic} and answered the caller.",
            "edited": edited,
            "modified_time": _iso(modified),
            "next_steps": "Follow up by email." if edited else "",
            "transcript_language": "en-US",
            "user_id": user.id,
        }
        return body, 1
