"""Stream schemas read from Zoom's own API description (a vendored copy without prose).

`schemas/zoom_phone_api.json` is Zoom's published OpenAPI description of every endpoint the
tap reads, descriptions and examples removed (`scripts/vendor_api.py` writes it). A stream
declared with `api_schema(path, array)` takes the item schema of that array in that path's
200 answer: every field Zoom publishes, nullable, enumerations kept as plain strings (the
SDK's OpenAPI normalizer drops `enum` and `pattern`).
"""

from __future__ import annotations

import copy
import importlib.resources
import typing as t

from singer_sdk import OpenAPISchema, StreamSchema
from typing_extensions import override

from tap_zoomphone import schemas

API_DESCRIPTION = importlib.resources.files(schemas) / "zoom_phone_api.json"
# (path, array name or "" for a one-record answer, text fields the tap adds to each record)
Key = tuple[str, str, tuple[str, ...]]


class ZoomPhoneAPI(OpenAPISchema[Key]):
    """Item schemas of Zoom's list answers, keyed by path and array name."""

    @override
    def get_unresolved_schema(self, key: Key) -> dict[str, t.Any]:
        path, array, added = key
        answer = self.spec["paths"][path]["get"]["responses"]["200"]["content"]
        body = answer["application/json"]["schema"]
        # No array: the answer is one record (a user's settings, one AI call summary).
        items = copy.deepcopy(body["properties"][array]["items"] if array else body)
        for name in added:
            items.setdefault("properties", {})[name] = {"type": "string"}
        return items  # type: ignore[no-any-return]


ZOOM_PHONE_API = ZoomPhoneAPI(API_DESCRIPTION)


def api_schema(path: str, array: str = "", *, added: tuple[str, ...] = ()) -> StreamSchema[Key]:
    """The schema of a stream whose records are the `array` items of GET `path` (or its body).

    `added`: fields the tap fills itself (a child's parent key), as text.
    """
    return StreamSchema(ZOOM_PHONE_API, key=(path, array, added))


def spec_path(path: str) -> str:
    """The description's path for a requested one or a tap template ("" when none matches).

    `/phone/call_queues/abc/members` and `/phone/call_queues/{call_queue_id}/members` both give
    `/phone/call_queues/{callQueueId}/members`; a literal segment wins over a parameter.
    """
    parts = path.split("/")

    def literal_matches(template: str) -> int:
        pieces = template.split("/")
        if len(pieces) != len(parts):
            return -1
        score = 0
        for piece, part in zip(pieces, parts, strict=True):
            if piece == part:
                score += 1
            elif not piece.startswith("{") and not part.startswith("{"):
                return -1
        return score

    best = max(ZOOM_PHONE_API.spec["paths"], key=literal_matches)
    return best if literal_matches(best) >= 0 else ""


def api_scopes(path: str) -> tuple[str, ...]:
    """The scopes Zoom accepts for GET `path` (any one of them), macro scopes first."""
    operation = ZOOM_PHONE_API.spec["paths"].get(spec_path(path), {}).get("get", {})
    extensions = operation.get("x-extensions", {})
    return (*extensions.get("x-macro-scopes", ()), *extensions.get("x-granular-scopes", ()))
