"""docs/meltano-project.md ("Use it in your own Meltano project"), followed as a new user would.

Its `meltano.yml` goes into an empty folder (with `pip_url` pointing at this checkout), and its
commands run there one by one: `meltano install`, `meltano config set` of the credentials (the
emulator's), `meltano run`. The emulator's URLs come from TAP_ZOOMPHONE_API_URL and
TAP_ZOOMPHONE_OAUTH_URL, the variables a user would set for Zoom for Government.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.e2e.harness import (
    COMMAND_TIMEOUT,
    INSTALL_TIMEOUT,
    REPO,
    RUN_TIMEOUT,
    assert_history_matches_truth,
    bin_path,
    clean_env,
    run,
    user_bookmarks,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.e2e.harness import EmulatorProcess

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

GUIDE = "docs/meltano-project.md"
HEADING = "# Use it in your own Meltano project"
TAP = "tap-zoomphone"


def guide_section() -> str:
    """The guide's text from HEADING to the next `## ` heading."""
    text = (REPO / GUIDE).read_text()
    assert HEADING in text, f"{GUIDE} has no {HEADING!r} section"
    start = text.index(HEADING) + len(HEADING)
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else len(text)]


def fenced(language: str) -> str:
    """The one fenced ```LANGUAGE block of the section."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", guide_section(), re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"expected one ```{language} block under {HEADING!r}, not {blocks}"
    return str(blocks[0])


def readme_project() -> dict[str, Any]:
    project = yaml.safe_load(fenced("yaml"))
    assert isinstance(project, dict), project
    return project


def readme_commands() -> list[list[str]]:
    """The `meltano ...` lines of the section's ```bash block, split as a shell would."""
    commands = [shlex.split(line) for line in fenced("bash").splitlines() if line.strip()]
    assert commands, "the ```bash block is empty"
    assert all(command[0] == "meltano" for command in commands), commands
    return commands


def plugin(project: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    found = [p for p in project["plugins"][kind] if p["name"] == name]
    assert len(found) == 1, f"{kind} {name!r}: {found}"
    return dict(found[0])


def settings_of(definition: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(name, kind, sensitive, option values) of every setting, in order."""
    return [
        (
            setting["name"],
            setting.get("kind"),
            setting.get("sensitive", False),
            [option["value"] for option in setting.get("options", [])],
        )
        for setting in definition.get("settings", [])
    ]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    assert path.is_file(), f"{path.name} was not written"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_readme_definition_matches_the_repository_meltano_yml() -> None:
    """What a user pastes defines the tap and loader as this repository's tested meltano.yml."""
    ours = yaml.safe_load((REPO / "meltano.yml").read_text())
    theirs = readme_project()
    tap, our_tap = plugin(theirs, "extractors", TAP), plugin(ours, "extractors", TAP)
    for key in ("namespace", "executable", "capabilities", "settings_group_validation", "select"):
        assert tap.get(key) == our_tap.get(key), key
    assert settings_of(tap) == settings_of(our_tap)
    assert tap["pip_url"].startswith("git+https://github.com/"), tap["pip_url"]
    for loader in theirs["plugins"]["loaders"]:
        our_loader = plugin(ours, "loaders", loader["name"])
        for key in ("namespace", "pip_url", "executable"):
            assert loader.get(key) == our_loader.get(key), (loader["name"], key)
        assert settings_of(loader) == settings_of(our_loader), loader["name"]
    environments = [environment["name"] for environment in theirs.get("environments", [])]
    assert theirs.get("default_environment") in environments, "a run without one keeps no STATE"


def test_a_new_project_from_the_readme(emulator_process: EmulatorProcess, tmp_path: Path) -> None:
    project_dir = tmp_path / "my-zoom-project"
    project_dir.mkdir()
    project = readme_project()
    plugin_entry = next(p for p in project["plugins"]["extractors"] if p["name"] == TAP)
    plugin_entry["pip_url"] = str(REPO)  # "the path of a local checkout": this one
    (project_dir / "meltano.yml").write_text(yaml.safe_dump(project, sort_keys=False))

    # The emulator's credentials are the repository's `demo` ones.
    demo = next(
        environment
        for environment in yaml.safe_load((REPO / "meltano.yml").read_text())["environments"]
        if environment["name"] == "demo"
    )
    credentials = plugin(demo["config"], "extractors", TAP)["config"]
    env = clean_env(MELTANO_SEND_ANONYMOUS_USAGE_STATS="false", **emulator_process.tap_env)

    ran: list[str] = []
    for command in readme_commands():
        args = list(command[1:])
        timeout: float = COMMAND_TIMEOUT
        if args[:3] == ["config", "set", TAP]:
            assert len(args) == 5, command
            args[4] = credentials[args[3]]  # YOUR_CLIENT_SECRET -> the emulator's
        elif args[0] == "install":
            timeout = INSTALL_TIMEOUT
        elif args[0] == "run":
            timeout = RUN_TIMEOUT
        run([bin_path("meltano"), *args], env=env, cwd=project_dir, timeout=timeout)
        ran.append(" ".join(args[:2]))
    assert ran[0] == "install", ran
    assert ran[-1] == f"run {TAP}", ran
    assert sorted(ran[1:-1]) == ["config set"] * 3, ran

    # The tap came from this checkout, with the version of its pyproject.toml.
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    venv_bin = project_dir / ".meltano" / "extractors" / TAP / "venv" / "bin"
    done = run([venv_bin / TAP, "--version"], env=clean_env(), cwd=project_dir)
    assert f"{TAP} v{version}" in done.stdout, done.stdout

    # Secrets went to .env, not into meltano.yml.
    dotenv = (project_dir / ".env").read_text()
    meltano_yml = (project_dir / "meltano.yml").read_text()
    for name in ("client_id", "client_secret"):
        assert f"TAP_ZOOMPHONE_{name.upper()}=" in dotenv, dotenv
        assert credentials[name] not in meltano_yml, meltano_yml

    loader = readme_commands()[-1][-1]  # meltano run tap-zoomphone LOADER
    assert loader == "target-jsonl", "this test reads target-jsonl's files"
    output = project_dir / "output"
    history = read_jsonl(output / "user_call_history.jsonl")
    elements = [(row["user_id"], row["call_element_id"]) for row in history]
    assert_history_matches_truth(elements, emulator_process)
    users = [row["id"] for row in read_jsonl(output / "phone_users.jsonl")]
    assert sorted(users) == sorted(emulator_process.user_ids())

    # Meltano kept the tap's STATE (a sync token per user): the next run is incremental.
    state_id = f"{project['default_environment']}:{TAP}-to-{loader}"
    done = run([bin_path("meltano"), "state", "get", state_id], env=env, cwd=project_dir)
    bookmarks = user_bookmarks(json.loads(done.stdout)["singer_state"], "user_call_history")
    assert sorted(bookmarks) == sorted(emulator_process.user_ids())
    assert all(bookmark.get("sync_token") for bookmark in bookmarks.values())
