"""An update claimed by a process that was killed before handling it is not lost: a new poller handles it once
(polling), or another process takes it over once the claim's lease has passed (webhook). A handled update, or
one claimed within the lease, is still a repeat; a turn that failed and was apologised for counts as handled."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from bot.dedupe import CLAIM_LEASE, Dedupe
from bot.errors import on_error
from evals.bot_api import FakeTelegramAPI, Updates
from storage.db import Database
from storage.models import Lead, LeadInteraction, ProcessedUpdate
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import bot_settings
from tests.secrets_support import lead_bot_columns
from tests.serve_support import serving_webhooks

LEAD_TOKEN = "8401:KILLED-LEAD-TOKEN"
BOT_KEY = "lead:killed"
_users = itertools.count(950_000)


async def claimed_by_a_dead_process(
    database: Database, update: dict[str, Any], at: datetime, *, handled: bool = False
) -> None:
    """The row a killed process left: claimed at `at`, handled only if it got that far."""
    async with database.session() as session:
        session.add(
            ProcessedUpdate(
                bot_key=BOT_KEY,
                update_id=update["update_id"],
                processed_at=at,
                handled_at=at if handled else None,
            )
        )


async def inbound_texts(database: Database, user: int) -> list[str | None]:
    async with database.session() as session:
        query = (
            select(LeadInteraction.text)
            .join(Lead, Lead.id == LeadInteraction.lead_id)
            .where(Lead.telegram_user_id == user, LeadInteraction.direction == "inbound")
            .order_by(LeadInteraction.id)
        )
        return list((await session.execute(query)).scalars())


async def unhandled(database: Database) -> list[int]:
    async with database.session() as session:
        query = select(ProcessedUpdate.update_id).where(ProcessedUpdate.handled_at.is_(None))
        return list((await session.execute(query)).scalars())


def offsets(api: FakeTelegramAPI) -> list[int]:
    return [
        int(call.params["offset"])
        for call in api.calls_of("getUpdates", token=LEAD_TOKEN)
        if isinstance(call.params.get("offset"), int)
    ]


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    async with database.session() as session:
        await TenantRepository(session).create(
            name="Killed Homes", slug="killed", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
    running = Services(
        settings=bot_settings(settings, api).model_copy(update={"registry_bot_token": None}),
        database=database,
        clock=clock,
    )
    async with running.resources:
        yield running


async def _run(services: Services, stopping: asyncio.Event, **options: object) -> asyncio.Task[object]:
    from bot.app import run_bots

    return asyncio.create_task(
        run_bots(services, stopping, with_jobs=False, poll_timeout=1, **options)  # type: ignore[arg-type]
    )


async def test_updates_a_killed_poller_claimed_but_never_handled_are_handled_once_by_the_next_one(
    services: Services, api: FakeTelegramAPI, clock: FrozenClock
) -> None:
    lost, repeated, updates = next(_users), next(_users), Updates()
    first = updates.text(lost, "/start", language_code="en")
    second = updates.text(lost, "I am looking for a villa with a pool", language_code="en")
    already = updates.text(repeated, "/start", language_code="en")
    # The killed process claimed all three (fresh claims, well within the lease) and handled only the last.
    await claimed_by_a_dead_process(services.database, first, clock.now())
    await claimed_by_a_dead_process(services.database, second, clock.now())
    await claimed_by_a_dead_process(services.database, already, clock.now(), handled=True)
    for update in (first, already, second):  # never acknowledged, so Telegram hands them out again
        api.queue_update(LEAD_TOKEN, update)

    stopping = asyncio.Event()
    task = await _run(services, stopping)
    try:
        await api.wait_for_messages(2, chat_id=lost, token=LEAD_TOKEN, within=60)
        await asyncio.sleep(2)
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=20)
    answered = len(api.sent(chat_id=lost, token=LEAD_TOKEN))

    api.queue_update(LEAD_TOKEN, second)  # a restarted poller is handed a handled update again
    stopping = asyncio.Event()
    task = await _run(services, stopping)
    try:
        await api.wait_for(lambda _: max(offsets(api), default=0) > second["update_id"], within=30)
        await asyncio.sleep(2)
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=20)
    assert len(api.sent(chat_id=lost, token=LEAD_TOKEN)) == answered
    assert await inbound_texts(services.database, lost) == [None, "I am looking for a villa with a pool"]
    assert api.sent(chat_id=repeated, token=LEAD_TOKEN) == []  # a handled update stays a repeat
    assert await inbound_texts(services.database, repeated) == []
    assert await unhandled(services.database) == []


@pytest.fixture
async def webhook(services: Services, api: FakeTelegramAPI) -> AsyncIterator[None]:
    stopping = asyncio.Event()
    task, _ = await serving_webhooks(services, stopping)
    try:
        await api.wait_for(lambda _: LEAD_TOKEN in api.webhooks, within=30)
        yield
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=20)


async def test_a_webhook_takes_over_an_unhandled_claim_past_its_lease_but_not_a_fresh_one(
    services: Services, api: FakeTelegramAPI, clock: FrozenClock, webhook: None
) -> None:
    stale_user, fresh_user, updates = next(_users), next(_users), Updates()
    stale = updates.text(stale_user, "/start", language_code="en")
    fresh = updates.text(fresh_user, "/start", language_code="en")
    await claimed_by_a_dead_process(
        services.database, stale, clock.now() - CLAIM_LEASE - timedelta(seconds=1)
    )
    await claimed_by_a_dead_process(
        services.database, fresh, clock.now() - CLAIM_LEASE + timedelta(seconds=5)
    )

    assert await api.deliver(LEAD_TOKEN, fresh) == 200  # another process holds it: acknowledged, not handled
    assert await api.deliver(LEAD_TOKEN, stale) == 200
    await api.wait_for_messages(1, chat_id=stale_user, token=LEAD_TOKEN, within=30)
    await asyncio.sleep(1)
    assert await api.deliver(LEAD_TOKEN, stale) == 200  # handled now: a repeat, whatever the lease
    await asyncio.sleep(1)
    assert len(await inbound_texts(services.database, stale_user)) == 1
    assert api.sent(chat_id=fresh_user, token=LEAD_TOKEN) == []
    assert await unhandled(services.database) == [fresh["update_id"]]


async def test_only_one_process_takes_over_a_stale_claim(database: Database, clock: FrozenClock) -> None:
    update = Update.de_json(Updates().text(next(_users), "hi"), None)
    await claimed_by_a_dead_process(database, update.to_dict(), clock.now())
    processes = [Dedupe(database, BOT_KEY, clock) for _ in range(4)]
    assert not await processes[0].record(update)  # within the lease
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))
    taken = await asyncio.gather(*(process.record(update) for process in processes))
    assert sorted(taken) == [False, False, False, True]
    clock.advance(CLAIM_LEASE / 2)
    assert not any([await process.record(update) for process in processes])  # the new claim is fresh


async def test_a_failed_turn_the_error_handler_answered_counts_as_handled_and_a_repeat_is_not_marked(
    database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> None:
    dedupe = Dedupe(database, BOT_KEY, clock)
    turns: list[int] = []

    async def failing_turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        turns.append(update.update_id)
        raise RuntimeError("the turn failed")

    application: Application[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token("8402:UNUSED")
        .base_url(api.base_url)
        .update_queue(dedupe.queue())
        .updater(None)
        .build()
    )
    dedupe.install(application)
    application.add_handler(TypeHandler(Update, failing_turn))
    application.add_error_handler(on_error)
    user, updates = next(_users), Updates()
    failed = Update.de_json(updates.text(user, "hello", language_code="en"), application.bot)
    held = Update.de_json(updates.text(user, "again", language_code="en"), application.bot)
    await claimed_by_a_dead_process(database, held.to_dict(), clock.now())  # another process is on it
    try:
        await application.initialize()
        await application.process_update(failed)
        await application.process_update(held)
        await application.process_update(failed)  # a redelivery after the apology
    finally:
        await application.shutdown()
    assert turns == [failed.update_id]
    assert len(api.sent(chat_id=user)) == 1  # the apology, once
    assert await unhandled(database) == [held.update_id]  # ApplicationHandlerStop skipped the last group
