"""An update id delivered twice is processed once: the first delivery claims it in processed_updates."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from agent.core.clock import Clock
from storage.db import Database
from storage.repositories.telegram import TelegramRepository

log = logging.getLogger(__name__)

DEDUPE_GROUP = -100
"""Handler group that runs before every other one."""


async def claim_update(database: Database, bot_key: str, update_id: int, clock: Clock) -> bool:
    """True for the first delivery of this update to this bot (in any process), False for a repeat."""
    async with database.session() as session:
        return await TelegramRepository(session).claim_update(bot_key, update_id, clock.now())


def dedupe_handler(
    database: Database, bot_key: str, clock: Clock
) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
    """A handler for group DEDUPE_GROUP that stops a repeated update before any other handler sees it."""

    async def drop_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stop an update id this bot has already taken."""
        if not await claim_update(database, bot_key, update.update_id, clock):
            log.info("dropped a repeated update %s for %s", update.update_id, bot_key)
            raise ApplicationHandlerStop

    return TypeHandler(Update, drop_duplicates)
