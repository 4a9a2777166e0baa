"""Shared set-up for the sales conversation tests: services on the test database, the demo agency, leads,
and a helper that talks to the agent through the turn API (the same path as the bots and evals)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text

from agent.adapters.embeddings import HashingEmbedder
from agent.core.clock import FrozenClock
from agent.services.catalog.seed import seed_demo
from agent.services.leads import create_lead, ensure_demo_rep
from agent.services.provider import Services
from agent.settings import Settings
from graphs.sales.conversation import Inbound, TurnResult, run_lead_turn
from storage.db import Database
from storage.models import Lead, LeadInteraction, Tenant, Viewing

MONDAY_10_BALI = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
"""Monday 10:00 in Bali (Asia/Makassar), inside the demo agent's working hours."""

CHECKPOINT_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


@pytest.fixture
def sales_clock() -> FrozenClock:
    return FrozenClock(MONDAY_10_BALI)


async def clear_checkpoints(database: Database) -> None:
    async with database.engine.begin() as conn:
        exists = await conn.scalar(text("SELECT to_regclass('checkpoints') IS NOT NULL"))
        if exists:
            await conn.execute(text(f"TRUNCATE {', '.join(CHECKPOINT_TABLES)}"))


def make_services(settings: Settings, database: Database, clock: FrozenClock) -> Services:
    return Services(settings=settings, database=database, clock=clock, embedder=HashingEmbedder())


@pytest.fixture
async def services(
    settings: Settings, database: Database, sales_clock: FrozenClock
) -> AsyncIterator[Services]:
    """Services on the test database with the offline model; the checkpointer opens on first use."""
    services = make_services(settings, database, sales_clock)
    try:
        yield services
    finally:
        await services.resources.aclose()
        await clear_checkpoints(database)


@pytest.fixture
async def demo(services: Services) -> Tenant:
    """The demo agency (Bali catalog) with one active agent who can host viewings."""
    return await seeded_demo(services)


async def seeded_demo(services: Services, **fields: Any) -> Tenant:
    """The demo agency (Bali catalog) with one active agent, and these fields set (a lead bot token...)."""
    async with services.database.session() as session:
        report = await seed_demo(session, services.embedder)  # type: ignore[arg-type]
        tenant = await session.get(Tenant, report.tenant_id)
        assert tenant is not None
        for name, value in fields.items():
            setattr(tenant, name, value)
        await ensure_demo_rep(session, tenant)
        return tenant


async def new_lead(services: Services, tenant: Tenant, language: str = "en") -> int:
    async with services.database.session() as session:
        lead = await create_lead(session, tenant.id, language=language)
        return lead.id


@dataclass
class Chat:
    """One lead talking to the agent through the turn API."""

    services: Services
    tenant_id: int
    lead_id: int

    async def say(self, text: str = "", **inbound: Any) -> TurnResult:
        return await run_lead_turn(
            self.services,
            tenant_id=self.tenant_id,
            lead_id=self.lead_id,
            inbound=Inbound(text=text, **inbound),
        )

    async def script(self, lines: Sequence[str]) -> list[TurnResult]:
        return [await self.say(line) for line in lines]

    async def lead(self) -> Lead:
        async with self.services.database.session() as session:
            lead = await session.get(Lead, self.lead_id)
            assert lead is not None
            return lead

    async def viewings(self) -> list[Viewing]:
        async with self.services.database.session() as session:
            rows = await session.execute(select(Viewing).where(Viewing.lead_id == self.lead_id))
            return list(rows.scalars())

    async def interactions(self) -> list[LeadInteraction]:
        async with self.services.database.session() as session:
            rows = await session.execute(
                select(LeadInteraction)
                .where(LeadInteraction.lead_id == self.lead_id)
                .order_by(LeadInteraction.id)
            )
            return list(rows.scalars())


async def new_chat(services: Services, tenant: Tenant, language: str = "en") -> Chat:
    return Chat(services, tenant.id, await new_lead(services, tenant, language))


def tool_names(results: Sequence[TurnResult]) -> list[str]:
    return [call["name"] for result in results for call in result.tools]
