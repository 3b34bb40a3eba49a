"""Zoom-looking identifiers derived from the seed: stable, unique, and some reversible."""

from __future__ import annotations

import base64
import functools
import hashlib
import struct
import time

_B64 = str.maketrans("+/", "-_")
# The RFC 4122 variant digit (8, 9, a or b) for each hex digit drawn.
_VARIANT = {digit: "89ab"[int(digit, 16) % 4] for digit in "0123456789abcdef"}
# 16-byte block = kind, owner index, day ordinal, slot and five zero bytes that catch forgeries.
_BLOCK = struct.Struct(">BIIH5s")
_CHECK = bytes(5)
_ROUNDS = 4
_MASK64 = (1 << 64) - 1
_MIN_DAY, _MAX_DAY = 719163, 3652059  # 1970-01-01 .. 9999-12-31: days gmtime can print


def digest(*parts: object, size: int = 16) -> bytes:
    """Return a blake2b digest of the parts (never Python's salted `hash()`).

    Args:
        *parts: Values joined with ":" before hashing.
        size: Digest size in bytes.

    Returns:
        The digest.
    """
    return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=size).digest()


def zoom_id(*parts: object) -> str:
    """Return a 22-character base64url id like Zoom's user and site ids.

    Args:
        *parts: What the id is derived from.

    Returns:
        The id.
    """
    return base64.b64encode(digest(*parts)).decode()[:22].translate(_B64)


def hex_uuid(raw: bytes) -> str:
    """Format 16 bytes as a canonical 8-4-4-4-12 UUID string.

    Args:
        raw: 16 bytes.

    Returns:
        The UUID string.
    """
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid_v4(*parts: object) -> str:
    """Return a version-4-looking UUID derived from the parts.

    Args:
        *parts: What the id is derived from.

    Returns:
        The UUID string.
    """
    h = digest(*parts).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def numeric_call_id(*parts: object) -> str:
    """Return a 19-digit numeric call id like "7006926284340112376".

    Args:
        *parts: What the id is derived from.

    Returns:
        The call id.
    """
    value = int.from_bytes(digest(*parts, size=8), "big") % 10**18
    return str(7 * 10**18 + value)


def hex_id(*parts: object) -> str:
    """Return a 32-hex-digit id like Zoom's recording and voicemail ids.

    Args:
        *parts: What the id is derived from.

    Returns:
        The id.
    """
    return digest(*parts).hex()


@functools.lru_cache(maxsize=4096)
def day_prefix(day: int) -> str:
    """Return the `yyyymmdd` prefix Zoom puts on call-history ids.

    Args:
        day: Proleptic Gregorian ordinal of the UTC day.

    Returns:
        The prefix.
    """
    return time.strftime("%Y%m%d", time.gmtime((day - _EPOCH_ORDINAL) * 86400))


_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


class CallCodec:
    """Reversible call-history UUIDs: a keyed Feistel permutation of the call's coordinates.

    A call is found again from its `call_history_uuid` without any index in memory.

    Args:
        seed: The emulator seed (keys the permutation, so seeds give different ids).
    """

    def __init__(self, seed: int) -> None:
        """Derive the round keys."""
        self._keys = [digest("feistel", seed, r) for r in range(_ROUNDS)]

    def _round(self, half: int, r: int) -> int:
        # A round-key prefix rather than blake2b's key parameter: same job, a third of the cost.
        data = self._keys[r] + half.to_bytes(8, "big")
        return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")

    def encode(self, kind: int, owner: int, day: int, slot: int) -> str:
        """Return the call-history UUID (`yyyymmdd-<uuid>`) of a call.

        Args:
            kind: 0 for a user's own call, 1 for a call inside a user pair.
            owner: User index (kind 0) or pair index (kind 1).
            day: Day ordinal of the call's start.
            slot: Position of the call within that owner's day.

        Returns:
            The call-history UUID.
        """
        return f"{day_prefix(day)}-{hex_uuid(self._permute(kind, owner, day, slot))}"

    def _permute(self, kind: int, owner: int, day: int, slot: int) -> bytes:
        block = _BLOCK.pack(kind, owner, day, slot, _CHECK)
        left, right = int.from_bytes(block[:8], "big"), int.from_bytes(block[8:], "big")
        for r in range(_ROUNDS):
            left, right = right, left ^ self._round(right, r)
        return ((left << 64) | right).to_bytes(16, "big")

    def _unpermute(self, raw_hex: str) -> tuple[int, int, int, int] | None:
        """Invert `_permute` from 32 hex digits; None unless the check bytes come back."""
        if len(raw_hex) != 32:  # noqa: PLR2004 - 128 bits
            return None
        try:
            raw = int(raw_hex, 16)
        except ValueError:
            return None
        left, right = raw >> 64, raw & _MASK64
        for r in reversed(range(_ROUNDS)):
            left, right = right ^ self._round(left, r), left
        kind, owner, day, slot, check = _BLOCK.unpack(((left << 64) | right).to_bytes(16, "big"))
        if check != _CHECK or not _MIN_DAY <= day <= _MAX_DAY:
            return None
        return kind, owner, day, slot

    def encode_hex(self, kind: int, owner: int, day: int, slot: int) -> str:
        """Return 32 hex digits from which `decode_hex` gives the coordinates back.

        Args:
            kind: What the coordinates are of (0 and 1 are calls; others are free).
            owner: Owner index.
            day: Day ordinal.
            slot: Position within that owner's day.

        Returns:
            The id.
        """
        return self._permute(kind, owner, day, slot).hex()

    def decode_hex(self, value: str) -> tuple[int, int, int, int] | None:
        """Invert `encode_hex`; None for anything it did not produce.

        Args:
            value: A candidate id.

        Returns:
            (kind, owner, day, slot) or None.
        """
        return self._unpermute(value.lower()) if value == value.strip() else None

    def decode(self, value: str) -> tuple[int, int, int, int] | None:
        """Invert `encode`; None for anything it did not produce.

        Args:
            value: A candidate call-history UUID.

        Returns:
            (kind, owner, day, slot) or None.
        """
        prefix, _, rest = value.partition("-")
        found = self._unpermute(rest.replace("-", "")) if len(prefix) == 8 else None  # noqa: PLR2004
        if found is None or found[0] > 1:
            return None
        return found if day_prefix(found[2]) == prefix else None
