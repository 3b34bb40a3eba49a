"""The account's phone users and sites, derived from the seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from zoomphone_emulator.ids import zoom_id

FIRST_NAMES = (
    "Ava",
    "Liam",
    "Noah",
    "Emma",
    "Olivia",
    "Mateo",
    "Sofia",
    "Lucas",
    "Mia",
    "Ethan",
    "Amara",
    "Kenji",
    "Priya",
    "Diego",
    "Fatima",
    "Jonas",
    "Chloe",
    "Ravi",
    "Hana",
    "Omar",
    "Grace",
    "Leo",
    "Isla",
    "Yusuf",
    "Nora",
    "Felix",
    "Zara",
    "Aiden",
    "Lena",
    "Marco",
)
LAST_NAMES = (
    "Nguyen",
    "Smith",
    "Garcia",
    "Kim",
    "Patel",
    "Johnson",
    "Müller",
    "Rossi",
    "Silva",
    "Chen",
    "Okafor",
    "Dubois",
    "Larsen",
    "Tanaka",
    "Cohen",
    "Novak",
    "Brown",
    "Haddad",
    "Walsh",
    "Ortiz",
)
# Locations keep Zoom's runs of spaces between city and state.
SITES = (
    ("Main Site", "Glendale     CA", "818"),
    ("Pontotoc Branch", "Pontotoc     MS", "662"),
    ("Austin Hub", "Austin     TX", "512"),
    ("Denver Office", "Denver     CO", "303"),
    ("Boston Office", "Boston     MA", "617"),
    ("Remote Workers", "San Jose     CA", "408"),
)
DEPARTMENTS = ("Sales", "Support", "Engineering", "Finance", "Operations", "Marketing")
USERS_PER_SITE = 25


@dataclass(frozen=True, slots=True)
class Site:
    """A phone site.

    Attributes:
        id: Site id.
        name: Site name.
        location: City and state as Zoom prints them.
        area_code: Area code of the site's numbers.
    """

    id: str
    name: str
    location: str
    area_code: str


@dataclass(frozen=True, slots=True)
class PhoneUser:
    """One phone user of the account.

    Attributes:
        index: Position in the listing (0 = "me").
        id: Zoom user id.
        email: Email address.
        name: Display name.
        extension_number: Extension number.
        extension_id: Extension id.
        phone_user_id: Phone user id.
        numbers: Direct numbers in E.164.
        site: The user's site.
        department: Department.
        cost_center: Cost center.
        employee_id: Employee id.
        billed: Whether the user's calling plan carries billing references.
    """

    index: int
    id: str
    email: str
    name: str
    extension_number: int
    extension_id: str
    phone_user_id: str
    numbers: tuple[str, ...]
    site: Site
    department: str
    cost_center: str
    employee_id: str
    billed: bool

    def record(self) -> dict[str, Any]:
        """Return the user as `GET /phone/users` lists it.

        Returns:
            The user record.
        """
        plan: dict[str, Any] = {"name": "US/CA Metered Calling Plan", "type": 100}
        if self.billed:
            plan |= {
                "billing_account_id": zoom_id("billing", self.site.id),
                "billing_account_name": f"{self.site.name} billing",
                "billing_subscription_id": f"FT-SUBREF-{21168178 + self.index % 7}",
                "billing_subscription_name": "My Subscription",
            }
        return {
            "calling_plans": [plan],
            "email": self.email,
            "extension_id": self.extension_id,
            "extension_number": self.extension_number,
            "id": self.id,
            "name": self.name,
            "phone_user_id": self.phone_user_id,
            "site": {"id": self.site.id, "name": self.site.name},
            "status": "activate",
            "activation_status": "activated",
            "phone_numbers": [
                {"id": zoom_id("number", n), "number": n.lstrip("+")} for n in self.numbers
            ],
            "department": self.department,
            "cost_center": self.cost_center,
        }


def _site(seed: int, index: int) -> Site:
    """The site at an index: those of SITES first, then numbered copies of them."""
    name, location, area = SITES[index % len(SITES)]
    if index >= len(SITES):
        name = f"{name} {index // len(SITES) + 1}"
    return Site(zoom_id(seed, "site", index), name, location, area)


class Directory:
    """All phone users of the emulated account, in listing order.

    Users are small and few (at most 10,000), so they are built once.

    Args:
        seed: The emulator seed.
        users: Number of users.
        sites: Number of sites; None means one per 25 users, at most 6.
    """

    def __init__(self, seed: int, users: int, sites: int | None = None) -> None:
        """Build the users and their lookup tables."""
        site_count = sites or min(len(SITES), 1 + (users - 1) // USERS_PER_SITE)
        self.sites = tuple(_site(seed, i) for i in range(site_count))
        self.users = tuple(self._make_user(seed, i) for i in range(users))
        self._by_key = {u.id: u for u in self.users} | {u.email.lower(): u for u in self.users}

    def _make_user(self, seed: int, index: int) -> PhoneUser:
        rng = random.Random(f"{seed}:user:{index}")  # noqa: S311 - test data, not security
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        site = self.sites[rng.randrange(len(self.sites))]
        numbers = tuple(
            f"+1{site.area_code}{rng.randrange(2_000_000, 9_999_999)}"
            for _ in range(1 if rng.random() < 0.8 else 2)  # noqa: PLR2004 - 1 in 5 has two lines
        )
        department = rng.choice(DEPARTMENTS)
        return PhoneUser(
            index=index,
            id=zoom_id(seed, "user", index),
            email=f"{first}.{last}{index + 1}@example.com".lower().replace("ü", "ue"),
            name=f"{first} {last}",
            extension_number=1001 + index,
            extension_id=zoom_id(seed, "extension", index),
            phone_user_id=zoom_id(seed, "phone-user", index),
            numbers=numbers,
            site=site,
            department=department,
            cost_center=f"CC-{DEPARTMENTS.index(department) + 1:02d}{site.area_code}",
            employee_id=str(100_000 + index),
            billed=rng.random() < 0.5,  # noqa: PLR2004 - half the plans carry billing refs
        )

    def find(self, key: str) -> PhoneUser | None:
        """Find a user by id, email (any case) or "me" (the first user).

        Args:
            key: The `userId` path parameter.

        Returns:
            The user, or None.
        """
        if key == "me":
            return self.users[0]
        return self._by_key.get(key) or self._by_key.get(key.lower())

    def partner(self, index: int) -> int | None:
        """Return the index of the user paired with `index` for internal calls (2k with 2k+1).

        Args:
            index: A user index.

        Returns:
            The partner's index, or None for an odd last user.
        """
        other = index ^ 1
        return other if other < len(self.users) else None
