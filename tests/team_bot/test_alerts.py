"""Hot-lead alerts: from a LeadAlert row (and its NOTIFY) to the team's chats, once, in each reader's language."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from agent.adapters.telegram.sender import BotSender
from agent.core.clock import FrozenClock
from agent.core.policies.alerts import AlertKind
from agent.services.leads import raise_alert
from agent.services.provider import Services
from agent.services.team import TeamService
from agent.settings import Settings
from bot.alerts import AlertDispatcher
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Lead, LeadAlert, SalesRepresentative, Tenant
from storage.repositories.telegram import TelegramRepository
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import TEAM_TOKEN, bot_settings, started

ADMIN = 500_201
REP_CHAT = 500_202
ALERT_CHAT = -100_500_203


@pytest.fixture
async def services(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    running = Services(settings=bot_settings(settings, api, admins=[ADMIN]), database=database, clock=clock)
    async with running.resources:
        yield running


@pytest.fixture
async def team_app(services: Services) -> AsyncIterator[object]:
    from bot.team import build_team_application

    async with started(build_team_application(services, TEAM_TOKEN)) as application:
        yield application


def dispatcher(services: Services, application: object, poll_seconds: float = 30.0) -> AlertDispatcher:
    from bot.team import TEAM_BOT_KEY

    sender = BotSender.for_bot(application.bot, TEAM_BOT_KEY, services.database, services.clock)  # type: ignore[attr-defined]
    team = TeamService(services.database, services.settings, services.clock)
    return AlertDispatcher(services.database, sender, team, services.clock, poll_seconds=poll_seconds)


async def make_tenant(database: Database, *, alert_chat: int | None = None, slug: str = "bali") -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="Bali Homes",
            slug=slug,
            default_language="ru",
            time_zone="Asia/Makassar",
            alert_chat_id=alert_chat,
        )


async def hot_lead(
    database: Database, tenant: Tenant, clock: FrozenClock, *, rep: uuid.UUID | None = None, n: int = 0
) -> int:
    """A lead who just shared their phone; its alert recorded (and NOTIFYed) on commit."""
    async with database.session() as session:
        lead = Lead(
            tenant_id=tenant.id,
            telegram_user_id=900_000 + n,
            name=f"Anna {n}",
            phone=f"+62812345{n:05d}",
            language="en",
            transaction="sale",
            property_type="villa",
            location="Canggu",
            budget_max=Decimal(500_000),
            budget_currency="USD",
            message_count=4,
            qr_scan_count=1,
            source="expo_qr",
            last_inbound_at=clock.now(),
            first_inbound_at=clock.now(),
            assigned_rep_id=rep,
        )
        session.add(lead)
        await session.flush()
        assert await raise_alert(session, lead, AlertKind.PHONE_CAPTURED, clock.now())
        return lead.id


async def an_english_rep(database: Database, tenant: Tenant) -> uuid.UUID:
    async with database.session() as session:
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=REP_CHAT,
            name="John Smith",
            email="john@bali.homes",
            language="en",
            status="active",
        )
        session.add(rep)
        await session.flush()
        return rep.id


async def test_an_alert_reaches_the_admin_the_alert_chat_and_the_assigned_rep_each_in_their_language(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database, alert_chat=ALERT_CHAT)
    async with database.session() as session:
        await TelegramRepository(session).remember_language(ALERT_CHAT, "en", clock.now())
    rep = await an_english_rep(database, tenant)
    lead_id = await hot_lead(database, tenant, clock, rep=rep)

    assert await dispatcher(services, team_app).deliver_due() == 1

    to_admin = api.last_sent(chat_id=ADMIN, token=TEAM_TOKEN).text
    assert to_admin.startswith("🔥 Горячий лид") and "+6281234500000" in to_admin
    assert "вилла" in to_admin and "Canggu" in to_admin and "до 500K USD" in to_admin
    assert "Скор:" in to_admin and "Почему:" in to_admin and "John Smith" in to_admin
    to_rep = api.last_sent(chat_id=REP_CHAT, token=TEAM_TOKEN)
    assert to_rep.text.startswith("🔥 Hot lead") and "Score:" in to_rep.text and "Why:" in to_rep.text
    assert "villa" in to_rep.text and "Phone" in to_rep.text  # the top factors, explained in English
    assert [b["text"] for b in to_rep.buttons()] == ["📇 Client card", "🙋 Take over"]
    assert api.last_sent(chat_id=ALERT_CHAT, token=TEAM_TOKEN).text.startswith("🔥 Hot lead")

    async with database.session() as session:
        alert = (await session.execute(select(LeadAlert).where(LeadAlert.lead_id == lead_id))).scalar_one()
        assert alert.delivered_at == clock.now()
    assert await dispatcher(services, team_app).deliver_due() == 0
    assert len(api.sent(token=TEAM_TOKEN)) == 3


async def test_two_dispatchers_deliver_each_alert_exactly_once(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database)
    for n in range(40):
        await hot_lead(database, tenant, clock, n=n)
    first, second = dispatcher(services, team_app), dispatcher(services, team_app)
    await asyncio.gather(first.deliver_due(), second.deliver_due(), first.deliver_due(), second.deliver_due())
    phones = Counter(
        line
        for call in api.sent(chat_id=ADMIN, token=TEAM_TOKEN)
        for line in call.text.splitlines()
        if line.startswith("📞")
    )
    assert len(phones) == 40 and set(phones.values()) == {1}
    assert first.delivered + second.delivered == 40


async def test_the_notification_wakes_the_dispatcher_within_a_second(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database)
    running = dispatcher(services, team_app, poll_seconds=30.0)  # only NOTIFY can be this fast
    stopping = asyncio.Event()
    task = asyncio.create_task(running.run(stopping))
    try:
        await asyncio.sleep(0.3)  # LISTEN is in place
        started_at = time.monotonic()
        await hot_lead(database, tenant, clock)
        await api.wait_for_messages(1, chat_id=ADMIN, token=TEAM_TOKEN, within=5)
        assert time.monotonic() - started_at < 1.0
    finally:
        stopping.set()
        await task


async def test_flood_control_is_honoured_and_the_alert_still_arrives(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database)
    await hot_lead(database, tenant, clock)
    api.fail_next("sendMessage", retry_after=1)
    started_at = time.monotonic()
    assert await dispatcher(services, team_app).deliver_due() == 1
    attempts = api.calls_of("sendMessage", chat_id=ADMIN)
    assert len(attempts) == 2 and attempts[0].result is None and attempts[1].result is not None
    assert attempts[1].at - attempts[0].at >= 1.0 and time.monotonic() - started_at >= 1.0


async def test_an_admin_who_never_started_the_bot_does_not_stop_the_others(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database, alert_chat=ALERT_CHAT)
    await hot_lead(database, tenant, clock)
    api.fail_next(
        "sendMessage",
        error_code=403,
        retry_after=None,
        description="Forbidden: bot can't initiate conversation",
    )
    assert await dispatcher(services, team_app).deliver_due() == 1
    delivered = [c for c in api.calls_of("sendMessage", token=TEAM_TOKEN) if c.result is not None]
    assert len(delivered) == 1
    async with database.session() as session:
        assert (await session.execute(select(LeadAlert.delivered_at))).scalar_one() is not None


async def test_delivering_one_tenants_alerts_leaves_the_others_waiting(
    services: Services, database: Database, clock: FrozenClock, team_app: object, api: FakeTelegramAPI
) -> None:
    bali, lombok = await make_tenant(database), await make_tenant(database, slug="lombok")
    ours = await hot_lead(database, bali, clock, n=1)
    theirs = await hot_lead(database, lombok, clock, n=2)

    assert await dispatcher(services, team_app).deliver_due(tenant_id=bali.id) == 1
    async with database.session() as session:
        delivered = {
            alert.lead_id: alert.delivered_at is not None
            for alert in (await session.execute(select(LeadAlert))).scalars()
        }
    assert delivered == {ours: True, theirs: False}


async def test_each_reader_gets_the_reasons_the_alert_was_raised_with_even_after_the_lead_moved_on(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database)
    rep = await an_english_rep(database, tenant)
    lead_id = await hot_lead(database, tenant, clock, rep=rep)
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.message_count, lead.phone = 9, None  # since the alert: more messages, the phone withdrawn

    assert await dispatcher(services, team_app).deliver_due() == 1

    to_rep = api.last_sent(chat_id=REP_CHAT, token=TEAM_TOKEN).text
    assert "Phone number known" in to_rep and "Телефон" not in to_rep  # as raised, in the rep's language
    to_admin = api.last_sent(chat_id=ADMIN, token=TEAM_TOKEN).text
    assert "Телефон" in to_admin and "+6281234500000" in to_admin


@pytest.mark.parametrize(
    ("language", "title", "wants", "next_prefix"),
    [
        ("fa", "📈 این مشتری احتمالاً معامله می‌کند!", "ویلا", "👉 اقدام بعدی: "),
        ("ar", "📈 عميل مرجَّح أن يُتمّ الصفقة!", "فيلا", "👉 التالي: "),
    ],
)
async def test_a_likely_alert_has_its_own_title_and_a_persian_or_arabic_reader_gets_it_all_in_their_language(
    services: Services,
    team_app: object,
    api: FakeTelegramAPI,
    database: Database,
    clock: FrozenClock,
    language: str,
    title: str,
    wants: str,
    next_prefix: str,
) -> None:
    from agent.services.insights import refresh_insight

    tenant = await make_tenant(database)
    rep = await an_english_rep(database, tenant)
    async with database.session() as session:
        lead = Lead(
            tenant_id=tenant.id,
            telegram_user_id=900_100,
            name="Anna",
            phone="+6281234599999",
            language="en",
            transaction="sale",
            property_type="villa",
            location="Canggu",
            last_inbound_at=clock.now(),
            first_inbound_at=clock.now(),
            assigned_rep_id=rep,
        )
        session.add(lead)
        await session.flush()
        member = await session.get(SalesRepresentative, rep)
        assert member is not None
        member.language = language
        lead.temperature = "hot"
        await refresh_insight(session, services, lead, clock.now())  # hot with a phone: call now
        assert await raise_alert(session, lead, AlertKind.LIKELY, clock.now())

    assert await dispatcher(services, team_app).deliver_due() == 1

    to_rep = api.last_sent(chat_id=REP_CHAT, token=TEAM_TOKEN)
    assert to_rep.text.startswith(title) and wants in to_rep.text
    [next_line] = [line for line in to_rep.text.splitlines() if line.startswith("👉")]
    assert next_line.startswith(next_prefix)
    assert not any("а" <= char <= "я" for char in to_rep.text.casefold())  # nothing left in Russian
    assert len(to_rep.buttons()[0]) == 2
    to_admin = api.last_sent(chat_id=ADMIN, token=TEAM_TOKEN).text
    assert to_admin.startswith("📈 Лид, вероятно, купит!") and "👉 Дальше: " in to_admin
    assert "Important lead" not in to_rep.text and "Важный лид" not in to_admin
