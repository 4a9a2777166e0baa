"""An update is handled at most once, and only once it is claimed in processed_updates (fails closed).

A row of processed_updates is a claim (processed_at: when it was claimed) and, once every handler of the update
has run, a record that it was handled (handled_at). A delivery of an update id is dropped as a repeat when its
row is handled, or claimed within CLAIM_LEASE; an unhandled claim is one whose process may have died (kill -9)
before handling it, so it does not block the update for good:
- polling: PTB's Updater puts each fetched update into the Application's queue and only then moves its offset
  past it (the next getUpdates acknowledges). `UpdateQueue.put` claims the update first and, while the database
  cannot take it, waits and retries: nothing is acknowledged. Telegram allows one getUpdates consumer per bot
  token, so when a poller starts, every unhandled claim of its bot was made by a process that is gone: the
  first `put` releases them (deletes them) before claiming anything, and an update such a process had claimed
  but not handled, fetched again because it was never acknowledged, is handled once now.
- webhook (several processes): the HTTP handler calls `UpdateQueue.admit`, which raises `UpdateNotRecorded`
  instead of waiting; the handler answers 503 and Telegram redelivers. A redelivery of an update claimed by
  another process is a repeat while that claim is fresh; once it is older than CLAIM_LEASE and still not
  handled, one atomic INSERT … ON CONFLICT DO UPDATE … WHERE lets exactly one process claim it again.
- updates fed straight to `Application.process_update` (evals, tests) are claimed by the handler in
  DEDUPE_GROUP, which stops the update (ApplicationHandlerStop: no later group runs) when it is a repeat or
  the claim fails.
In every mode the handler in HANDLED_GROUP, the last group, sets handled_at: PTB runs later groups even after a
handler raised (the error handler answers the lead first), so a failed turn that was apologised for counts as
handled. The cost is one INSERT on entry and one UPDATE after the handlers, per update.

What this does not cover: PTB acknowledges a polled batch with its next getUpdates, sent as soon as the batch
is in the queue, and a webhook is answered 200 once the update is queued; Telegram does not redeliver what it
holds as delivered, so an update still being handled when the process is killed is not answered. What the
claims save is an update claimed but never acknowledged: a batch cut short (a kill while `put` waits for the
database, or between its puts) and a webhook request whose 200 never reached Telegram. A lead bot's text
waiting in a burst counts as handled when its handler returns (its turn follows within the burst window).
Polling assumes one poller per token (Telegram answers a second one 409): an overlapping poller, e.g. during a
restart, could handle an update the new one released. If marking handled fails (the database went down after
the turn), the row stays unhandled and only a redelivery after a polling restart or the lease could repeat it.

An update id outside PostgreSQL's bigint can never be recorded. Telegram's ids are 32-bit, so only a forged or
corrupt update has one: it is dropped with a warning (acknowledged, never handled), so it cannot loop.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from agent.core.clock import Clock
from storage.db import Database
from storage.repositories.telegram import TelegramRepository

log = logging.getLogger(__name__)

DEDUPE_GROUP = -100
"""Handler group that runs before every other one: claims the update or stops it."""
HANDLED_GROUP = 100
"""Handler group that runs after every other one: records the update as handled."""
CLAIM_LEASE = timedelta(minutes=2)
"""An unhandled claim older than this may be taken over by another process (webhooks)."""
BIGINT = range(-(2**63), 2**63)
RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 15.0


class UpdateNotRecorded(RuntimeError):
    """The update could not be recorded as seen (the database is unreachable): it must not be handled yet."""


async def claim_update(
    database: Database, bot_key: str, update_id: int, clock: Clock, lease: timedelta = CLAIM_LEASE
) -> bool:
    """True when this delivery of the update to this bot may be handled (in any process), False for a repeat.

    Raises UpdateNotRecorded when the database cannot record it.
    """
    try:
        async with database.session() as session:
            return await TelegramRepository(session).claim_update(bot_key, update_id, clock.now(), lease)
    except Exception as exc:  # any failure to record means "not seen": never handle it unrecorded
        raise UpdateNotRecorded(f"update {update_id} for {bot_key} could not be recorded: {exc}") from exc


@dataclass
class Dedupe:
    """One bot's dedupe: the queue its Application reads and the handlers that guard process_update."""

    database: Database
    bot_key: str
    clock: Clock
    lease: timedelta = CLAIM_LEASE
    admitted: set[int] = field(default_factory=set)
    """Ids this process claimed on entry; the DEDUPE_GROUP handler lets them through once."""

    async def record(self, update: Update) -> bool:
        """True when this update is claimed; False for a repeat or an id that can never be recorded."""
        if update.update_id not in BIGINT:
            log.warning("dropped update %s for %s: its id cannot be recorded", update.update_id, self.bot_key)
            return False
        if not await claim_update(self.database, self.bot_key, update.update_id, self.clock, self.lease):
            log.info("dropped a repeated update %s for %s", update.update_id, self.bot_key)
            return False
        self.admitted.add(update.update_id)
        return True

    async def release_unhandled(self) -> int:
        """Forget this bot's claims that were never handled (a poller starts). Raises UpdateNotRecorded."""
        try:
            async with self.database.session() as session:
                released = await TelegramRepository(session).release_unhandled(self.bot_key)
        except Exception as exc:
            raise UpdateNotRecorded(
                f"unhandled updates of {self.bot_key} could not be released: {exc}"
            ) from exc
        if released:
            log.warning(
                "%s: %d updates claimed by a stopped process are handled again", self.bot_key, released
            )
        return released

    async def handled(self, update: Update) -> None:
        """Record that every handler of `update` has run; a failure is logged (see the module docstring)."""
        if update.update_id not in BIGINT:
            return
        try:
            async with self.database.session() as session:
                await TelegramRepository(session).mark_handled(
                    self.bot_key, update.update_id, self.clock.now()
                )
        except Exception as exc:
            log.warning(
                "update %s for %s could not be marked handled: %s", update.update_id, self.bot_key, exc
            )

    def queue(self) -> UpdateQueue:
        return UpdateQueue(self)

    def handler(self) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
        return dedupe_handler(self)

    def handled_handler(self) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
        async def mark_handled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            """Every earlier group has run for this update (or raised and was answered by the error handler)."""
            await self.handled(update)

        return TypeHandler(Update, mark_handled)

    def install(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Guard `application` (built with `.update_queue(self.queue())`): claim first, mark handled last."""
        application.add_handler(self.handler(), group=DEDUPE_GROUP)
        application.add_handler(self.handled_handler(), group=HANDLED_GROUP)


class UpdateQueue(asyncio.Queue[object]):
    """The Application's update queue: an update enters only after it is claimed."""

    def __init__(self, dedupe: Dedupe) -> None:
        super().__init__()
        self.dedupe = dedupe
        self._released = False
        self._releasing = asyncio.Lock()

    async def admit(self, update: Update) -> bool:
        """Claim and enqueue `update` (webhook); False for a repeat. Raises UpdateNotRecorded."""
        if not await self.dedupe.record(update):
            return False
        await super().put(update)
        return True

    async def put(self, item: object) -> None:
        """PTB's Updater (polling): wait until the update is claimed; its offset only moves after this. The
        first update of this poller releases the unhandled claims of the one before it."""
        if not isinstance(item, Update):
            await super().put(item)
            return
        pause = RETRY_FIRST_SECONDS
        while True:
            try:
                await self._release_once()
                await self.admit(item)
                return
            except UpdateNotRecorded as exc:
                log.warning("%s; not acknowledged, retrying in %.1fs", exc, pause)
                await asyncio.sleep(pause)
                pause = min(RETRY_MAX_SECONDS, pause * 2)

    async def _release_once(self) -> None:
        async with self._releasing:
            if not self._released:
                await self.dedupe.release_unhandled()
                self._released = True


def dedupe_handler(dedupe: Dedupe) -> TypeHandler[Update, ContextTypes.DEFAULT_TYPE, None]:
    """A handler for group DEDUPE_GROUP: an update claimed on entry passes; any other is claimed here, and
    a repeat, or one that cannot be claimed, stops before any other handler sees it."""

    async def drop_unrecorded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Let an update through only once it is claimed."""
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
