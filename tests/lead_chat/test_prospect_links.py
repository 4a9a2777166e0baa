"""A prospect's outreach link works only for that prospect: anyone else is greeted as a new lead, audited,
and the prospect's record (status, link to a lead, open outreach) is left as it was."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.catalog.demo import DEMO_PROSPECTS
from agent.services.leads.prospect_links import REFUSED_ACTION
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import ApiCall, BotDriver, FakeTelegramAPI
from storage.db import Database
from storage.models import AuditLog, FollowUpSend, Lead, Prospect, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend
from storage.repositories.seed import insert_missing_prospects
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import bot_settings, running_lead_bot
from tests.secrets_support import lead_bot_columns

LEAD_TOKEN = "8002:LEAD-TOKEN"
ALEXEY = "test_prospect_001"
"""The registry's first test prospect, @test_buyer_alex in DEMO_PROSPECTS."""
_users = itertools.count(720_000)


@pytest.fixture
async def tenant(database: Database, clock: FrozenClock) -> Tenant:
    """An agency with the registry's three test prospects, each with an e-mail planned and not sent yet."""
    async with database.session() as session:
        tenant = await TenantRepository(session).create(
            name="Bali Homes", slug="bali", **lead_bot_columns(LEAD_TOKEN), default_language="en"
        )
        await insert_missing_prospects(session, tenant.id, DEMO_PROSPECTS)
        await FollowUpRepository(session).plan(
            [
                PlannedSend(
                    tenant_id=tenant.id,
                    prospect_id=str(prospect["id"]),
                    step_key="outreach:email",
                    channel="email",
                    due_at=clock.now() + timedelta(hours=1),
                    text="Hello",
                )
                for prospect in DEMO_PROSPECTS
            ],
            clock.now(),
        )
        return tenant


@pytest.fixture
async def lead_bot(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, tenant: Tenant
) -> AsyncIterator[BotDriver]:
    services = Services(settings=bot_settings(settings, api), database=database, clock=clock)
    async with services.resources, running_lead_bot(services, tenant, api, burst_seconds=0.3) as driver:
        yield driver


async def start(
    lead_bot: BotDriver, user: int, code: str | None, *, username: str | None = None, language: str = "en"
) -> list[ApiCall]:
    """`user` (with this Telegram username) sends /start with `code`; the bot's messages to them."""
    update = lead_bot.updates.text(user, f"/start {code}" if code else "/start", language_code=language)
    if username is not None:
        update["message"]["from"]["username"] = username
    return lead_bot.messages(await lead_bot.feed(update), user)


async def alexey(database: Database, tenant: Tenant) -> tuple[Prospect, FollowUpSend]:
    async with database.session() as session:
        prospect = await session.get(Prospect, (tenant.id, ALEXEY), populate_existing=True)
        [email] = (
            await session.execute(
                select(FollowUpSend).where(
                    FollowUpSend.tenant_id == tenant.id, FollowUpSend.prospect_id == ALEXEY
                )
            )
        ).scalars()
    assert prospect is not None
    return prospect, email


async def refusals(database: Database) -> list[AuditLog]:
    async with database.session() as session:
        query = select(AuditLog).where(AuditLog.action == REFUSED_ACTION).order_by(AuditLog.id)
        return list((await session.execute(query)).scalars())


async def lead_of(database: Database, user: int) -> Lead:
    async with database.session() as session:
        return (await session.execute(select(Lead).where(Lead.telegram_user_id == user))).scalar_one()


async def assert_untouched(database: Database, tenant: Tenant) -> None:
    prospect, email = await alexey(database, tenant)
    assert (prospect.status, prospect.lead_id, prospect.telegram_chat_id) == ("unreached", None, None)
    assert email.status == "pending"


async def test_the_old_id_link_no_longer_hijacks_the_prospect(
    lead_bot: BotDriver, database: Database, tenant: Tenant
) -> None:
    hijacker = next(_users)
    replies = await start(lead_bot, hijacker, f"p_{ALEXEY}", username="test_buyer_alex")
    assert replies and replies[-1].text  # answered, as any new lead

    await assert_untouched(database, tenant)
    hijacker_lead = await lead_of(database, hijacker)
    assert (hijacker_lead.source, hijacker_lead.source_code) == (None, None)
    [refusal] = await refusals(database)
    assert (refusal.actor_telegram_id, refusal.tenant_id, refusal.target) == (
        hijacker,
        tenant.id,
        f"p_{ALEXEY}",
    )
    assert refusal.allowed is False and "unknown_link" in (refusal.detail or "")


async def test_the_prospects_own_link_from_their_account_starts_the_conversation(
    lead_bot: BotDriver, database: Database, tenant: Tenant
) -> None:
    prospect, _ = await alexey(database, tenant)
    user = next(_users)
    replies = await start(lead_bot, user, f"p_{prospect.link_token}", username="Test_Buyer_Alex")
    assert replies and replies[-1].text

    prospect, email = await alexey(database, tenant)
    lead = await lead_of(database, user)
    assert (prospect.status, prospect.lead_id, prospect.telegram_chat_id) == (
        "in_conversation",
        lead.id,
        user,
    )
    assert email.status == "cancelled"  # no outreach to someone already talking to us
    assert (lead.source, lead.source_code) == ("outreach", f"p_{ALEXEY}")  # the id, never the secret token
    assert await refusals(database) == []


async def test_the_prospects_link_from_another_username_is_refused_and_audited(
    lead_bot: BotDriver, database: Database, tenant: Tenant
) -> None:
    prospect, _ = await alexey(database, tenant)
    code = f"p_{prospect.link_token}"
    forwarded_to, anonymous = next(_users), next(_users)
    await start(lead_bot, forwarded_to, code, username="someone_else")
    await start(lead_bot, anonymous, code)  # no username at all: cannot be Alexey's account

    await assert_untouched(database, tenant)
    for user in (forwarded_to, anonymous):
        assert (await lead_of(database, user)).source is None
    audited = await refusals(database)
    assert [(r.actor_telegram_id, r.tenant_id, r.target, r.allowed) for r in audited] == [
        (forwarded_to, tenant.id, f"prospect:{ALEXEY}", False),
        (anonymous, tenant.id, f"prospect:{ALEXEY}", False),
    ]
    assert all("another_account" in (r.detail or "") for r in audited)
    assert all(prospect.link_token not in (r.target or "") + (r.detail or "") for r in audited)


async def test_a_link_without_a_known_account_works_once_and_is_not_taken_over(
    lead_bot: BotDriver, database: Database, tenant: Tenant
) -> None:
    async with database.session() as session:
        unbound = Prospect(id="walk-in", tenant_id=tenant.id, telegram_id="", name="Walk-in")
        session.add(unbound)
        await session.flush()
        code = f"p_{unbound.link_token}"
    first, second = next(_users), next(_users)
    await start(lead_bot, first, code)
    await start(lead_bot, second, code)

    async with database.session() as session:
        walk_in = await session.get(Prospect, (tenant.id, "walk-in"))
    assert walk_in is not None and walk_in.lead_id == (await lead_of(database, first)).id
    [refusal] = await refusals(database)
    assert refusal.actor_telegram_id == second and "linked_to_another_lead" in (refusal.detail or "")


@pytest.mark.parametrize("language", ["en", "ru", "fa", "ar"])
async def test_a_refused_link_is_answered_as_a_new_lead_in_their_language(
    lead_bot: BotDriver, database: Database, tenant: Tenant, language: str
) -> None:
    prospect, _ = await alexey(database, tenant)
    refused = await start(lead_bot, next(_users), f"p_{prospect.link_token}", language=language)
    plain = await start(lead_bot, next(_users), None, language=language)
    assert [m.text for m in refused] == [m.text for m in plain]
    await assert_untouched(database, tenant)
