"""A fresh install: `realty bot` with CORPORATE_EMAIL_DOMAIN makes the agency, and reps register at once."""

from __future__ import annotations

import asyncio
import itertools

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.agencies.startup import agencies_on_start
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import SalesRepresentative, Tenant
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import bot_settings, running_team_bot
from tests.secrets_support import store_lead_bot_token

ADMIN = 520_001
DOMAIN = "acme-realty.com"
_users = itertools.count(640_000)


async def tenants(database: Database) -> list[Tenant]:
    async with database.session() as session:
        return await TenantRepository(session).all()


async def test_on_a_fresh_install_a_rep_registers_with_the_agency_made_for_the_domain(
    settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI
) -> None:
    configured = bot_settings(settings, api, admins=[ADMIN], domain=DOMAIN)
    lines = await agencies_on_start(database, configured)
    (acme,) = await tenants(database)
    assert (acme.name, acme.slug, acme.corporate_email_domain, acme.time_zone) == (
        "Acme Realty",
        "acme-realty",
        DOMAIN,
        "UTC",
    )
    assert lines[0].startswith(f"created agency 'acme-realty' for e-mails @{DOMAIN}")
    assert lines[-1] == "serving Acme Realty (acme-realty): no lead bot"

    user = next(_users)
    services = Services(settings=configured, database=database, clock=clock)
    async with services.resources, running_team_bot(services, api) as team:
        greeting = await team.text(user, "Привет")
        assert "зарегистрироваться" in greeting[-1].text.lower()
        await team.press(user, greeting[-1], "Да")
        await team.text(user, "Анна Петрова")
        confirm = await team.text(user, f"anna@{DOMAIN}")
        submitted = await team.press(user, confirm[-1], "Отправить")
        assert "заявка отправлена" in submitted[-1].text.lower()
    card = api.sent(chat_id=ADMIN)[-1]
    assert "Анна Петрова" in card.text and f"anna@{DOMAIN}" in card.text
    async with database.session() as session:
        rep = (
            await session.execute(select(SalesRepresentative).where(SalesRepresentative.telegram_id == user))
        ).scalar_one()
    assert (rep.tenant_id, rep.status) == (acme.id, "pending")

    again = await agencies_on_start(database, configured)  # the next start uses it
    assert again == ["serving Acme Realty (acme-realty): no lead bot"]
    assert [t.slug for t in await tenants(database)] == ["acme-realty"]


async def test_the_demo_agency_stays_apart_and_an_operators_own_agency_takes_the_domain(
    settings: Settings, database: Database, api: FakeTelegramAPI
) -> None:
    async with database.session() as session:
        repo = TenantRepository(session)
        await repo.create(name="Demo Realty", slug="demo")
        own = await repo.create(name="Bravo Homes", slug="bravo")
        store_lead_bot_token(own, "8001:BRAVO")
        own.lead_bot_username = "bravo_homes_bot"
    lines = await agencies_on_start(database, bot_settings(settings, api, domain="@Bravo.com"))
    assert lines == [
        "agency 'bravo' now takes reps' e-mails @bravo.com",
        "serving Demo Realty (demo): no lead bot",
        "serving Bravo Homes (bravo): lead bot @bravo_homes_bot",
    ]
    demo, bravo = await tenants(database)
    assert (demo.corporate_email_domain, bravo.corporate_email_domain) == (None, "bravo.com")


async def test_only_the_demo_agency_means_a_new_one_for_the_domain(
    settings: Settings, database: Database, api: FakeTelegramAPI
) -> None:
    async with database.session() as session:
        await TenantRepository(session).create(name="Demo Realty", slug="demo")
    await agencies_on_start(database, bot_settings(settings, api, domain=DOMAIN))
    assert [(t.slug, t.corporate_email_domain) for t in await tenants(database)] == [
        ("demo", None),
        ("acme-realty", DOMAIN),
    ]


async def test_several_agencies_without_the_domain_are_left_for_the_operator(
    settings: Settings, database: Database, api: FakeTelegramAPI
) -> None:
    async with database.session() as session:
        for slug in ("acme", "bravo"):
            await TenantRepository(session).create(name=slug.title(), slug=slug)
    lines = await agencies_on_start(database, bot_settings(settings, api, domain=DOMAIN))
    assert lines[0].startswith(
        f"no agency takes e-mails @{DOMAIN}: give one the domain with `realty tenants set"
    )
    assert len(await tenants(database)) == 2


async def test_without_a_domain_or_agency_the_operator_is_told_what_to_do(
    settings: Settings, database: Database, api: FakeTelegramAPI
) -> None:
    lines = await agencies_on_start(database, bot_settings(settings, api))
    assert lines == [
        "no agency yet, so reps cannot register: set CORPORATE_EMAIL_DOMAIN or run `realty tenants create NAME`"
    ]


async def test_two_processes_starting_at_once_make_one_default_agency(
    settings: Settings, database: Database, api: FakeTelegramAPI
) -> None:
    configured = bot_settings(settings, api, domain="twin-start.com")
    first, second = await asyncio.gather(
        agencies_on_start(database, configured), agencies_on_start(database, configured)
    )
    assert [t.corporate_email_domain for t in await tenants(database)] == ["twin-start.com"]
    assert first[-1] == second[-1] == "serving Twin Start (twin-start): no lead bot"
    assert sum(line.startswith("created agency") for line in first + second) == 1
