from pathlib import Path

from scripts import readme_streams
from scripts.readme_settings import README, render


def test_readme_settings_table_is_the_taps_about_output():
    text = README.read_text()
    assert "| account_id | True |" in text
    assert render(text) == text, "run: python scripts/readme_settings.py"


def test_readme_gives_the_two_commands_and_ci_runs_the_second():
    text = README.read_text()
    assert "./scripts/extract" in text
    assert "./scripts/test" in text
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text()
    assert "./scripts/test" in ci


def test_readme_stream_table_is_the_stream_declarations():
    text = README.read_text()
    assert "| `user_settings` |" in text
    assert readme_streams.render(text) == text, "run: python scripts/readme_streams.py"
