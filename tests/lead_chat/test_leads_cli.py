"""`realty leads list|show`: a lead who said "stop" is marked 🔕 and listed last; times are the lead's local time; reps by name."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from agent.cli import app
from agent.settings import get_settings
from storage.db import Database, create_database
from storage.models import Lead, SalesRepresentative, Tenant
from storage.repositories.tenants import TenantRepository
from tests.sales_support import clear_checkpoints

runner = CliRunner()
T = TypeVar("T")


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, database: Database, database_url: str, data_dir: Path
) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REALTY_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def in_database(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` on its own connection (the CLI runs its own event loop, so this test is synchronous)."""

    async def main() -> T:
        db = create_database(url, pool_size=1)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(main())


@pytest.fixture
def bali(database: Database, database_url: str) -> Iterator[Tenant]:
    async def create(db: Database) -> Tenant:
        async with db.session() as session:
            return await TenantRepository(session).create(
                name="Bali Homes", slug="bali", time_zone="Asia/Makassar", default_language="en"
            )

    yield in_database(database_url, create)
    in_database(database_url, clear_checkpoints)


def chat(lines: str) -> int:
    """One conversation through `realty chat`; the lead's id."""
    result = runner.invoke(app, ["chat", "--tenant", "bali", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    turns = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return int(turns[-1]["lead"]["id"])


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_lead_who_said_stop_is_badged_and_listed_below_the_others_whatever_the_score(
    cli_env: None, bali: Tenant, database_url: str
) -> None:
    stopped = chat("Hi, I want to buy a villa in Canggu up to 500000 USD\n+62 812 3456 7890\nstop\n")
    quiet = chat("Hello\n")

    async def rank(db: Database) -> bool:
        async with db.session() as session:
            opted_out = (await session.get(Lead, stopped)).opted_out  # type: ignore[union-attr]
            await session.execute(
                update(Lead).where(Lead.id == stopped).values(lead_score=95, temperature="burning")
            )
            await session.execute(
                update(Lead).where(Lead.id == quiet).values(lead_score=5, temperature="cold")
            )
            return opted_out

    assert in_database(database_url, rank)

    rows = json.loads(invoke("leads", "list", "--tenant", "bali", "--json"))
    assert [row["id"] for row in rows] == [quiet, stopped]
    assert [row["opted_out"] for row in rows] == [False, True]
    assert rows[1]["badge"] == "🔕" and rows[0]["badge"] == "❄️"
    assert rows[1]["opted_out_at"].endswith("+08:00") and rows[0]["opted_out_at"] is None
    assert all(row["last_inbound_at"].endswith("+08:00") for row in rows)  # the leads' local time
    first = json.loads(invoke("leads", "list", "--tenant", "bali", "--limit", "1", "--json"))
    assert [row["id"] for row in first] == [
        quiet
    ]  # the limit never pushes a live lead off for one who opted out

    table = invoke("leads", "list", "--tenant", "bali")
    lines = [line for line in table.splitlines() if "│" in line and ("🔕" in line or "❄️" in line)]
    assert "❄️" in lines[0] and "🔕" in lines[1] and "opted out" in lines[1]
    assert "🔥" not in table


def test_leads_show_says_opted_out_and_when_in_the_leads_time_with_the_reps_name(
    cli_env: None, bali: Tenant, database_url: str
) -> None:
    lead_id = chat("Hi, I want to buy a villa in Canggu\n+62 812 3456 7890\nstop\n")

    async def assign(db: Database) -> str:
        async with db.session() as session:
            rep = SalesRepresentative(
                tenant_id=bali.id,
                telegram_id=700_001,
                name="Oleg Petrov",
                email="oleg@bali.homes",
                status="active",
            )
            session.add(rep)
            await session.flush()
            await session.execute(update(Lead).where(Lead.id == lead_id).values(assigned_rep_id=rep.id))
            return str(rep.id)

    rep_id = in_database(database_url, assign)

    report = json.loads(invoke("leads", "show", str(lead_id), "--tenant", "bali", "--json"))
    profile = report["profile"]
    assert profile["opted_out"] is True and profile["assigned_rep"] == "Oleg Petrov"
    assert report["time_zone"] == "Asia/Makassar"
    opted_at = datetime.fromisoformat(profile["opted_out_at"])
    assert opted_at.utcoffset() is not None and opted_at.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert all(i["at"].endswith("+08:00") for i in report["interactions"])
    assert profile["last_inbound_at"].endswith("+08:00")

    shown = invoke("leads", "show", str(lead_id), "--tenant", "bali")
    assert "🔕 opted out on " in shown and "do not call" in shown
    assert "Oleg Petrov" in shown and rep_id not in shown
    local = opted_at.strftime("%Y-%m-%d %H:%M")
    assert f"{local} WITA" in shown  # local time, with its zone, not UTC labelled with a zone
    assert "+00:00" not in shown


def test_a_lead_still_in_touch_shows_no_opt_out(cli_env: None, bali: Tenant) -> None:
    lead_id = chat("Hi, I want to buy a villa in Canggu\n")
    report = json.loads(invoke("leads", "show", str(lead_id), "--tenant", "bali", "--json"))
    assert report["profile"]["opted_out"] is False and report["profile"]["opted_out_at"] is None
    assert "opted out" not in invoke("leads", "show", str(lead_id), "--tenant", "bali")


def test_the_continue_hint_of_realty_chat_runs_as_printed(
    cli_env: None, bali: Tenant, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # `realty` is not on PATH, as after the README's quick start
    monkeypatch.delenv("UV_RUN_RECURSION_DEPTH", raising=False)
    result = runner.invoke(app, ["chat", "--tenant", "bali"], input="Hi\n")
    assert result.exit_code == 0, result.output
    (hint,) = [line for line in result.output.splitlines() if line.startswith("Continue this conversation: ")]
    command = hint.removeprefix("Continue this conversation: ")
    assert command.startswith("uv run realty chat --tenant bali --lead-id ")
    again = runner.invoke(app, command.removeprefix("uv run realty ").split(), input="I want a villa\n")
    assert again.exit_code == 0, again.output
    assert hint in again.output  # the same lead, continued
