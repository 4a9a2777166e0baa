"""A rep moves or cancels a viewing from the team bot, in words or by replying to its notice: the lead hears
it from the lead bot in their language, the rep's time follows in the database, and nobody else's viewing
can be touched — real update JSON against the loopback Bot API, real PostgreSQL, a frozen clock."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.core.policies.slots import blocks_of
from agent.services.calendars.conversation import CalendarDesk
from agent.services.calendars.notify import Change, announce
from agent.services.calendars.service import CalendarProviders
from agent.services.provider import Services
from agent.settings import Settings
from bot.team import build_team_application
from evals.bot_api import ApiCall, BotDriver, FakeTelegramAPI, Updates
from storage.db import Database
from storage.models import AuditLog, FollowUpSend, Lead, SalesRepresentative, Tenant, Viewing, ViewingBlock
from storage.repositories.tenants import TenantRepository
from storage.repositories.viewings import ViewingRepository
from tests.fakes.google_api import GoogleStub
from tests.secrets_support import store_lead_bot_token
from tests.viewings.conftest import add_viewable_listing

TEAM_TOKEN = "7003:TEAM-TOKEN"
LEAD_TOKEN = "8003:LEAD-TOKEN"
MONDAY_MORNING = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Mon 2 Mar, 09:00 in Bali
TUESDAY_11 = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # Tue 11:00 in Bali
FRIDAY_15 = datetime(2026, 3, 6, 7, 0, tzinfo=UTC)  # Fri 15:00 in Bali
_ids = itertools.count(730_000)


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    clock.set(MONDAY_MORNING)
    configured = settings.model_copy(
        update={
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            "registry_bot_token": SecretStr(TEAM_TOKEN),
        }
    )
    async with database.session() as session:
        tenant = await TenantRepository(session).create(
            name="True Real Estate", slug="tre", time_zone="Asia/Makassar"
        )
        store_lead_bot_token(tenant, LEAD_TOKEN)
    services = Services(
        settings=configured,
        database=database,
        clock=clock,
        calendars=CalendarProviders(google=GoogleStub().transport),
    )
    async with services.resources:
        yield services


@pytest.fixture
async def driver(services: Services, api: FakeTelegramAPI) -> AsyncIterator[BotDriver]:
    application = build_team_application(services, TEAM_TOKEN)
    async with application:
        yield BotDriver(application, api)


async def active_rep(database: Database, name: str = "Иван Иванов") -> SalesRepresentative:
    user = next(_ids)
    async with database.session() as session:
        tenant = (await session.execute(select(Tenant))).scalar_one()
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=user,
            telegram_chat_id=user,
            name=name,
            email=f"rep{user}@example.com",
            status="active",
            language="ru",
            working_hours={},
        )
        session.add(rep)
        await session.flush()
        return rep


async def booked(
    database: Database, rep: SalesRepresentative, lead_name: str, starts_at: datetime
) -> tuple[Viewing, Lead]:
    """A lead who speaks English and writes to the lead bot, with a viewing booked with `rep`."""
    async with database.session() as session:
        tenant = (await session.execute(select(Tenant))).scalar_one()
        lead = Lead(
            tenant_id=tenant.id,
            name=lead_name,
            language="en",
            status="viewing_scheduled",
            phone="+79160000000",
            telegram_user_id=next(_ids),
            telegram_chat_id=next(_ids),
        )
        session.add(lead)
        await session.flush()
        viewing = Viewing(
            tenant_id=tenant.id,
            lead_id=lead.id,
            property_id=await add_viewable_listing(session, tenant.id),
            rep_id=rep.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            time_zone="Asia/Makassar",
            status="scheduled",
            extra={"calendar": "internal", "revision": 0},
        )
        await ViewingRepository(session).book(viewing, blocks_of(starts_at, 60))
        return viewing, lead


async def stored(database: Database, viewing_id: int) -> tuple[Viewing, list[datetime]]:
    async with database.session() as session:
        viewing = await session.get(Viewing, viewing_id)
        blocks = (
            await session.execute(
                select(ViewingBlock.block_start)
                .where(ViewingBlock.viewing_id == viewing_id)
                .order_by(ViewingBlock.block_start)
            )
        ).scalars()
        assert viewing is not None
        return viewing, list(blocks)


def captions(api: FakeTelegramAPI, chat_id: int, token: str) -> list[str]:
    """What a chat was told, messages and document captions alike."""
    calls = [c for c in api.calls if c.token == token and c.chat_id == chat_id]
    return [
        c.text or str(c.params.get("caption", ""))
        for c in calls
        if c.method in ("sendMessage", "sendDocument")
    ]


async def test_a_rep_moves_a_viewing_in_russian_words_and_the_lead_is_told_in_english(
    driver: BotDriver, api: FakeTelegramAPI, services: Services
) -> None:
    rep = await active_rep(services.database)
    viewing, lead = await booked(services.database, rep, "Анна", TUESDAY_11)
    assert lead.telegram_chat_id is not None

    await driver.text(rep.telegram_id, "Перенеси просмотр с Анной на пятницу 15:00")

    moved, blocks = await stored(services.database, viewing.id)
    assert moved.starts_at == FRIDAY_15 and moved.status == "rescheduled"
    assert blocks == blocks_of(FRIDAY_15, 60)
    [told] = captions(api, lead.telegram_chat_id, LEAD_TOKEN)
    assert told.startswith("Your viewing is moved") and "Fri 6 Mar, 15:00" in told
    lead_ics = [c for c in api.calls if c.method == "sendDocument" and c.token == LEAD_TOKEN]
    assert b"SEQUENCE:1" in next(iter(lead_ics[0].files.values()))
    assert "Просмотр перенесён" in captions(api, rep.telegram_id, TEAM_TOKEN)[-1]
    async with services.database.session() as session:
        reminders = (
            await session.execute(select(FollowUpSend).where(FollowUpSend.lead_id == lead.id))
        ).scalars()
        open_keys = {r.step_key for r in reminders if r.status == "pending"}
    assert open_keys and all(key.startswith(f"reminder:{viewing.id}.1:") for key in open_keys)


async def test_a_rep_cancels_by_replying_to_the_viewing_notice(
    driver: BotDriver, api: FakeTelegramAPI, services: Services
) -> None:
    rep = await active_rep(services.database)
    viewing, lead = await booked(services.database, rep, "Anna", TUESDAY_11)
    await booked(services.database, rep, "Boris", FRIDAY_15)  # two upcoming: only the reply says which
    assert lead.telegram_chat_id is not None
    await announce(services, viewing.id, Change.BOOKED)
    notice = next(c for c in api.calls if c.token == TEAM_TOKEN and c.chat_id == rep.telegram_id)
    assert [b["text"] for b in notice.buttons()] == ["Перенести", "Отменить"]

    await driver.text(rep.telegram_id, "отменить", reply_to=notice)

    cancelled, blocks = await stored(services.database, viewing.id)
    assert cancelled.status == "cancelled" and blocks == []
    told = captions(api, lead.telegram_chat_id, LEAD_TOKEN)[-1]
    assert told.startswith("Your viewing (") and "is cancelled" in told
    assert captions(api, rep.telegram_id, TEAM_TOKEN)[-1].startswith("Просмотр отменён")
    async with services.database.session() as session:
        lead_now = await session.get(Lead, lead.id)
    assert lead_now is not None and lead_now.status == "contact_captured"


async def test_the_notice_buttons_cancel_after_a_confirmation(
    driver: BotDriver, api: FakeTelegramAPI, services: Services
) -> None:
    rep = await active_rep(services.database)
    viewing, _ = await booked(services.database, rep, "Anna", TUESDAY_11)
    await announce(services, viewing.id, Change.BOOKED)
    notice = next(c for c in api.calls if c.token == TEAM_TOKEN and c.chat_id == rep.telegram_id)

    [question] = await driver.press(rep.telegram_id, notice, "Отменить")
    assert (
        question.text.startswith("Отменить просмотр")
        and (await stored(services.database, viewing.id))[0].status == "scheduled"
    )
    await driver.press(rep.telegram_id, question, "Да, отменить")

    assert (await stored(services.database, viewing.id))[0].status == "cancelled"


async def test_a_rep_cannot_change_another_reps_viewing_and_the_attempt_is_audited(
    services: Services,
) -> None:
    owner = await active_rep(services.database)
    intruder = await active_rep(services.database, name="Пётр Петров")
    viewing, _ = await booked(services.database, owner, "Анна", TUESDAY_11)
    desk = CalendarDesk(services)

    answer = await desk.on_viewing_request(intruder.telegram_id, "отменить", viewing.id)

    assert answer is not None and answer.chat_id == intruder.telegram_id
    assert answer.texts == ["Этот просмотр закреплён не за вами, изменить его я не могу."]
    assert (await stored(services.database, viewing.id))[0].status == "scheduled"
    async with services.database.session() as session:
        [entry] = (await session.execute(select(AuditLog))).scalars()
    assert entry.action == "viewing.change" and not entry.allowed
    assert entry.actor_telegram_id == intruder.telegram_id and entry.target == f"viewing:{viewing.id}"
    # Free words only ever reach the rep's own viewings.
    own = await desk.on_viewing_request(intruder.telegram_id, "отмени просмотр во вторник")
    assert own is not None and own.texts == ["У вас нет предстоящих просмотров, менять нечего."]


async def test_a_taken_time_gets_free_options_and_a_picked_one_moves_the_viewing(
    driver: BotDriver, api: FakeTelegramAPI, services: Services
) -> None:
    rep = await active_rep(services.database)
    viewing, _ = await booked(services.database, rep, "Анна", TUESDAY_11)
    await booked(services.database, rep, "Борис", FRIDAY_15)

    [offer] = await driver.text(rep.telegram_id, "перенеси просмотр с Анной на пятницу 15:00")

    assert offer.text.startswith("Это время занято")
    labels = [b["text"] for b in offer.buttons()]
    assert labels and all("15:00" not in label for label in labels if label.startswith("пт, 6 мар."))
    assert (await stored(services.database, viewing.id))[0].starts_at == TUESDAY_11

    await driver.press(rep.telegram_id, offer, labels[0])

    moved, _ = await stored(services.database, viewing.id)
    assert moved.status == "rescheduled" and moved.starts_at != TUESDAY_11


async def test_a_move_in_english_with_several_viewings_uses_the_day_named(
    driver: BotDriver, services: Services
) -> None:
    rep = await active_rep(services.database)
    tomorrow, _ = await booked(services.database, rep, "Anna", TUESDAY_11)
    other, _ = await booked(services.database, rep, "Boris", TUESDAY_11 + timedelta(days=1))

    await driver.text(rep.telegram_id, "move my viewing tomorrow to Friday at 3pm")

    assert (await stored(services.database, tomorrow.id))[0].starts_at == FRIDAY_15
    assert (await stored(services.database, other.id))[0].starts_at == TUESDAY_11 + timedelta(days=1)


async def test_words_that_do_not_name_one_viewing_ask_the_rep_to_pick(
    driver: BotDriver, services: Services
) -> None:
    rep = await active_rep(services.database)
    await booked(services.database, rep, "Anna", TUESDAY_11)
    await booked(services.database, rep, "Boris", FRIDAY_15)

    [question] = await driver.text(rep.telegram_id, "отмени просмотр")

    assert question.text == "Какой просмотр?"
    assert len(question.buttons()) == 2
    picked = await driver.press(rep.telegram_id, question, "Boris")
    assert picked[-1].text.startswith("Отменить просмотр") and "Boris" in picked[-1].text


async def test_a_reply_to_a_reminder_moves_that_viewing_on_its_own_day(
    driver: BotDriver, services: Services
) -> None:
    rep = await active_rep(services.database)
    viewing, lead = await booked(services.database, rep, "Anna", TUESDAY_11)
    await booked(services.database, rep, "Boris", FRIDAY_15)
    reminder_id = 4_242
    async with services.database.session() as session:
        session.add(
            FollowUpSend(
                tenant_id=viewing.tenant_id,
                lead_id=lead.id,
                recipient_rep_id=rep.id,
                step_key=f"reminder:{viewing.id}.0:24h:rep",
                channel="team",
                status="sent",
                due_at=MONDAY_MORNING,
                created_at=MONDAY_MORNING,
                sent_at=MONDAY_MORNING,
                text="Завтра: просмотр …",
                external_message_id=f"{rep.telegram_id}:{reminder_id}",
            )
        )
    reminder = ApiCall(TEAM_TOKEN, "sendMessage", {"chat_id": rep.telegram_id, "text": "Завтра: просмотр …"})
    replied = Updates.sent_message(reminder, message_id=reminder_id)

    await driver.feed(driver.updates.text(rep.telegram_id, "перенеси на 16:00", reply_to=replied))

    assert (await stored(services.database, viewing.id))[0].starts_at == TUESDAY_11 + timedelta(hours=5)


async def test_reschedule_button_offers_times_and_a_reply_with_a_time_moves_it(
    driver: BotDriver, api: FakeTelegramAPI, services: Services
) -> None:
    rep = await active_rep(services.database)
    viewing, _ = await booked(services.database, rep, "Anna", TUESDAY_11)
    await announce(services, viewing.id, Change.BOOKED)
    notice = next(c for c in api.calls if c.token == TEAM_TOKEN and c.chat_id == rep.telegram_id)

    [offer] = await driver.press(rep.telegram_id, notice, "Перенести")
    assert offer.text.startswith("На когда перенести просмотр с клиентом Anna") and offer.buttons()

    await driver.text(rep.telegram_id, "в четверг в 10:00", reply_to=offer)

    assert (await stored(services.database, viewing.id))[0].starts_at == datetime(
        2026, 3, 5, 2, 0, tzinfo=UTC
    )
