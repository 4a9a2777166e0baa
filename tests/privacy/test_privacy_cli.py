"""`realty leads export ID [--out FILE]` and `realty leads erase ID [--yes]`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import get_settings
from storage.db import Database
from tests.sales_support import clear_checkpoints

PHONE = "+6281234567890"


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, database: Database, database_url: str, data_dir: Path
) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REALTY_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
async def _clean_checkpoints(database: Database) -> AsyncIterator[None]:
    await clear_checkpoints(database)
    yield
    await clear_checkpoints(database)


def test_an_operator_exports_a_lead_as_utf8_json_then_erases_it(
    cli_env: None, database: Database, tmp_path: Path
) -> None:
    runner = CliRunner()
    chat = runner.invoke(app, ["chat", "--json"], input=f"Привет, меня зовут Анфиса\nМой номер {PHONE}\n")
    assert chat.exit_code == 0, chat.output
    lead_id = [json.loads(line) for line in chat.stdout.splitlines() if line.startswith("{")][-1]["lead"][
        "id"
    ]

    printed = runner.invoke(app, ["leads", "export", str(lead_id)])
    assert printed.exit_code == 0, printed.output
    document = json.loads(printed.stdout)
    assert document["lead"]["phone"] == PHONE
    assert any("Анфиса" in (i["text"] or "") for i in document["interactions"])
    assert any("Анфиса" in m["data"]["content"] for m in document["conversations"][0]["messages"])

    out = tmp_path / "lead.json"
    saved = runner.invoke(app, ["leads", "export", str(lead_id), "--out", str(out)])
    assert saved.exit_code == 0, saved.output
    assert json.loads(out.read_bytes().decode("utf-8"))["lead"]["phone"] == PHONE
    assert "Анфиса" in out.read_text(encoding="utf-8")  # readable, not \\u-escaped

    kept = runner.invoke(app, ["leads", "erase", str(lead_id)], input="n\n")
    assert kept.exit_code == 1 and "nothing erased" in kept.stderr
    erased = runner.invoke(app, ["leads", "erase", str(lead_id), "--yes"])
    assert erased.exit_code == 0, erased.output
    assert f"erased lead {lead_id}" in erased.stdout and "lead_interactions" in erased.stdout
    assert "1 thread(s) deleted" in erased.stdout

    after = json.loads(runner.invoke(app, ["leads", "export", str(lead_id)]).stdout)
    assert after["lead"]["phone"] is None and after["conversations"] == []
    assert "Анфиса" not in json.dumps(after, ensure_ascii=False) and PHONE not in json.dumps(after)
    [entry] = after["audit"]
    assert (entry["action"], entry["target"], entry["allowed"]) == ("lead.erase", f"lead:{lead_id}", True)
    assert entry["detail"].startswith("via cli; operator ")

    missing = runner.invoke(app, ["leads", "erase", "424242", "--yes"])
    assert missing.exit_code == 1 and "no lead 424242" in missing.stderr
