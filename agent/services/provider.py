"""The services a command, bot or job needs, declared and built in one place, and handed out together.

`open_services` opens the database and builds a `Services`; everything in it is declared here, and nothing
outside fills it in. Most providers are built up front; the sales model and the calendar providers are built
on first use, by this class, so a command that never needs them never imports their client libraries.
Whatever opens connections registers its close on `resources`, closed when the services close.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from agent.adapters.channels import Channels, channels_from_settings
from agent.adapters.checkpointer import ConversationStore
from agent.adapters.embeddings import Embedder, make_embedder
from agent.adapters.telegram.outbound import TelegramOutbound
from agent.core.clock import Clock, SystemClock
from storage.db import Database

if TYPE_CHECKING:  # imported where they are built (see the module's docstring)
    from agent.adapters.calendars import CalendarProviders
    from agent.adapters.models import SalesModel
    from agent.settings import Settings


def new_worker_id() -> str:
    """host:pid:random — what `claimed_by` says, so an operator can tell which process held a row."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Services:
    """Everything outside a single request; pass a provider to use it instead of the one built from settings.

    Up front: `clock`, `embedder` (listing search), `conversations` (checkpointer and turn locks, opened on
    first use), `telegram` (one sending bot and rate limiter per token), `channels` (what the follow-up
    dispatcher delivers through) and `worker_id` (who claims ledger rows). On first use: `model` and
    `calendars`.
    """

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        clock: Clock | None = None,
        embedder: Embedder | None = None,
        conversations: ConversationStore | None = None,
        telegram: TelegramOutbound | None = None,
        channels: Channels | None = None,
        worker_id: str | None = None,
        model: SalesModel | None = None,
        calendars: CalendarProviders | None = None,
        resources: AsyncExitStack | None = None,
    ) -> None:
        self.settings = settings
        self.database = database
        self.resources = resources or AsyncExitStack()
        self.clock: Clock = clock or SystemClock()
        self.embedder: Embedder = embedder or make_embedder(settings)
        if conversations is None:
            conversations = ConversationStore(database, pool_size=settings.db_pool_size)
            self.resources.push_async_callback(conversations.close)
        self.conversations = conversations
        if telegram is None:
            telegram = TelegramOutbound.from_settings(settings)
            self.resources.push_async_callback(telegram.close)
        self.telegram = telegram
        self.channels = channels or channels_from_settings(settings, telegram)
        self.worker_id = worker_id or new_worker_id()
        if model is not None:
            self.model = model
        if calendars is not None:
            self.calendars = calendars

    def derive(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        model: SalesModel | None = None,
        embedder: Embedder | None = None,
    ) -> Services:
        """Services for other settings (and clock) on this database, conversation store and resources.

        The model and embedder are kept when given; every other provider is built for `settings`.
        """
        return Services(
            settings,
            self.database,
            clock=clock or self.clock,
            embedder=embedder,
            model=model,
            conversations=self.conversations,
            resources=self.resources,
        )

    @cached_property
    def model(self) -> SalesModel:
        """The sales model from the settings (a provider's chat model, or the offline model)."""
        from agent.adapters.models import SalesModel, build_chat_model

        return SalesModel(build_chat_model(self.settings))

    @cached_property
    def calendars(self) -> CalendarProviders:
        """Google's transport and the Zoom client (its HTTP client closes with the services)."""
        from agent.adapters.calendars import CalendarProviders

        return CalendarProviders.from_settings(self.settings, self.clock, self.resources)


@asynccontextmanager
async def open_services(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    model: SalesModel | None = None,
) -> AsyncIterator[Services]:
    """Open the database (embedded or DATABASE_URL), migrate if needed, and close it all at the end."""
    from agent.settings import get_settings
    from storage.startup import open_database  # the migrations (Alembic) load only where a process starts

    settings = settings or get_settings()
    database = await open_database(settings, migrate=migrate)
    try:
        services = Services(settings, database, clock=clock, model=model)
        async with services.resources:
            yield services
    finally:
        await database.dispose()
