"""A lead asks in the chat to have their data deleted; an admin confirms in the team bot; the lead is told, and
starts afresh. Anyone else pressing the card is refused, and that is audited."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.core.nlu.erasure import asks_to_erase
from agent.services.provider import Services
from agent.settings import Settings
from bot.privacy import ErasureCards
from evals.bot_api import BotDriver, FakeTelegramAPI, Updates
from graphs.sales.conversation import thread_id
from storage.db import Database
from storage.models import AuditLog, ErasureRequest, Lead, Tenant
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import TEAM_TOKEN, bot_settings, running_lead_bot, running_team_bot
from tests.privacy.support import checkpoint_rows, where_found
from tests.sales_support import clear_checkpoints
from tests.secrets_support import lead_bot_columns

LEAD_TOKEN = "8002:LEAD-TOKEN"
ADMIN, REP, USER = 500_201, 500_202, 720_001
PHONE = "+6281298765432"
NAME = "Quintessa Vorhelm"


@pytest.fixture
async def tenant(database: Database) -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="Bali Homes",
            slug="bali",
            **lead_bot_columns(LEAD_TOKEN),
            default_language="en",
            time_zone="Asia/Makassar",
            country_code="ID",
        )


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    await clear_checkpoints(database)
    running = Services(settings=bot_settings(settings, api, admins=[ADMIN]), database=database, clock=clock)
    async with running.resources:
        yield running
    await clear_checkpoints(database)


async def lead_says(lead_bot: BotDriver, api: FakeTelegramAPI, text: str, language: str) -> str:
    """The lead writes `text`; the lead bot's answer (texts are answered once the lead pauses)."""
    before = len(api.sent(chat_id=USER, token=LEAD_TOKEN))
    await lead_bot.text(USER, text, language_code=language)
    return (await api.wait_for_messages(before + 1, chat_id=USER, token=LEAD_TOKEN, within=30))[-1].text or ""


async def leads_of(database: Database, tenant: Tenant) -> list[Lead]:
    async with database.session() as session:
        query = select(Lead).where(Lead.tenant_id == tenant.id).order_by(Lead.id)
        return list((await session.execute(query)).scalars())


async def audit(database: Database, action: str) -> list[AuditLog]:
    async with database.session() as session:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list((await session.execute(query)).scalars())


@pytest.mark.parametrize(
    "text",
    [
        "delete my data",
        "Please forget me",
        "Can you erase all my personal data?",
        "удалите мои данные",
        "Удалите, пожалуйста, мою информацию",
        "اطلاعات من را پاک کنید",
        "مرا فراموش کنید",
        "احذف بياناتي",
        "من فضلك احذفوا كل معلوماتي",
    ],
)
def test_a_request_to_delete_ones_data_is_understood_in_four_languages(text: str) -> None:
    assert asks_to_erase(text)


@pytest.mark.parametrize(
    "text",
    ["don't delete my data", "delete the second photo", "I forgot my phone", "удалите фото", "stop"],
)
def test_other_messages_are_not_requests_to_delete_data(text: str) -> None:
    assert not asks_to_erase(text)


async def test_a_chat_request_is_confirmed_by_an_admin_erased_and_the_lead_told(
    services: Services, tenant: Tenant, api: FakeTelegramAPI, database: Database
) -> None:
    async with running_team_bot(services, api) as team, running_lead_bot(services, tenant, api) as lead_bot:
        await lead_says(lead_bot, api, f"Hi, I'm {NAME}, looking for a villa in Canggu", "en")
        await lead_bot.contact(USER, PHONE, first_name="Quintessa")
        asked = await lead_says(lead_bot, api, "Please delete my data", "en")
        assert "request to delete your personal data has gone to the agency" in asked
        again = await lead_says(lead_bot, api, "forget me", "en")
        assert "already with the agency" in again
        [lead] = await leads_of(database, tenant)
        assert lead.phone == PHONE and lead.name is not None  # nothing erased before an admin decides

        cards: ErasureCards = team.application.bot_data["erasures"]
        assert await cards.deliver_due() == 1
        assert await cards.deliver_due() == 0  # one card per request
        [card] = api.sent(chat_id=ADMIN, token=TEAM_TOKEN)
        assert f"lead #{lead.id}" in card.text or f"лид #{lead.id}" in card.text

        # Someone who is not an admin, even holding the real signed button, is refused and audited.
        forwarded = {**Updates.sent_message(card), "chat": {"id": REP, "type": "private", "first_name": "R"}}
        pressed = str(card.buttons()[0]["callback_data"])
        calls = await team.feed(team.updates.callback(REP, pressed, message=forwarded, language_code="en"))
        assert "Only an admin of this agency" in BotDriver.messages(calls, REP)[-1].text
        [refused] = await audit(database, "lead.erase")
        assert (refused.allowed, refused.actor_telegram_id, refused.tenant_id, refused.target) == (
            False,
            REP,
            tenant.id,
            f"lead:{lead.id}",
        )
        [kept] = await leads_of(database, tenant)
        assert kept.phone == PHONE

        told = await team.press(ADMIN, card, "🗑", language_code="en")
        assert f"The data of lead #{lead.id} is erased; they have been told." in told[-1].text
        confirmation = api.sent_texts(chat_id=USER, token=LEAD_TOKEN)[-1]
        assert "your personal data and our conversation have been deleted" in confirmation

        for secret in (PHONE, "81298765432", NAME, "Vorhelm"):
            assert await where_found(database, secret) == [], secret
        assert await checkpoint_rows(database, thread_id(tenant.id, lead.id)) == 0
        async with database.session() as session:  # their own request named them as its actor: no longer
            as_actor = await session.scalar(select(func.count()).where(AuditLog.actor_telegram_id == USER))
        assert as_actor == 0
        erased = [e for e in await audit(database, "lead.erase") if e.allowed]
        assert [(e.actor_telegram_id, e.tenant_id, e.target) for e in erased] == [
            (ADMIN, tenant.id, f"lead:{lead.id}")
        ]
        async with database.session() as session:
            [request] = (await session.execute(select(ErasureRequest))).scalars().all()
            assert (request.status, request.decided_by_telegram_id) == ("erased", ADMIN)

        # A second press, by any admin, changes nothing.
        late = await team.press(ADMIN, card, "🗑", language_code="en")
        assert "no longer waiting" in late[-1].text

        # The conversation starts fresh: a new lead, a new thread, nothing of the old one.
        await lead_says(lead_bot, api, "Hello again", "en")
        old, new = await leads_of(database, tenant)
        assert old.id == lead.id and old.telegram_user_id is None and old.message_count >= 3
        assert new.telegram_user_id == USER and new.phone is None and new.message_count == 1


async def test_an_admin_may_decline_and_the_lead_is_told_the_agency_will_contact_them(
    services: Services, tenant: Tenant, api: FakeTelegramAPI, database: Database
) -> None:
    async with running_team_bot(services, api) as team, running_lead_bot(services, tenant, api) as lead_bot:
        await lead_says(lead_bot, api, f"Hi, I'm {NAME}", "ru")
        asked = await lead_says(lead_bot, api, "удалите мои данные", "ru")
        assert "запрос на удаление персональных данных передан в агентство" in asked
        cards: ErasureCards = team.application.bot_data["erasures"]
        assert await cards.deliver_due() == 1
        [card] = api.sent(chat_id=ADMIN, token=TEAM_TOKEN)
        answer = await team.press(ADMIN, card, "✖️")
        assert "отклонён" in answer[-1].text
        assert "свяжется с вами" in api.sent_texts(chat_id=USER, token=LEAD_TOKEN)[-1]
        [lead] = await leads_of(database, tenant)
        assert lead.name == NAME.split()[0] or lead.name is not None
        [declined] = await audit(database, "lead.erase.decline")
        assert (declined.actor_telegram_id, declined.tenant_id, declined.allowed) == (ADMIN, tenant.id, True)


async def test_without_admins_the_request_goes_to_the_alert_chat_and_nobody_at_all_is_said_once(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, tenant: Tenant,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    alone = Services(settings=bot_settings(settings, api, admins=[]), database=database, clock=clock)
    async with (
        alone.resources,
        running_team_bot(alone, api) as team,
        running_lead_bot(alone, tenant, api) as bot,
    ):
        await lead_says(bot, api, f"Hi, I'm {NAME}", "en")
        await lead_says(bot, api, "Please delete my data", "en")
        cards: ErasureCards = team.application.bot_data["erasures"]

        with caplog.at_level(logging.ERROR, logger="bot.privacy"):
            assert await cards.deliver_due() == 0 and await cards.deliver_due() == 0
        said = [r for r in caplog.records if "no admin and no alert chat" in r.getMessage()]
        assert len(said) == 1  # once, not every poll; the request waits
        assert "--alert-chat" in said[0].getMessage()

        async with database.session() as session:
            (await session.get(Tenant, tenant.id)).alert_chat_id = -100777  # type: ignore[union-attr]
        assert await cards.deliver_due() == 1
        [card] = api.sent(chat_id=-100777, token=TEAM_TOKEN)
        assert card.buttons()  # the same signed buttons: only an admin's press is obeyed there
    await clear_checkpoints(database)
