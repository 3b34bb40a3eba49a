"""Phone users of the account, and each user's phone settings."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_zoomphone.reading.directory import PHONE_USERS
from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.reading.fan_out import FanOutStream
from tap_zoomphone.reading.stream import ZoomPhoneStream
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import LIGHT

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context


class PhoneUsersStream(ZoomPhoneStream):
    """Every phone user of the account; also where per-user streams get their users.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/users/GET/phone/users
    """

    name = "phone_users"
    primary_keys = ("id",)

    @classmethod
    @override
    def reads(cls) -> tuple[Endpoint, ...]:
        # The run's user directory reads it (directory.py), shared by the per-user streams.
        return (PHONE_USERS,)

    @override
    def get_records(self, context: Context | None) -> Iterator[dict[str, t.Any]]:
        progress = self.new_progress("pages", 0)
        with self.ending_alone(progress):
            for page in self.zoom.directory.pages(stream=self.name):
                yield from page
                progress.total += 1
                progress.done += 1
                progress.records += len(page)
            progress.summary()


class UserSettingsStream(FanOutStream):
    """Each phone user's profile settings; one Light request per user.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/users/GET/phone/users/{userId}/settings
    Scopes: phone:read:admin (granular phone:read:user_setting:admin).
    The users come from the run's user directory (`user_ids`, or one listing shared by all
    streams); a user deleted since is skipped with a warning.
    """

    name = "user_settings"
    primary_keys = ("user_id",)
    endpoint = Endpoint("/phone/users/{user_id}/settings", LIGHT, ())
    parent_key = "user_id"
    single = True
    unit = "users"
    schema = api_schema("/phone/users/{userId}/settings", added=("user_id",))
    selected_by_default = False

    @override
    def parent_keys(self) -> list[str]:
        return self.zoom.directory.user_ids()
