"""The cosmetic facts of a call: who, routing, results, charges and recordings.

Drawn from one generator per (owner, day), seeded from the day's coordinates, for the
day's calls in slot order: the same call always gets the same facts, whatever was asked
before, and every endpoint shows it the same way.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zoomphone_emulator.calls import OUTSIDE
from zoomphone_emulator.ids import hex_id, numeric_call_id, zoom_id
from zoomphone_emulator.parties import PartyBook, pick, pick_int

if TYPE_CHECKING:
    from zoomphone_emulator.calls import Call, CallBook
    from zoomphone_emulator.directory import Directory
    from zoomphone_emulator.parties import Party

# Owner-days whose facts are kept (a handful of calls each); rendered records are cached
# apart, so facts are mostly needed once per call and endpoint shape.
DAYS_CACHE_SIZE = 8192

# Legacy `result` texts as Zoom really sends them (undocumented values, trailing space).
LEGACY_RESULTS = {
    "answered": ("Call connected", "Call connected", "call_connected", "Auto Recorded"),
    "missed": ("No Answer", "Missed", "Rejected", "Busy"),
    "voicemail": ("Voicemail ", "Voicemail"),
    "cancelled": ("Call Cancel", "Hang Up"),
}
V2_RESULTS = {
    "answered": ("answered", "answered", "connected"),
    "missed": ("no_answer", "busy", "rejected", "ring_timeout"),
    "voicemail": ("voicemail",),
    "cancelled": ("hang_up", "canceled", "abandoned"),
}
RATES = ("0.0255", "0.0100", "0.0180")
RECORDING_TYPES = ("1", "2", "OnDemand", "Automatic")
ROUTING_EVENTS = ("forward", "overflow", "ring_to_member")
SPAM = ("Maybe Spam", "Spam")
# Legacy `path` by number of legs (direct calls: inside vs outside the account).
LEGACY_PATHS = {2: ("callQueue", "forward"), 3: ("callQueue",), 4: ("autoReceptionist",)}
# How often optional details occur: absent fields are part of the realism.
CHANCE = {
    "recorded": 0.3,
    "reason": 0.3,
    "client_code": 0.2,
    "billing_reference": 0.3,
    "hidden": 0.05,
    "end_to_end": 0.3,
    "emergency": 0.002,
    "trunk": 0.2,
    "group": 0.5,
    "spam": 0.03,
    "summary": 0.2,
}


@dataclass(slots=True)
class CallFacts:
    """Everything shown about a call beyond its timing.

    Attributes:
        call_id: 19-digit call id (shared by every log of the call).
        caller: Who called.
        callee: Who was called.
        home: The account-side party (callee if a user, else caller): site, department.
        hops: Routing stops before the callee (one per extra leg).
        operator: A user who transferred the call, on transfer legs.
        path: Legacy `path`.
        result: Legacy `result` text.
        call_result: v2 `call_result` / last element `result`.
        events: v2 `event` per element.
        leg_results: v2 `result` per element.
        reasons: v2 `result_reason` per element (None when absent).
        recording_type: Legacy recording type ("1", "2", "OnDemand", "Automatic"); None if none.
        recording_id: Recording id, None when the call was not recorded.
        voicemail_id: Voicemail id, None without a voicemail.
        rate: Per-minute rate, e.g. "0.0255".
        charge: Charge, e.g. "$0.0510".
        client_code: Client code, if entered.
        billing_reference: Caller billing reference, if any.
        hide_caller_id: Caller id hidden.
        end_to_end: End-to-end encrypted.
        international: International call.
        emergency: Emergency call.
        account_call_type: accountCallLogs `call_type` (voip, pstn, tollfree, international).
        trunk: (sbc_id, sbc_name, sip_group_id, sip_group_name) on BYOC trunks, else None.
        group_id: Primary group id, if any.
        spam: Spam verdict, if any.
        summary_id: AI call summary id, if any.
    """

    call_id: str
    caller: Party
    callee: Party
    home: Party
    hops: tuple[Party, ...]
    operator: Party | None
    path: str
    result: str
    call_result: str
    events: tuple[str, ...]
    leg_results: tuple[str, ...]
    reasons: tuple[str | None, ...]
    recording_type: str | None
    recording_id: str | None
    voicemail_id: str | None
    rate: str
    charge: str
    client_code: str | None
    billing_reference: str | None
    hide_caller_id: bool
    end_to_end: bool
    international: bool
    emergency: bool
    account_call_type: str
    trunk: tuple[str, str, str, str] | None
    group_id: str | None
    spam: str | None
    summary_id: str | None

    def leg_callee(self, leg: int) -> Party:
        """Return who was rung on element `leg` (a routing stop, then the callee).

        Args:
            leg: Element index.

        Returns:
            The party.
        """
        return self.hops[leg] if leg < len(self.hops) else self.callee


class FactsBook:
    """Draws (and caches) the facts of calls, a day of an owner's calls at a time.

    Args:
        seed: The emulator seed.
        directory: The account's users.
        book: The calls.
        recording_share: Share of answered calls that are recorded.
    """

    def __init__(
        self,
        seed: int,
        directory: Directory,
        book: CallBook,
        recording_share: float = CHANCE["recorded"],
    ) -> None:
        """Prepare the routing stops and the caches."""
        self._seed = seed
        self._book = book
        self._recorded = recording_share
        self._parties = PartyBook(seed, directory)
        self._days = functools.lru_cache(maxsize=DAYS_CACHE_SIZE)(self._day)
        self._group_ids = functools.lru_cache(maxsize=64)(self._group_id)

    def facts(self, call: Call) -> CallFacts:
        """Return the facts of a call.

        Args:
            call: The call.

        Returns:
            Its facts.
        """
        return self._days(call.kind, call.owner, call.day)[call.slot]

    def _day(self, kind: int, owner: int, day: int) -> tuple[CallFacts, ...]:
        """The facts of every call made for an owner's day, indexed by slot.

        One generator per day rather than per call: seeding one costs more than drawing
        a call's facts.
        """
        rng = random.Random(f"{self._seed}:facts:{kind}:{owner}:{day}")  # noqa: S311 - test data
        return tuple(self._draw(rng, call) for call in self._book.made(kind, owner, day))

    def _group_id(self, site_id: str) -> str:
        return zoom_id(self._seed, "group", site_id)

    def _routing(
        self, rng: random.Random, call: Call, *, external: bool
    ) -> tuple[tuple[Party, ...], tuple[str, ...], str]:
        """Pick routing stops, element events and the legacy path of a call."""
        extra = call.legs - 1
        inbound = call.caller == OUTSIDE
        first = "incoming" if inbound else "outgoing"
        if call.outcome == "voicemail":
            path = "voiceMail"
        elif extra:
            path = pick(rng, LEGACY_PATHS[call.legs])
        else:
            path = "pstn" if external else "extension"
        if not extra:  # most calls: one element, no routing stops
            return (), (first,), path
        stops = self._parties.hops
        hops = tuple(stops[min(i, 2)] for i in range(extra)) if inbound else (stops[2],) * extra
        return hops, (first, *[pick(rng, ROUTING_EVENTS) for _ in hops]), path

    def _draw(self, rng: random.Random, call: Call) -> CallFacts:
        """Draw one call's facts (the draws of the day's earlier calls come first)."""
        draw = rng.random
        caller = self._parties.party(rng, call.caller)
        callee = self._parties.party(rng, call.callee)
        inbound = call.caller == OUTSIDE
        external = inbound or call.callee == OUTSIDE
        hops, events, path = self._routing(rng, call, external=external)
        answered = call.outcome == "answered"
        outside = caller if inbound else callee
        international = external and outside.iso != "US"
        # Site, department and group of a call are those of its account-side party.
        home = callee if callee.user else caller
        call_result = pick(rng, V2_RESULTS[call.outcome])
        # Routing legs end overflowed or hung up; the last one carries the call's result.
        routed = ["overflowed" if e == "overflow" else "hang_up" for e in events[:-1]]
        leg_results = (*routed, call_result)
        reasons = tuple(
            "answered_by_other" if r == "hang_up" and draw() < CHANCE["reason"] else None
            for r in leg_results
        )
        recorded = answered and draw() < self._recorded
        rate = pick(rng, RATES) if external and not inbound else "0.00"
        client_code = str(pick_int(rng, 100, 999)) if draw() < CHANCE["client_code"] else None
        trunk = None
        if external and draw() < CHANCE["trunk"]:
            trunk = (
                str(pick_int(rng, 10, 99)),
                "SBC-East",
                str(pick_int(rng, 10, 99)),
                "SIP Group A",
            )
        return CallFacts(
            call_id=numeric_call_id(call.key),
            caller=caller,
            callee=callee,
            home=home,
            hops=hops,
            operator=callee if "forward" in events and callee.user else None,
            path=path,
            result=pick(rng, LEGACY_RESULTS[call.outcome][: 4 if recorded else 3]),
            call_result=call_result,
            events=events,
            leg_results=leg_results,
            reasons=reasons,
            recording_type=pick(rng, RECORDING_TYPES) if recorded else None,
            recording_id=hex_id(call.key, "recording") if recorded else None,
            voicemail_id=hex_id(call.key, "voicemail") if call.outcome == "voicemail" else None,
            rate=rate,
            charge=f"${float(rate) * -(-call.talk // 60):.4f}" if rate != "0.00" else "$0.00",
            client_code=client_code,
            billing_reference=(
                "ZoomTelecom123456" if external and draw() < CHANCE["billing_reference"] else None
            ),
            hide_caller_id=draw() < CHANCE["hidden"],
            end_to_end=not external and draw() < CHANCE["end_to_end"],
            international=international,
            emergency=draw() < CHANCE["emergency"],
            account_call_type=_account_call_type(rng, external=external, abroad=international),
            trunk=trunk,
            group_id=(
                self._group_ids(home.site.id) if home.site and draw() < CHANCE["group"] else None
            ),
            spam=pick(rng, SPAM) if inbound and draw() < CHANCE["spam"] else None,
            summary_id=(
                zoom_id(call.key, "summary") if answered and draw() < CHANCE["summary"] else None
            ),
        )


def _account_call_type(rng: random.Random, *, external: bool, abroad: bool) -> str:
    """The `call_type` of account call logs: voip inside the account, else pstn, toll-free..."""
    if not external:
        return "voip"
    if abroad:
        return "international"
    return pick(rng, ("pstn", "pstn", "pstn", "tollfree"))
