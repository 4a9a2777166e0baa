"""The services a command, bot or job needs, opened once and handed out together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agent.adapters.embeddings import Embedder, make_embedder
from agent.core.clock import Clock, SystemClock
from agent.settings import Settings, get_settings
from storage.db import Database
from storage.startup import open_database

if TYPE_CHECKING:
    from agent.adapters.checkpointer import ConversationStore
    from agent.adapters.models import SalesModel
    from agent.services.calendars.service import CalendarProviders


@dataclass
class Services:
    """Everything outside a single request: settings, database, clock, embedder."""

    settings: Settings
    database: Database
    clock: Clock = field(default_factory=SystemClock)
    embedder: Embedder | None = None
    """Listing search embedder; None: the one `make_embedder(settings)` builds, made on first use."""
    model: SalesModel | None = None
    """The sales model; None: the one `agent.adapters.models.sales_model` builds from the settings on first use."""
    conversations: ConversationStore | None = None
    """Checkpointer and turn locks, opened on first use by `agent.adapters.checkpointer.conversation_store`."""
    calendars: CalendarProviders | None = None
    """Google transport and Zoom client; None: built by `agent.services.calendars.service.calendar_providers` on first use."""
    resources: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)
    """Closed with the services: what was opened on first use (pools) registers its close here."""


@asynccontextmanager
async def open_services(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = True
) -> AsyncIterator[Services]:
    """Open the database (embedded or DATABASE_URL), migrate if needed, and close it all at the end."""
    settings = settings or get_settings()
    database = await open_database(settings, migrate=migrate)
    try:
        services = Services(
            settings=settings,
            database=database,
            clock=clock or SystemClock(),
            embedder=make_embedder(settings),
        )
        async with services.resources:
            yield services
    finally:
        await database.dispose()
