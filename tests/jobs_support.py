"""Shared set-up for the follow-up job tests: a tenant with a lead bot, leads, reps, and services whose
Telegram traffic goes to the loopback Bot API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time
from decimal import Decimal

from sqlalchemy import select

from agent.adapters.channels import Channels, Outbound, TelegramTransport
from agent.adapters.crypto import LeadBotTokens
from agent.adapters.telegram.outbound import TelegramOutbound
from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import FollowUpSend, Lead, RepStatus, SalesRepresentative, Tenant
from tests.secrets_support import lead_bot_columns

LEAD_BOT = "111111:lead-bot-token"
TEAM_BOT = "222222:team-bot-token"


async def make_tenant(
    database: Database,
    *,
    slug: str = "acme",
    token: str | None = LEAD_BOT,
    time_zone: str = "UTC",
    quiet: tuple[time, time] = (time(21, 0), time(8, 0)),
) -> Tenant:
    async with database.session() as session:
        tenant = Tenant(
            name="Acme Homes",
            slug=slug,
            **lead_bot_columns(token),
            lead_bot_username=f"{slug}_homes_bot",
            time_zone=time_zone,
            quiet_hours_start=quiet[0],
            quiet_hours_end=quiet[1],
            ghost_after_minutes=120,
        )
        session.add(tenant)
        await session.flush()
        return tenant


async def make_lead(
    database: Database, tenant: Tenant, *, last_inbound_at: datetime, **fields: object
) -> Lead:
    values: dict[str, object] = {
        "telegram_user_id": 5000 + int(uuid.uuid4().int % 10**6),
        "name": "Anna",
        "phone": "+14155550100",
        "language": "en",
        "status": "contact_captured",
        "property_type": "villa",
        "location": "Canggu",
        "budget_max": Decimal(500000),
        "budget_currency": "USD",
        "first_inbound_at": last_inbound_at,
        "last_inbound_at": last_inbound_at,
    }
    values.update(fields)
    values.setdefault("telegram_chat_id", values["telegram_user_id"])
    async with database.session() as session:
        lead = Lead(tenant_id=tenant.id, **values)
        session.add(lead)
        await session.flush()
        return lead


async def make_rep(
    database: Database, tenant: Tenant, telegram_id: int, *, approved_at: datetime, name: str = "Rep"
) -> SalesRepresentative:
    async with database.session() as session:
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=telegram_id,
            telegram_chat_id=telegram_id,
            name=name,
            email=f"{telegram_id}@agency.test",
            status=RepStatus.ACTIVE,
            approved_at=approved_at,
            language="ru",
        )
        session.add(rep)
        await session.flush()
        return rep


async def sends_of(database: Database, **where: object) -> list[FollowUpSend]:
    async with database.session() as session:
        query = select(FollowUpSend).order_by(FollowUpSend.id)
        for name, value in where.items():
            query = query.where(getattr(FollowUpSend, name) == value)
        return list((await session.execute(query)).scalars())


async def reload(database: Database, model: type, key: object) -> object:
    async with database.session() as session:
        return await session.get(model, key, populate_existing=True)


@asynccontextmanager
async def job_context_on(
    database: Database, settings: Settings, api: FakeTelegramAPI, clock: FrozenClock, **channels: object
) -> AsyncIterator[Services]:
    """Services for the follow-up jobs: Telegram through the loopback Bot API, the team bot as TEAM_BOT."""
    telegram = TelegramOutbound(api.base_url, api.file_base_url)
    services = Services(
        settings,
        database,
        clock=clock,
        telegram=telegram,
        channels=Channels(
            telegram=TelegramTransport(telegram),
            team_bot_token=TEAM_BOT,
            lead_bot_tokens=LeadBotTokens(settings),
            **channels,  # type: ignore[arg-type]
        ),
    )
    services.resources.push_async_callback(telegram.close)
    async with services.resources:
        yield services


class RecordingTransport:
    """A fake SMTP/WhatsApp boundary: keeps what would have gone out."""

    def __init__(self) -> None:
        self.sent: list[Outbound] = []

    async def send(self, message: Outbound) -> str:
        self.sent.append(message)
        return f"<{len(self.sent)}@test>"


def at(hour: int, minute: int = 0, *, day: int = 2, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)
