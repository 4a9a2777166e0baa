"""The insight's next best action in the team bot: one line in the hot alert, a block on the rep's client card."""

from __future__ import annotations

from decimal import Decimal

from agent.core.clock import FrozenClock
from agent.services.insights import refresh_insight
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Lead, LeadQuestion, Tenant
from tests.fakes.realty_bots import TEAM_TOKEN
from tests.team_bot.team_support import ADMIN as REGISTRY_ADMIN
from tests.team_bot.team_support import TeamBotUnderTest, new_user
from tests.team_bot.test_alerts import (  # the alert tests' fixtures and helpers
    ADMIN,
    REP_CHAT,
    an_english_rep,
    dispatcher,
    hot_lead,
    make_tenant,
    services,
    team_app,
)

__all__ = ["services", "team_app"]


async def refreshed(services: Services, lead_id: int, **fields: object) -> None:
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        for name, value in fields.items():
            setattr(lead, name, value)
        await refresh_insight(session, services, lead, services.clock.now())


async def test_the_hot_alert_says_what_to_do_next_in_each_readers_language(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database)
    rep = await an_english_rep(database, tenant)
    lead_id = await hot_lead(database, tenant, clock, rep=rep)
    await refreshed(services, lead_id, temperature="hot")

    assert await dispatcher(services, team_app).deliver_due() == 1
    to_rep = api.last_sent(chat_id=REP_CHAT, token=TEAM_TOKEN).text
    assert "👉 Next: call now — hot and has a phone" in to_rep.splitlines()
    to_admin = api.last_sent(chat_id=ADMIN, token=TEAM_TOKEN).text
    assert "👉 Дальше: позвонить сейчас — горячий и оставил телефон" in to_admin.splitlines()


async def test_an_alert_before_any_insight_has_no_next_line(
    services: Services, team_app: object, api: FakeTelegramAPI, database: Database, clock: FrozenClock
) -> None:
    tenant = await make_tenant(database)
    await hot_lead(database, tenant, clock)
    assert await dispatcher(services, team_app).deliver_due() == 1
    assert "👉" not in api.last_sent(chat_id=ADMIN, token=TEAM_TOKEN).text


async def test_the_client_card_shows_the_insight_in_the_reps_language(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock, team_settings: Settings
) -> None:
    user = new_user()
    card = await bot.register(user)
    await bot.driver.text(REGISTRY_ADMIN, "Одобрить", reply_to=card)
    rep = await bot.rep(user)
    async with database.session() as session:
        lead = Lead(
            tenant_id=tenant.id,
            name="Анна",
            lead_score=45,
            temperature="warm",
            assigned_rep_id=rep.id,
            transaction="sale",
            budget_max=Decimal(500000),
            budget_currency="USD",
            location="Canggu",
            locations=["Canggu"],
            last_inbound_at=clock.now(),
        )
        session.add(lead)
        await session.flush()
        session.add(
            LeadQuestion(
                tenant_id=tenant.id, lead_id=lead.id, question="Есть ли генератор?", asked_at=clock.now()
            )
        )
        lead_id = lead.id
    running = Services(settings=team_settings, database=database, clock=clock)
    async with running.resources:
        await refreshed(running, lead_id)

    book = await bot.driver.text(user, "Мои клиенты")
    opened = await bot.driver.press(user, book[-1], "Анна")
    text = opened[-1].text
    assert "Хочет: покупка · район: Canggu · бюджет до 500 тыс. USD" in text
    assert "• «Есть ли генератор?»" in text
    assert "Дальше: ответить на вопрос — «Есть ли генератор?» ждёт ответа" in text
