"""Rewrite README.md's settings table from `tap-zoomphone --about --format=markdown`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- settings:start[^\n]*-->\n).*?(<!-- settings:end -->)", re.DOTALL)


def settings_table() -> str:
    """The Settings section of the tap's --about output, without its heading."""
    about = subprocess.run(
        [sys.executable, "-m", "tap_zoomphone", "--about", "--format=markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    section = about.split("## Settings", 1)[1]
    return section.strip() + "\n"


def render(readme: str) -> str:
    """The README with its settings block replaced by the current table."""
    return BLOCK.sub(lambda m: m.group(1) + settings_table() + m.group(2), readme)


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
