"""What the team-bot tests share: the bot under test on the loopback Bot API, its admin and its users."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from bot.team import build_team_application
from evals.bot_api import ApiCall, BotDriver, FakeTelegramAPI
from storage.db import Database
from storage.models import AuditLog, SalesRepresentative

TOKEN = "7001:TEAM-TOKEN"
ADMIN = 500_001
DOMAIN = "truerealestate.bali"
_user_ids = itertools.count(610_000)


def new_user() -> int:
    """A Telegram id no other test used (conversation threads outlive a test's tables)."""
    return next(_user_ids)


@dataclass
class TeamBotUnderTest:
    driver: BotDriver
    api: FakeTelegramAPI
    database: Database

    async def register(self, user: int, name: str = "Иван Иванов", email: str = f"ivan@{DOMAIN}") -> ApiCall:
        """Walk a new user through registration; the application card the admin got."""
        await self.driver.text(user, "Привет")
        await self.driver.text(user, "Да")
        await self.driver.text(user, name)
        await self.driver.text(user, email)
        before = len(self.api.sent(chat_id=ADMIN))
        await self.driver.text(user, "Да")
        cards = self.api.sent(chat_id=ADMIN)[before:]
        assert cards, "the admin got no application card"
        return cards[-1]

    async def rep(self, user: int) -> SalesRepresentative:
        async with self.database.session() as session:
            rep = (
                await session.execute(
                    select(SalesRepresentative).where(SalesRepresentative.telegram_id == user)
                )
            ).scalar_one()
            return rep

    async def audit(self, action: str) -> list[AuditLog]:
        async with self.database.session() as session:
            rows = await session.execute(
                select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
            )
            return list(rows.scalars())


@asynccontextmanager
async def running_team_bot(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[TeamBotUnderTest]:
    """A fresh Application with its own services and checkpointer (a restart is a second one of these)."""
    services = Services(settings=settings, database=database, clock=clock)
    async with services.resources:
        application = build_team_application(services, TOKEN)
        async with application:
            yield TeamBotUnderTest(BotDriver(application, api), api, database)
