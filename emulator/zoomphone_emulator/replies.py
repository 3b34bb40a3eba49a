"""A response as the server writes it: what the API pipeline and the admin surface return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

JSON = "application/json;charset=UTF-8"
HTML = "text/html;charset=UTF-8"


@dataclass(slots=True)
class Reply:
    """A response to write.

    Attributes:
        status: HTTP status (0 with `reset`).
        body: Body bytes.
        headers: Extra headers.
        content_type: Content type.
        reset: Close the connection with a TCP RST instead of answering.
        records: Records in the body (for stats).
    """

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = JSON
    reset: bool = False
    records: int = 0


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:  # noqa: ANN401
    """Return a JSON reply.

    Args:
        status: HTTP status.
        body: JSON-serializable body.
        headers: Extra headers.

    Returns:
        The reply.
    """
    return Reply(status, orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), headers or {})
