"""A call's quality of service: `GET /phone/metrics/call_logs/{callId}/qos`.

One sample a minute of the connected time, sending and receiving, for each side that is an
account user's device; an unanswered call has no samples. An unknown call id answers 404.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from zoomphone_emulator.errors import ApiError
from zoomphone_emulator.media import answered_at
from zoomphone_emulator.queries import Scope

if TYPE_CHECKING:
    from zoomphone_emulator.account import PhoneAccount
    from zoomphone_emulator.calls import Call
    from zoomphone_emulator.clock import EmulatorClock
    from zoomphone_emulator.config import EmulatorConfig

MAX_SAMPLES = 5


def _samples(call: Call, salt: str) -> list[dict[str, Any]]:
    if call.outcome != "answered":
        return []
    start = answered_at(call)
    out = []
    for n in range(min(MAX_SAMPLES, 1 + call.talk // 60)):
        mark = hashlib.blake2b(f"{call.key}:{salt}:{n}".encode(), digest_size=2).digest()
        out.append(
            {
                "date_time": datetime.fromtimestamp(start + 60 * n, UTC).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
                "qos": {
                    "avg_loss": f"{mark[0] % 20 / 10:.1f}%",
                    "bitrate": f"{60 + mark[1] % 40}.00 kbps",
                    "jitter": f"{mark[1] % 30} ms",
                    "max_loss": f"{mark[0] % 50 / 10:.1f}%",
                    "mos": f"{3.5 + mark[0] % 10 / 10:.1f}",
                    "network_delay": f"{20 + mark[0] % 80} ms",
                },
            }
        )
    return out


def qos_record(call: Call, call_id: str) -> dict[str, Any]:
    """Return a call's QoS as Zoom answers it.

    Args:
        call: The call.
        call_id: Its `call_id`.

    Returns:
        The body.
    """

    def side(salt: str) -> dict[str, Any]:
        return {
            "device_private_ip": f"10.0.{len(salt)}.{int(call_id[-2:]) + 2}",
            "device_public_ip": f"135.0.{len(salt)}.{int(call_id[-3:-1]) + 2}",
            "receiving": _samples(call, salt + "r"),
            "sending": _samples(call, salt + "s"),
        }

    return {"call_id": call_id, "callee_qos": side("callee"), "caller_qos": side("caller")}


class CallQos:
    """The QoS endpoint, with an index of call ids.

    Args:
        config: The live settings (ingest delay).
        clock: The emulator clock.
        account: The calls.
    """

    def __init__(self, config: EmulatorConfig, clock: EmulatorClock, account: PhoneAccount) -> None:
        """Keep the collaborators; no index yet."""
        self._config = config
        self._clock = clock
        self._account = account
        self._calls: dict[str, Call] = {}
        self._indexed_at = -1

    def call_qos(self, arg: str, _query: dict[str, str]) -> tuple[dict[str, Any], int]:
        """GET /phone/metrics/call_logs/{callId}/qos.

        Args:
            arg: The call id.
            _query: Unused.

        Returns:
            Body and record count.

        Raises:
            ApiError: 404 for an unknown call.
        """
        now = int(self._clock.timestamp())
        if arg not in self._calls and now != self._indexed_at:
            scope = Scope(
                0, now, by_end=False, snapshot_ms=now * 1000, delay=self._config.ingest_delay
            )
            facts = self._account.facts.facts
            self._calls = {
                facts(entry.call).call_id: entry.call
                for entry in self._account.queries.account_history(scope, keep=False)
            }
            self._indexed_at = now
        call = self._calls.get(arg)
        if call is None:
            raise ApiError(404, 404, f"Call does not exist: {arg}.")
        return qos_record(call, arg), 1
