"""What a lead's turn costs the database: the message kept in one transaction before the model is asked, the
answer (tools, reply, one rescore) in a second, 13 statements at most for a qualification message, the lead
scored once; and what a tool that fails in a turn leaves behind.

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
from prompts import pack
from storage.db import Database
from storage.models import Lead, LeadInteraction, Tenant
from tests.sales_support import new_chat, tool_names

MAX_STATEMENTS = 18
"""Issue 11 asked for 12 in one transaction; committing the message before the model runs (it is an outside call
that takes seconds with an API model) keeps it across a crash and frees the lead's row meanwhile, and costs one
statement: the first tool that changes the lead reads it again, locked. Issue 12 adds one on a cold cache: the
catalog's listing names and places are read once per process and again only after the catalog changes (the
areas statement every turn makes says whether it changed), so the first turn of a process pays one statement. Issue 15 adds four: the lead's insight is composed again at the
end of the turn, in a savepoint (one statement reads what it needs, one writes it; agent.services.insights)."""


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
async def test_a_qualification_message_is_kept_then_answered_in_two_transactions_of_a_dozen_statements(
    services: Services, demo: Tenant, before: list[str]
) -> None:
    chat = await new_chat(services, demo)
    await chat.script(before)
    with counting(services.database) as tally:
        result = await chat.say("villa in Canggu")
    assert tool_names([result]) == ["update_preferences", "search_properties"]  # a real qualification turn
    assert (tally.transactions, tally.commits) == (
        2,
        2,
    )  # the message, kept before the model; then its answer
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
    # Not the model's "Noted: villa, Canggu": the failed transaction did not keep what the tools saved.
    assert result.reply == pack("en").reply("error")
    lead = await chat.lead()
    assert lead.message_count == 1 and lead.scored_at is not None
    kept = [(i.type, i.direction, i.text) for i in await chat.interactions()]
    assert kept == [("message", "inbound", "villa in Canggu"), ("message", "outbound", result.reply)]


async def test_the_lead_s_message_is_kept_before_the_agent_works_on_it(
    services: Services, demo: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process stopped while the model or a tool works (seconds with an API model) loses no message: another
    transaction already sees it."""
    from storage.repositories import properties

    search = properties.search_properties
    seen: list[tuple[int, list[str | None]]] = []

    async def watched(*args: Any, **kwargs: Any) -> Any:
        async with services.database.session() as other:
            lead = (await other.execute(select(Lead).where(Lead.id == chat.lead_id))).scalar_one()
            texts = (await other.execute(select(LeadInteraction.text))).scalars().all()
            seen.append((lead.message_count, list(texts)))
        return await search(*args, **kwargs)

    monkeypatch.setattr(properties, "search_properties", watched)
    chat = await new_chat(services, demo)
    await chat.say("villa in Canggu")
    assert seen == [(1, ["villa in Canggu"])]


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
