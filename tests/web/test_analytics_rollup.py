"""Consolidated analytics facts: stored + live figures equal the all-live computation, before and after a
refresh, and after changes made since the last refresh (those leads are read live, never stale)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select, update

from agent.core.clock import FrozenClock
from agent.services.analytics import period_ending
from agent.services.analytics_facts.refresh import mark_all_stale, refresh_all
from storage.db import Database
from storage.models import (
    AuditLog,
    DailyChannel,
    DailyFunnel,
    EventFacts,
    FollowUpSend,
    Lead,
    LeadAlert,
    LeadFacts,
    LeadInteraction,
    StaleLead,
    Viewing,
)
from tests.web.analytics_history import History, build_history
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, Agencies

M = timedelta(minutes=1)


@pytest.fixture
async def history(database: Database, agencies: Agencies, clock: FrozenClock) -> History:
    """The hand-built history, plus two leads on partial UTC days (read per lead, not from the daily counts):
    one an hour ago, one early in the 7-day period of the agency's zone (UTC+8)."""
    built = await build_history(database, agencies, clock.now())
    start = period_ending(clock.now(), "Asia/Makassar", 7).start
    async with database.session() as session:
        for name, arrived, status in (
            ("Tia", clock.now() - 60 * M, "new"),
            ("Uma", start + 120 * M, "qualified"),
        ):
            lead = Lead(
                tenant_id=agencies.tre.id,
                telegram_user_id=7100 + ord(name[0]),
                name=name,
                status=status,
                temperature="warm",
                source="catalog",
                assigned_rep_id=agencies.rep(BORIS).id,
                created_at=arrived,
                extra={},
            )
            session.add(lead)
            await session.flush()
            built.leads[name] = lead.id
            session.add(
                LeadInteraction(
                    tenant_id=agencies.tre.id,
                    lead_id=lead.id,
                    type="message",
                    channel="email",
                    direction="inbound",
                    meta={},
                    created_at=arrived + M,
                )
            )
    return built


async def every_report(clients: SignIn, agencies: Agencies) -> dict[str, Any]:
    """The API's figures for every viewer and period the history tells apart."""
    olga = await clients(agencies.tre, OLGA)
    asked: dict[str, tuple[httpx.AsyncClient, dict[str, object]]] = {
        "olga": (olga, {}),
        "olga-7": (olga, {"days": 7}),
        "olga-180": (olga, {"days": 180}),
        "olga-boris": (olga, {"rep": str(agencies.rep(BORIS).id)}),
        "anna": (await clients(agencies.tre, ANNA), {"days": 90}),
        "anna-180": (await clients(agencies.tre, ANNA), {"days": 180}),
        "boris": (await clients(agencies.tre, BORIS), {}),
        "otto": (await clients(agencies.other, OTTO), {}),
    }
    bodies = {}
    for name, (client, params) in asked.items():
        response = await client.get("/api/v1/leads/analytics", params=params)
        assert response.status_code == 200, response.text
        bodies[name] = response.json()
    return bodies


async def all_live(database: Database, agencies: Agencies, clients: SignIn) -> dict[str, Any]:
    """The pure live computation: nothing stored, every lead stale."""
    async with database.session() as session:
        for table in (LeadFacts, EventFacts, DailyFunnel, DailyChannel):
            await session.execute(delete(table))
    for agency in (agencies.tre, agencies.other):
        await mark_all_stale(database, agency.id)
    return await every_report(clients, agencies)


async def counted(database: Database, model: type[LeadFacts] | type[StaleLead] | type[DailyFunnel]) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def change_history(
    database: Database, agencies: Agencies, history: History, clock: FrozenClock
) -> None:
    """What happens after a refresh: messages, a status, a reassignment, a viewing, a nudge, a new lead, an
    action on an alert, a deleted lead."""
    ids = history.leads
    now = clock.now()
    tre = agencies.tre.id
    async with database.session() as session:
        session.add(
            LeadInteraction(
                tenant_id=tre,
                lead_id=ids["l1"],
                type="message",
                channel="whatsapp",
                direction="inbound",
                meta={},
                created_at=now - 4 * timedelta(days=1),
            )
        )
        await session.execute(update(Lead).where(Lead.id == ids["l2"]).values(status="won"))
        await session.execute(
            update(Lead).where(Lead.id == ids["Tia"]).values(status="lost", phone="+6281100000098")
        )
        await session.execute(
            update(Lead).where(Lead.id == ids["l6"]).values(assigned_rep_id=agencies.rep(ANNA).id)
        )
        viewing = (await session.scalars(select(Viewing).where(Viewing.lead_id == ids["l4"]))).one()
        await session.execute(update(Viewing).where(Viewing.id == viewing.id).values(lead_id=ids["l1"]))
        session.add(
            FollowUpSend(
                tenant_id=tre,
                lead_id=ids["l1"],
                step_key="ghost:1",
                status="sent",
                due_at=now - 2 * timedelta(days=1),
                sent_at=now - 2 * timedelta(days=1),
                created_at=now - 2 * timedelta(days=1),
            )
        )
        alerted = (await session.scalars(select(LeadAlert).where(LeadAlert.lead_id == ids["l3"]))).one()
        assert alerted.delivered_at is not None
        session.add(
            AuditLog(
                tenant_id=tre,
                actor_telegram_id=ANNA,
                action="lead.status",
                target=f"lead:{ids['l3']}",
                allowed=True,
                created_at=alerted.delivered_at + 5 * M,
            )
        )
        session.add(
            Lead(
                tenant_id=tre,
                telegram_user_id=7001,
                name="Zoe",
                status="qualified",
                temperature="hot",
                source="catalog",
                phone="+6281100000099",
                assigned_rep_id=agencies.rep(BORIS).id,
                created_at=now - timedelta(days=2),
                extra={},
            )
        )
        await session.execute(Lead.__table__.delete().where(Lead.id == ids["x"]))


async def test_stored_and_live_figures_equal_the_live_computation_before_and_after_changes(
    clients: SignIn, agencies: Agencies, history: History, database: Database, clock: FrozenClock
) -> None:
    before = await every_report(clients, agencies)  # nothing consolidated yet: all live
    assert before["olga"]["funnel"]["new"] == 8 and before["olga-7"]["funnel"]["new"] == 8
    assert before["anna"]["ghost"]["nudged"] == 1
    assert {c["channel"]: c["leads"] for c in before["olga"]["channels"]}["email"] == 2

    await refresh_all(database, clock)
    assert await counted(database, StaleLead) == 0 and await counted(database, LeadFacts) == 10
    assert await every_report(clients, agencies) == before

    await change_history(database, agencies, history, clock)
    assert await counted(database, StaleLead) >= 6  # the changed leads are read live until the next refresh
    mixed = await every_report(clients, agencies)
    assert mixed != before
    assert mixed["olga"]["funnel"]["new"] == 9 and mixed["otto"]["funnel"]["new"] == 0
    assert mixed["anna"]["ghost"]["nudged"] == 3  # Lena nudged now, Rob moved to Anna
    assert mixed == await all_live(database, agencies, clients)

    await refresh_all(database, clock)  # a full rebuild: everything was stale, nothing stored
    assert await counted(database, StaleLead) == 0 and await counted(database, DailyFunnel) > 0
    assert await every_report(clients, agencies) == mixed


async def test_the_page_says_when_the_figures_were_last_consolidated(
    clients: SignIn, agencies: Agencies, history: History, database: Database, clock: FrozenClock
) -> None:
    olga = await clients(agencies.tre, OLGA)
    assert "not consolidated yet" in (await olga.get("/analytics")).text
    await refresh_all(database, clock)
    page = (await olga.get("/analytics")).text
    assert "Figures consolidated" in page and "not consolidated yet" not in page
