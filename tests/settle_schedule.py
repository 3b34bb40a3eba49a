"""A schedule of incremental runs against an emulator whose records appear late and change.

Shared by tests/integration/test_settle.py and the benchmark: runs the real command every few
hours of emulator time, keeps a destination that merges records by primary key (as every target
that upserts does), and compares it with the emulator's ground truth of the version each record
is served in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.tapruns import TapRun, run_tap

if TYPE_CHECKING:
    import datetime as dt

# stream -> (primary key fields, the field Zoom finalises after the fact, truth family)
# An account whose records appear late and change once after they appear (emulator settings).
LATE_AND_CHANGING: dict[str, Any] = {
    "late_share": 0.1,
    "late_median_hours": 3,
    "change_share": 0.25,
    "change_median_hours": 2,
    "sync_token_ttl": 30 * 86400,
}
SETTLING_STREAMS = {
    "call_history": (("call_history_uuid",), "duration", "call_history"),
    "call_logs": (("id",), "duration", "call_logs"),
    "user_call_history": (("call_element_id", "user_id"), "talk_time", "user_call_history"),
}
# Streams whose duplicates are counted too: account_call_logs still re-reads a lookback.
TRACKED = {**SETTLING_STREAMS, "account_call_logs": (("id",), "duration", "")}


@dataclass
class Destination:
    """What a target that merges by primary key holds after each run's records."""

    rows: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)
    emitted: dict[str, int] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    _versions: set[tuple[str, tuple[Any, ...], str]] = field(default_factory=set)

    def apply(self, messages: list[dict[str, Any]]) -> None:
        """Upsert each RECORD of these messages; count what repeats a version already held."""
        for message in messages:
            stream = message.get("stream")
            if message["type"] != "RECORD" or stream not in TRACKED:
                continue
            keys, final_field, _ = TRACKED[stream]
            record = message["record"]
            key = tuple(record.get(k) for k in keys)
            end = record.get("end_time") or record.get("call_end_time")
            version = json.dumps([record.get(final_field), end])
            self.emitted[stream] = self.emitted.get(stream, 0) + 1
            if (stream, key, version) in self._versions:
                self.duplicates[stream] = self.duplicates.get(stream, 0) + 1
            self._versions.add((stream, key, version))
            self.rows.setdefault(stream, {})[key] = record

    def duplicate_share(self, stream: str) -> float:
        """Share of the emitted records that repeated a version the destination already had."""
        return self.duplicates.get(stream, 0) / max(1, self.emitted.get(stream, 0))


@dataclass
class Verdict:
    """Missing and stale records of one stream, among those that settled in time."""

    checked: int = 0
    missing: list[Any] = field(default_factory=list)
    stale: list[Any] = field(default_factory=list)
    later: int = 0  # settled later than the settle time: a documented limit


def judge(
    emulator: Any,
    destination: Destination,
    stream: str,
    *,
    settle: dt.timedelta,
    settled_before: dt.datetime,
) -> Verdict:
    """Compare the destination with the truth: every record settled within `settle` of its start
    and before `settled_before` must be there in the version Zoom serves now."""
    keys, final_field, family = SETTLING_STREAMS[stream]
    rows = destination.rows.get(stream, {})
    truth: dict[tuple[Any, ...], Any] = {}
    if family == "call_history":
        truth = {(k,): v for k, v in emulator.truth.versions(family).items()}
    else:
        for user in emulator.user_ids():
            for ident, version in emulator.truth.versions(family, user).items():
                truth[(ident, user) if len(keys) == 2 else (ident,)] = version
    verdict = Verdict()
    for key, version in truth.items():
        if version.settles - version.started > settle:
            verdict.later += 1
            continue
        if version.settles > settled_before:
            continue
        verdict.checked += 1
        row = rows.get(key)
        if row is None:
            verdict.missing.append(key)
        elif row.get(final_field) != version.talk:
            verdict.stale.append(key)
    return verdict


def run_schedule(
    emulator: Any,
    config: dict[str, Any],
    catalog: dict[str, Any],
    *,
    runs: int,
    every: dt.timedelta,
    state: dict[str, Any] | None = None,
    destination: Destination | None = None,
    kill_at: int | None = None,
) -> tuple[Destination, dict[str, Any], list[TapRun]]:
    """`runs` incremental runs `every` apart; run `kill_at` is killed half-way (its records
    after the STATE it had written are lost) and the next run resumes from that STATE."""
    destination = destination or Destination()
    done: list[TapRun] = []
    for number in range(runs):
        emulator.clock.advance(seconds=every.total_seconds())
        run = run_tap(config, state=state, catalog=catalog)
        assert run.returncode == 0, run.stderr[-3000:]
        done.append(run)
        messages = run.messages
        if number == kill_at:
            states = [i for i, m in enumerate(messages) if m["type"] == "STATE"]
            cut = states[len(states) // 2]
            messages = messages[: cut + 1]
        destination.apply(messages)
        states_kept = [m["value"] for m in messages if m["type"] == "STATE"]
        state = states_kept[-1] if states_kept else state
    return destination, state or {}, done
