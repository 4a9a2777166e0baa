"""The README and .env.example stay true: every setting is documented, the quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from agent.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme_table_and_env_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in readme, f"{name.upper()} is missing from the README configuration table"
        assert f"# {name.upper()}=" in env_example, f"{name.upper()} is missing from .env.example"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", quick_start)
    assert len(commands) == 2, "the quick start is exactly two commands: the main job and the tests"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
