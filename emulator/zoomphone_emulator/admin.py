"""The admin surface under `/_emulator/`: for an emulator running in its own process.

No authentication, never rate limited, not counted in the stats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlsplit

import orjson

from zoomphone_emulator.faults import Fault
from zoomphone_emulator.replies import Reply, json_reply

if TYPE_CHECKING:
    from collections.abc import Sequence

    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.truth import GroundTruth

AdminRoute = tuple[str, str]  # (method, path under /_emulator/)
Action = Callable[[dict[str, str], dict[str, Any]], dict[str, Any]]


class Controls(Protocol):
    """What the admin surface reads and drives on the emulator (server.Emulator has it)."""

    @property
    def clock(self) -> EmulatorClock:
        """The emulator clock (read and advanced)."""

    @property
    def config(self) -> EmulatorConfig:
        """The live settings (shown, never changed)."""

    @property
    def truth(self) -> GroundTruth:
        """Ground-truth ids."""

    def user_ids(self) -> list[str]:
        """The phone user ids."""

    def users(self) -> list[dict[str, Any]]:
        """The user records as `/phone/users` serves them."""

    def stats(self) -> dict[str, Any]:
        """The traffic counters."""

    def reset_stats(self) -> None:
        """Zero the traffic counters."""

    def faults(self) -> list[dict[str, Any]]:
        """The armed faults and their counters."""

    def add_fault(self, fault: Fault) -> None:
        """Arm a fault."""

    def clear_faults(self) -> None:
        """Disarm every fault."""

    def revoke_tokens(self) -> None:
        """Invalidate every access token."""

    def warm(self, kinds: Sequence[str] | None = None) -> dict[str, float]:
        """Render and cache what the given list endpoints can serve."""

    def render_cache(self) -> dict[str, int]:
        """Size and counters of the rendered-record cache."""


def parse_instant(raw: str | None, *, end: bool) -> datetime | None:
    """Parse a `from`/`to` of the truth route: ISO datetime, or a date (its start or end).

    Args:
        raw: The value, if any.
        end: A date means the end of that day.

    Returns:
        An aware datetime, or None.
    """
    if not raw:
        return None
    if len(raw) == len("yyyy-mm-dd"):
        return datetime.combine(date.fromisoformat(raw), time(23, 59, 59) if end else time(0), UTC)
    moment = datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _json_object(body: bytes) -> dict[str, Any]:
    data = orjson.loads(body) if body else {}
    if not isinstance(data, dict):
        msg = "the body must be a JSON object"
        raise TypeError(msg)
    return data


class AdminSurface:
    """Answers `/_emulator/...` requests by driving an emulator.

    Args:
        emulator: The emulator to control.
    """

    def __init__(self, emulator: Controls) -> None:
        """Build the route table."""
        self._emulator = emulator
        self._routes: dict[AdminRoute, Action] = {
            ("GET", "health"): self.health,
            ("GET", "stats"): self.stats,
            ("POST", "stats/reset"): self.reset_stats,
            ("POST", "clock"): self.advance_clock,
            ("GET", "faults"): self.faults,
            ("POST", "faults"): self.add_fault,
            ("DELETE", "faults"): self.clear_faults,
            ("POST", "revoke"): self.revoke,
            ("GET", "users"): self.users,
            ("GET", "config"): self.config,
            ("GET", "truth"): self.truth,
            ("POST", "warm"): self.warm,
            ("GET", "cache"): self.cache,
        }

    def handle(self, method: str, target: str, body: bytes) -> Reply:
        """Answer one admin request.

        Args:
            method: HTTP method.
            target: Request target (path and query).
            body: Request body (JSON, may be empty).

        Returns:
            The reply: 200 with JSON, 400 for bad input, 404 for unknown routes.
        """
        url = urlsplit(target)
        action = self._routes.get((method, url.path.removeprefix("/_emulator/").strip("/")))
        if action is None:
            return json_reply(404, {"code": 404, "message": "Not found"})
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        try:
            return json_reply(200, action(query, _json_object(body)))
        except (ValueError, TypeError, KeyError) as error:
            return json_reply(400, {"error": str(error)})

    def _now(self) -> str:
        return self._emulator.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")

    def health(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET health: liveness, emulator time and account size."""
        return {"status": "ok", "now": self._now(), "users": len(self._emulator.user_ids())}

    def stats(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET stats: the traffic counters."""
        return self._emulator.stats()

    def reset_stats(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """POST stats/reset: zero the counters."""
        self._emulator.reset_stats()
        return {"ok": True}

    def advance_clock(self, _query: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
        """POST clock {"advance_seconds": N}: move the emulator clock forward."""
        self._emulator.clock.advance(seconds=float(data.get("advance_seconds", 0)))
        return {"now": self._now()}

    def faults(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET faults: the armed faults and their counters."""
        return {"faults": self._emulator.faults()}

    def add_fault(self, _query: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
        """POST faults (a Fault as JSON): arm a fault."""
        self._emulator.add_fault(Fault(**data))
        return {"ok": True, "faults": self._emulator.faults()}

    def clear_faults(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """DELETE faults: disarm every fault."""
        self._emulator.clear_faults()
        return {"ok": True}

    def revoke(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """POST revoke: invalidate every access token."""
        self._emulator.revoke_tokens()
        return {"ok": True}

    def users(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET users: the user records as `/phone/users` serves them."""
        return {"users": self._emulator.users()}

    def config(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET config: the live settings, without the client secret."""
        return {k: v for k, v in asdict(self._emulator.config).items() if k != "client_secret"}

    def warm(self, _query: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
        """POST warm {"kinds": [...]}: render and cache what those list endpoints can serve."""
        kinds = data.get("kinds")
        if kinds is not None and not isinstance(kinds, list):
            msg = "kinds must be a list of list endpoint names"
            raise TypeError(msg)
        return self._emulator.warm(kinds)

    def cache(self, _query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET cache: size and counters of the rendered-record cache."""
        return self._emulator.render_cache()

    def truth(self, query: dict[str, str], _data: dict[str, Any]) -> dict[str, Any]:
        """GET truth?kind=...: ground-truth ids.

        With `user_id`, `from`, `to` as the kind needs, and `time_type` (call_logs),
        `uuid` (call_elements), `query_date_type` (recordings), `trashed` (voice_mails),
        `session_type` (default all) and `filter_type` (sms_sessions), `session_id`
        (sms_messages), `type` (devices).
        """
        start = parse_instant(query.get("from"), end=False)
        end = parse_instant(query.get("to"), end=True)
        user = query.get("user_id", "")
        truth = self._emulator.truth
        catalog: dict[str, Callable[[], set[str]]] = {
            "sites": truth.site_ids,
            "call_queues": truth.call_queue_ids,
            "auto_receptionists": truth.auto_receptionist_ids,
            "common_areas": truth.common_area_ids,
            "shared_line_groups": truth.shared_line_group_ids,
            "devices": lambda: truth.device_ids(query.get("type") or None),
        }
        answers: dict[str, Callable[[], set[str]]] = catalog | {
            "call_logs": lambda: truth.call_log_ids(
                user, start, end, query.get("time_type", "startTime")
            ),
            "account_call_logs": lambda: truth.account_call_log_ids(start, end),
            "call_history": lambda: truth.call_history_uuids(start, end),
            "user_call_history": lambda: truth.user_call_history_ids(user, start, end),
            "call_elements": lambda: truth.call_element_ids(query.get("uuid", "")),
            "recordings": lambda: truth.recording_ids(
                start, end, query.get("query_date_type", "start_time")
            ),
            "voice_mails": lambda: truth.voicemail_ids(
                start, end, trashed=query.get("trashed") == "true"
            ),
            "sms_sessions": lambda: truth.sms_session_ids(
                start,
                end,
                session_type=query.get("session_type", "all"),
                filter_type=query.get("filter_type", "last_message_time"),
            ),
            "sms_messages": lambda: truth.sms_message_ids(query.get("session_id", ""), start, end),
        }
        kind = query.get("kind", "")
        if kind not in answers:
            msg = f"kind must be one of {sorted(answers)}"
            raise ValueError(msg)
        return {"ids": sorted(answers[kind]())}
