"""The account's phone numbers, emergency addresses and call queue members.

`/phone/numbers`, `/phone/emergency_addresses` and `/phone/call_queues/{callQueueId}/members`,
derived from the directory and the catalog: every extension's direct numbers are assigned
numbers, each site also has spare (unassigned) numbers and one number brought from its own
carrier (BYOC), listed under `type=byoc` only (whether Zoom lists BYOC numbers under `all` too
is not confirmed: a complete extraction asks for both). Each site has a company emergency
address; every third user a personal one. A call queue's members are the users whose index
falls to it, and the first common area is a member of the first queue. Every record carries
every field of Zoom's item schema (zeros where a field does not apply, see `recordings.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zoomphone_emulator.errors import ApiError, reject_parameter
from zoomphone_emulator.ids import zoom_id
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.tokens import NO_USER

if TYPE_CHECKING:
    from zoomphone_emulator.catalog import Catalog, Extension
    from zoomphone_emulator.directory import Directory, PhoneUser, Site
    from zoomphone_emulator.paging import Pager, Payload

NUMBER_TYPES = ("assigned", "unassigned", "byoc", "all")
SPARE_PER_SITE = 2
PERSONAL_ADDRESS_EVERY = 3
# Extension kinds as `assignee.type` names them.
ASSIGNEE_TYPES = {
    "call_queue": "callQueue",
    "auto_receptionist": "autoReceptionist",
    "common_area": "commonArea",
    "shared_line_group": "sharedLineGroup",
}
STREETS = ("ALMADEN BLVD", "MAIN ST", "CONGRESS AVE", "LARIMER ST", "BOYLSTON ST", "FIRST ST")
MEMBERS_CAP = 300  # the response's maxItems: Zoom answers a queue's members in one page


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """One number of the account.

    Attributes:
        number: E.164.
        site: Its site.
        kind: "assigned", "unassigned" or "byoc".
        assignee: (type, id, name, extension number) when assigned.
    """

    number: str
    site: Site
    kind: str
    assignee: tuple[str, str, str, int] | None = None

    @property
    def id(self) -> str:
        """The number's id."""
        return zoom_id("number", self.number)


def _street(site: Site) -> tuple[str, str, str]:
    """Street line, city and state code of a site's address."""
    city, _, state = site.location.rpartition(" ")
    return f"{55 + len(site.name)} {STREETS[len(site.id) % len(STREETS)]}", city.strip(), state


def _address(site: Site) -> dict[str, str]:
    line1, city, state = _street(site)
    return {
        "address_line1": line1,
        "address_line2": "",
        "city": city.upper(),
        "country": "US",
        "state_code": state,
        "zip": f"9{site.area_code}0"[:5],
    }


class NumberBook:
    """The account's numbers, emergency addresses and queue members, built once.

    Args:
        directory: The account's users and sites.
        catalog: The account's other extensions.
    """

    def __init__(self, directory: Directory, catalog: Catalog) -> None:
        """Derive everything: it is small."""
        self._directory = directory
        self._catalog = catalog
        numbers = [
            PhoneNumber(n, u.site, "assigned", ("user", u.id, u.name, u.extension_number))
            for u in directory.users
            for n in u.numbers
        ]
        extensions: list[Extension] = [
            *catalog.call_queues,
            *catalog.auto_receptionists,
            *catalog.common_areas,
            *catalog.shared_line_groups,
        ]
        numbers += [
            PhoneNumber(
                n, e.site, "assigned", (ASSIGNEE_TYPES[e.kind], e.id, e.name, e.extension_number)
            )
            for e in extensions
            for n in e.numbers
        ]
        for site in directory.sites:
            numbers += [
                PhoneNumber(f"+1{site.area_code}777{i:04d}", site, "unassigned")
                for i in range(SPARE_PER_SITE)
            ]
            numbers.append(PhoneNumber(f"+1{site.area_code}888{len(site.name):04d}", site, "byoc"))
        self.numbers = tuple(numbers)

    def listed_numbers(self, wanted: str) -> list[PhoneNumber]:
        """Return the numbers a `type` lists ("all": assigned and unassigned, not BYOC).

        Args:
            wanted: The `type` parameter ("" for Zoom's default, taken to be all).

        Returns:
            The numbers in listing order.
        """
        kinds = ("assigned", "unassigned") if wanted in ("", "all") else (wanted,)
        return [n for n in self.numbers if n.kind in kinds]

    def personal(self) -> list[PhoneUser]:
        """Return the users with a personal emergency address."""
        return [u for u in self._directory.users if u.index % PERSONAL_ADDRESS_EVERY == 1]

    def address_ids(self) -> list[str]:
        """Return the ids of every emergency address, in listing order."""
        sites = [zoom_id("address", site.id) for site in self._directory.sites]
        return sites + [zoom_id("address", user.id) for user in self.personal()]

    def members(self, queue: Extension) -> list[tuple[str, str, str, str]]:
        """Return a queue's members as (level, id, name, extension id).

        Args:
            queue: A call queue.

        Returns:
            The members.
        """
        count = len(self._catalog.call_queues)
        found = [
            ("user", u.id, u.name, u.extension_id)
            for u in self._directory.users
            if u.index % count == queue.index
        ]
        if queue.index == 0 and self._catalog.common_areas:
            area = self._catalog.common_areas[0]
            found.append(("commonArea", area.id, area.name, area.extension_id))
        return found[:MEMBERS_CAP]


def number_record(number: PhoneNumber) -> dict[str, Any]:
    """Return a number as `/phone/numbers` lists it.

    Args:
        number: The number.

    Returns:
        The record.
    """
    kind, ident, name, extension = number.assignee or ("user", "", "", 0)
    byoc = number.kind == "byoc"
    return {
        "assignee": {"extension_number": extension, "id": ident, "name": name, "type": kind},
        "capability": ["incoming", "outgoing"] if number.assignee else ["incoming"],
        "carrier": {"code": 2 if byoc else 1, "name": "Lumen" if byoc else "Bandwidth"},
        "display_name": name,
        "emergency_address": _address(number.site),
        "emergency_address_status": 2 if number.assignee else 1,
        "emergency_address_update_time": "2026-01-15T09:30:00Z",
        "id": number.id,
        "location": number.site.location,
        "number": number.number,
        "number_type": "toll",
        "sip_group": {"display_name": "", "id": ""},
        "site": {"id": number.site.id, "name": number.site.name},
        "source": "external" if byoc else "internal",
        "status": "available",
    }


class NumberLists:
    """Handlers of `/phone/numbers`, `/phone/emergency_addresses` and queue members.

    Args:
        pager: Issues and checks page tokens.
        directory: The account's users and sites.
        catalog: The account's other extensions.
        book: The numbers, addresses and members.
    """

    def __init__(
        self, pager: Pager, directory: Directory, catalog: Catalog, book: NumberBook
    ) -> None:
        """Keep the collaborators."""
        self._pager = pager
        self._directory = directory
        self._catalog = catalog
        self._book = book

    def _page(
        self, name: str, query: dict[str, str], listed: list[Any]
    ) -> tuple[list[Any], dict[str, Any]]:
        self._pager.page_size(name, query)
        cursor = self._pager.cursor(name, NO_USER, query)
        page, envelope = self._pager.slice(name, NO_USER, query, listed, cursor=cursor)
        return page, envelope_of(envelope, "next_page_token", "page_size", "total_records")

    def numbers(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/numbers (`type` assigned | unassigned | byoc | all; `site_id` narrows).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        wanted = query.get("type", "")
        if wanted and wanted not in NUMBER_TYPES:
            reject_parameter("type")
        site = query.get("site_id", "")
        listed = [n for n in self._book.listed_numbers(wanted) if not site or n.site.id == site]
        page, body = self._page("numbers", query, listed)
        body["phone_numbers"] = [number_record(n) for n in page]
        return body, len(page)

    def emergency_addresses(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/emergency_addresses (`level` 0 company, 1 personal narrows it).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        level = query.get("level", "")
        if level and level not in ("0", "1", "2"):
            reject_parameter("level")
        listed: list[tuple[int, Site, PhoneUser | None]] = [
            (0, site, None) for site in self._directory.sites
        ] + [(1, user.site, user) for user in self._book.personal()]
        listed = [item for item in listed if not level or item[0] == int(level)]
        page, body = self._page("emergency_addresses", query, listed)
        body["emergency_addresses"] = [self._address(*item) for item in page]
        return body, len(page)

    @staticmethod
    def _address(level: int, site: Site, user: PhoneUser | None) -> dict[str, Any]:
        owner = (
            {"extension_number": user.extension_number, "id": user.id, "name": user.name}
            if user
            else {"extension_number": 0, "id": "", "name": ""}
        )
        return {
            **_address(site),
            "id": zoom_id("address", user.id if user else site.id),
            "is_default": user is None,
            "level": level,
            "owner": owner,
            "site": {"id": site.id, "name": site.name},
            "status": 4 if user is None else 2,
        }

    def call_queue_members(self, arg: str, _query: dict[str, str]) -> Payload:
        """GET /phone/call_queues/{callQueueId}/members: every member in one page.

        Args:
            arg: The call queue id.
            _query: Unused (the endpoint takes no parameters).

        Returns:
            Body and record count.

        Raises:
            ApiError: 400 for an unknown queue.
        """
        queue = next((q for q in self._catalog.call_queues if q.id == arg), None)
        if queue is None:
            raise ApiError(400, 300, f"Call queue does not exist: {arg}.")
        members = self._book.members(queue)
        body: dict[str, Any] = {
            "call_queue_members": [
                {
                    "extension_id": extension,
                    "id": ident,
                    "level": level,
                    "name": name,
                    "receive_call": level == "user",
                }
                for level, ident, name, extension in members
            ],
            "next_page_token": "",
            "page_size": MEMBERS_CAP,
            "total_records": len(members),
        }
        return body, len(members)
