"""Faults on demand: errors, storms, resets, slowness and broken bodies, injected by tests."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

from zoomphone_emulator.routes import ROUTES

FAULT_KINDS = (
    "status",
    "rate_limit",
    "daily_cap",
    "reset",
    "slow",
    "malformed",
    "token_expiry",
    "page_token_expiry",
    "page_token_repeat",
    "sync_token_expiry",
)
# The names a fault's `endpoint` may take: every route of the API, OAuth included.
ENDPOINT_NAMES = tuple(route.name for route in ROUTES)


@dataclass
class Fault:
    """A fault to inject into matching requests.

    Attributes:
        kind: One of FAULT_KINDS.
        endpoint: Endpoint name, or None for any `/v2` endpoint (OAuth only when named).
        after: Let this many matching requests pass first.
        count: Fire this many times; 0 fires until the faults are cleared.
        status: HTTP status of a `status` fault.
        delay: Seconds a `slow` fault waits before answering.
        retry_after: `Retry-After` seconds of a `rate_limit` fault.
    """

    kind: str
    endpoint: str | None = None
    after: int = 0
    count: int = 1
    status: int = 503
    delay: float = 1.0
    retry_after: int | None = None

    def __post_init__(self) -> None:
        """Reject unknown kinds and endpoints early.

        Raises:
            ValueError: on an unknown kind or endpoint, or negative counts.
        """
        if self.kind not in FAULT_KINDS:
            msg = f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}"
            raise ValueError(msg)
        if self.endpoint is not None and self.endpoint not in ENDPOINT_NAMES:
            msg = f"unknown endpoint {self.endpoint!r}; expected one of {ENDPOINT_NAMES}"
            raise ValueError(msg)
        if self.after < 0 or self.count < 0:
            msg = "after and count must be >= 0"
            raise ValueError(msg)

    def to_dict(self) -> dict[str, Any]:
        """Return the fault as JSON-ready data.

        Returns:
            The fields.
        """
        return asdict(self)


@dataclass
class _Armed:
    fault: Fault
    seen: int = 0
    fired: int = 0


class FaultBook:
    """The faults in force and how often each has matched and fired."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._armed: list[_Armed] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Arm a fault.

        Args:
            fault: The fault.
        """
        with self._lock:
            self._armed.append(_Armed(fault))

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._armed.clear()

    def pick(
        self, endpoint: str, *, page_token: bool, sync_token: bool
    ) -> tuple[Fault, int] | None:
        """Return the fault to apply to a request, if any, with its firing number (0-based).

        Args:
            endpoint: The request's endpoint name.
            page_token: The request carries `next_page_token`.
            sync_token: The request carries `sync_token`.

        Returns:
            (fault, firing number) or None.
        """
        with self._lock:
            for armed in self._armed:
                fault = armed.fault
                if not _matches(fault, endpoint, page_token=page_token, sync_token=sync_token):
                    continue
                armed.seen += 1
                if armed.seen <= fault.after:
                    continue
                if fault.count and armed.fired >= fault.count:
                    continue
                armed.fired += 1
                return fault, armed.fired - 1
        return None

    def active(self) -> list[dict[str, Any]]:
        """Return the armed faults with their counters (for the admin surface).

        Returns:
            One dict per fault.
        """
        with self._lock:
            return [a.fault.to_dict() | {"seen": a.seen, "fired": a.fired} for a in self._armed]


def _matches(fault: Fault, endpoint: str, *, page_token: bool, sync_token: bool) -> bool:
    if fault.endpoint is None and endpoint == "oauth":
        return False
    if fault.endpoint is not None and fault.endpoint != endpoint:
        return False
    if fault.kind in {"page_token_expiry", "page_token_repeat"}:
        return page_token
    if fault.kind == "sync_token_expiry":
        return sync_token
    return True
