"""Outreach: prospects go to the least-loaded active rep, get contacted, and reps get their cards."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.catalog.demo import DEMO_PROSPECTS
from agent.services.jobs.outreach import (
    fewest_first,
    open_prospects_by_rep,
    reassign_prospects_of,
)
from agent.services.jobs.run import run_due
from agent.services.leads import mark_prospect_replied
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Lead, Prospect, RepStatus, SalesRepresentative, Tenant
from storage.repositories.seed import insert_missing_prospects
from tests.jobs_support import (
    TEAM_BOT,
    RecordingTransport,
    at,
    job_context_on,
    make_lead,
    make_rep,
    make_tenant,
    reload,
    sends_of,
)
from tests.secrets_support import lead_bot_token_of

NOW = at(11, 0)


async def add_prospects(database: Database, tenant: Tenant, *ids: str, **fields: object) -> None:
    async with database.session() as session:
        for prospect_id in ids:
            session.add(
                Prospect(
                    id=prospect_id,
                    tenant_id=tenant.id,
                    telegram_id=f"@{prospect_id}",
                    name=f"Client {prospect_id}",
                    context="Looking for a villa",
                    language="en",
                    status="unreached",
                    **fields,
                )
            )


async def prospects(database: Database) -> dict[str, Prospect]:
    async with database.session() as session:
        return {p.id: p for p in (await session.execute(select(Prospect))).scalars()}


async def set_rep_status(database: Database, rep: SalesRepresentative, status: str) -> None:
    async with database.session() as session:
        row = await session.get(SalesRepresentative, rep.id)
        assert row is not None
        row.status = status


def test_fewest_first_breaks_ties_in_the_given_order() -> None:
    ra, rb, rc = (uuid.UUID(int=i) for i in range(1, 4))
    chosen = fewest_first(["p1", "p2", "p3", "p4"], [rb, ra, rc], {ra: 1, rb: 1, rc: 0})
    assert [x.rep_id for x in chosen] == [rc, rb, ra, rc]
    assert fewest_first(["p1"], [], {}) == []


async def test_outreach_contacts_the_three_seeded_prospects_and_sends_each_rep_their_cards(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    first = await make_rep(database, tenant, 8001, approved_at=NOW - timedelta(days=3), name="Ольга Первая")
    second = await make_rep(database, tenant, 8002, approved_at=NOW - timedelta(days=1), name="Иван Второй")
    async with database.session() as session:  # the registry specification's three test prospects
        await insert_missing_prospects(session, tenant.id, DEMO_PROSPECTS)
    email = RecordingTransport()
    clock = FrozenClock(NOW)
    async with job_context_on(database, settings, api, clock, email=email) as ctx:
        report = await run_due(ctx)
        clock.advance(timedelta(minutes=30))
        again = await run_due(ctx)

    assert report.prospects_assigned == 3 and again.prospects_assigned == 0 and again.dispatch.sent == 0
    state = await prospects(database)
    assert {p.status for p in state.values()} == {"contacted"}
    assert all(p.last_contact_at == NOW for p in state.values())
    assert state["test_prospect_001"].assigned_rep_id == first.id
    assert state["test_prospect_002"].assigned_rep_id == second.id
    assert state["test_prospect_003"].assigned_rep_id == first.id

    cards_first = api.sent_texts(chat_id=8001, token=TEAM_BOT)
    cards_second = api.sent_texts(chat_id=8002, token=TEAM_BOT)
    assert len(cards_first) == 2 and len(cards_second) == 1
    alexey = next(card for card in cards_first if "Алексей Петров" in card)
    # The link carries Alexey's own random token, never his id (anyone could type /start p_test_prospect_001).
    assert f"https://t.me/acme_homes_bot?start=p_{state['test_prospect_001'].link_token}" in alexey
    assert "p_test_prospect_001" not in alexey
    assert "Здравствуйте, Алексей! Меня зовут Ольга" in alexey and "виллой в Чангу" in alexey
    assert "Мария Козлова" in cards_second[0]

    # No chat is known for these prospects, so the lead bot wrote to nobody; each got one e-mail.
    assert api.sent(token=lead_bot_token_of(tenant)) == []
    assert sorted(m.email or "" for m in email.sent) == sorted(p.email or "" for p in state.values())
    assert all(
        f"start=p_{p.link_token}" in " ".join(m.text or "" for m in email.sent) for p in state.values()
    )


async def test_without_smtp_the_email_is_recorded_as_skipped_and_a_known_chat_gets_the_lead_bot(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await make_rep(database, tenant, 8001, approved_at=NOW)
    await add_prospects(database, tenant, "p_chat", telegram_chat_id=42, email="known@example.com")
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        report = await run_due(ctx)
    assert report.dispatch.sent == 2 and report.dispatch.skipped == 1
    [to_prospect] = api.sent(chat_id=42, token=lead_bot_token_of(tenant))
    assert "Looking for a villa".lower() in (to_prospect.text or "").lower()
    by_key = {s.step_key: s for s in await sends_of(database, prospect_id="p_chat")}
    assert (
        by_key["outreach:email"].status == "skipped"
        and by_key["outreach:email"].error == "SMTP is not configured"
    )
    assert by_key["outreach:telegram"].status == "sent"


async def test_a_prospect_who_starts_the_bot_is_in_conversation_and_attributed(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    rep = await make_rep(database, tenant, 8001, approved_at=NOW)
    await add_prospects(database, tenant, "p1", email="p1@example.com")
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        await run_due(ctx)  # no SMTP: the e-mail is skipped, the card goes
    lead = await make_lead(database, tenant, last_inbound_at=NOW + timedelta(hours=1), phone=None)
    async with database.session() as session:
        prospect = await mark_prospect_replied(
            session,
            tenant.id,
            "p1",
            now=NOW + timedelta(hours=1),
            lead_id=lead.id,
            chat_id=lead.telegram_chat_id,
        )
        assert prospect is not None
        assert await mark_prospect_replied(session, tenant.id, "no_such_prospect", now=NOW) is None
    state = (await prospects(database))["p1"]
    assert state.status == "in_conversation" and state.lead_id == lead.id and state.telegram_chat_id
    linked = await reload(database, Lead, lead.id)
    assert isinstance(linked, Lead) and linked.assigned_rep_id == rep.id and linked.source == "prospect"


async def test_round_robin_stays_fair_while_reps_join_and_leave(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    anna = await make_rep(database, tenant, 8001, approved_at=NOW - timedelta(days=10), name="Anna")
    boris = await make_rep(database, tenant, 8002, approved_at=NOW - timedelta(days=9), name="Boris")
    clock = FrozenClock(NOW)

    async def load() -> dict[str, int]:
        async with database.session() as session:
            counts = await open_prospects_by_rep(session, tenant.id)
            reps = (await session.execute(select(SalesRepresentative))).scalars().all()
        return {r.name: counts.get(r.id, 0) for r in reps if r.status == RepStatus.ACTIVE}

    async with job_context_on(database, settings, api, clock) as ctx:
        await add_prospects(database, tenant, *(f"a{i}" for i in range(5)))
        await run_due(ctx)
        assert await load() == {"Anna": 3, "Boris": 2}

        chris = await make_rep(database, tenant, 8003, approved_at=NOW, name="Chris")  # joins
        await add_prospects(database, tenant, *(f"b{i}" for i in range(4)))
        clock.advance(timedelta(minutes=30))
        await run_due(ctx)
        assert await load() == {"Anna": 3, "Boris": 3, "Chris": 3}

        await set_rep_status(database, anna, RepStatus.SUSPENDED)  # leaves
        async with database.session() as session:
            moved = await reassign_prospects_of(session, anna.id, now=clock.now())
        assert len(moved) == 3 and all(m.rep_id in (boris.id, chris.id) for m in moved)
        assert await load() == {"Boris": 5, "Chris": 4}  # ties go to the rep approved first

        await add_prospects(database, tenant, "c0", "c1", "c2")
        clock.advance(timedelta(minutes=30))
        await run_due(ctx)
        counts = await load()
        assert sum(counts.values()) == 12 and max(counts.values()) - min(counts.values()) <= 1

        await set_rep_status(database, boris, RepStatus.REMOVED)
        async with database.session() as session:
            await reassign_prospects_of(session, boris.id, now=clock.now())
        assert await load() == {"Chris": 12}
        clock.advance(timedelta(minutes=1))
        await run_due(ctx)

    # Chris got a card for every prospect he now holds; nobody got a card twice for the same prospect.
    cards = api.sent(token=TEAM_BOT)
    per_rep_prospect = [(c.chat_id, line) for c in cards for line in (c.text or "").splitlines()[:1]]
    assert len(per_rep_prospect) == len(set(per_rep_prospect))
    assert len(api.sent(chat_id=8003, token=TEAM_BOT)) == 12
    assert await load() == {"Chris": 12}
