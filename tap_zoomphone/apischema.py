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
# (path, array name, text fields the tap adds to each record)
Key = tuple[str, str, tuple[str, ...]]


class ZoomPhoneAPI(OpenAPISchema[Key]):
    """Item schemas of Zoom's list answers, keyed by path and array name."""

    @override
    def get_unresolved_schema(self, key: Key) -> dict[str, t.Any]:
        path, array, added = key
        answer = self.spec["paths"][path]["get"]["responses"]["200"]["content"]
        items = copy.deepcopy(answer["application/json"]["schema"]["properties"][array]["items"])
        for name in added:
            items.setdefault("properties", {})[name] = {"type": "string"}
        return items  # type: ignore[no-any-return]


ZOOM_PHONE_API = ZoomPhoneAPI(API_DESCRIPTION)


def api_schema(path: str, array: str, *, added: tuple[str, ...] = ()) -> StreamSchema[Key]:
    """The schema of a stream whose records are the `array` items of GET `path`.

    `added`: fields the tap fills itself (a child's parent key), as text.
    """
    return StreamSchema(ZOOM_PHONE_API, key=(path, array, added))
