"""A tenant's lead bot on the offline model, driven with real update JSON against the loopback Bot API."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import BotDriver, FakeTelegramAPI, Updates
from storage.db import Database
from storage.models import Lead, LeadAlert, LeadInteraction, Prospect, Tenant
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import (
    TEAM_TOKEN,
    bot_settings,
    running_alerts,
    running_lead_bot,
    running_team_bot,
)
from tests.secrets_support import lead_bot_columns

LEAD_TOKEN = "8001:LEAD-TOKEN"
ADMIN = 500_101
_lead_ids = itertools.count(710_000)


@pytest.fixture
async def tenant(database: Database) -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="Bali Homes",
            slug="bali",
            **lead_bot_columns(LEAD_TOKEN),
            default_language="en",
            time_zone="Asia/Makassar",
        )


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    running = Services(settings=bot_settings(settings, api, admins=[ADMIN]), database=database, clock=clock)
    async with running.resources:
        yield running


@pytest.fixture
async def lead_bot(services: Services, tenant: Tenant, api: FakeTelegramAPI) -> AsyncIterator[BotDriver]:
    async with running_lead_bot(services, tenant, api, burst_seconds=0.3) as driver:
        yield driver


async def lead_of(database: Database, user: int) -> Lead:
    async with database.session() as session:
        return (await session.execute(select(Lead).where(Lead.telegram_user_id == user))).scalar_one()


async def inbound_count(database: Database, lead_id: int) -> int:
    async with database.session() as session:
        query = select(func.count()).where(
            LeadInteraction.lead_id == lead_id, LeadInteraction.direction == "inbound"
        )
        return int((await session.execute(query)).scalar_one())


async def inbound_texts(database: Database, lead_id: int) -> list[str | None]:
    async with database.session() as session:
        query = (
            select(LeadInteraction.text)
            .where(LeadInteraction.lead_id == lead_id, LeadInteraction.direction == "inbound")
            .order_by(LeadInteraction.id)
        )
        return list((await session.execute(query)).scalars())


async def test_a_lead_conversation_ends_in_an_alert_to_the_admin(
    services: Services, tenant: Tenant, api: FakeTelegramAPI, database: Database
) -> None:
    user = next(_lead_ids)
    async with (
        running_team_bot(services, api) as team,
        running_lead_bot(services, tenant, api, burst_seconds=0.2) as lead,
        running_alerts(services, team.application, poll_seconds=0.5),
    ):
        await lead.text(user, "/start expo_bali2026", language_code="en")
        await lead.text(user, "Hi! We want to buy a villa in Canggu", language_code="en")
        await api.wait_for_messages(2, chat_id=user, token=LEAD_TOKEN)
        await lead.text(user, "Budget up to 500k USD, 3 bedrooms, paying cash", language_code="en")
        await api.wait_for_messages(3, chat_id=user, token=LEAD_TOKEN)
        thanks = await lead.contact(user, "+62 812 3456 7890", first_name="Anna")
        assert "+6281234567890" in thanks[-1].text

        [alert] = await api.wait_for_messages(1, chat_id=ADMIN, token=TEAM_TOKEN)
    assert "+6281234567890" in alert.text and "вилла" in alert.text and "500K USD" in alert.text
    assert "Скор" in alert.text and "Почему" in alert.text  # Russian first for an admin we know nothing about
    saved = await lead_of(database, user)
    assert saved.qr_scan_count == 1 and saved.source == "expo_qr" and saved.phone == "+6281234567890"
    async with database.session() as session:
        [row] = (
            (await session.execute(select(LeadAlert).where(LeadAlert.lead_id == saved.id))).scalars().all()
        )
        assert row.kind == "phone_captured" and row.delivered_at is not None


async def test_a_catalog_deep_link_counts_a_catalog_view(lead_bot: BotDriver, database: Database) -> None:
    user = next(_lead_ids)
    greeting = await lead_bot.text(user, "/start catalog_villas", language_code="en")
    assert greeting and greeting[-1].text
    saved = await lead_of(database, user)
    assert saved.catalog_views == 1 and saved.source == "catalog"


async def test_a_prospect_who_starts_the_bot_from_their_outreach_link_is_attributed(
    lead_bot: BotDriver, tenant: Tenant, database: Database
) -> None:
    user, stranger, forger = next(_lead_ids), next(_lead_ids), next(_lead_ids)
    async with database.session() as session:
        other = await TenantRepository(session).create(name="Other Agency", slug="other")
        olga = Prospect(id="olga", tenant_id=tenant.id, telegram_id=str(user), name="Olga")
        theirs = Prospect(id="theirs", tenant_id=other.id, telegram_id=str(stranger), name="Theirs")
        session.add_all([olga, theirs])
        await session.flush()
        olga_code, theirs_code = f"p_{olga.link_token}", f"p_{theirs.link_token}"

    await lead_bot.text(user, f"/start {olga_code}", language_code="en")
    await lead_bot.text(stranger, f"/start {theirs_code}", language_code="en")  # another agency's link
    await lead_bot.text(forger, "/start p_olga", language_code="en")  # the id, not the link

    lead = await lead_of(database, user)
    assert lead.source == "outreach" and lead.source_code == "p_olga"
    async with database.session() as session:
        olga_now = await session.get(Prospect, (tenant.id, "olga"))
        theirs_now = await session.get(Prospect, (other.id, "theirs"))
    assert olga_now is not None and olga_now.status == "in_conversation" and olga_now.lead_id == lead.id
    assert theirs_now is not None and theirs_now.status == "unreached" and theirs_now.lead_id is None
    for ignored in (stranger, forger):
        assert (await lead_of(database, ignored)).source is None


async def test_a_lead_is_known_by_their_telegram_name_until_they_give_one(
    services: Services, tenant: Tenant, lead_bot: BotDriver, api: FakeTelegramAPI, database: Database
) -> None:
    user = next(_lead_ids)
    await lead_bot.text(user, "/start", language_code="en", first_name="Alex")
    assert (await lead_of(database, user)).name == "Alex"

    async with database.session() as session:  # the lead told us their name
        (
            await session.execute(select(Lead).where(Lead.telegram_user_id == user))
        ).scalar_one().name = "Alexandra"
    async with running_lead_bot(services, tenant, api) as restarted:  # nothing remembered in the process
        await restarted.text(user, "/start", language_code="en", first_name="Alex")
    assert (await lead_of(database, user)).name == "Alexandra"


async def test_a_lead_without_a_telegram_name_takes_the_shared_contacts_name(
    lead_bot: BotDriver, database: Database
) -> None:
    user = next(_lead_ids)
    await lead_bot.text(user, "/start", language_code="en", first_name=" ")
    assert (await lead_of(database, user)).name is None

    update = lead_bot.updates.contact(user, "+62 812 3456 7891", first_name="Anna", language_code="en")
    update["message"]["from"]["first_name"] = " "
    update["message"]["contact"]["last_name"] = "Petrova"
    await lead_bot.feed(update)
    saved = await lead_of(database, user)
    assert saved.name == "Anna Petrova" and saved.phone == "+6281234567891"


async def test_a_burst_of_messages_becomes_one_turn(
    lead_bot: BotDriver, api: FakeTelegramAPI, database: Database
) -> None:
    user = next(_lead_ids)
    for part in ("Hello", "I am looking for an apartment", "in Seminyak"):
        assert (
            await lead_bot.text(user, part, language_code="en") == []
        )  # nothing yet: the lead is still typing
    [reply] = await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN)
    await asyncio.sleep(0.6)
    assert len(api.sent(chat_id=user, token=LEAD_TOKEN)) == 1
    saved = await lead_of(database, user)
    assert await inbound_count(database, saved.id) == 1
    assert await inbound_texts(database, saved.id) == ["Hello\nI am looking for an apartment\nin Seminyak"]
    assert reply.text


async def test_the_same_update_delivered_twice_is_answered_once(
    lead_bot: BotDriver, api: FakeTelegramAPI, database: Database
) -> None:
    user = next(_lead_ids)
    update = lead_bot.updates.text(user, "/start", language_code="en")
    await lead_bot.feed(update)
    await lead_bot.feed(update)
    assert len(api.sent(chat_id=user, token=LEAD_TOKEN)) == 1
    assert await inbound_count(database, (await lead_of(database, user)).id) == 1


async def test_a_voice_message_without_a_model_is_acknowledged_and_counted(
    lead_bot: BotDriver, api: FakeTelegramAPI, database: Database
) -> None:
    user = next(_lead_ids)
    calls = await lead_bot.feed(lead_bot.updates.voice(user, file_id="v1", language_code="en"))
    replies = BotDriver.messages(calls, user)
    assert replies and replies[-1].text
    assert (await lead_of(database, user)).voice_message_count == 1


async def test_a_voice_message_is_transcribed_when_a_model_is_configured(
    services: Services, tenant: Tenant, api: FakeTelegramAPI, database: Database
) -> None:
    user = next(_lead_ids)
    heard: list[bytes] = []

    async def transcribe(audio: bytes, filename: str) -> str | None:
        heard.append(audio)
        return "I want to rent an apartment in Ubud"

    api.add_file("voice-42", b"OggS-fake-opus")
    async with running_lead_bot(services, tenant, api, transcriber=transcribe) as lead:
        await lead.feed(lead.updates.voice(user, file_id="voice-42", language_code="en"))
    assert heard == [b"OggS-fake-opus"]
    saved = await lead_of(database, user)
    assert saved.voice_message_count == 1
    assert await inbound_texts(database, saved.id) == ["I want to rent an apartment in Ubud"]


async def test_offered_choices_are_signed_buttons_and_a_press_reaches_the_agent(
    lead_bot: BotDriver, api: FakeTelegramAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.lead
    from graphs.sales.conversation import Choice, Inbound, TurnResult

    user = next(_lead_ids)
    seen: list[Inbound] = []

    async def offering_turn(
        services: object, *, tenant_id: int, lead_id: int, inbound: Inbound
    ) -> TurnResult:
        seen.append(inbound)
        choices = (
            Choice("Buy", "tx:sale"),
            Choice("Rent", "tx:rent"),
            Choice("Book Villa Sunrise, Canggu", "book:17"),
        )
        return TurnResult("Buy or rent?", choices, "qualifying", (), {}, "en")

    monkeypatch.setattr(bot.lead, "run_lead_turn", offering_turn)
    [offer] = await lead_bot.text(user, "/start", language_code="en")
    assert [[b["text"] for b in row] for row in offer.button_rows()] == [
        ["Buy", "Rent"],
        ["Book Villa Sunrise, Canggu"],
    ]
    assert all(len(str(b["callback_data"]).encode()) <= 64 for b in offer.buttons())
    assert not any("tx:" in str(b["callback_data"]) for b in offer.buttons())  # the value stays on the server

    await lead_bot.press(user, offer, "Rent", language_code="en")
    assert seen[-1] == Inbound(kind="button", payload="tx:rent")
    assert api.calls_of("editMessageReplyMarkup", token=LEAD_TOKEN)  # a choice made is not offered again

    forged = str(offer.button("Buy")["callback_data"])[:-2] + "xx"
    calls = await lead_bot.feed(
        lead_bot.updates.callback(user, forged, message=offer.result, language_code="en")
    )
    assert len(seen) == 2 and [c.method for c in calls] == ["answerCallbackQuery"]


async def test_one_bad_update_gets_an_apology_and_the_bot_keeps_serving(
    lead_bot: BotDriver, api: FakeTelegramAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.lead

    user, other = next(_lead_ids), next(_lead_ids)
    real_turn = bot.lead.run_lead_turn
    calls = 0

    async def failing_once(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return await real_turn(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bot.lead, "run_lead_turn", failing_once)
    await lead_bot.text(user, "/start", language_code="ru")
    apology = api.sent(chat_id=user, token=LEAD_TOKEN)
    assert apology and "что-то пошло не так" in apology[-1].text
    answered = await lead_bot.text(other, "/start", language_code="en")
    assert answered and answered[-1].text


@pytest.fixture(autouse=True)
async def _forget_lead_threads(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "database" not in request.fixturenames:
        return
    db: Database = request.getfixturevalue("database")
    async with db.engine.begin() as conn:
        if (await conn.execute(text("SELECT to_regclass('checkpoints') IS NOT NULL"))).scalar():
            for table in ("checkpoint_writes", "checkpoint_blobs", "checkpoints"):
                await conn.execute(
                    text(f"DELETE FROM {table} WHERE thread_id LIKE 'lead:%' OR thread_id LIKE 'team:%'")
                )


async def _running_bots(
    services: Services, stopping: asyncio.Event, **options: object
) -> asyncio.Task[object]:
    from bot.app import run_bots

    task: asyncio.Task[object] = asyncio.create_task(
        run_bots(services, stopping, with_jobs=False, poll_timeout=1, **options)  # type: ignore[arg-type]
    )
    return task


async def test_realty_bot_polls_every_bot_and_stops_cleanly(
    services: Services, tenant: Tenant, api: FakeTelegramAPI
) -> None:
    user, rep = next(_lead_ids), next(_lead_ids)
    stopping = asyncio.Event()
    task = await _running_bots(services, stopping)
    try:
        await api.wait_for(lambda calls: len([c for c in calls if c.method == "getUpdates"]) >= 2)
        updates = Updates()
        api.queue_update(LEAD_TOKEN, updates.text(user, "/start", language_code="en"))
        api.queue_update(TEAM_TOKEN, updates.text(rep, "Привет"))
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN)
        [greeting] = await api.wait_for_messages(1, chat_id=rep, token=TEAM_TOKEN)
        assert "зарегистрироваться" in greeting.text
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=10)
    assert api.calls_of("deleteWebhook", token=LEAD_TOKEN) and api.calls_of("deleteWebhook", token=TEAM_TOKEN)


async def test_realty_serve_serves_every_bots_webhook_on_one_server_and_checks_the_secret(
    services: Services, tenant: Tenant, api: FakeTelegramAPI
) -> None:
    import httpx

    from tests.serve_support import serving_webhooks

    user = next(_lead_ids)
    stopping = asyncio.Event()
    task, base = await serving_webhooks(services, stopping)
    try:
        await api.wait_for(lambda _: LEAD_TOKEN in api.webhooks and TEAM_TOKEN in api.webhooks)
        url, secret = api.webhooks[LEAD_TOKEN]
        assert url.startswith(f"{base}/telegram/") and LEAD_TOKEN not in url and secret
        assert api.webhooks[TEAM_TOKEN][0] != url
        update = Updates().text(user, "/start", language_code="en")
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
        assert forged.status_code == 403
        assert await api.deliver(LEAD_TOKEN, update) == 200
        await api.wait_for_messages(1, chat_id=user, token=LEAD_TOKEN)
        assert await api.deliver(LEAD_TOKEN, update) == 200  # Telegram retrying: answered once
        await asyncio.sleep(0.5)
        assert len(api.sent(chat_id=user, token=LEAD_TOKEN)) == 1
    finally:
        stopping.set()
        await asyncio.wait_for(task, timeout=10)


async def test_realty_bot_says_which_tokens_to_set_when_there_are_none(
    settings: Settings, database: Database
) -> None:
    from bot.app import NoBotTokens, build_bots

    bare = Services(settings=settings, database=database)
    with pytest.raises(NoBotTokens, match=r"REGISTRY_BOT_TOKEN.*realty bot set-token"):
        await build_bots(bare)


async def test_voice_is_transcribed_through_the_openai_compatible_audio_endpoint(settings: Settings) -> None:
    import tornado.httpserver
    import tornado.netutil
    import tornado.web
    from pydantic import SecretStr

    from bot.lead import TRANSCRIPTION_MODEL, openai_transcriber

    received: list[dict[str, object]] = []

    class Transcriptions(tornado.web.RequestHandler):
        def post(self) -> None:
            upload = self.request.files["file"][0]
            received.append(
                {
                    "auth": self.request.headers.get("Authorization"),
                    "model": self.get_body_argument("model"),
                    "audio": upload["body"],
                }
            )
            self.finish({"text": "  Хочу виллу в Чангу  "})

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(
        tornado.web.Application([(r"/v1/audio/transcriptions", Transcriptions)])
    )
    server.add_sockets(sockets)
    try:
        configured = settings.model_copy(
            update={
                "openai_api_key": SecretStr("sk-test"),
                "openai_base_url": f"http://127.0.0.1:{sockets[0].getsockname()[1]}/v1",
                "model_max_retries": 0,
            }
        )
        transcribe = openai_transcriber(Services(settings=configured, database=None))  # type: ignore[arg-type]
        assert transcribe is not None
        assert await transcribe(b"OggS-voice", "voice.ogg") == "Хочу виллу в Чангу"
    finally:
        server.stop()
    assert received == [{"auth": "Bearer sk-test", "model": TRANSCRIPTION_MODEL, "audio": b"OggS-voice"}]
    assert openai_transcriber(Services(settings=settings, database=None)) is None  # type: ignore[arg-type]
