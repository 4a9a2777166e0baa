"""`realty chat --json` prints valid UTF-8 JSON whatever bytes come in (issue 13, item 11)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import get_settings
from storage.db import Database


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, database: Database, database_url: str, data_dir: Path
) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REALTY_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_invalid_utf8_input_still_gives_valid_utf8_json(cli_env: None, database: Database) -> None:
    lines = b"hi \xff\xfe there \xed\xa0\x80\nI want a villa in Canggu \xc3\n"
    result = CliRunner().invoke(app, ["chat", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")  # strict: raises on any byte that is not UTF-8
    turns = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert [turn["user"] for turn in turns] == [
        "hi \ufffd\ufffd there \ufffd\ufffd\ufffd",
        "I want a villa in Canggu \ufffd",
    ]
    assert all(
        not any("\ud800" <= ch <= "\udfff" for ch in json.dumps(turn, ensure_ascii=False)) for turn in turns
    )
    assert turns[1]["lead"]["location"] == "Canggu"
