"""An update is handled once, and only once it is recorded as seen in processed_updates (fails closed).

The record is made where the update enters the process, before Telegram is told it arrived:
- polling: PTB's Updater puts each fetched update into the Application's queue and only then moves its offset
  past it (the next getUpdates acknowledges). `UpdateQueue.put` records the update first and, while the
  database cannot take it, waits and retries: the offset does not move, nothing is acknowledged, and an update
  fetched again after a restart is recognised as a repeat.
- webhook: the HTTP handler calls `UpdateQueue.admit`, which raises `UpdateNotRecorded` instead of waiting; the
  handler answers 503 and Telegram redelivers.
- updates fed straight to `Application.process_update` (evals, tests) are recorded by `dedupe_handler`, which
  stops the update when the record fails.

An update id outside PostgreSQL's bigint can never be recorded. Telegram's ids are 32-bit, so only a forged or
corrupt update has one: it is dropped with a warning (acknowledged, never handled), so it cannot loop.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from agent.core.clock import Clock
from storage.db import Database
from storage.repositories.telegram import TelegramRepository

log = logging.getLogger(__name__)

DEDUPE_GROUP = -100
"""Handler group that runs before every other one."""
BIGINT = range(-(2**63), 2**63)
RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 15.0


class UpdateNotRecorded(RuntimeError):
    """The update could not be recorded as seen (the database is unreachable): it must not be handled yet."""


async def claim_update(database: Database, bot_key: str, update_id: int, clock: Clock) -> bool:
    """True for the first delivery of this update to this bot (in any process), False for a repeat.

    Raises UpdateNotRecorded when the database cannot record it.
    """
    try:
        async with database.session() as session:
            return await TelegramRepository(session).claim_update(bot_key, update_id, clock.now())
    except Exception as exc:  # any failure to record means "not seen": never handle it unrecorded
        raise UpdateNotRecorded(f"update {update_id} for {bot_key} could not be recorded: {exc}") from exc


@dataclass
class Dedupe:
    """One bot's dedupe: the queue its Application reads and the handler that guards process_update."""

    database: Database
    bot_key: str
    clock: Clock
    admitted: set[int] = field(default_factory=set)
    """Ids this process recorded on entry; the handler lets them through once."""

    async def record(self, update: Update) -> bool:
        """True when this update is new and recorded; False for a repeat or an id that can never be recorded."""
        if update.update_id not in BIGINT:
            log.warning("dropped update %s for %s: its id cannot be recorded", update.update_id, self.bot_key)
            return False
        if not await claim_update(self.database, self.bot_key, update.update_id, self.clock):
            log.info("dropped a repeated update %s for %s", update.update_id, self.bot_key)
            return False
        self.admitted.add(update.update_id)
        return True

    def queue(self) -> UpdateQueue:
        return UpdateQueue(self)

    def handler(self) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
        return dedupe_handler(self)


class UpdateQueue(asyncio.Queue[object]):
    """The Application's update queue: an update enters only after it is recorded as seen."""

    def __init__(self, dedupe: Dedupe) -> None:
        super().__init__()
        self.dedupe = dedupe

    async def admit(self, update: Update) -> bool:
        """Record and enqueue `update` (webhook); False for a repeat. Raises UpdateNotRecorded."""
        if not await self.dedupe.record(update):
            return False
        await super().put(update)
        return True

    async def put(self, item: object) -> None:
        """PTB's Updater (polling): wait until the update is recorded; its offset only moves after this."""
        if not isinstance(item, Update):
            await super().put(item)
            return
        pause = RETRY_FIRST_SECONDS
        while True:
            try:
                await self.admit(item)
                return
            except UpdateNotRecorded as exc:
                log.warning("%s; not acknowledged, retrying in %.1fs", exc, pause)
                await asyncio.sleep(pause)
                pause = min(RETRY_MAX_SECONDS, pause * 2)


def dedupe_handler(dedupe: Dedupe) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
    """A handler for group DEDUPE_GROUP: an update recorded on entry passes; any other is recorded here, and
    a repeat, or one that cannot be recorded, stops before any other handler sees it."""

    async def drop_unrecorded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Let an update through only once it is recorded as seen."""
        if update.update_id in dedupe.admitted:
            dedupe.admitted.discard(update.update_id)
            return
        try:
            recorded = await dedupe.record(update)
        except UpdateNotRecorded as exc:
            log.warning("%s; not handled", exc)
            raise ApplicationHandlerStop from exc
        if not recorded:
            raise ApplicationHandlerStop
        dedupe.admitted.discard(update.update_id)

    return TypeHandler(Update, drop_unrecorded)
