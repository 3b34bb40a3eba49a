"""SMS sessions and their messages, generated lazily per (owner, day) from the seed.

Conversations start as time goes by: each user starts `sms_sessions_per_user` sessions over
`history_days` on average (each call queue and auto receptionist, and the account's service
endpoint, half as many), with someone outside the account, another user, a group of numbers or
a number abroad. A session's `sms_per_session` messages (on average) follow its start, in
bursts minutes apart and follow-ups hours or days later, within MAX_LIFE. Only what has
happened by the emulator's now is served (a message counts from its own `date_time`, with no
ingest delay), so new sessions and messages appear as the clock moves on. A session id
encodes where the session was generated, so any session is found again without an index.
"""

from __future__ import annotations

import bisect
import functools
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from zoomphone_emulator.calls import (
    DAY,
    HOUR_CUM_WEIGHTS,
    HOURS,
    WEEKDAY_FACTOR,
    day_of,
    day_start,
    poisson,
    uniform,
)
from zoomphone_emulator.ids import CallCodec, zoom_id
from zoomphone_emulator.parties import OUTSIDE_NAMES, OUTSIDE_PLACES, pick
from zoomphone_emulator.queries import Lru

if TYPE_CHECKING:
    from zoomphone_emulator.catalog import Catalog
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.directory import Directory

SESSION_TYPES = ("user", "call_queue", "auto_receptionist", "service_endpoint")
OWNER_TYPES = {
    "user": "user",
    "call_queue": "callQueue",
    "auto_receptionist": "autoReceptionist",
    "service_endpoint": "serviceEndpoint",
}
FILTER_TYPES = (
    "last_message_time",
    "sent_message_time",
    "received_message_time",
    "sent_received_message_time",
)
TEXTS = (
    "Hi, is this still available?",
    "Thanks, see you tomorrow.",
    "Can you call me back when you get a chance?",
    "Your appointment is confirmed for 10:30.",
    "Running 10 minutes late, sorry!",
    "Got it, thank you.",
    "What time do you open on Saturday?",
    "Please send the invoice to billing@example.com",
    "OK 👍",
    "Here is the photo you asked for.",
)
ATTACHMENT_TYPES = (("JPG", "jpg", 225_740), ("PNG", "png", 98_112), ("GIF", "gif", 512_004))
# Delivery statuses of outbound messages, cumulative weights out of 100.
SENT_STATUSES = (
    ("delivered", 80),
    ("sent", 88),
    ("failed_to_deliver", 93),
    ("failed_to_send", 96),
    ("unknown", 100),
)
MMS_SHARE = 0.1
# Gaps between a session's messages: mostly a burst, sometimes a follow-up later on.
BURST_GAP = (20, 900)
FOLLOW_UP_GAP = (2 * 3600, 4 * DAY)
BURST_SHARE = 0.9
# How often the next message goes the other way (an answer).
ANSWER_SHARE = 0.7
MAX_LIFE = 30 * DAY
# Call queues, auto receptionists and the service endpoint start sessions at this share of a
# user's rate.
OTHER_OWNERS_RATE = 0.5
# The `kind` of session coordinates in their ids (0 and 1 are calls).
SESSION_KIND = 2
DAY_CACHE_SIZE = 65_536
LIST_CACHE_SIZE = 8


@dataclass(frozen=True, slots=True)
class Member:
    """A participant of a session.

    Attributes:
        name: Display name.
        number: Phone number, digits only (as Zoom's SMS answers show them).
        owner_id: Id of the user, call queue... owning the number; "" outside the account.
        owner_type: OWNER_TYPES value ("user", the zero value, outside the account).
    """

    name: str
    number: str
    owner_id: str
    owner_type: str


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a session.

    Attributes:
        time: Epoch second it was created (`date_time`).
        session: Its session's id.
        number: Its position in the session.
        outbound: Sent by the account's side ("Out"), else received ("In").
        sender: Which peer sent it (inbound messages).
        text: The text.
        status: Delivery status.
        attachment: (type, extension, size) of an MMS attachment, or None.
    """

    time: int
    session: str
    number: int
    outbound: bool
    sender: int
    text: str
    status: str
    attachment: tuple[str, str, int] | None

    @property
    def id(self) -> str:
        """The message id (worked out when asked: most messages are only ever counted)."""
        return zoom_id("sms", self.session, self.number)


@dataclass(frozen=True, slots=True)
class SmsSession:
    """One SMS conversation and all its messages (past and to come).

    Attributes:
        id: Session id (32 hex digits, encoding where it was generated).
        type: SESSION_TYPES value.
        owner: The account's side.
        peers: The other side (several for a group).
        message_type: Zoom's message type: 1 SMS, 3 group SMS, 5 international, 6 on-net
            (the MMS variants 2 and 4 are used for messages with an attachment).
        messages: Its messages, oldest first.
        times: Their times (for bisecting).
    """

    id: str
    type: str
    owner: Member
    peers: tuple[Member, ...]
    message_type: int
    messages: tuple[Message, ...]
    times: tuple[int, ...]

    @property
    def key(self) -> int:
        """A small number for the session (what page tokens pin)."""
        return int(self.id[:7], 16)

    def until(self, at: int) -> tuple[Message, ...]:
        """Return the messages created by an instant.

        Args:
            at: Epoch seconds.

        Returns:
            The messages, oldest first.
        """
        return self.messages[: bisect.bisect_right(self.times, at)]


class Listed(NamedTuple):
    """A session as a list serves it.

    Attributes:
        rank: Negative time of its last message at the snapshot (newest first).
        id: Session id (ties are ordered by it).
        session: The session.
        last: Its last message at the snapshot (`last_access_time`).
    """

    rank: int
    id: str
    session: SmsSession
    last: Message


class SmsBook:
    """The account's SMS sessions and messages.

    Args:
        config: The settings (seed, history and SMS sizes are read once).
        directory: The account's users.
        catalog: Its call queues and auto receptionists.
        origin: Epoch second before which no session starts.
    """

    def __init__(
        self, config: EmulatorConfig, directory: Directory, catalog: Catalog, origin: int
    ) -> None:
        """Prepare the caches (owners are listed on first use)."""
        self._seed = config.seed
        self._codec = CallCodec(config.seed)
        self._rate = config.sms_sessions_per_user / config.history_days
        self._per_session = config.sms_per_session
        self._directory = directory
        self._catalog = catalog
        self._origin = origin
        self.first_day = day_of(origin)
        self._of_day = functools.lru_cache(maxsize=DAY_CACHE_SIZE)(self._day)
        self._lists: Lru[list[Listed]] = Lru(LIST_CACHE_SIZE)

    @functools.cached_property
    def owners(self) -> tuple[tuple[str, Member], ...]:
        """Who starts sessions: (session type, member), users first."""
        owners = [
            ("user", Member(u.name, u.numbers[0].lstrip("+"), u.id, "user"))
            for u in self._directory.users
        ]
        for kind, extensions in (
            ("call_queue", self._catalog.call_queues),
            ("auto_receptionist", self._catalog.auto_receptionists),
        ):
            owners += [
                (kind, Member(e.name, e.numbers[0].lstrip("+"), e.id, OWNER_TYPES[kind]))
                for e in extensions
            ]
        site = self._directory.sites[0]
        endpoint = Member(
            "Appointments Bot",
            f"1{site.area_code}5559990",
            self._catalog.service_endpoint,
            OWNER_TYPES["service_endpoint"],
        )
        owners.append(("service_endpoint", endpoint))
        return tuple(owners)

    def owners_of(self, types: tuple[str, ...]) -> list[int]:
        """Return the indexes of the owners of sessions of some types.

        Args:
            types: Session types.

        Returns:
            Owner indexes.
        """
        return [i for i, (kind, _) in enumerate(self.owners) if kind in types]

    def find(self, session_id: str) -> SmsSession | None:
        """Find a session by id (started or not yet).

        Args:
            session_id: The `sessionId` path parameter.

        Returns:
            The session, or None.
        """
        found = self._codec.decode_hex(session_id)
        if found is None or found[0] != SESSION_KIND:
            return None
        _, owner, day, _ = found
        if owner >= len(self.owners) or day < self.first_day:
            return None
        return next((s for s in self._of_day(owner, day) if s.id == session_id), None)

    def _day(self, owner: int, day: int) -> tuple[SmsSession, ...]:
        """The sessions an owner starts on one day (none before the origin)."""
        kind = self.owners[owner][0]
        rate = self._rate * (1 if kind == "user" else OTHER_OWNERS_RATE)
        label = f"{self._seed}:sms:{owner}:{day}"
        count = poisson(uniform(label), rate * WEEKDAY_FACTOR[(day + 6) % 7])
        if not count:
            return ()
        rng = random.Random(label)  # noqa: S311 - test data, not security
        sessions = [self._session(rng, owner, day, slot) for slot in range(count)]
        return tuple(s for s in sessions if s.times[0] >= self._origin)

    def _session(self, rng: random.Random, owner: int, day: int, slot: int) -> SmsSession:
        kind, member = self.owners[owner]
        peers, message_type = self._peers(rng, kind, owner)
        ident = self._codec.encode_hex(SESSION_KIND, owner, day, slot)
        hour = HOURS[bisect.bisect(HOUR_CUM_WEIGHTS, rng.random() * HOUR_CUM_WEIGHTS[-1])]
        start = day_start(day) + hour * 3600 + int(rng.random() * 3600)
        count = max(1, poisson(rng.random(), self._per_session))
        outbound = kind == "user" and rng.random() < 0.5  # noqa: PLR2004 - who texts first
        time, messages = start, []
        for number in range(count):
            messages.append(
                self._message(rng, ident, number, time, outbound=outbound, peers=len(peers))
            )
            outbound = outbound != (rng.random() < ANSWER_SHARE)
            low, high = BURST_GAP if rng.random() < BURST_SHARE else FOLLOW_UP_GAP
            time += low + int(rng.random() * (high - low))
            if time > start + MAX_LIFE:
                break
        return SmsSession(
            ident,
            kind,
            member,
            peers,
            message_type,
            tuple(messages),
            tuple(m.time for m in messages),
        )

    def _peers(self, rng: random.Random, kind: str, owner: int) -> tuple[tuple[Member, ...], int]:
        """The other side of a new session and the session's message type."""
        users = self._directory.users
        draw = rng.random()
        if kind == "user" and draw < 0.1 and len(users) > 1:  # noqa: PLR2004 - 1 in 10
            index = int(rng.random() * (len(users) - 1))
            other = users[index + (index >= owner)]  # anyone but the owner (users come first)
            return (Member(other.name, other.numbers[0].lstrip("+"), other.id, "user"),), 6
        if draw < 0.2:  # noqa: PLR2004 - 1 in 10 is a group
            return (_outside(rng), _outside(rng)), 3
        if draw < 0.25:  # noqa: PLR2004 - 1 in 20 is abroad
            return (_outside(rng, abroad=True),), 5
        return (_outside(rng),), 1

    def _message(  # noqa: PLR0913 - a message's coordinates
        self,
        rng: random.Random,
        session: str,
        number: int,
        time: int,
        *,
        outbound: bool,
        peers: int,
    ) -> Message:
        status = "received"
        if outbound:
            mark = rng.random() * 100
            status = next(name for name, below in SENT_STATUSES if mark < below)
        attachment = pick(rng, ATTACHMENT_TYPES) if rng.random() < MMS_SHARE else None
        return Message(
            time=time,
            session=session,
            number=number,
            outbound=outbound,
            sender=int(rng.random() * peers),
            text=pick(rng, TEXTS),
            status=status,
            attachment=attachment,
        )

    def messages(self, session: SmsSession, first: int, last: int) -> list[Message]:
        """Return a session's messages created from `first` to `last`, oldest first.

        Args:
            session: The session.
            first: First epoch second (inclusive).
            last: Last epoch second (inclusive).

        Returns:
            The messages.
        """
        times = session.times
        low, high = bisect.bisect_left(times, first), bisect.bisect_right(times, last)
        return list(session.messages[low:high])

    def listed(  # noqa: PLR0913, PLR0917 - the filters of the list
        self,
        start: int,
        end: int,
        snapshot: int,
        types: tuple[str, ...],
        filter_type: str,
        phone: str = "",
    ) -> list[Listed]:
        """List the sessions a window holds, by the last message at the snapshot, newest first.

        `last_message_time` takes the sessions whose last message falls in the window;
        `sent_message_time` / `received_message_time` those with an outbound / inbound
        message in it; `sent_received_message_time` those with any message in it.

        Args:
            start: First epoch second of the window.
            end: Last epoch second of the window.
            snapshot: Only messages created by then count (epoch seconds).
            types: Session types wanted.
            filter_type: One of FILTER_TYPES.
            phone: Only sessions with a member of this number (digits), if given.

        Returns:
            The sessions.
        """
        wanted = {"sent_message_time": (True,), "received_message_time": (False,)}
        directions = wanted.get(filter_type, (True, False))
        last_second = min(end, snapshot)

        def build() -> list[Listed]:
            out = []
            owners = self.owners_of(types)
            first_day = max(self.first_day, day_of(start - MAX_LIFE))
            for day in range(first_day, day_of(last_second) + 1):
                for owner in owners:
                    for session in self._of_day(owner, day):
                        if phone and not _has_number(session, phone):
                            continue
                        sent = session.until(snapshot)
                        if not sent:
                            continue
                        if filter_type == "last_message_time":
                            found = start <= sent[-1].time <= end
                        else:
                            found = any(
                                m.outbound in directions
                                for m in self.messages(session, start, last_second)
                            )
                        if found:
                            out.append(Listed(-sent[-1].time, session.id, session, sent[-1]))
            out.sort()
            return out

        key = (start, end, snapshot, types, filter_type, phone)
        return self._lists.get(key, build)


def _outside(rng: random.Random, *, abroad: bool = False) -> Member:
    """Someone outside the account: no owner (zero values: "" and the first owner type)."""
    if abroad:
        number = f"44{7_000_000_000 + int(rng.random() * 10**9)}"
    else:
        area = pick(rng, OUTSIDE_PLACES)[1]
        number = f"1{area}{2_000_000 + int(rng.random() * 7_999_999)}"
    return Member(pick(rng, OUTSIDE_NAMES), number, "", "user")


def _has_number(session: SmsSession, phone: str) -> bool:
    return any(m.number == phone for m in (session.owner, *session.peers))
