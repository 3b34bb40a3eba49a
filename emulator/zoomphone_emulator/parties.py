"""The parties of calls: the account's users, its routing stops, and outside callers."""

from __future__ import annotations

import dataclasses
import functools
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from zoomphone_emulator.calls import OUTSIDE
from zoomphone_emulator.ids import zoom_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from zoomphone_emulator.directory import Directory, PhoneUser, Site

T = TypeVar("T")
DEVICES_PER_USER = 2
OUTSIDE_NAMES = (
    "WIRELESS CALLER",
    "Acme Logistics",
    "Maria Lopez",
    "John Carter",
    "Bright Dental",
    "Unknown",
    "Northwind Traders",
    "Keisha Brown",
    "CITY OF GLENDALE",
    "Tomás Ruiz",
)
OUTSIDE_PLACES = (
    ("Glendale     CA", "818"),
    ("Pontotoc     MS", "662"),
    ("Birmingham     AL", "205"),
    ("Modesto     CA", "209"),
    ("Detroit     MI", "313"),
    ("Brooklyn     NY", "718"),
)
DEVICES = (
    "MAC_Client(6.0.2.33403)",
    "WIN_Client(6.1.1.43721)",
    "iOS(6.0.10)",
    "Android(6.0.5)",
    "Polycom VVX 450",
    "Yealink T54W",
)
# Routing stops of inbound calls: name, extension, v2 extension type, legacy extension type.
HOPS = (
    ("Main Auto Receptionist", "800", "auto_receptionist", "autoReceptionist"),
    ("Support Queue", "900", "call_queue", "callQueue"),
    ("Front Desk", "950", "shared_line_group", "sharedLineGroup"),
)
# How often optional party details occur.
ACCOUNT_CODE = 0.1
ABROAD = 0.05
BYOP = 0.05
CONTACT = 0.1


def chance(rng: random.Random, probability: float) -> bool:
    """Whether an optional detail occurs.

    Args:
        rng: The call's generator.
        probability: How often it occurs.

    Returns:
        True when it does.
    """
    return rng.random() < probability


def pick_int(rng: random.Random, low: int, high: int) -> int:
    """`rng.randrange(low, high)` at a third of its cost (good enough for cosmetic numbers).

    Args:
        rng: The call's generator.
        low: Smallest value.
        high: Bound, excluded.

    Returns:
        The number.
    """
    return low + int(rng.random() * (high - low))


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """`rng.choice` without its overhead (this runs tens of times per call).

    Args:
        rng: The call's generator.
        options: What to choose from.

    Returns:
        One of the options.
    """
    return options[int(rng.random() * len(options))]


@dataclass(slots=True)
class Party:
    """One side of a call (a user, a routing stop, or someone outside the account).

    Instances are shared between calls and never changed (not frozen: that would make
    building them several times slower).

    Attributes:
        name: Display name.
        number: Legacy `*_number`: the extension inside the account, E.164 outside.
        did: Direct number in E.164.
        location: City and state.
        number_type: Legacy number type (1 internal, 2 external, 3 BYOP).
        number_source: Legacy number source ("internal", "external", "byop").
        v2_number_type: v2 number type ("zoom_pstn", "external_pstn", ...).
        country_code: Calling code, e.g. "1".
        iso: Country ISO code.
        user: The phone user, when the party is one.
        ext_id: Extension id (inside the account).
        ext_number: Extension number (inside the account).
        ext_type: v2 extension type ("user", "call_queue", ...), None outside.
        legacy_ext_type: Legacy extension type ("user", "callQueue", ...).
        device_type: Client or phone model, None when unknown.
        private_ip: Device private IP.
        public_ip: Device public IP.
        account_code: Account code dialled, if any.
    """

    name: str
    number: str
    did: str
    location: str
    number_type: int
    number_source: str
    v2_number_type: str
    country_code: str = "1"
    iso: str = "US"
    user: PhoneUser | None = None
    ext_id: str | None = None
    ext_number: str | None = None
    ext_type: str | None = None
    legacy_ext_type: str | None = None
    device_type: str | None = None
    private_ip: str | None = None
    public_ip: str | None = None
    account_code: str | None = None

    @property
    def site(self) -> Site | None:
        """The party's site, for users."""
        return self.user.site if self.user else None

    def legacy(self, *, with_type: bool = False) -> dict[str, object]:
        """Return the party as a legacy `accepted_by` / `forwarded_by` object.

        Args:
            with_type: Include `extension_type` (only `forwarded_by` has it).

        Returns:
            The object.
        """
        out: dict[str, object] = {
            "extension_number": self.ext_number or "",
            "location": self.location,
            "name": self.name,
            "number_type": self.number_type,
            "phone_number": self.did,
        }
        if with_type:
            out = {
                "extension_number": out["extension_number"],
                "extension_type": self.legacy_ext_type or "user",
                **{k: v for k, v in out.items() if k != "extension_number"},
            }
        return out


class PartyBook:
    """Builds the parties of calls; a user's variants (line x device) are cached.

    Args:
        seed: The emulator seed.
        directory: The account's users.
    """

    def __init__(self, seed: int, directory: Directory) -> None:
        """Prepare the routing stops and the cache."""
        self._seed = seed
        self._directory = directory
        self.hops = tuple(self._hop(*hop) for hop in HOPS)
        self._user_variants = functools.lru_cache(maxsize=4_096)(self._variants)

    def _hop(self, name: str, ext: str, ext_type: str, legacy_type: str) -> Party:
        site = self._directory.sites[0]
        return Party(
            name=name,
            number=ext,
            did=f"+1{site.area_code}555{ext}0",
            location=site.location,
            ext_id=zoom_id(self._seed, "hop", name),
            ext_number=ext,
            ext_type=ext_type,
            legacy_ext_type=legacy_type,
            number_type=1,
            number_source="internal",
            v2_number_type="zoom_pstn",
        )

    def _variants(self, index: int) -> tuple[Party, ...]:
        """A user as a party: one variant per line and device the user calls from."""
        user = self._directory.users[index]
        rng = random.Random(f"{self._seed}:devices:{index}")  # noqa: S311 - test data
        devices = [
            (
                pick(rng, DEVICES),
                f"10.{rng.randrange(256)}.0.{rng.randrange(2, 250)}",
                f"135.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(2, 250)}",
            )
            for _ in range(DEVICES_PER_USER)
        ]
        return tuple(
            Party(
                name=user.name,
                number=str(user.extension_number),
                did=did,
                location=user.site.location,
                user=user,
                ext_id=user.extension_id,
                ext_number=str(user.extension_number),
                ext_type="user",
                legacy_ext_type="user",
                number_type=1,
                number_source="internal",
                v2_number_type="zoom_pstn",
                device_type=device,
                private_ip=private_ip,
                public_ip=public_ip,
            )
            for did in user.numbers
            for device, private_ip, public_ip in devices
        )

    def _user_party(self, rng: random.Random, user: PhoneUser) -> Party:
        party = pick(rng, self._user_variants(user.index))
        if chance(rng, ACCOUNT_CODE):
            party = dataclasses.replace(party, account_code=str(pick_int(rng, 100, 999)))
        return party

    def _outside_party(self, rng: random.Random) -> Party:
        abroad = chance(rng, ABROAD)
        place, area = pick(rng, OUTSIDE_PLACES)
        if abroad:
            did, place, code, iso = (
                f"+44{pick_int(rng, 7 * 10**9, 8 * 10**9)}",
                "London",
                "44",
                "GB",
            )
        else:
            did, code, iso = f"+1{area}{pick_int(rng, 2_000_000, 9_999_999)}", "1", "US"
        byop = not abroad and chance(rng, BYOP)
        return Party(
            name=pick(rng, OUTSIDE_NAMES),
            number=did,
            did=did,
            location=place,
            country_code=code,
            iso=iso,
            ext_type="external_contact" if chance(rng, CONTACT) else None,
            number_type=3 if byop else 2,
            number_source="byop" if byop else "external",
            v2_number_type="byop" if byop else "external_pstn",
        )

    def party(self, rng: random.Random, index: int) -> Party:
        """Return the party for a user index, or a new outside party for OUTSIDE.

        Args:
            rng: The call's generator.
            index: User index or OUTSIDE.

        Returns:
            The party.
        """
        if index == OUTSIDE:
            return self._outside_party(rng)
        return self._user_party(rng, self._directory.users[index])
