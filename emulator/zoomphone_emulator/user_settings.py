"""A phone user's profile settings: `GET /phone/users/{userId}/settings`.

Derived from the directory and the catalog (the user's desk phones, numbers and site); the
fields Zoom leaves empty for a user without delegation or intercom are served empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomphone_emulator.account_lists import phone_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoomphone_emulator.catalog import Catalog
    from zoomphone_emulator.directory import PhoneUser
    from zoomphone_emulator.paging import Payload

WEEKDAYS = range(2, 7)  # Monday..Friday in Zoom's numbering (1 is Sunday)


def settings_record(user: PhoneUser, catalog: Catalog) -> dict[str, Any]:
    """Return a user's settings as Zoom answers them.

    Args:
        user: The user.
        catalog: The account's desk phones.

    Returns:
        The body.
    """
    phones = [d for d in catalog.devices if d.user is user]
    numbers = [
        {"is_default": i == 0, "name": user.name, "number": n} for i, n in enumerate(user.numbers)
    ]
    return {
        "area_code": user.site.area_code,
        "audio_prompt_language": "en-US",
        "business_hours_settings": {
            "business_hour_type": 2,
            "business_hours": [
                {"from": "09:00", "to": "17:00", "type": 2, "weekday": day} for day in WEEKDAYS
            ],
        },
        "company_number": f"+1{user.site.area_code}5550000",
        "country": {"code": "US", "country_code": "1", "name": "United States"},
        "default_transcription_language": "en-US",
        "desk_phone": {
            "devices": [
                {
                    "device_type": d.model,
                    "display_name": phone_name(d),
                    "id": d.id,
                    "mac_address": d.mac,
                    "policy": {
                        "call_control": {"status": d.call_control},
                        "hot_desking": {"status": d.hot_desking},
                    },
                    "private_ip": d.private_ip,
                    "public_ip": d.public_ip,
                    "status": "online" if d.online else "offline",
                }
                for d in phones
            ],
            "phone_screen_lock": False,
        },
        "extension_number": user.extension_number,
        "outbound_caller": {"number": user.numbers[0] if user.numbers else ""},
        "outbound_caller_ids": numbers,
        "status": "Active",
        "voice_mail": [],
    }


class UserSettings:
    """The handler of `/phone/users/{userId}/settings`.

    Args:
        user: Resolves a `userId` as the other per-user endpoints do (`CallLists.user`).
        catalog: The account's desk phones.
    """

    def __init__(self, user: Callable[[str], PhoneUser], catalog: Catalog) -> None:
        """Keep the collaborators."""
        self._user = user
        self._catalog = catalog

    def user_settings(self, arg: str, _query: dict[str, str]) -> Payload:
        """GET /phone/users/{userId}/settings.

        Args:
            arg: User id, email or "me".
            _query: Unused (the endpoint takes no parameters).

        Returns:
            Body and record count.
        """
        return settings_record(self._user(arg), self._catalog), 1
