"""The webhook answers 400 to any body that is not an update object (never 500), and an update that cannot be
recorded as seen is never handled, whichever way it enters."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from bot.dedupe import DEDUPE_GROUP, Dedupe, UpdateNotRecorded
from evals.bot_api import FakeTelegramAPI, Updates
from storage.db import Database, create_database
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import bot_settings
from tests.secrets_support import lead_bot_columns
from tests.serve_support import serving_webhooks

LEAD_TOKEN = "8201:WEBHOOK-LEAD-TOKEN"
_users = itertools.count(940_000)

NOT_UPDATES = [
    b"[]",
    b"[1, 2]",
    b"null",
    b'"update"',
    b"42",
    b"true",
    b"{not json",
    b"",
    b"\xff\xfe",
    b"[" * 100_000,
    b"{}",
    b'{"update_id": "seven"}',
    b'{"update_id": true}',
    b'{"update_id": 7, "message": "hello"}',
    b'{"update_id": 7, "message": {"chat": 5}}',
]


@pytest.fixture
async def webhook(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[tuple[str, str]]:
    """`realty serve --webhook-url` serving a lead bot's webhook: its URL and secret."""
    async with database.session() as session:
        await TenantRepository(session).create(
            name="Hook Homes", slug="hook", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
    services = Services(
        settings=bot_settings(settings, api).model_copy(update={"registry_bot_token": None}),
        database=database,
        clock=clock,
    )
    stopping = asyncio.Event()
    async with services.resources:
        task, _ = await serving_webhooks(services, stopping)
        try:
            await api.wait_for(lambda _: LEAD_TOKEN in api.webhooks, within=30)
            yield api.webhooks[LEAD_TOKEN]
        finally:
            stopping.set()
            await asyncio.wait_for(task, timeout=20)


async def test_the_webhook_answers_400_to_any_body_that_is_not_an_update(
    webhook: tuple[str, str], api: FakeTelegramAPI
) -> None:
    url, secret = webhook
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    async with httpx.AsyncClient(timeout=30) as client:
        for body in NOT_UPDATES:
            answer = await client.post(url, content=body, headers=headers)
            assert answer.status_code == 400, (body[:40], answer.status_code)
        user = next(_users)
        update = Updates().text(user, "/start", language_code="en")
        assert (await client.post(url, json=update, headers=headers)).status_code == 200
    await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN, within=30)  # the bot still serves


async def test_an_update_that_cannot_be_recorded_is_not_handled(api: FakeTelegramAPI) -> None:
    unreachable = create_database("postgresql://realty@127.0.0.1:9/nowhere", pool_size=1)
    dedupe = Dedupe(unreachable, "lead:test", FrozenClock())
    handled: list[int] = []

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        handled.append(update.update_id)

    application: Application[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token("8301:UNUSED")
        .base_url(api.base_url)
        .update_queue(dedupe.queue())
        .updater(None)
        .build()
    )
    application.add_handler(dedupe.handler(), group=DEDUPE_GROUP)
    application.add_handler(TypeHandler(Update, handle))
    update = Update.de_json(Updates().text(next(_users), "hello", language_code="en"), application.bot)
    try:
        await application.initialize()
        await application.process_update(update)  # evals and tests feed updates this way
        assert handled == []
        with pytest.raises(UpdateNotRecorded):
            await application.update_queue.admit(update)  # type: ignore[attr-defined]  # the webhook's way
        put = asyncio.create_task(application.update_queue.put(update))  # PTB's Updater's way (polling)
        await asyncio.sleep(1.5)
        assert not put.done() and application.update_queue.empty()  # waits: the offset does not move
        put.cancel()
    finally:
        await application.shutdown()
        await unreachable.dispose()


async def test_an_update_id_beyond_bigint_never_enters_the_queue(database: Database) -> None:
    dedupe = Dedupe(database, "lead:test", FrozenClock())
    queue = dedupe.queue()
    huge = Update.de_json({**Updates().text(next(_users), "hi"), "update_id": 10**30}, None)
    await asyncio.wait_for(queue.put(huge), timeout=5)  # dropped at once, not retried
    assert queue.empty()
    normal = Update.de_json(Updates().text(next(_users), "hi"), None)
    await queue.put(normal)
    await queue.put(normal)  # a redelivery
    assert queue.qsize() == 1
