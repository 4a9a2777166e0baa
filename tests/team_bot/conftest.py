"""Fixtures of the team-bot tests: settings with one global admin, the agency, the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from agent.core.clock import FrozenClock
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Tenant
from storage.repositories.tenants import TenantRepository
from tests.team_bot.team_support import ADMIN, DOMAIN, TOKEN, TeamBotUnderTest, running_team_bot


@pytest.fixture
def team_settings(settings: Settings, api: FakeTelegramAPI) -> Settings:
    return settings.model_copy(
        update={
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            "admin_telegram_ids": [ADMIN],
            "corporate_email_domain": DOMAIN,
            "registry_bot_token": SecretStr(TOKEN),
        }
    )


@pytest.fixture
async def tenant(database: Database) -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="True Real Estate", slug="tre", time_zone="Asia/Makassar"
        )


@pytest.fixture
async def bot(
    team_settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, tenant: Tenant
) -> AsyncIterator[TeamBotUnderTest]:
    async with running_team_bot(team_settings, database, clock, api) as running:
        yield running


@pytest.fixture(autouse=True)
async def _forget_team_threads(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "database" not in request.fixturenames:
        return
    db: Database = request.getfixturevalue("database")
    async with db.engine.begin() as conn:
        exists = (await conn.execute(text("SELECT to_regclass('checkpoints') IS NOT NULL"))).scalar()
        if exists:
            for table in ("checkpoint_writes", "checkpoint_blobs", "checkpoints"):
                await conn.execute(text(f"DELETE FROM {table} WHERE thread_id LIKE 'team:%'"))
