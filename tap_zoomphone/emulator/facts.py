"""The cosmetic facts of a call: who, routing, results, charges and recordings.

Derived from the call's key only, so every endpoint shows the same call the same way.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tap_zoomphone.emulator.calls import OUTSIDE, Call
from tap_zoomphone.emulator.ids import hex_id, numeric_call_id, zoom_id
from tap_zoomphone.emulator.parties import PartyBook, chance, pick

if TYPE_CHECKING:
    from tap_zoomphone.emulator.directory import Directory
    from tap_zoomphone.emulator.ids import CallCodec
    from tap_zoomphone.emulator.parties import Party

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
        uuid: The call-history UUID.
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
    uuid: str
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
    """Builds (and caches) the facts of calls.

    Args:
        seed: The emulator seed.
        directory: The account's users.
        codec: Call-history UUID codec.
    """

    def __init__(self, seed: int, directory: Directory, codec: CallCodec) -> None:
        """Prepare the routing stops and the cache."""
        self._seed = seed
        self._codec = codec
        self._parties = PartyBook(seed, directory)
        self.facts = functools.lru_cache(maxsize=20_000)(self._facts)

    def _routing(
        self, rng: random.Random, call: Call
    ) -> tuple[tuple[Party, ...], tuple[str, ...], str]:
        """Pick routing stops, element events and the legacy path of a call."""
        extra = call.legs - 1
        inbound = call.caller == OUTSIDE
        hops = (
            tuple(self._parties.hops[min(i, 2)] for i in range(extra))
            if inbound
            else ((self._parties.hops[2],) * extra)
        )
        more = (pick(rng, ("forward", "overflow", "ring_to_member")) for _ in hops)
        events = ("incoming" if inbound else "outgoing", *more)
        if call.outcome == "voicemail":
            path = "voiceMail"
        elif extra:
            path = pick(rng, LEGACY_PATHS[call.legs])
        else:
            path = "pstn" if OUTSIDE in (call.caller, call.callee) else "extension"
        return hops, events, path

    def _facts(self, call: Call) -> CallFacts:
        rng = random.Random(f"{call.key}:facts")  # noqa: S311 - test data, not security
        caller, callee = (
            self._parties.party(rng, call.caller),
            self._parties.party(rng, call.callee),
        )
        hops, events, path = self._routing(rng, call)
        external = OUTSIDE in (call.caller, call.callee)
        outside = caller if call.caller == OUTSIDE else callee
        leg_results = tuple("overflowed" if e == "overflow" else "hang_up" for e in events[:-1])
        call_result = pick(rng, V2_RESULTS[call.outcome])
        recorded = call.answered and _chance(rng, "recorded")
        rate = pick(rng, RATES) if call.caller != OUTSIDE and external else "0.00"
        international = external and outside.iso != "US"
        # Site, department and group of a call are those of its account-side party.
        home = callee if callee.user else caller
        return CallFacts(
            call_id=numeric_call_id(call.key),
            uuid=self._codec.encode(call.kind, call.owner, call.day, call.slot),
            caller=caller,
            callee=callee,
            home=home,
            hops=hops,
            operator=callee if "forward" in events and callee.user else None,
            path=path,
            result=pick(rng, LEGACY_RESULTS[call.outcome][: 4 if recorded else 3]),
            call_result=call_result,
            events=events,
            leg_results=(*leg_results, call_result),
            reasons=tuple(
                "answered_by_other" if r == "hang_up" and _chance(rng, "reason") else None
                for r in (*leg_results, call_result)
            ),
            recording_type=pick(rng, ("1", "2", "OnDemand", "Automatic")) if recorded else None,
            recording_id=hex_id(call.key, "recording") if recorded else None,
            voicemail_id=hex_id(call.key, "voicemail") if call.outcome == "voicemail" else None,
            rate=rate,
            charge=f"${float(rate) * -(-call.talk // 60):.4f}" if rate != "0.00" else "$0.00",
            client_code=str(rng.randrange(100, 999)) if _chance(rng, "client_code") else None,
            billing_reference=(
                "ZoomTelecom123456" if external and _chance(rng, "billing_reference") else None
            ),
            hide_caller_id=_chance(rng, "hidden"),
            end_to_end=not external and _chance(rng, "end_to_end"),
            international=international,
            emergency=_chance(rng, "emergency"),
            account_call_type=_account_call_type(rng, external=external, abroad=international),
            trunk=(
                (str(rng.randrange(10, 99)), "SBC-East", str(rng.randrange(10, 99)), "SIP Group A")
                if external and _chance(rng, "trunk")
                else None
            ),
            group_id=zoom_id(self._seed, "group", home.site.id)
            if home.site and _chance(rng, "group")
            else None,
            spam=pick(rng, ("Maybe Spam", "Spam"))
            if call.caller == OUTSIDE and _chance(rng, "spam")
            else None,
            summary_id=zoom_id(call.key, "summary")
            if call.answered and _chance(rng, "summary")
            else None,
        )


def _chance(rng: random.Random, what: str) -> bool:
    return chance(rng, CHANCE[what])


def _account_call_type(rng: random.Random, *, external: bool, abroad: bool) -> str:
    """The `call_type` of account call logs: voip inside the account, else pstn, toll-free..."""
    if not external:
        return "voip"
    if abroad:
        return "international"
    return pick(rng, ("pstn", "pstn", "pstn", "tollfree"))
