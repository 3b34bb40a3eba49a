"""Write tap_zoomphone/schemas/zoom_phone_api.json: Zoom's API description, without prose.

The sources are `../shared/zoom-phone-openapi-subset.json` and `zoom-phone-openapi-more.json`
beside it (Zoom's published description of every endpoint the tap reads, in two mirror files
of one format), merged path by path. The vendored copy keeps what schemas and checks need
(paths, query parameters, response schemas, scopes, rate labels) and drops descriptions and
examples, so the stream schemas have one source of truth that ships with the tap.

    uv run python scripts/vendor_api.py [path/to/zoom-phone-openapi-subset.json ...]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    ROOT.parent / "shared" / "zoom-phone-openapi-subset.json",
    ROOT.parent / "shared" / "zoom-phone-openapi-more.json",
)
TARGET = ROOT / "tap_zoomphone" / "schemas" / "zoom_phone_api.json"
PROSE = {
    "description",
    "example",
    "examples",
    "summary",
    "externalDocs",
    "x-examples",
    "x-enum-descriptions",
}
LABEL = re.compile(r"Rate Limit Label\]\([^)]*\):\*\*\s*`([A-Za-z-]+)`")


def strip(node: Any, *, fields: bool = False) -> Any:  # noqa: ANN401  # any JSON value
    """The node without prose keys, at every depth.

    `fields`: the node maps field names to schemas (a `properties` object), where a field may
    be called `description` or `summary` and is kept.
    """
    if isinstance(node, dict):
        return {
            key: strip(value, fields=key == "properties" and not fields)
            for key, value in node.items()
            if fields or key not in PROSE
        }
    if isinstance(node, list):
        return [strip(value) for value in node]
    return node


def vendored(source: dict[str, Any]) -> dict[str, Any]:
    """The description-free copy, with each operation's rate label lifted out of its prose."""
    paths: dict[str, Any] = {}
    for path, operations in sorted(source["paths"].items()):
        for method, operation in operations.items():
            label = LABEL.search(operation.get("description", ""))
            kept = strip(operation)
            kept["x-rate-limit-label"] = label.group(1).title() if label else None
            paths.setdefault(path, {})[method] = kept
    return {"openapi": source["openapi"], "info": strip(source["info"]), "paths": paths}


def merged(sources: tuple[Path, ...]) -> dict[str, Any]:
    """One description of the sources' paths; the first source's `openapi` and `info`."""
    first, *rest = (json.loads(path.read_text()) for path in sources)
    for other in rest:
        first["paths"] = {**first["paths"], **other["paths"]}
    return first  # type: ignore[no-any-return]


def render(sources: tuple[Path, ...] = SOURCES) -> str:
    """The vendored file's text."""
    return json.dumps(vendored(merged(sources)), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(tuple(Path(arg) for arg in sys.argv[1:]) or SOURCES))
