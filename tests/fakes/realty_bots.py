"""Our bots running against the loopback Bot API, for tests, evals and benches.

async with FakeTelegramAPI() as api:
    settings = bot_settings(settings, api, admins=[1])
    services = Services(settings=settings, database=database, clock=clock)
    async with services.resources, running_team_bot(services, api) as team, running_lead_bot(
        services, tenant, api
    ) as lead, running_alerts(services, team.application):
        await lead.text(7, "/start expo_bali")
        ...
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from agent.services.provider import Services
from agent.services.team import TeamService
from agent.settings import Settings
from evals.bot_api import BotDriver, FakeTelegramAPI, Updates

TEAM_TOKEN = "7001:TEAM-TOKEN"


def bot_settings(
    settings: Settings,
    api: FakeTelegramAPI,
    *,
    admins: Sequence[int] = (),
    domain: str | None = None,
    team_token: str = TEAM_TOKEN,
) -> Settings:
    """`settings` pointed at the loopback Bot API, with these admins and corporate domain."""
    return settings.model_copy(
        update={
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            "admin_telegram_ids": list(admins),
            "corporate_email_domain": domain,
            "registry_bot_token": SecretStr(team_token),
        }
    )


@asynccontextmanager
async def started(application: Any) -> AsyncIterator[Any]:
    """Initialise and start an Application without an updater (updates are fed by the driver)."""
    async with application:
        await application.start()
        try:
            yield application
        finally:
            await application.stop()


@asynccontextmanager
async def running_team_bot(
    services: Services, api: FakeTelegramAPI, updates: Updates | None = None
) -> AsyncIterator[BotDriver]:
    from bot.team import build_team_application

    token = services.settings.registry_bot_token
    application = build_team_application(services, token.get_secret_value() if token else TEAM_TOKEN)
    async with started(application):
        yield BotDriver(application, api, updates)


@asynccontextmanager
async def running_lead_bot(
    services: Services,
    tenant: Any,
    api: FakeTelegramAPI,
    updates: Updates | None = None,
    *,
    burst_seconds: float = 0.2,
    transcriber: Any = None,
) -> AsyncIterator[BotDriver]:
    from bot.lead import build_lead_application

    application = build_lead_application(
        services, tenant, burst_seconds=burst_seconds, transcriber=transcriber
    )
    async with started(application):
        yield BotDriver(application, api, updates)


@asynccontextmanager
async def running_alerts(
    services: Services, team_application: Any, *, poll_seconds: float = 1.0
) -> AsyncIterator[Any]:
    """The alert dispatcher on the team bot, LISTENing and polling, until the block ends."""
    from agent.adapters.telegram.sender import BotSender
    from bot.alerts import AlertDispatcher
    from bot.team import TEAM_BOT_KEY

    sender = BotSender.for_bot(team_application.bot, TEAM_BOT_KEY, services.database, services.clock)
    team = TeamService(services.database, services.settings, services.clock)
    dispatcher = AlertDispatcher(services.database, sender, team, services.clock, poll_seconds=poll_seconds)
    stopping = asyncio.Event()
    task = asyncio.create_task(dispatcher.run(stopping))
    try:
        yield dispatcher
    finally:
        stopping.set()
        await task
