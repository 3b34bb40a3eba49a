"""The emulator's modules import one way: no cycles, and only the top composes the rest.

Imports under TYPE_CHECKING count too: a cycle of type imports is still a knot for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import zoomphone_emulator

PACKAGE = Path(zoomphone_emulator.__file__).parent
# The modules that put the emulator together: the server, its admin surface, the request
# pipeline and the route table. Endpoint and data modules import none of them.
COMPOSING = {"server", "admin", "pipeline", "handlers"}


def imports() -> dict[str, set[str]]:
    """Each module of the package → the modules of the package it imports."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "zoomphone_emulator":
                found.add("__init__")
            elif isinstance(node, ast.ImportFrom) and node.module:
                package, _, module = node.module.partition(".")
                if package == "zoomphone_emulator":
                    found.add(module.split(".")[0])
        graph[path.stem] = found - {path.stem}
    return graph


def test_the_modules_import_without_cycles() -> None:
    left = imports()
    while ready := [m for m, deps in left.items() if not deps & left.keys()]:
        for module in ready:
            del left[module]

    assert not left, f"import cycles among {sorted(left)}"


def test_only_the_top_imports_the_composing_modules() -> None:
    importers = {m for m, deps in imports().items() if deps & COMPOSING}

    assert importers == {"__init__", "cli", "server", "pipeline"}
