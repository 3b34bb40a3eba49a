"""The account's phone system, each list read whole on every run.

Sites, call queues, auto receptionists, common areas, shared line groups and devices: Medium
label, scope phone:read:admin (or the granular scope named on each stream).
"""

from __future__ import annotations

from tap_zoomphone.reading.endpoints import Endpoint
from tap_zoomphone.reading.fan_out import FanOutStream
from tap_zoomphone.reading.full_list import AccountListStream
from tap_zoomphone.zoom.apischema import api_schema
from tap_zoomphone.zoom.pacing import MEDIUM


def account_list(path: str, array: str, page_cap: int, **fixed: str) -> Endpoint:
    """A Medium-label account list read page by page."""
    return Endpoint(path, MEDIUM, (array,), page_cap=page_cap, fixed=fixed)


class SitesStream(AccountListStream):
    """Sites.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/sites/GET/phone/sites
    Scope (granular): phone:read:list_sites:admin.
    """

    name = "sites"
    primary_keys = ("id",)
    endpoints = (account_list("/phone/sites", "sites", 300),)
    schema = api_schema("/phone/sites", "sites")
    selected_by_default = False


class CallQueuesStream(AccountListStream):
    """Call queues.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-queues/GET/phone/call_queues
    Scope (granular): phone:read:list_call_queues:admin.
    """

    name = "call_queues"
    primary_keys = ("id",)
    endpoints = (account_list("/phone/call_queues", "call_queues", 100),)
    schema = api_schema("/phone/call_queues", "call_queues")
    selected_by_default = False


class AutoReceptionistsStream(AccountListStream):
    """Auto receptionists.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/auto-receptionists
    Scope (granular): phone:read:list_auto_receptionists:admin.
    """

    name = "auto_receptionists"
    primary_keys = ("id",)
    endpoints = (account_list("/phone/auto_receptionists", "auto_receptionists", 100),)
    schema = api_schema("/phone/auto_receptionists", "auto_receptionists")
    selected_by_default = False


class CommonAreasStream(AccountListStream):
    """Common areas.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/common-areas
    Scope (granular): phone:read:common_area:admin.
    """

    name = "common_areas"
    primary_keys = ("id",)
    endpoints = (account_list("/phone/common_areas", "common_areas", 100),)
    schema = api_schema("/phone/common_areas", "common_areas")
    selected_by_default = False


class SharedLineGroupsStream(AccountListStream):
    """Shared line groups.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/shared-line-groups
    Scope (granular): phone:read:list_shared_line_groups:admin.
    """

    name = "shared_line_groups"
    primary_keys = ("id",)
    endpoints = (account_list("/phone/shared_line_groups", "shared_line_groups", 300),)
    schema = api_schema("/phone/shared_line_groups", "shared_line_groups")
    selected_by_default = False


class DevicesStream(AccountListStream):
    """Desk phones and other devices, assigned and unassigned (Zoom lists them apart).

    Docs: https://developers.zoom.us/docs/api/phone/#tag/devices/GET/phone/devices
    Scope (granular): phone:read:list_devices:admin.
    """

    name = "devices"
    primary_keys = ("id",)
    endpoints = (
        account_list("/phone/devices", "devices", 300, type="assigned"),
        account_list("/phone/devices", "devices", 300, type="unassigned"),
    )
    schema = api_schema("/phone/devices", "devices")
    selected_by_default = False


class CallQueueMembersStream(FanOutStream):
    """The members (users, common areas) of every call queue; one request per queue.

    Docs: https://developers.zoom.us/docs/api/phone/#tag/call-queues/GET/phone/call_queues/{callQueueId}/members
    Scope (granular): phone:read:list_call_queue_members:admin. No paging
    parameters (Zoom answers up to 300 members at once). The queues are listed by the stream
    itself, so it needs neither `call_queues` selected nor that stream's records.
    """

    name = "call_queue_members"
    primary_keys = ("call_queue_id", "id")
    endpoint = Endpoint(
        "/phone/call_queues/{call_queue_id}/members", MEDIUM, ("call_queue_members",)
    )
    parent_key = "call_queue_id"
    parents = CallQueuesStream.endpoints[0]
    unit = "call queues"
    schema = api_schema(
        "/phone/call_queues/{callQueueId}/members", "call_queue_members", added=("call_queue_id",)
    )
    selected_by_default = False
