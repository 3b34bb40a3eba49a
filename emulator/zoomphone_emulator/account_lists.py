"""The account's lists without dates: sites, call queues, auto receptionists and the rest.

`/phone/sites`, `/phone/call_queues`, `/phone/auto_receptionists`, `/phone/common_areas`,
`/phone/shared_line_groups` and `/phone/devices`. Paged with `next_page_token` like
`/phone/users` (default 30, capped per endpoint). Every record carries every field of Zoom's
published item schema; where a field does not apply its value is the zero of its type (see
`recordings.py` for the rule), e.g. an unassigned desk phone's `assignee`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from zoomphone_emulator.errors import reject_parameter, validation_failed
from zoomphone_emulator.ids import zoom_id
from zoomphone_emulator.paging import envelope_of
from zoomphone_emulator.tokens import NO_USER

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from zoomphone_emulator.catalog import Catalog, Device, Extension
    from zoomphone_emulator.directory import Directory, PhoneUser, Site
    from zoomphone_emulator.paging import Pager, Payload

T = TypeVar("T")
CALLING_PLAN: dict[str, Any] = {"name": "US/CA Metered Calling Plan", "type": 100}
HOLIDAYS = (("Christmas Day", "12-25"), ("New Year's Day", "01-01"), ("Independence Day", "07-04"))
HOLIDAY_YEARS = (2026, 2027)
DEVICE_TYPES = ("algo", "audioCodes", "cisco", "cyberData", "grandstream", "poly", "yealink")
ASSIGNEE_TYPES = {"user": "user", "commonArea": "commonArea"}


def _site(site: Site) -> dict[str, str]:
    return {"id": site.id, "name": site.name}


def _numbers(owner: Extension, **extra: str) -> list[dict[str, Any]]:
    return [{"id": zoom_id("number", n), "number": n, **extra} for n in owner.numbers]


def site_record(site: Site, code: int, main: Extension) -> dict[str, Any]:
    """Return a site as `/phone/sites` lists it.

    Args:
        site: The site.
        code: Its site code.
        main: Its main auto receptionist.

    Returns:
        The record.
    """
    return {
        "country": {"code": "US", "name": "United States"},
        "id": site.id,
        "main_auto_receptionist": {
            "extension_id": main.extension_id,
            "extension_number": main.extension_number,
            "id": main.id,
            "name": main.name,
        },
        "name": site.name,
        "site_code": code,
    }


def call_queue_record(queue: Extension) -> dict[str, Any]:
    """Return a call queue as `/phone/call_queues` lists it.

    Args:
        queue: The call queue.

    Returns:
        The record.
    """
    return {
        "extension_id": queue.extension_id,
        "extension_number": queue.extension_number,
        "id": queue.id,
        "name": queue.name,
        "phone_numbers": _numbers(queue, source="internal"),
        "site": _site(queue.site),
        "status": "active" if queue.active else "inactive",
    }


def auto_receptionist_record(receptionist: Extension) -> dict[str, Any]:
    """Return an auto receptionist as `/phone/auto_receptionists` lists it.

    Args:
        receptionist: The auto receptionist.

    Returns:
        The record.
    """
    holidays = [
        {
            "from": f"{year}-{day}T00:00:00Z",
            "id": zoom_id(receptionist.id, "holiday", year, name),
            "name": name,
            "to": f"{year}-{day}T23:59:59Z",
        }
        for year in HOLIDAY_YEARS
        for name, day in HOLIDAYS
    ]
    return {
        "audio_prompt_language": "en-US",
        "cost_center": receptionist.cost_center,
        "department": receptionist.department,
        "extension_id": receptionist.extension_id,
        "extension_number": receptionist.extension_number,
        "holiday_hours": holidays,
        "id": receptionist.id,
        "name": receptionist.name,
        "phone_numbers": _numbers(receptionist),
        "site": _site(receptionist.site),
        "timezone": "America/Los_Angeles",
    }


def common_area_record(area: Extension, phones: Sequence[Device]) -> dict[str, Any]:
    """Return a common area as `/phone/common_areas` lists it.

    Args:
        area: The common area.
        phones: Its desk phones.

    Returns:
        The record.
    """
    return {
        "calling_plans": [
            CALLING_PLAN
            | {
                "billing_account_id": zoom_id("billing", area.site.id),
                "billing_account_name": f"{area.site.name} billing",
                "billing_subscription_id": "FT-SUBREF-21168178",
                "billing_subscription_name": "My Subscription",
            }
        ],
        "desk_phones": [
            {
                "device_type": phone.model,
                "display_name": phone_name(phone),
                "id": phone.id,
                "status": "online" if phone.online else "offline",
            }
            for phone in phones
        ],
        "display_name": area.name,
        "extension_number": area.extension_number,
        "id": area.id,
        "phone_numbers": _numbers(area, display_name=area.name, source="internal"),
        "site": _site(area.site),
        "status": "online" if any(p.online for p in phones) else "offline",
    }


def shared_line_group_record(group: Extension) -> dict[str, Any]:
    """Return a shared line group as `/phone/shared_line_groups` lists it.

    Args:
        group: The shared line group.

    Returns:
        The record.
    """
    return {
        "display_name": group.name,
        "extension_id": group.extension_id,
        "extension_number": group.extension_number,
        "id": group.id,
        "phone_numbers": _numbers(group, status="available" if group.active else "pending"),
        "site": _site(group.site),
        "status": "active" if group.active else "inactive",
    }


def phone_name(device: Device) -> str:
    """Return a desk phone's display name.

    Args:
        device: The phone.

    Returns:
        e.g. "Ava Nguyen's Phone", "Lobby Phone", "Spare Yealink T54W".
    """
    if device.user is not None:
        return f"{device.user.name}'s Phone"
    if device.area is not None:
        return device.area.name
    return f"Spare {device.model}"


def _assignee(user: PhoneUser | None, area: Extension | None) -> dict[str, Any]:
    if user is not None:
        return {
            "extension_id": user.extension_id,
            "extension_number": user.extension_number,
            "extension_type": "user",
            "id": user.id,
            "name": user.name,
        }
    if area is not None:
        return {
            "extension_id": area.extension_id,
            "extension_number": area.extension_number,
            "extension_type": "commonArea",
            "id": area.id,
            "name": area.name,
        }
    # Unassigned: the zero of each field (the type's first documented value for the enum).
    return {
        "extension_id": "",
        "extension_number": 0,
        "extension_type": "user",
        "id": "",
        "name": "",
    }


def device_record(device: Device) -> dict[str, Any]:
    """Return a desk phone as `/phone/devices` lists it.

    Args:
        device: The phone.

    Returns:
        The record (`assignees` is empty, `assignee` zeroed, when unassigned).
    """
    assignee = _assignee(device.user, device.area)
    return {
        "assignee": {k: v for k, v in assignee.items() if k != "extension_id"},
        "assignees": [assignee] if device.assigned else [],
        "description": device.description,
        "device_type": device.model,
        "display_name": phone_name(device),
        "firmware_version": device.firmware,
        "id": device.id,
        "mac_address": device.mac,
        "policy": {
            "call_control": {"status": device.call_control},
            "hot_desking": {"status": device.hot_desking},
        },
        "private_ip": device.private_ip,
        "provision_template_id": device.template,
        "public_ip": device.public_ip,
        "site": _site(device.site),
        "status": "online" if device.online else "offline",
    }


def _choice(query: dict[str, str], name: str, allowed: Sequence[str]) -> str:
    """An optional enumerated parameter ("" when absent); 400 code 300 for other values."""
    value = query.get(name, "")
    if value and value not in allowed:
        reject_parameter(name)
    return value


def devices_matching(catalog: Catalog, query: dict[str, str]) -> list[Device]:
    """Return the desk phones a `/phone/devices` query lists.

    `type` (assigned | unassigned) is required; `assignee_type`, `site_id` and `device_type`
    narrow the list; the other filters are accepted and ignored.

    Args:
        catalog: The account's devices.
        query: Query parameters.

    Returns:
        The phones, in listing order.

    Raises:
        ApiError: 400 code 300 "Validation Failed." for a missing or unknown `type`.
    """
    wanted = query.get("type", "")
    if wanted not in ("assigned", "unassigned"):
        parameter = "type"
        raise validation_failed(parameter)
    assignee = _choice(query, "assignee_type", tuple(ASSIGNEE_TYPES))
    family = _choice(query, "device_type", (*DEVICE_TYPES, "other"))
    site = query.get("site_id", "")
    return [
        d
        for d in catalog.devices
        if d.assigned == (wanted == "assigned")
        and (not assignee or (d.user is not None) == (assignee == "user"))
        and (not family or d.family == family)
        and (not site or d.site.id == site)
    ]


class AccountLists:
    """Handlers of the six lists without dates.

    Args:
        pager: Issues and checks page tokens.
        directory: The account's users and sites.
        catalog: The account's other extensions and desk phones.
    """

    def __init__(self, pager: Pager, directory: Directory, catalog: Catalog) -> None:
        """Keep the collaborators."""
        self._pager = pager
        self._directory = directory
        self._catalog = catalog

    def _list(
        self,
        name: str,
        query: dict[str, str],
        listed: Sequence[T],
        render: Callable[[T], dict[str, Any]],
        *,
        totals: bool = True,
    ) -> Payload:
        """Serve one page: check the page size and token, then cut and render."""
        self._pager.page_size(name, query)
        cursor = self._pager.cursor(name, NO_USER, query)
        page, envelope = self._pager.slice(name, NO_USER, query, listed, cursor=cursor)
        keys = ("next_page_token", "page_size", "total_records")
        body = envelope_of(envelope, *(keys if totals else keys[:2]))
        body[name] = [render(item) for item in page]
        return body, len(page)

    def sites(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/sites (`site_name` narrows to names containing it).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        sites = self._directory.sites
        wanted = query.get("site_name", "").lower()
        codes = {site.id: code for code, site in enumerate(sites, start=1)}

        def render(site: Site) -> dict[str, Any]:
            return site_record(site, codes[site.id], self._catalog.main_auto_receptionist(site))

        return self._list("sites", query, [s for s in sites if wanted in s.name.lower()], render)

    def call_queues(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/call_queues (`site_id`, `department`, `cost_center` narrow it).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        site = query.get("site_id", "")
        department, cost_center = query.get("department", ""), query.get("cost_center", "")
        queues = [
            q
            for q in self._catalog.call_queues
            if (not site or q.site.id == site)
            and (not department or q.department == department)
            and (not cost_center or q.cost_center == cost_center)
        ]
        return self._list("call_queues", query, queues, call_queue_record)

    def auto_receptionists(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/auto_receptionists.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        receptionists = self._catalog.auto_receptionists
        return self._list("auto_receptionists", query, receptionists, auto_receptionist_record)

    def common_areas(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/common_areas (`site_id` narrows it; no `total_records`, as Zoom).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        catalog, site = self._catalog, query.get("site_id", "")
        areas = [a for a in catalog.common_areas if not site or a.site.id == site]
        return self._list(
            "common_areas",
            query,
            areas,
            lambda area: common_area_record(area, catalog.area_phones(area)),
            totals=False,
        )

    def shared_line_groups(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/shared_line_groups.

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        groups = self._catalog.shared_line_groups
        return self._list("shared_line_groups", query, groups, shared_line_group_record)

    def devices(self, _arg: str, query: dict[str, str]) -> Payload:
        """GET /phone/devices (`type` assigned | unassigned is required).

        Args:
            _arg: Unused.
            query: Query parameters.

        Returns:
            Body and record count.
        """
        listed = devices_matching(self._catalog, query)
        return self._list("devices", query, listed, device_record)
