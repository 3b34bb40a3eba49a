"""Helpers shared by the record shapes: timestamps, party fields, undocumented extras."""

from __future__ import annotations

import functools
import time
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from zoomphone_emulator.parties import Party

# Undocumented fields Zoom adds without notice; about 1 record in EXTRA_EVERY carries one.
EXTRA_EVERY = 50
EXTRA_FIELDS: tuple[tuple[str, Any], ...] = (
    ("call_element_version", 2),
    ("emergency_address_id", "Wq0zpNzDRH2tHrdZ7oUy3A"),
    ("is_monitored", False),
    ("queue_wait_seconds", 12),
    ("transcript", {"status": "processing", "language": "en-US"}),
)


# Timestamps are three parts, each formatted once: every record carries two to six of them.
_HOURS_MINUTES = tuple(f"{m // 60:02d}:{m % 60:02d}:" for m in range(24 * 60))
_SECONDS = tuple(f"{s:02d}Z" for s in range(60))


@functools.lru_cache(maxsize=4096)
def _date(day: int) -> str:
    return time.strftime("%Y-%m-%dT", time.gmtime(day * 86400))


def iso(epoch: int) -> str:
    """Format epoch seconds the way Zoom does (`yyyy-MM-ddTHH:mm:ssZ`).

    Args:
        epoch: Epoch seconds.

    Returns:
        The timestamp.
    """
    day, second = divmod(epoch, 86400)
    return _date(day) + _HOURS_MINUTES[second // 60] + _SECONDS[second % 60]


def finish(record: dict[str, Any], record_id: str, *, extras: bool) -> dict[str, Any]:
    """Drop absent (None) fields, as Zoom omits them, and maybe add an undocumented one.

    About one record in fifty gets an extra field, always the same for a given record id.

    Args:
        record: The record, None marking absent fields (changed in place).
        record_id: Its id.
        extras: `unknown_fields` setting.

    Returns:
        The finished record.
    """
    # Deleting the few absent fields is twice as fast as copying the many present ones.
    for name in [name for name, value in record.items() if value is None]:
        del record[name]
    if extras:
        mark = zlib.crc32(record_id.encode())
        if mark % EXTRA_EVERY == 0:
            name, value = EXTRA_FIELDS[(mark // EXTRA_EVERY) % len(EXTRA_FIELDS)]
            record[name] = value
    return record


_PARTY_FIELDS: dict[str, Callable[[Party], Any]] = {
    "ext_id": lambda p: p.ext_id,
    "name": lambda p: p.name,
    "email": lambda p: p.user.email if p.user else None,
    "employee_id": lambda p: p.user.employee_id if p.user else None,
    "did_number": lambda p: p.did,
    "ext_number": lambda p: p.ext_number,
    "ext_type": lambda p: p.ext_type,
    "number_type": lambda p: p.v2_number_type,
    "device_private_ip": lambda p: p.private_ip,
    "device_public_ip": lambda p: p.public_ip,
    "device_type": lambda p: p.device_type,
    "country_iso_code": lambda p: p.iso,
    "country_code": lambda p: p.country_code,
    "site_id": lambda p: p.site.id if p.site else None,
    "department": lambda p: p.user.department if p.user else None,
    "cost_center": lambda p: p.user.cost_center if p.user else None,
}


def party_fields(prefix: str, party: Party, names: tuple[str, ...]) -> dict[str, Any]:
    """Return a party's v2 fields (`caller_ext_id`, ...); None where the party has no value.

    Args:
        prefix: "caller" or "callee".
        party: The party.
        names: Field names without the prefix, in output order.

    Returns:
        The fields.
    """
    return {key: value(party) for key, value in _party_getters(prefix, names)}


@functools.lru_cache(maxsize=64)
def _party_getters(
    prefix: str, names: tuple[str, ...]
) -> tuple[tuple[str, Callable[[Party], Any]], ...]:
    """Field names with their prefix, and their getters, worked out once per shape."""
    return tuple((f"{prefix}_{name}", _PARTY_FIELDS[name]) for name in names)


def legacy_party_fields(prefix: str, party: Party, *, caller: bool) -> dict[str, Any]:
    """Return a party's legacy call-log fields (`caller_number`, `caller_number_type`, ...).

    Args:
        prefix: "caller" or "callee".
        party: The party.
        caller: The caller's number type only knows 1 and 2.

    Returns:
        The fields.
    """
    return {
        f"{prefix}_country_code": party.country_code,
        f"{prefix}_country_iso_code": party.iso,
        f"{prefix}_did_number": party.did,
        f"{prefix}_name": party.name,
        f"{prefix}_number": party.number,
        f"{prefix}_number_type": min(party.number_type, 2) if caller else party.number_type,
        f"{prefix}_number_source": party.number_source,
    }
