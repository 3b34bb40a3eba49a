"""Calls of the account, generated lazily per (user, day) from the seed.

Nothing here is proportional to the whole history: a query walks the days it needs, and a
small LRU keeps recently generated days.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import random
from dataclasses import dataclass
from itertools import accumulate
from statistics import NormalDist
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from zoomphone_emulator.settling import Settling

T = TypeVar("T")

EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
DAY = 86400
OWN, PAIR = 0, 1
# Share of a paired user's calls that go to its partner (these appear in both users' logs).
INTERNAL_SHARE = 0.15
WEEKDAY_FACTOR = (1.25, 1.25, 1.25, 1.25, 1.2, 0.4, 0.3)
HOURS = tuple(range(24))
HOUR_CUM_WEIGHTS = tuple(
    accumulate((1, 1, 1, 1, 1, 2, 4, 10, 30, 45, 50, 45, 35, 45, 50, 45, 35, 20, 8, 5, 4, 3, 2, 1))
)
OUTCOMES = ("answered", "missed", "voicemail", "cancelled")
OUTCOME_CUM_WEIGHTS = (72, 84, 94, 100)
VOICEMAIL_SHARE = 0.1  # what OUTCOME_CUM_WEIGHTS gives voicemail
INBOUND_LEGS = ((1, 2, 3, 4), (50, 75, 90, 100))
OTHER_LEGS = ((1, 2), (85, 100))
MAX_TALK = 2 * 3600
ANSWERED_WAIT = (2, 40)
UNANSWERED_WAIT = (15, 60)
VOICEMAIL_TALK = (5, 90)
HOLD_SHARE = 0.2
OUTSIDE = -1
INBOUND_SHARE = 0.6


def outcome_weights(voicemail_share: float) -> tuple[float, ...]:
    """Cumulative outcome weights giving voicemail this share, the others their proportions.

    Args:
        voicemail_share: Share of calls that end in voicemail (0..1).

    Returns:
        OUTCOME_CUM_WEIGHTS itself for the default share (so the draws are unchanged).
    """
    if voicemail_share == VOICEMAIL_SHARE:
        return OUTCOME_CUM_WEIGHTS
    others = (1 - voicemail_share) / (1 - VOICEMAIL_SHARE)
    answered, missed, voicemail, cancelled = (
        72 * others,
        12 * others,
        100 * voicemail_share,
        6 * others,
    )
    return tuple(accumulate((answered, missed, voicemail, cancelled)))


def day_start(day: int) -> int:
    """Return the epoch second at which a day (ordinal) starts, UTC.

    Args:
        day: Proleptic Gregorian ordinal.

    Returns:
        Epoch seconds.
    """
    return (day - EPOCH_ORDINAL) * DAY


def day_of(epoch: float) -> int:
    """Return the day ordinal holding an epoch second.

    Args:
        epoch: Epoch seconds.

    Returns:
        The day ordinal.
    """
    return int(epoch // DAY) + EPOCH_ORDINAL


@dataclass(slots=True, eq=False)
class Call:
    """One phone call: its coordinates, timing and who took part.

    Never changed once made (a version served later is drawn with it: `changes`, `extra`).
    Not frozen, and hashed by identity: a frozen dataclass is several times slower to build
    and to hash; calls are built by the hundred thousand, each once while its day stays
    cached, and key the UUID cache.

    Attributes:
        kind: OWN (a user's call with an outside party) or PAIR (between paired users).
        owner: User index (OWN) or pair index (PAIR).
        day: Day ordinal of the start.
        slot: Position within the owner's day (part of the identity).
        key: Stable text identity; seeds every detail of the call.
        start: Epoch second the call started (`date_time`, `start_time`).
        wait: Seconds ringing before answer or give-up.
        talk: Seconds connected (to a person or voicemail).
        hold: Seconds on hold (inside `talk`).
        outcome: "answered", "missed", "voicemail" or "cancelled".
        caller: User index of the caller, or OUTSIDE.
        callee: User index of the callee, or OUTSIDE.
        legs: Number of call-path elements (1..4).
        late: Seconds it becomes visible after the ingest delay (settling.py; 0 mostly).
        changes: Seconds after it becomes visible that it changes once (0: never).
        extra: Talk seconds its final version adds (when it changes).
    """

    kind: int
    owner: int
    day: int
    slot: int
    key: str
    start: int
    wait: int
    talk: int
    hold: int
    outcome: str
    caller: int
    callee: int
    legs: int
    late: int = 0
    changes: int = 0
    extra: int = 0

    @property
    def end(self) -> int:
        """Epoch second the call ended (`call_end_time`, `end_time`)."""
        return self.start + self.wait + self.talk

    @property
    def answered(self) -> bool:
        """Whether a person answered."""
        return self.outcome == "answered"

    @property
    def users(self) -> tuple[int, ...]:
        """Indexes of the account's users taking part (whose logs hold this call)."""
        return tuple(u for u in (self.caller, self.callee) if u != OUTSIDE)

    def missed_by(self, user: int) -> bool:
        """Whether `user` was called and nobody answered (the `type=missed` filter).

        Args:
            user: A user index.

        Returns:
            True for a missed inbound call.
        """
        return self.callee == user and not self.answered

    def visible_at(self, ingest_delay: int) -> int:
        """Epoch second from which the call's records are served.

        Args:
            ingest_delay: Seconds between a call's end and its records appearing.

        Returns:
            Epoch seconds.
        """
        return self.end + ingest_delay + self.late

    def changed_at(self, ingest_delay: int) -> int | None:
        """Epoch second from which its records are served in their final version.

        Args:
            ingest_delay: Seconds between a call's end and its records appearing.

        Returns:
            Epoch seconds, or None for a call that never changes.
        """
        return self.visible_at(ingest_delay) + self.changes if self.changes else None

    def final_at(self, ingest_delay: int, now: float) -> bool:
        """Whether the call's records are served in their changed version at `now`.

        Args:
            ingest_delay: Seconds between a call's end and its records appearing.
            now: Epoch seconds.

        Returns:
            True once the call changed.
        """
        changed = self.changed_at(ingest_delay)
        return changed is not None and changed <= now

    def leg_times(self, leg: int) -> tuple[int, int | None, int]:
        """Return (start, answer or None, end) of one call-path element.

        Routing legs share the ringing time; the last leg carries the conversation.

        Args:
            leg: Element index, 0-based.

        Returns:
            Epoch seconds of the element's start, answer and end.
        """
        begin = self.start + self.wait * leg // self.legs
        if leg < self.legs - 1:
            return begin, None, self.start + self.wait * (leg + 1) // self.legs
        answer = self.start + self.wait if self.outcome in ("answered", "voicemail") else None
        return begin, answer, self.end


class CallBook:
    """Generates the calls of any (user, day) and finds a call from its coordinates.

    A day's calls are generated whole, in slot order; those that would start before the
    origin are generated too (so that what follows them does not depend on when the
    emulator started) but never listed.

    Args:
        seed: The emulator seed.
        users: Number of users.
        calls_per_user: Average calls per user over `history_days`.
        history_days: Days of history the rate is spread over.
        origin: Epoch second before which no call exists.
        voicemail_share: Share of calls that end in voicemail.
        settling: How late calls become visible and which change (None: none).
    """

    def __init__(  # noqa: PLR0913, PLR0917 - what shapes the calls
        self,
        seed: int,
        users: int,
        calls_per_user: int,
        history_days: int,
        origin: int,
        voicemail_share: float = VOICEMAIL_SHARE,
        settling: Settling | None = None,
    ) -> None:
        """Prepare per-user rates and the day caches."""
        self.seed = seed
        self._settling = settling if settling is not None and settling.active else None
        self.changes = settling is not None and settling.change_share > 0
        self.users = users
        self.origin = origin
        self._outcomes = outcome_weights(voicemail_share)
        self.first_day = day_of(origin)
        rate = calls_per_user / history_days
        # Users differ in how busy they are (0.6x..1.4x), deterministically.
        activity = [
            0.6 + 0.8 * random.Random(f"{seed}:activity:{u}").random()  # noqa: S311 - test data
            for u in range(users)
        ]
        paired = [(u ^ 1) < users for u in range(users)]
        self._own_rate = [
            rate * a * (1 - INTERNAL_SHARE if p else 1)
            for a, p in zip(activity, paired, strict=True)
        ]
        self._pair_rate = [
            rate * INTERNAL_SHARE * (activity[2 * k] + activity[2 * k + 1]) / 2
            for k in range(users // 2)
        ]
        self.own_day = functools.lru_cache(maxsize=65_536)(self._own_day)
        self.pair_day = functools.lru_cache(maxsize=32_768)(self._pair_day)

    def _own_day(self, user: int, day: int) -> tuple[Call, ...]:
        label = f"{self.seed}:{user}:{day}"
        count = poisson(uniform(label), self._own_rate[user] * WEEKDAY_FACTOR[(day + 6) % 7])
        if not count:
            return ()  # most days are quiet: skip seeding a generator for them
        rng = random.Random(label)  # noqa: S311 - test data, not security
        calls = []
        for slot in range(count):
            inbound = rng.random() < INBOUND_SHARE
            caller, callee = (OUTSIDE, user) if inbound else (user, OUTSIDE)
            calls.append(self._make(rng, (OWN, user, day, slot), (caller, callee)))
        return tuple(calls)

    def _pair_day(self, pair: int, day: int) -> tuple[Call, ...]:
        label = f"{self.seed}:pair:{pair}:{day}"
        count = poisson(uniform(label), self._pair_rate[pair] * WEEKDAY_FACTOR[(day + 6) % 7])
        if not count:
            return ()
        rng = random.Random(label)  # noqa: S311 - test data, not security
        calls = []
        for slot in range(count):
            first = rng.random() < 0.5  # noqa: PLR2004 - either partner may call
            a, b = (2 * pair, 2 * pair + 1) if first else (2 * pair + 1, 2 * pair)
            calls.append(self._make(rng, (PAIR, pair, day, slot), (a, b)))
        return tuple(calls)

    def made(self, kind: int, owner: int, day: int) -> tuple[Call, ...]:
        """Return every call generated for an owner's day, in slot order (`call.slot` indexes it).

        Args:
            kind: OWN or PAIR.
            owner: User index (OWN) or pair index (PAIR).
            day: Day ordinal.

        Returns:
            The calls, including any that start before the origin.
        """
        return self.own_day(owner, day) if kind == OWN else self.pair_day(owner, day)

    def _kept(self, calls: tuple[Call, ...], day: int) -> tuple[Call, ...]:
        """Drop calls that start before the origin (only the first day can have them)."""
        if day != self.first_day:
            return calls
        return tuple(c for c in calls if c.start >= self.origin)

    def _make(
        self, rng: random.Random, where: tuple[int, int, int, int], parties: tuple[int, int]
    ) -> Call:
        """Draw one call at coordinates (kind, owner, day, slot) between (caller, callee)."""
        kind, owner, day, slot = where
        caller, callee = parties
        hour = _weighted(rng, HOURS, HOUR_CUM_WEIGHTS)
        start = day_start(day) + hour * 3600 + int(rng.random() * 3600)
        outcome = _weighted(rng, OUTCOMES, self._outcomes)
        if outcome == "answered":
            wait = _between(rng, *ANSWERED_WAIT)
            talk = min(MAX_TALK, 5 + int(rng.expovariate(1 / 200)))
            hold = _between(rng, 5, 5 + talk // 3) if rng.random() < HOLD_SHARE else 0
        else:
            wait = _between(rng, *UNANSWERED_WAIT)
            talk = _between(rng, *VOICEMAIL_TALK) if outcome == "voicemail" else 0
            hold = 0
        legs_choice = INBOUND_LEGS if caller == OUTSIDE else OTHER_LEGS
        legs = _weighted(rng, *legs_choice)
        key = f"{self.seed}:{kind}:{owner}:{day}:{slot}"
        # Drawn from the key, not from rng: the other draws stay as they were.
        late, changes, extra = self._settling.draw(key, uniform) if self._settling else (0, 0, 0)
        return Call(
            kind=kind,
            owner=owner,
            day=day,
            slot=slot,
            key=key,
            start=start,
            wait=wait,
            talk=talk,
            hold=hold,
            outcome=outcome,
            caller=caller,
            callee=callee,
            legs=legs,
            late=late,
            changes=changes,
            extra=extra,
        )

    def days(self, first: int, last: int) -> range:
        """Return the day ordinals from `first` to `last`, clipped to where calls exist.

        Args:
            first: First day ordinal wanted.
            last: Last day ordinal wanted (inclusive).

        Returns:
            The days.
        """
        return range(max(first, self.first_day), last + 1)

    def user_calls(self, user: int, first: int, last: int) -> Iterator[Call]:
        """Yield every call a user took part in, day by day.

        Args:
            user: User index.
            first: First day ordinal.
            last: Last day ordinal (inclusive).

        Yields:
            The calls.
        """
        partner = user ^ 1
        for day in self.days(first, last):
            yield from self._kept(self.own_day(user, day), day)
            if partner < self.users:
                yield from self._kept(self.pair_day(user // 2, day), day)

    def owners(self) -> Iterator[tuple[int, int]]:
        """Yield every owner of calls: (OWN, user) for each user, (PAIR, pair) for each pair.

        Yields:
            (kind, owner index).
        """
        for user in range(self.users):
            yield OWN, user
        for pair in range(self.users // 2):
            yield PAIR, pair

    def calls(self, kind: int, owner: int, day: int) -> tuple[Call, ...]:
        """Return an owner's calls of one day (those from the origin on).

        Args:
            kind: OWN or PAIR.
            owner: User index (OWN) or pair index (PAIR).
            day: Day ordinal.

        Returns:
            The calls, in slot order.
        """
        return self._kept(self.made(kind, owner, day), day)

    def find(self, kind: int, owner: int, day: int, slot: int) -> Call | None:
        """Return the call at these coordinates, if it exists.

        Args:
            kind: OWN or PAIR.
            owner: User or pair index.
            day: Day ordinal.
            slot: Position in that day.

        Returns:
            The call, or None.
        """
        limit = self.users if kind == OWN else self.users // 2
        if not 0 <= owner < limit or day < self.first_day:
            return None
        return next((c for c in self.calls(kind, owner, day) if c.slot == slot), None)


def uniform(label: str) -> float:
    """Return a uniform draw in [0, 1) from a label, far cheaper than seeding a generator.

    Args:
        label: What the draw is derived from.

    Returns:
        The draw.
    """
    raw = hashlib.blake2b(label.encode(), digest_size=8).digest()
    return int.from_bytes(raw, "big") / 2**64


def poisson(draw: float, rate: float) -> int:
    """Turn a uniform draw into a Poisson count (inverse CDF; normal beyond 30 a day).

    Args:
        draw: A uniform draw in [0, 1).
        rate: The mean.

    Returns:
        The count.
    """
    if rate <= 0:
        return 0
    if rate > 30:  # noqa: PLR2004 - the normal approximation is exact enough and bounded
        return max(0, round(NormalDist(rate, math.sqrt(rate)).inv_cdf(max(draw, 1e-12))))
    count, term = 0, math.exp(-rate)
    total = term
    while draw > total and term > 0:
        count += 1
        term *= rate / count
        total += term
    return count


def _between(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint(low, high)` with the very same draws, without its argument checks."""
    span = high - low + 1
    bits = span.bit_length()
    drawn = rng.getrandbits(bits)
    while drawn >= span:  # rejection sampling, exactly as Random._randbelow does
        drawn = rng.getrandbits(bits)
    return low + drawn


def _weighted(rng: random.Random, options: Sequence[T], cum_weights: Sequence[float]) -> T:
    """`rng.choices(...)[0]` without its overhead (it runs several times per call)."""
    return options[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]
