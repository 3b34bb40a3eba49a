"""Phone users of the account."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_zoomphone.client import ZoomPhoneStream

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context


class PhoneUsersStream(ZoomPhoneStream):
    """Every phone user of the account; also where per-user streams get their users.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/users/GET/phone/users
    Scopes: phone:read:admin. Rate label: Medium. Page size: 100.
    """

    name = "phone_users"
    primary_keys = ("id",)

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
