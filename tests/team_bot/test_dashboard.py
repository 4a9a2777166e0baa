"""The team bot's way into the dashboard: a one-time sign-in link on request (no preview), the Mini App button
over https, and admins' API tokens; strangers, applicants and non-admins are refused and audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import ApiToken, RepStatus, SalesRepresentative, SignInLink, Tenant
from tests.team_bot.team_support import ADMIN, TeamBotUnderTest, new_user, running_team_bot


async def add_rep(
    database: Database,
    tenant: Tenant,
    telegram_id: int,
    status: RepStatus = RepStatus.ACTIVE,
    **values: object,
) -> None:
    async with database.session() as session:
        session.add(
            SalesRepresentative(
                tenant_id=tenant.id,
                telegram_id=telegram_id,
                telegram_chat_id=telegram_id,
                name=f"Rep {telegram_id}",
                email=f"rep{telegram_id}@truerealestate.bali",
                status=status,
                **values,
            )
        )


async def links_of(database: Database, telegram_id: int) -> list[SignInLink]:
    async with database.session() as session:
        query = select(SignInLink).where(SignInLink.telegram_id == telegram_id)
        return list((await session.execute(query)).scalars())


@pytest.mark.parametrize("words", ["dashboard", "Кабинет", "личный кабинет", "داشبورد", "لوحة التحكم"])
async def test_an_active_rep_gets_a_one_time_link_without_a_preview(
    bot: TeamBotUnderTest, tenant: Tenant, words: str
) -> None:
    rep = new_user()
    await add_rep(bot.database, tenant, rep)
    [answer] = await bot.driver.text(rep, words)
    assert "http://127.0.0.1:8080/signin/" in answer.text
    assert answer.params["link_preview_options"] == {"is_disabled": True}
    assert answer.reply_markup is None  # no Mini App button without a public https address
    [link] = await links_of(bot.database, rep)
    token = answer.text.rsplit("/signin/", 1)[1].strip()
    assert token.encode() not in link.token_digest and link.used_at is None
    assert (link.expires_at - link.created_at).total_seconds() == 600


async def test_the_link_is_in_the_language_of_the_request(bot: TeamBotUnderTest, tenant: Tenant) -> None:
    rep = new_user()
    await add_rep(bot.database, tenant, rep)
    [persian] = await bot.driver.text(rep, "داشبورد")
    [arabic] = await bot.driver.text(rep, "لوحة التحكم")
    [russian] = await bot.driver.text(rep, "кабинет")
    assert "پیوند ورود" in persian.text and "رابط دخولك" in arabic.text and "ссылка для входа" in russian.text


async def test_strangers_and_applicants_are_refused_and_audited(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    stranger, applicant = new_user(), new_user()
    await add_rep(bot.database, tenant, applicant, RepStatus.PENDING)
    [to_stranger] = await bot.driver.text(stranger, "dashboard", language_code="en")
    [to_applicant] = await bot.driver.text(applicant, "кабинет")
    assert "for active reps and admins" in to_stranger.text
    assert "активным менеджерам" in to_applicant.text
    assert "/signin/" not in to_stranger.text + to_applicant.text
    refusals = await bot.audit("web.sign_in_link")
    assert [(row.actor_telegram_id, row.allowed) for row in refusals] == [
        (stranger, False),
        (applicant, False),
    ]
    assert await links_of(bot.database, stranger) == [] and await links_of(bot.database, applicant) == []


async def test_a_global_admin_gets_a_link_too(bot: TeamBotUnderTest, tenant: Tenant) -> None:
    [answer] = await bot.driver.text(ADMIN, "dashboard", language_code="en")
    assert "/signin/" in answer.text
    [link] = await links_of(bot.database, ADMIN)
    assert link.tenant_id == tenant.id


async def test_over_https_the_dashboard_button_opens_the_mini_app(
    team_settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, tenant: Tenant
) -> None:
    rep = new_user()
    await add_rep(database, tenant, rep)
    public = team_settings.model_copy(update={"public_base_url": "https://crm.example.com/"})
    async with running_team_bot(public, database, clock, api) as running:
        [answer] = await running.driver.text(rep, "dashboard", language_code="en")
    assert "https://crm.example.com/signin/" in answer.text
    assert answer.button("Dashboard")["web_app"] == {"url": "https://crm.example.com/app"}
    [menu] = api.calls_of("setChatMenuButton")
    assert menu.params["chat_id"] == rep
    assert menu.params["menu_button"]["web_app"] == {"url": "https://crm.example.com/app"}


async def test_an_admin_creates_lists_and_revokes_api_tokens(bot: TeamBotUnderTest, tenant: Tenant) -> None:
    admin = new_user()
    await add_rep(bot.database, tenant, admin, is_admin=True)
    [created] = await bot.driver.text(admin, "new API token Zapier", language_code="en")
    token = next(word for word in created.text.split() if word.startswith("rk_") and len(word) > 20)
    assert "shown only once" in created.text
    async with bot.database.session() as session:
        row = (await session.execute(select(ApiToken))).scalar_one()
    assert (row.name, row.tenant_id, row.prefix) == ("Zapier", tenant.id, token[:11])
    assert row.created_by == f"telegram:{admin}"
    [listed] = await bot.driver.text(admin, "API tokens", language_code="en")
    assert "Zapier" in listed.text and token[:11] in listed.text and token not in listed.text
    [revoked] = await bot.driver.text(admin, f"revoke API token {token[3:9]}", language_code="en")
    assert "is revoked" in revoked.text
    [unknown] = await bot.driver.text(admin, "revoke API token zz99", language_code="en")
    assert "No single live API token" in unknown.text
    assert [r.allowed for r in await bot.audit("api_token.create")] == [True]
    assert [r.allowed for r in await bot.audit("api_token.revoke")] == [True]


async def test_a_rep_who_is_not_an_admin_is_refused_api_tokens(bot: TeamBotUnderTest, tenant: Tenant) -> None:
    rep = new_user()
    await add_rep(bot.database, tenant, rep)
    [answer] = await bot.driver.text(rep, "новый API токен Zapier")
    assert "только администратор" in answer.text
    [refusal] = await bot.audit("api_token.create")
    assert (refusal.actor_telegram_id, refusal.allowed, refusal.tenant_id) == (rep, False, tenant.id)
    async with bot.database.session() as session:
        assert (await session.execute(select(ApiToken))).first() is None
