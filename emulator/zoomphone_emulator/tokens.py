"""Access tokens, page tokens and sync tokens: opaque to clients, verifiable by the emulator."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import threading
from dataclasses import dataclass

from zoomphone_emulator.errors import invalid_access_token

_TAG = 12
# endpoint, user, window start, window end, date echo, offset, snapshot ms, issued ms, query hash
_PAGE = struct.Struct(">Biqq?Iqq8s")
_SYNC_FIELDS = 12
NO_USER = -1


class AccessTokens:
    """Bearer tokens issued by `/oauth/token`; several may be valid at once."""

    def __init__(self) -> None:
        """Start with no tokens."""
        self._tokens: dict[str, tuple[float, tuple[str, ...]]] = {}
        self._issued: list[str] = []
        self._lock = threading.Lock()

    def issue(self, now: float, ttl: int, scopes: tuple[str, ...]) -> str:
        """Issue a token valid for `ttl` seconds of emulator time.

        Args:
            now: Emulator epoch seconds.
            ttl: Lifetime in seconds.
            scopes: Scopes the token carries.

        Returns:
            The token.
        """
        token = secrets.token_urlsafe(48)
        with self._lock:
            # Forget long-dead tokens so a long benchmark does not grow without bound.
            dead = [t for t, (expiry, _) in self._tokens.items() if expiry + ttl < now]
            for old in dead:
                del self._tokens[old]
            self._tokens[token] = (now + ttl, scopes)
            self._issued.append(token)
        return token

    def issued(self) -> list[str]:
        """Return every token issued so far, oldest first (revoked and expired ones too).

        Returns:
            The tokens.
        """
        with self._lock:
            return list(self._issued)

    def check(self, authorization: str | None, now: float) -> tuple[str, ...]:
        """Validate an `Authorization: Bearer ...` header.

        Args:
            authorization: The header value.
            now: Emulator epoch seconds.

        Returns:
            The token's scopes.

        Raises:
            ApiError: 401 code 124 when missing, unknown, revoked or expired.
        """
        scheme, _, token = (authorization or "").partition(" ")
        entry = self._tokens.get(token.strip()) if scheme.lower() == "bearer" else None
        if entry is None:
            raise invalid_access_token()
        if entry[0] <= now:
            raise invalid_access_token(expired=True)
        return entry[1]

    def revoke_all(self) -> None:
        """Invalidate every issued token."""
        with self._lock:
            self._tokens.clear()


class Signer:
    """Keyed MACs for the emulator's tokens.

    Args:
        key: Secret key bytes.
    """

    def __init__(self, key: bytes) -> None:
        """Keep the key."""
        self._key = key

    def tag(self, data: bytes, size: int = _TAG) -> bytes:
        """Return a MAC of `data`.

        Args:
            data: Signed bytes.
            size: MAC size in bytes.

        Returns:
            The MAC.
        """
        return hashlib.blake2b(data, key=self._key, digest_size=size).digest()

    def valid(self, data: bytes, tag: bytes) -> bool:
        """Check a MAC in constant time.

        Args:
            data: Signed bytes.
            tag: The MAC received.

        Returns:
            Whether it matches.
        """
        return hmac.compare_digest(self.tag(data, len(tag)), tag) if tag else False


@dataclass(frozen=True, slots=True)
class PageCursor:
    """What a `next_page_token` pins: the query, the served window, the offset and a snapshot.

    Attributes:
        endpoint: Endpoint number.
        user: User index (NO_USER for account-wide endpoints).
        start: Window start (epoch seconds).
        end: Window end (epoch seconds).
        dates: Echo the window as dates.
        offset: Index of the first record of the page.
        snapshot_ms: Only records visible at this instant are listed.
        issued_ms: When the token was issued (emulator ms).
        query: Hash of the request's other parameters.
    """

    endpoint: int
    user: int
    start: int
    end: int
    dates: bool
    offset: int
    snapshot_ms: int
    issued_ms: int
    query: bytes


def query_hash(params: dict[str, str]) -> bytes:
    """Hash a request's parameters except the page token itself.

    Args:
        params: Query parameters.

    Returns:
        8 bytes.
    """
    items = sorted((k, v) for k, v in params.items() if k != "next_page_token")
    return hashlib.blake2b(repr(items).encode(), digest_size=8).digest()


class PageTokens:
    """Encodes and verifies `next_page_token`s (base64url of packed fields plus a MAC).

    Args:
        signer: The MAC key holder.
    """

    def __init__(self, signer: Signer) -> None:
        """Keep the signer."""
        self._signer = signer

    def encode(self, cursor: PageCursor) -> str:
        """Return the opaque token of a cursor.

        Args:
            cursor: What the token pins.

        Returns:
            The token.
        """
        body = _PAGE.pack(
            cursor.endpoint,
            cursor.user,
            cursor.start,
            cursor.end,
            cursor.dates,
            cursor.offset,
            cursor.snapshot_ms,
            cursor.issued_ms,
            cursor.query,
        )
        return base64.urlsafe_b64encode(body + self._signer.tag(body)).decode().rstrip("=")

    def decode(self, token: str) -> PageCursor | None:
        """Verify and unpack a token; None when forged or garbled.

        Args:
            token: The token received.

        Returns:
            The cursor, or None.
        """
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return None
        body, tag = raw[: _PAGE.size], raw[_PAGE.size :]
        if len(raw) != _PAGE.size + _TAG or not self._signer.valid(body, tag):
            return None
        return PageCursor(*_PAGE.unpack(body))


@dataclass(frozen=True, slots=True, order=True)
class Cursor:
    """A position in a sync feed: (visible_at ms, id), so ties are exact.

    Attributes:
        ms: visible_at in epoch milliseconds.
        id: Record id ("" sorts before every id at the same instant).
    """

    ms: int
    id: str


@dataclass(frozen=True, slots=True)
class SyncSpan:
    """What a sync token says was delivered.

    Attributes:
        user: User index.
        feed: "L" (call logs) or "H" (call history).
        lo: Oldest delivered position.
        hi: Newest delivered position.
        gap: (after, before): a pending range between two delivered spans (ISync desc).
        issued_ms: Issue time (emulator ms), for expiry.
    """

    user: int
    feed: str
    lo: Cursor
    hi: Cursor
    gap: tuple[Cursor, Cursor] | None
    issued_ms: int


class SyncTokens:
    """Encodes sync tokens like Zoom's: base64 of `<key>_<ms>_<ms>_...`, signed.

    Args:
        signer: The MAC key holder.
    """

    def __init__(self, signer: Signer) -> None:
        """Keep the signer."""
        self._signer = signer

    def user_key(self, user: int) -> str:
        """Return the opaque per-user key that leads a token (like Zoom's `H5c3sGFSr0`).

        Args:
            user: User index.

        Returns:
            Ten letters and digits.
        """
        raw = base64.b64encode(self._signer.tag(f"user:{user}".encode(), 24)).decode()
        return "".join(ch for ch in raw if ch.isalnum())[:10]

    def encode(self, span: SyncSpan) -> str:
        """Return the token of a span.

        Args:
            span: What was delivered.

        Returns:
            The token.
        """
        gap_lo, gap_hi = span.gap or (Cursor(0, ""), Cursor(0, ""))
        fields = [
            self.user_key(span.user),
            str(span.lo.ms),
            str(span.hi.ms),
            span.lo.id,
            span.hi.id,
            str(gap_lo.ms) if span.gap else "",
            gap_lo.id,
            str(gap_hi.ms) if span.gap else "",
            gap_hi.id,
            f"{span.feed}{span.user}",
            str(span.issued_ms),
        ]
        text = "_".join(fields)
        tag = self._signer.tag(text.encode(), 8).hex()
        return base64.b64encode(f"{text}_{tag}".encode()).decode()

    def decode(self, token: str) -> SyncSpan | None:
        """Verify and unpack a token; None when forged or garbled.

        Args:
            token: The token received.

        Returns:
            The span, or None.
        """
        try:
            text = base64.b64decode(token, validate=True).decode()
        except (binascii.Error, ValueError):
            return None
        body, _, tag = text.rpartition("_")
        fields = body.split("_")
        if len(fields) != _SYNC_FIELDS - 1 or not self._signer.valid(body.encode(), _unhex(tag)):
            return None
        key, lo_ms, hi_ms, lo_id, hi_id, glo_ms, glo_id, ghi_ms, ghi_id, owner, issued = fields
        user = int(owner[1:])
        if key != self.user_key(user):
            return None
        gap = (Cursor(int(glo_ms), glo_id), Cursor(int(ghi_ms), ghi_id)) if glo_ms else None
        return SyncSpan(
            user, owner[0], Cursor(int(lo_ms), lo_id), Cursor(int(hi_ms), hi_id), gap, int(issued)
        )


def _unhex(text: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""
