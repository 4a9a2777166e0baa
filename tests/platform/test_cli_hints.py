"""Every `realty …` hint the CLI prints names a command that exists, and is written the way the operator's shell runs it."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.cli.common import realty_command, runnable

ROOT = Path(__file__).resolve().parents[2]
PRINTED_FROM = ("agent", "bot", "storage", "graphs", "tools", "evals")
"""Where a sentence the CLI prints can come from (its own modules, and the errors it prints as they are)."""

HINT = re.compile(r"`realty ([^`]*)`")
runner = CliRunner()


def command_path(hint: str) -> tuple[str, ...]:
    """The subcommands a hint names: its leading lowercase words (`bot set-token {slug} TOKEN` → bot, set-token)."""
    path: list[str] = []
    for word in hint.split():
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            break
        path.append(word)
    return tuple(path)


def printed_hints() -> dict[tuple[str, ...], list[str]]:
    """Every `realty …` in the source's string literals (docstrings are help texts, which print too), by command."""
    found: dict[tuple[str, ...], list[str]] = {}
    for package in PRINTED_FROM:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith("#"):
                    continue
                for hint in HINT.findall(line):
                    where = f"{path.relative_to(ROOT)}:{line_number}"
                    found.setdefault(command_path(hint), []).append(where)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hint in HINT.findall(readme):
        found.setdefault(command_path(hint), []).append("README.md")
    return found


HINTS = printed_hints()


def test_the_source_has_hints_to_check() -> None:
    assert ("bot", "set-token") in HINTS and ("chat",) in HINTS and ("jobs", "status") in HINTS


@pytest.mark.parametrize("path", sorted(HINTS), ids=lambda path: " ".join(path) or "realty")
def test_each_printed_hint_names_a_command_that_runs(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (
        f"`realty {' '.join(path)}` (hinted at {HINTS[path]}) does not run: {result.output}"
    )
    assert "Usage:" in result.output


def _on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, with_realty: bool) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if with_realty:
        script = bin_dir / "realty"
        script.write_text("#!/bin/sh\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("UV_RUN_RECURSION_DEPTH", raising=False)
    return bin_dir


def test_without_realty_on_path_hints_say_uv_run_realty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _on_path(monkeypatch, tmp_path, with_realty=False)
    assert realty_command() == "uv run realty"
    assert runnable("see `realty leads list --tenant demo`") == "see `uv run realty leads list --tenant demo`"


def test_with_realty_on_path_hints_say_realty(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _on_path(monkeypatch, tmp_path, with_realty=True)
    assert realty_command() == "realty"
    assert runnable("see `realty leads list`") == "see `realty leads list`"


def test_the_environment_uv_run_adds_for_itself_does_not_count_as_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    bin_dir = _on_path(monkeypatch, tmp_path, with_realty=False)
    venv_bin = str(Path(sys.executable).parent)  # where `uv run` finds `realty`, for its child only
    monkeypatch.setenv("PATH", os.pathsep.join([venv_bin, str(bin_dir)]))
    monkeypatch.setenv("UV_RUN_RECURSION_DEPTH", "1")
    assert realty_command() == "uv run realty"
