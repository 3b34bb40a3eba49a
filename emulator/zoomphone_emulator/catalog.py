"""The account's phone system beyond its users and sites: other extensions, desk phones.

Call queues, auto receptionists, shared line groups, common areas and desk phones, built once
from the seed and the counts in the settings. The first auto receptionist, call queue and
shared line group are the routing stops inbound calls pass through (same names, extension
numbers, extension ids and numbers as in the call records).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zoomphone_emulator.directory import DEPARTMENTS
from zoomphone_emulator.ids import hex_id, zoom_id
from zoomphone_emulator.parties import HOPS

if TYPE_CHECKING:
    from zoomphone_emulator.config import EmulatorConfig
    from zoomphone_emulator.directory import Directory, PhoneUser, Site

# Per kind: extension number of the first one, and the names of the first few.
KINDS = {
    "auto_receptionist": (
        800,
        ("Main Auto Receptionist", "After Hours IVR", "Sales Line", "Support Line"),
    ),
    "call_queue": (900, ("Support Queue", "Sales Queue", "Billing Queue", "Onboarding Queue")),
    "shared_line_group": (950, ("Front Desk", "Reception", "Warehouse Line", "Night Shift")),
    "common_area": (600, ("Lobby Phone", "Break Room", "Conference Room A", "Loading Dock")),
}
# Manufacturer and model of desk phones, with the `device_type` filter value they match.
PHONE_MODELS = (
    ("Yealink T54W", "yealink"),
    ("Yealink T46U", "yealink"),
    ("Poly VVX 450", "poly"),
    ("Poly Edge E350", "poly"),
    ("AudioCodes 405HD", "audioCodes"),
    ("Cisco 8851", "cisco"),
    ("Grandstream GRP2614", "grandstream"),
    ("Algo 8301 Paging Adapter", "algo"),
    ("CyberData 011477 Intercom", "cyberData"),
)
POLICY_STATUSES = ("on", "off", "off", "unsupported")
# Every fourth desk phone not in a common area is unassigned.
UNASSIGNED_EVERY = 4


@dataclass(frozen=True, slots=True)
class Extension:
    """A call queue, auto receptionist, shared line group or common area.

    Attributes:
        kind: "call_queue", "auto_receptionist", "shared_line_group" or "common_area".
        index: Position in its list.
        id: Its id (a common area's id is its extension id, as Zoom allows).
        extension_id: Extension id.
        extension_number: Extension number.
        name: Name.
        site: The site it belongs to.
        numbers: Direct numbers in E.164.
        active: Status (active or inactive; online or offline for common areas).
        department: Department (auto receptionists).
        cost_center: Cost center (auto receptionists).
    """

    kind: str
    index: int
    id: str
    extension_id: str
    extension_number: int
    name: str
    site: Site
    numbers: tuple[str, ...]
    active: bool
    department: str
    cost_center: str


@dataclass(frozen=True, slots=True)
class Device:
    """A desk phone.

    Attributes:
        index: Position in the list.
        id: Device id.
        model: Manufacturer and model (`device_type`).
        family: The `device_type` filter value it matches.
        mac: MAC address, 12 hex digits.
        firmware: Firmware version.
        site: The site it is at (its assignee's).
        online: Status.
        private_ip: Private IP.
        public_ip: Public IP.
        template: Provision template id ("" when none is set).
        call_control: Call-control policy status.
        hot_desking: Hot-desking policy status.
        user: The user it is assigned to, if any.
        area: The common area it is assigned to, if any.
        description: Free text ("" when none).
    """

    index: int
    id: str
    model: str
    family: str
    mac: str
    firmware: str
    site: Site
    online: bool
    private_ip: str
    public_ip: str
    template: str
    call_control: str
    hot_desking: str
    user: PhoneUser | None
    area: Extension | None
    description: str

    @property
    def assigned(self) -> bool:
        """Whether the phone is assigned to a user or a common area."""
        return self.user is not None or self.area is not None


class Catalog:
    """The account's extensions other than users, and its desk phones.

    Args:
        config: The settings (the counts are read once).
        directory: The account's users and sites.
    """

    def __init__(self, config: EmulatorConfig, directory: Directory) -> None:
        """Build every object: they are few."""
        self._seed = config.seed
        self._directory = directory
        self.auto_receptionists = self._extensions("auto_receptionist", config.auto_receptionists)
        self.call_queues = self._extensions("call_queue", config.call_queues)
        self.shared_line_groups = self._extensions("shared_line_group", config.shared_line_groups)
        self.common_areas = self._extensions("common_area", config.common_areas)
        self.devices = tuple(self._device(i) for i in range(config.devices))
        self.service_endpoint = zoom_id(self._seed, "service-endpoint", 0)

    def main_auto_receptionist(self, site: Site) -> Extension:
        """Return a site's main auto receptionist.

        Args:
            site: One of the directory's sites.

        Returns:
            The auto receptionist at the site's position, cycling through them.
        """
        index = self._directory.sites.index(site)
        return self.auto_receptionists[index % len(self.auto_receptionists)]

    def _extensions(self, kind: str, count: int) -> tuple[Extension, ...]:
        return tuple(self._extension(kind, i) for i in range(count))

    def _extension(self, kind: str, index: int) -> Extension:
        first, names = KINDS[kind]
        sites = self._directory.sites
        rng = random.Random(f"{self._seed}:{kind}:{index}")  # noqa: S311 - test data
        number = first + index
        name = names[index] if index < len(names) else f"{names[0]} {index + 1}"
        hop = next((h for h in HOPS if h[2] == kind), None)
        if index == 0 and hop is not None:
            # The routing stop of the call records: same name, extension and number.
            name, site = hop[0], sites[0]
            extension_id = zoom_id(self._seed, "hop", name)
        else:
            site = sites[index % len(sites)]
            extension_id = zoom_id(self._seed, kind, "extension", index)
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        return Extension(
            kind=kind,
            index=index,
            id=extension_id if kind == "common_area" else zoom_id(self._seed, kind, index),
            extension_id=extension_id,
            extension_number=number,
            name=name,
            site=site,
            numbers=(f"+1{site.area_code}555{number}0",),
            active=index == 0 or rng.random() < 0.85,  # noqa: PLR2004 - a few are off
            department=department,
            cost_center=f"CC-{DEPARTMENTS.index(department) + 1:02d}{site.area_code}",
        )

    def _device(self, index: int) -> Device:
        """Desk phone `index`: common areas' phones first, then users' and spare ones."""
        rng = random.Random(f"{self._seed}:device:{index}")  # noqa: S311 - test data
        users, areas = self._directory.users, self.common_areas
        user = area = None
        if index < len(areas):
            area = areas[index]
        else:
            rest = index - len(areas)
            if rest % UNASSIGNED_EVERY != UNASSIGNED_EVERY - 1:
                user = users[(rest - rest // UNASSIGNED_EVERY) % len(users)]
        sites = self._directory.sites
        site = area.site if area else user.site if user else sites[index % len(sites)]
        model, family = PHONE_MODELS[int(rng.random() * len(PHONE_MODELS))]
        mac = hex_id(self._seed, "mac", index)[:12]
        return Device(
            index=index,
            id=zoom_id(self._seed, "device", index),
            model=model,
            family=family,
            mac=mac,
            firmware=f"{rng.randrange(60, 110)}.{rng.randrange(80, 90)}.0.{rng.randrange(1, 99)}",
            site=site,
            online=rng.random() < 0.8,  # noqa: PLR2004 - most phones are up
            private_ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(2, 250)}",
            public_ip=f"135.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(2, 250)}",
            template=zoom_id(self._seed, "template", index % 3) if rng.random() < 0.3 else "",  # noqa: PLR2004
            call_control=POLICY_STATUSES[int(rng.random() * len(POLICY_STATUSES))],
            hot_desking=POLICY_STATUSES[int(rng.random() * len(POLICY_STATUSES))],
            user=user,
            area=area,
            description=f"{model} at {site.name}" if rng.random() < 0.5 else "",  # noqa: PLR2004
        )

    def area_phones(self, area: Extension) -> tuple[Device, ...]:
        """Return the desk phones of a common area.

        Args:
            area: A common area.

        Returns:
            Its phones (one, or none when there are fewer devices than common areas).
        """
        return tuple(d for d in self.devices[: len(self.common_areas)] if d.area is area)
