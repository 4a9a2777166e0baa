"""PostgreSQL stops and starts in the middle of a run of `realty bot` (a private embedded server, not the test
session's): an update that cannot be recorded as seen is not handled and not acknowledged (polling) or answered
503 (webhook), so Telegram delivers it again; once the database is back it is handled exactly once, and the
next turns succeed on the first try (no stale pooled connection)."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI, Updates
from storage.db import Database, create_database
from storage.embedded import embedded_database_url, stop_embedded_server
from storage.migrate import upgrade
from storage.models import Base, Lead, LeadInteraction, ProcessedUpdate
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import bot_settings
from tests.secrets_support import TEST_TOKEN_ENCRYPTION_KEY, lead_bot_columns
from tests.serve_support import serving_webhooks

pytestmark = pytest.mark.slow

LEAD_TOKEN = "8101:OUTAGE-LEAD-TOKEN"
APOLOGY = "something went wrong"
_users = itertools.count(930_000)


@dataclass
class Server:
    """A private embedded PostgreSQL this module may stop and start."""

    path: Path
    url: str

    async def stop(self) -> None:
        assert await asyncio.to_thread(stop_embedded_server, self.path)

    async def start(self) -> None:
        assert await asyncio.to_thread(embedded_database_url, self.path) == self.url


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="realty-outage-", dir="/tmp") as tmp:
        path = Path(tmp)
        try:
            yield Server(path, embedded_database_url(path))
        finally:
            stop_embedded_server(path)


@pytest.fixture
async def private_database(server: Server) -> AsyncIterator[Database]:
    await server.start()  # a test that failed half-way may have left it stopped
    database = create_database(server.url, pool_size=3)
    await upgrade(database)
    try:
        yield database
    finally:
        await server.start()
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        async with database.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            if (await conn.execute(text("SELECT to_regclass('checkpoints') IS NOT NULL"))).scalar():
                await conn.execute(text("TRUNCATE checkpoint_writes, checkpoint_blobs, checkpoints"))
        await database.dispose()


@pytest.fixture
async def services(
    server: Server, private_database: Database, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=server.url,
        realty_data_dir=server.path,
        token_encryption_key=TEST_TOKEN_ENCRYPTION_KEY,
    )
    async with private_database.session() as session:
        await TenantRepository(session).create(
            name="Outage Homes", slug="outage", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
    running = Services(
        settings=bot_settings(settings, api).model_copy(update={"registry_bot_token": None}),
        database=private_database,
        clock=FrozenClock(),
    )
    async with running.resources:
        yield running


async def _run(services: Services, stopping: asyncio.Event, **options: object) -> asyncio.Task[object]:
    from bot.app import run_bots

    return asyncio.create_task(
        run_bots(services, stopping, with_jobs=False, poll_timeout=1, **options)  # type: ignore[arg-type]
    )


async def _stop(task: asyncio.Task[object], stopping: asyncio.Event) -> None:
    stopping.set()
    await asyncio.wait_for(task, timeout=20)


async def inbound_texts(database: Database, user: int) -> list[str | None]:
    async with database.session() as session:
        query = (
            select(LeadInteraction.text)
            .join(Lead, Lead.id == LeadInteraction.lead_id)
            .where(Lead.telegram_user_id == user, LeadInteraction.direction == "inbound")
            .order_by(LeadInteraction.id)
        )
        return list((await session.execute(query)).scalars())


def offsets(api: FakeTelegramAPI) -> list[int]:
    return [
        int(call.params["offset"])
        for call in api.calls_of("getUpdates", token=LEAD_TOKEN)
        if isinstance(call.params.get("offset"), int)
    ]


async def test_polling_leaves_an_update_unacknowledged_while_postgres_is_down_then_answers_it_once(
    server: Server, services: Services, api: FakeTelegramAPI
) -> None:
    user, updates, stopping = next(_users), Updates(), asyncio.Event()
    task = await _run(services, stopping)
    try:
        api.queue_update(LEAD_TOKEN, updates.text(user, "/start", language_code="en"))
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN, within=30)
        await asyncio.sleep(0.5)
        answered_before = len(api.sent(chat_id=user, token=LEAD_TOKEN))

        await server.stop()
        during = updates.text(user, "I am looking for a villa with a pool", language_code="en")
        api.queue_update(LEAD_TOKEN, during)
        await api.wait_for(
            lambda calls: any(c.method == "getUpdates" and c.result for c in calls[-5:]), within=10
        )
        await asyncio.sleep(3)
        # Not handled (no reply, no apology) and not acknowledged (no getUpdates past it).
        assert len(api.sent(chat_id=user, token=LEAD_TOKEN)) == answered_before
        assert max(offsets(api), default=0) <= during["update_id"]

        await server.start()
        await api.wait_for_messages(answered_before + 1, chat_id=user, token=LEAD_TOKEN, within=60)
        await asyncio.sleep(1)
        answered_during = len(api.sent(chat_id=user, token=LEAD_TOKEN))
        after = updates.text(user, "My budget is 500000 USD", language_code="en")
        api.queue_update(LEAD_TOKEN, after)
        await api.wait_for_messages(answered_during + 1, chat_id=user, token=LEAD_TOKEN, within=60)
        assert max(offsets(api), default=0) > during["update_id"]  # acknowledged once recorded
        await asyncio.sleep(1)
    finally:
        await _stop(task, stopping)
    texts = await inbound_texts(services.database, user)
    assert texts.count("I am looking for a villa with a pool") == 1
    assert texts.count("My budget is 500000 USD") == 1  # the next turn succeeded on the first try
    replies = api.sent_texts(chat_id=user, token=LEAD_TOKEN)
    assert not [reply for reply in replies if APOLOGY in reply.lower()], replies


async def test_a_webhook_answers_503_while_postgres_is_down_and_telegrams_redelivery_is_handled_once(
    server: Server, services: Services, api: FakeTelegramAPI
) -> None:
    user, updates, stopping = next(_users), Updates(), asyncio.Event()
    task, _ = await serving_webhooks(services, stopping)
    try:
        await api.wait_for(lambda _: LEAD_TOKEN in api.webhooks, within=30)
        start = updates.text(user, "/start", language_code="en")
        assert await api.deliver(LEAD_TOKEN, start) == 200
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN, within=30)
        await asyncio.sleep(0.5)
        answered_before = len(api.sent(chat_id=user, token=LEAD_TOKEN))

        await server.stop()
        during = updates.text(user, "Do you have anything in Canggu?", language_code="en")
        assert await api.deliver(LEAD_TOKEN, during) == 503
        assert await api.deliver(LEAD_TOKEN, during) == 503  # Telegram retrying during the outage
        await asyncio.sleep(1)
        assert len(api.sent(chat_id=user, token=LEAD_TOKEN)) == answered_before

        await server.start()
        assert await api.deliver(LEAD_TOKEN, during) == 200  # the first request after the restart succeeds
        await api.wait_for_messages(answered_before + 1, chat_id=user, token=LEAD_TOKEN, within=60)
        assert await api.deliver(LEAD_TOKEN, during) == 200  # a late repeat: acknowledged, not handled
        await asyncio.sleep(1)
        answered_during = len(api.sent(chat_id=user, token=LEAD_TOKEN))
        after = updates.text(user, "My budget is 500000 USD", language_code="en")
        assert await api.deliver(LEAD_TOKEN, after) == 200
        await api.wait_for_messages(answered_during + 1, chat_id=user, token=LEAD_TOKEN, within=60)
        await asyncio.sleep(1)
    finally:
        await _stop(task, stopping)
    texts = await inbound_texts(services.database, user)
    assert texts.count("Do you have anything in Canggu?") == 1
    assert texts.count("My budget is 500000 USD") == 1
    replies = api.sent_texts(chat_id=user, token=LEAD_TOKEN)
    assert not [reply for reply in replies if APOLOGY in reply.lower()], replies


async def test_an_update_id_beyond_bigint_is_dropped_once_not_retried_forever(
    services: Services, api: FakeTelegramAPI
) -> None:
    user, updates, stopping = next(_users), Updates(), asyncio.Event()
    task, _ = await serving_webhooks(services, stopping)
    try:
        await api.wait_for(lambda _: LEAD_TOKEN in api.webhooks, within=30)
        huge = {**updates.text(user, "/start", language_code="en"), "update_id": 10**30}
        assert await api.deliver(LEAD_TOKEN, huge) == 200  # acknowledged, so Telegram does not loop on it
        await asyncio.sleep(1)
        assert api.sent(chat_id=user, token=LEAD_TOKEN) == []
        assert await api.deliver(LEAD_TOKEN, updates.text(user, "/start", language_code="en")) == 200
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN, within=30)
    finally:
        await _stop(task, stopping)
    async with services.database.session() as session:
        recorded = (await session.execute(select(ProcessedUpdate.update_id))).scalars().all()
    assert len(recorded) == 1 and recorded[0] < 2**63
