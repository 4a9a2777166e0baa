"""`realty chat` with piped input: one message per line, --json per turn, and the lead id to continue with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import get_settings
from storage.db import Database
from tests.sales_support import clear_checkpoints


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, database: Database, database_url: str, data_dir: Path
) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REALTY_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_piped_lines_are_turns_and_json_describes_each(cli_env: None, database: Database) -> None:
    runner = CliRunner()
    lines = "Hi\nI want to buy a villa in Canggu\n\n2\n+62 812 3456 7890\n"
    result = runner.invoke(app, ["chat", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    turns = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [turn["user"] for turn in turns] == [
        "Hi",
        "I want to buy a villa in Canggu",
        "2",
        "+62 812 3456 7890",
    ]
    assert turns[0]["phase"] == "greeting"
    assert [tool["name"] for tool in turns[1]["tools"]] == ["update_preferences", "search_properties"]
    assert turns[2]["phase"] == "contact_capture"  # "2" pressed the second button: a viewing of listing 2
    assert {"score", "temperature", "factors"} <= set(turns[3]["lead"])
    assert turns[3]["lead"]["phone"] == "+6281234567890"
    assert "--lead-id" in result.stderr

    lead_id = turns[3]["lead"]["id"]
    again = runner.invoke(app, ["chat", "--lead-id", str(lead_id)], input="Tomorrow at 11am\n")
    assert again.exit_code == 0, again.output
    # The CLI runs on the wall clock: tomorrow 11:00 may fall outside the agent's hours, then times are offered.
    assert again.stdout.startswith("agent: Booked ✅") or "Free slots" in again.stdout


def test_an_unknown_lead_or_model_is_one_clear_line(cli_env: None, database: Database) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["chat", "--lead-id", "424242"], input="")
    assert missing.exit_code == 1 and "no lead 424242" in missing.stderr
    no_key = runner.invoke(app, ["chat", "--model", "gpt-4o"], input="")
    assert no_key.exit_code == 1 and "OPENAI_API_KEY" in no_key.stderr


@pytest.fixture(autouse=True)
async def _clean_checkpoints(database: Database) -> Iterator[None]:  # type: ignore[misc]
    yield
    await clear_checkpoints(database)
