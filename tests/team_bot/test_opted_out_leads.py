"""A lead who said "stop" is visible as such to the team: last in "My clients", 🔕, never an alert to call."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Lead, Tenant
from tests.team_bot.team_support import ADMIN, TeamBotUnderTest, new_user
from tests.team_bot.test_alerts import ADMIN as ADMIN_OF_ALERTS
from tests.team_bot.test_alerts import (  # noqa: F401  (fixtures, used by name)
    REP_CHAT,
    an_english_rep,
    dispatcher,
    hot_lead,
    make_tenant,
    services,
    team_app,
)


async def test_my_clients_lists_an_opted_out_lead_last_with_its_badge_and_its_card_says_do_not_call(
    bot: TeamBotUnderTest,
    database: Database,
    tenant: Tenant,
) -> None:
    user = new_user()
    card = await bot.register(user)
    await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    rep = await bot.rep(user)
    async with database.session() as session:
        session.add_all(
            [
                Lead(
                    tenant_id=tenant.id,
                    name="Стоп Стопов",
                    phone="+6281234567891",
                    lead_score=90,
                    temperature="burning",
                    status="handed_off",
                    opted_out=True,
                    assigned_rep_id=rep.id,
                ),
                Lead(
                    tenant_id=tenant.id,
                    name="Борис",
                    lead_score=20,
                    temperature="cold",
                    assigned_rep_id=rep.id,
                    budget_max=Decimal(300000),
                ),
            ]
        )

    book = await bot.driver.text(user, "Мои клиенты")
    listing = book[-1].text
    assert listing.index("❄️ Борис") < listing.index("🔕 Стоп Стопов")
    assert "🔥 Стоп Стопов" not in listing
    assert [b["text"] for b in book[-1].buttons()][:2] == ["❄️ Борис", "🔕 Стоп Стопов"]

    opened = await bot.driver.press(user, book[-1], "Стоп Стопов")
    assert opened[-1].text.startswith("🔕 Стоп Стопов")
    assert "Отписался" in opened[-1].text and "Не звоните" in opened[-1].text
    hot = "🌶️ Горячий"
    assert hot not in [b["text"] for b in opened[-1].buttons()]  # never put forward as one to call now

    other = await bot.driver.press(user, opened[-1], "К списку")
    boris = await bot.driver.press(user, other[-1], "Борис")
    assert "Отписался" not in boris[-1].text and hot in [b["text"] for b in boris[-1].buttons()]


async def test_an_alert_about_a_lead_who_opted_out_says_so_and_is_not_a_hot_lead_to_call(
    services: Services,  # noqa: F811
    team_app: object,  # noqa: F811
    api: FakeTelegramAPI,
    database: Database,
    clock: FrozenClock,
) -> None:
    agency = await make_tenant(database)
    rep = await an_english_rep(database, agency)
    lead_id = await hot_lead(database, agency, clock, rep=rep)
    async with database.session() as session:  # "stop" came in before the alert went out
        await session.execute(update(Lead).where(Lead.id == lead_id).values(opted_out=True))

    assert await dispatcher(services, team_app).deliver_due() == 1

    to_rep = api.last_sent(chat_id=REP_CHAT).text
    assert to_rep.startswith("🔕 This lead opted out: do not call or write")
    assert "Hot lead" not in to_rep and "🔥" not in to_rep
    assert "Score:" in to_rep and "🔕" in to_rep.split("Score:")[1].splitlines()[0]
    to_admin = api.last_sent(chat_id=ADMIN_OF_ALERTS).text
    assert to_admin.startswith("🔕 Лид отписался") and "Горячий" not in to_admin


async def test_an_alert_about_a_lead_still_in_touch_is_unchanged(
    services: Services,  # noqa: F811
    team_app: object,  # noqa: F811
    api: FakeTelegramAPI,
    database: Database,
    clock: FrozenClock,
) -> None:
    agency = await make_tenant(database)
    await hot_lead(database, agency, clock)
    assert await dispatcher(services, team_app).deliver_due() == 1
    to_admin = api.last_sent(chat_id=ADMIN_OF_ALERTS).text
    assert to_admin.startswith("🔥 Горячий лид") and "🔕" not in to_admin
