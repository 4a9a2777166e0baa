"""What a lead's turn costs the database: one transaction of a dozen statements at most, the lead scored once;
and what a tool that fails in a turn leaves behind.

The statements are counted on the SQLAlchemy engine (`before_cursor_execute`, `begin`, `commit`). The
checkpointer and the turn's advisory lock use their own psycopg pools and are not counted here
(bench/bench_agent.py reports them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event, select, text

from agent.services.leads import load_lead, record_outbound
from agent.services.provider import Services
from storage.db import Database
from storage.models import Lead, LeadInteraction, Tenant
from tests.sales_support import new_chat, tool_names

MAX_STATEMENTS = 12


@dataclass
class Tally:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0
    commits: int = 0

    def writes_to(self, table: str) -> int:
        return sum(1 for s in self.statements if table in s and not s.lstrip().upper().startswith("SELECT"))


@contextmanager
def counting(database: Database) -> Iterator[Tally]:
    """Every statement, transaction and commit the engine sees inside the block."""
    tally = Tally()
    engine = database.engine.sync_engine

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        tally.statements.append(sql)

    def begin(_conn: Any) -> None:
        tally.transactions += 1

    def commit(_conn: Any) -> None:
        tally.commits += 1

    listeners = (("before_cursor_execute", statement), ("begin", begin), ("commit", commit))
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield tally
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


@pytest.mark.parametrize("before", [[], ["Hi!"]], ids=["first message", "second message"])
async def test_a_qualification_message_is_one_transaction_of_at_most_a_dozen_statements(
    services: Services, demo: Tenant, before: list[str]
) -> None:
    chat = await new_chat(services, demo)
    await chat.script(before)
    with counting(services.database) as tally:
        result = await chat.say("villa in Canggu")
    assert tool_names([result]) == ["update_preferences", "search_properties"]  # a real qualification turn
    assert (tally.transactions, tally.commits) == (1, 1)
    assert len(tally.statements) <= MAX_STATEMENTS, "\n".join(s.splitlines()[0] for s in tally.statements)


async def test_the_lead_is_scored_once_per_turn(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    with counting(services.database) as tally:
        result = await chat.say("I want to buy a villa in Canggu")
    assert tally.writes_to("lead_score_factors") == 1
    lead = await chat.lead()
    assert result.lead["score"] == lead.lead_score == sum(f["points"] for f in result.lead["factors"]) > 0
    assert lead.location == "Canggu" and lead.scored_at == services.clock.now()


async def test_a_tool_that_fails_leaves_the_lead_as_it_found_it_and_the_lead_is_answered(
    services: Services, demo: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tools.profile

    def half_done(lead: Lead, _changes: dict[str, object]) -> None:
        lead.location = "Half-written"
        raise RuntimeError("the preferences tool fell over")

    monkeypatch.setattr(tools.profile, "apply_preferences", half_done)
    chat = await new_chat(services, demo)
    result = await chat.say("villa in Canggu")
    assert result.reply and result.phase != "error"
    lead = await chat.lead()
    assert lead.location is None and lead.message_count == 1
    first, *_ = await chat.interactions()
    assert (first.type, first.direction, first.text) == ("message", "inbound", "villa in Canggu")


async def test_a_database_error_in_a_tool_still_keeps_the_message_and_answers_it(
    services: Services, demo: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.repositories import properties

    async def broken(session: Any, *_: Any, **__: Any) -> list[Any]:
        await session.execute(text("SELECT 1 / 0"))  # aborts the turn's transaction
        return []

    monkeypatch.setattr(properties, "search_properties", broken)
    chat = await new_chat(services, demo)
    result = await chat.say("villa in Canggu")
    assert result.reply
    lead = await chat.lead()
    assert lead.message_count == 1 and lead.scored_at is not None
    kept = [(i.type, i.direction, i.text) for i in await chat.interactions()]
    assert kept == [("message", "inbound", "villa in Canggu"), ("message", "outbound", result.reply)]


async def test_a_message_whose_delivery_is_unknown_is_on_the_timeline_but_is_not_contact(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    async with services.database.session() as session:
        lead = await load_lead(session, demo.id, chat.lead_id)
        await record_outbound(
            session,
            lead,
            text="Still looking?",
            now=services.clock.now(),
            type="follow_up",
            status="unknown",
            contact=False,
        )
    async with services.database.session() as session:
        note = (await session.execute(select(LeadInteraction))).scalar_one()
        lead = await load_lead(session, demo.id, chat.lead_id)
    assert (note.type, note.status, note.direction) == ("follow_up", "unknown", "outbound")
    assert lead.last_outbound_at is None
