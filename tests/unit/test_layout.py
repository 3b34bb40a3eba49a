"""The package's layers hold: each imports only the layers below it; tests share helpers only.

zoom/ (Zoom's HTTP API) < output/ (Singer) < reading/ (what a run reads) < streams/
(declarations) < the tap, its run and its command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "tap_zoomphone"
# What each layer may import of the package besides `schemas` (JSON files, no code) and its
# own modules; reading/ names the settings, the run and the tap for their types.
BELOW = {
    "zoom": set(),
    "output": {"zoom"},
    "reading": {"zoom", "output", "settings", "run", "tap"},
    "streams": {"zoom", "output", "reading"},
}
ALLOWED = {layer: {layer, "schemas", *below} for layer, below in BELOW.items()}


def imported(path: Path, prefix: str) -> set[str]:
    """The modules under `prefix` that a file imports, at run time or for types."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith(prefix)}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    wrong = []
    for path in sorted((PACKAGE / layer).glob("*.py")):
        for name in imported(path, "tap_zoomphone."):
            reached = name.split(".")[1]
            if reached not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(REPO)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_test_modules_share_helpers_not_each_other():
    wrong = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for name in imported(path, "tests.")
        if name.rsplit(".", 1)[-1].startswith("test_")
        or any(part.startswith("test_") for part in name.split("."))
    ]
    assert not wrong, "\n".join(wrong)
