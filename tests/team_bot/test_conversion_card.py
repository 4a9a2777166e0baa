"""The rep's CRM card shows the learned likelihood and its reasons, in the rep's language, once a model is in use."""

from __future__ import annotations

from agent.core.clock import FrozenClock
from agent.services.leads.training import train_slug
from storage.db import Database
from storage.models import Lead, Tenant
from tests.conversion.support import add_outcomes, by_source_ads
from tests.team_bot.team_support import ADMIN, TeamBotUnderTest, new_user


async def test_a_lead_card_shows_the_likelihood_with_its_reasons_in_the_reps_language(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user = new_user()
    card = await bot.register(user)
    await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    rep = await bot.rep(user)
    async with database.session() as session:
        session.add(
            Lead(
                last_inbound_at=clock.now(),  # heard from lately: a new model gives it a likelihood at once
                tenant_id=tenant.id,
                name="Борис",
                source="ads",
                lead_score=40,
                temperature="warm",
                assigned_rep_id=rep.id,
            )
        )

    book = await bot.driver.text(user, "Мои клиенты")
    before = await bot.driver.press(user, book[-1], "Борис")
    assert "вероятность сделки" not in before[-1].text  # no model yet: the base score only

    await add_outcomes(database, tenant, 240, by_source_ads)
    assert (await train_slug(database, tenant.slug, clock.now())).status == "active"

    book = await bot.driver.text(user, "Мои клиенты")
    after = (await bot.driver.press(user, book[-1], "Борис"))[-1].text
    assert "Оценка 40 ☀️ · вероятность сделки" in after and "AUC" in after
    assert "За сделку: Источник: реклама (+" in after
