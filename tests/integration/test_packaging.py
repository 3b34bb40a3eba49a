"""Two distributions: the tap's wheel holds no emulator; the emulator's wheel has its command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Wheel:
    names: list[str]
    entry_points: str
    requires: list[str]


def read_wheel(path: Path) -> Wheel:
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()

        def dist_info(name: str) -> str:
            (found,) = [n for n in names if n.endswith(f".dist-info/{name}")]
            return wheel.read(found).decode()

        entry_points = dist_info("entry_points.txt")
        requires = Parser().parsestr(dist_info("METADATA")).get_all("Requires-Dist") or []
    return Wheel(names, entry_points, requires)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Wheel]:
    """Build the wheel of every workspace member (the tap and the emulator) from this tree."""
    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv, "uv builds the wheels: run the tests with `uv run` or put uv on PATH"
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [uv, "build", "--all-packages", "--wheel", "--out-dir", str(out), "--quiet"],
        cwd=REPO,
        check=True,
        timeout=120,
    )
    return {path.name.split("-")[0]: read_wheel(path) for path in out.glob("*.whl")}


def test_the_taps_wheel_holds_no_emulator(wheels: dict[str, Wheel]) -> None:
    tap = wheels["tap_zoomphone"]
    assert "tap_zoomphone/tap.py" in tap.names
    assert [name for name in tap.names if "emulator" in name] == []
    assert "tap-zoomphone = tap_zoomphone.cli:main" in tap.entry_points
    assert "emulator" not in tap.entry_points
    assert [r for r in tap.requires if "emulator" in r] == []


def test_the_emulator_builds_its_own_wheel_with_its_command(wheels: dict[str, Wheel]) -> None:
    emulator = wheels["zoomphone_emulator"]
    for module in ("__init__.py", "__main__.py", "cli.py", "server.py", "py.typed"):
        assert f"zoomphone_emulator/{module}" in emulator.names
    assert [name for name in emulator.names if name.startswith("tap_zoomphone")] == []
    assert [name for name in emulator.names if name.endswith(".dist-info/licenses/LICENSE")]
    assert "zoomphone-emulator = zoomphone_emulator.cli:main" in emulator.entry_points
    assert [r.partition(">")[0] for r in emulator.requires] == ["orjson"]


@pytest.mark.parametrize(
    ("project", "package"), [(".", "tap_zoomphone"), ("emulator", "zoomphone_emulator")]
)
def test_every_import_is_a_declared_dependency(project: str, package: str) -> None:
    # A module imported but only arriving through another package (DEP003), missing (DEP001),
    # or a dependency never imported (DEP002) fails here with deptry's own line.
    done = subprocess.run(
        [sys.executable, "-m", "deptry", "--no-ansi", "--known-first-party", package, package],
        cwd=REPO / project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
