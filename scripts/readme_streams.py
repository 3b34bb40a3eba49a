"""Rewrite README.md's stream table from the stream declarations.

Each row comes from a stream class: its name, the endpoints it reads (Zoom's spelling of the
path, fixed parameters, page cap), its key, what STATE keeps for it, its rate labels, the
scopes Zoom's API description accepts for those endpoints, and whether it is selected by
default. `tests/unit/test_readme.py` fails when the README's table differs.

    uv run python scripts/readme_streams.py
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from tap_zoomphone.tap import STREAM_TYPES
from tap_zoomphone.zoom.apischema import ZOOM_PHONE_API, api_scopes, spec_path

if TYPE_CHECKING:
    from tap_zoomphone.reading.endpoints import Endpoint
    from tap_zoomphone.reading.stream import ZoomPhoneStream

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- streams:start[^\n]*-->\n).*?(<!-- streams:end -->)", re.DOTALL)
HEADER = (
    "| stream | Zoom endpoint (page cap) | key | bookmark | rate label | scopes (any of) "
    "| selected by default |\n|---|---|---|---|---|---|---|\n"
)


def _code(items: list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _endpoint(endpoint: Endpoint) -> str:
    fixed = "".join(f", `{k}={v}`" for k, v in endpoint.fixed.items() if k == "type")
    operation = ZOOM_PHONE_API.spec["paths"][spec_path(endpoint.path)]["get"]
    paged = {"page_size", "count"} & {param["name"] for param in operation.get("parameters", [])}
    return f"`GET {spec_path(endpoint.path)}`" + (f" ({endpoint.page_cap}{fixed})" if paged else "")


def _per_endpoint(endpoints: tuple[Endpoint, ...], values: list[str]) -> str:
    """One value when every endpoint has the same, else each with its endpoint's last word."""
    if len(set(values)) == 1:
        return values[0]
    return "; ".join(
        f"{value} ({_last_word(endpoint.path)})"
        for endpoint, value in zip(endpoints, values, strict=True)
    )


def _last_word(path: str) -> str:
    """The path's last segment that is not a parameter: `sync`, `members`, `download`."""
    return next(part for part in reversed(path.split("/")) if part and not part.startswith("{"))


def row(stream: type[ZoomPhoneStream]) -> str:
    """The stream's row of the table."""
    endpoints = stream.reads()
    shown = list(dict.fromkeys(_endpoint(endpoint) for endpoint in endpoints))
    labels = [endpoint.label for endpoint in endpoints]
    scopes = [_code(list(api_scopes(endpoint.path))) for endpoint in endpoints]
    bookmark = stream.bookmark
    if stream.parent_stream_type is not None:
        bookmark += f" (`{stream.parent_stream_type.name}`)"
    legacy = f" (legacy, sunset: `{stream.successor}` replaces it)" if stream.successor else ""
    cells = (
        f"`{stream.name}`{legacy}",
        " and ".join(shown),
        _code(list(stream.primary_keys or ())),
        bookmark,
        _per_endpoint(endpoints, labels),
        _per_endpoint(endpoints, scopes),
        "yes" if stream.selected_by_default else "no",
    )
    return "| " + " | ".join(cells) + " |\n"


def stream_table() -> str:
    """The whole table, one row per stream in the tap's order."""
    return HEADER + "".join(row(stream) for stream in STREAM_TYPES)


def render(readme: str) -> str:
    """The README with its stream block replaced by the current table."""
    return BLOCK.sub(lambda m: m.group(1) + stream_table() + m.group(2), readme)


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
