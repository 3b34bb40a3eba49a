"""The account's phone numbers and emergency addresses, each list read whole on every run."""

from __future__ import annotations

import typing as t

from typing_extensions import override

from tap_zoomphone.reading.full_list import AccountListStream
from tap_zoomphone.streams.phone_system import account_list
from tap_zoomphone.zoom.apischema import api_schema

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk.helpers.types import Context

    from tap_zoomphone.reading.listing import Record


class PhoneNumbersStream(AccountListStream):
    """Every phone number of the account: assigned, unassigned and brought from a carrier.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/phone-numbers/GET/phone/numbers
    Scope (granular): phone:read:list_numbers:admin.
    Read as `type=all` and `type=byoc`: whether Zoom lists BYOC numbers under `all` is not
    confirmed, so both are read and a number listed by both is emitted once.
    """

    name = "phone_numbers"
    primary_keys = ("id",)
    endpoints = (
        account_list("/phone/numbers", "phone_numbers", 100, type="all"),
        account_list("/phone/numbers", "phone_numbers", 100, type="byoc"),
    )
    schema = api_schema("/phone/numbers", "phone_numbers")
    selected_by_default = False

    @override
    def get_records(self, context: Context | None) -> Iterator[Record]:
        seen: set[object] = set()
        for record in super().get_records(context):
            if record.get("id") not in seen:
                seen.add(record.get("id"))
                yield record


class EmergencyAddressesStream(AccountListStream):
    """Emergency addresses of the account's sites and users (company and personal levels).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/emergency-addresses
    Scope (granular): phone:read:list_emergency_addresses:admin.
    """

    name = "emergency_addresses"
    primary_keys = ("id",)
    endpoints = (account_list("/phone/emergency_addresses", "emergency_addresses", 300),)
    schema = api_schema("/phone/emergency_addresses", "emergency_addresses")
    selected_by_default = False
