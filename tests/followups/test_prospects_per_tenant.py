"""Prospect ids are the agency's own: two agencies may use the same id, and each sees only its own prospect."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from agent.core.clock import FrozenClock
from agent.services.catalog.demo import DEMO_PROSPECTS
from agent.services.jobs.run import run_due
from agent.services.leads import mark_prospect_replied
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Prospect, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend
from storage.repositories.prospects import ProspectRepository
from storage.repositories.seed import count_prospects, insert_missing_prospects
from tests.jobs_support import TEAM_BOT, at, job_context_on, make_lead, make_rep, make_tenant, sends_of
from tests.secrets_support import lead_bot_token_of

NOW = at(11, 0)


async def two_agencies(database: Database) -> tuple[Tenant, Tenant]:
    return (
        await make_tenant(database, slug="acme", token="111111:acme-lead-bot"),
        await make_tenant(database, slug="bolt", token="333333:bolt-lead-bot"),
    )


async def both_prospects(database: Database, prospect_id: str) -> list[Prospect]:
    async with database.session() as session:
        query = select(Prospect).where(Prospect.id == prospect_id).order_by(Prospect.tenant_id)
        return list((await session.execute(query)).scalars())


async def test_seeding_an_id_another_agency_uses_inserts_it_for_this_agency(database: Database) -> None:
    acme, bolt = await two_agencies(database)
    async with database.session() as session:
        assert await insert_missing_prospects(session, acme.id, DEMO_PROSPECTS) == 3
    async with database.session() as session:
        assert await insert_missing_prospects(session, bolt.id, DEMO_PROSPECTS) == 3
        assert await insert_missing_prospects(session, bolt.id, DEMO_PROSPECTS) == 0  # still idempotent
        assert (await count_prospects(session, acme.id), await count_prospects(session, bolt.id)) == (3, 3)

    acme_alexey, bolt_alexey = await both_prospects(database, "test_prospect_001")
    assert (acme_alexey.tenant_id, bolt_alexey.tenant_id) == (acme.id, bolt.id)
    assert acme_alexey.link_token != bolt_alexey.link_token  # one secret link each


async def test_each_agency_reads_and_marks_only_its_own_prospect_of_a_shared_id(database: Database) -> None:
    acme, bolt = await two_agencies(database)
    async with database.session() as session:
        for tenant, name in ((acme, "Acme's Anna"), (bolt, "Bolt's Boris")):
            session.add(Prospect(id="crm-42", tenant_id=tenant.id, telegram_id="@someone", name=name))

    async with database.session() as session:
        prospects = ProspectRepository(session)
        acme_one, bolt_one = await prospects.get(acme.id, "crm-42"), await prospects.get(bolt.id, "crm-42")
        assert acme_one is not None and acme_one.name == "Acme's Anna"
        assert bolt_one is not None and bolt_one.name == "Bolt's Boris"
        assert await prospects.get(acme.id + bolt.id + 1000, "crm-42") is None
        await prospects.mark_contacted(bolt.id, "crm-42", NOW)

    acme_now, bolt_now = await both_prospects(database, "crm-42")
    assert (acme_now.status, acme_now.last_contact_at) == ("unreached", None)
    assert (bolt_now.status, bolt_now.last_contact_at) == ("contacted", NOW)


async def test_outreach_contacts_both_agencies_prospects_of_a_shared_id_separately(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    acme, bolt = await two_agencies(database)
    acme_rep = await make_rep(database, acme, 8101, approved_at=NOW - timedelta(days=1))
    bolt_rep = await make_rep(database, bolt, 8102, approved_at=NOW - timedelta(days=1))
    async with database.session() as session:
        for tenant, chat in ((acme, 4201), (bolt, 4202)):
            session.add(
                Prospect(
                    id="shared",
                    tenant_id=tenant.id,
                    telegram_id=str(chat),
                    telegram_chat_id=chat,
                    name="Client",
                    language="en",
                )
            )

    async with job_context_on(database, settings, api, FrozenClock(NOW)) as ctx:
        report = await run_due(ctx)

    assert report.prospects_assigned == 2
    acme_now, bolt_now = await both_prospects(database, "shared")
    assert (acme_now.assigned_rep_id, bolt_now.assigned_rep_id) == (acme_rep.id, bolt_rep.id)
    assert acme_now.status == bolt_now.status == "contacted"
    # Each agency's ledger has its own card and message for its "shared" (UNIQUE(tenant, prospect, step)).
    for tenant, rep in ((acme, acme_rep), (bolt, bolt_rep)):
        sends = await sends_of(database, tenant_id=tenant.id, prospect_id="shared")
        assert {(s.step_key, s.status) for s in sends} == {
            ("outreach:telegram", "sent"),
            (f"outreach:card:{rep.id}", "sent"),
        }
    assert len(api.sent(chat_id=4201, token=lead_bot_token_of(acme))) == 1
    assert len(api.sent(chat_id=4202, token=lead_bot_token_of(bolt))) == 1
    [acme_card] = api.sent_texts(chat_id=8101, token=TEAM_BOT)
    assert f"p_{acme_now.link_token}" in acme_card and bolt_now.link_token not in acme_card


async def test_a_reply_to_one_agency_leaves_the_other_agencys_outreach_alone(database: Database) -> None:
    acme, bolt = await two_agencies(database)
    async with database.session() as session:
        for tenant in (acme, bolt):
            session.add(Prospect(id="shared", tenant_id=tenant.id, telegram_id="@client", name="Client"))
        await session.flush()
        await FollowUpRepository(session).plan(
            [
                PlannedSend(
                    tenant_id=tenant.id,
                    prospect_id="shared",
                    step_key="outreach:email",
                    channel="email",
                    due_at=NOW + timedelta(hours=1),
                    text="Hello",
                )
                for tenant in (acme, bolt)
            ],
            NOW,
        )
    lead = await make_lead(database, acme, last_inbound_at=NOW, phone=None)

    async with database.session() as session:
        replied = await mark_prospect_replied(session, acme.id, "shared", now=NOW, lead_id=lead.id)
        assert replied is not None and replied.tenant_id == acme.id

    acme_now, bolt_now = await both_prospects(database, "shared")
    assert (acme_now.status, acme_now.lead_id) == ("in_conversation", lead.id)
    assert (bolt_now.status, bolt_now.lead_id) == ("unreached", None)
    [acme_send] = await sends_of(database, tenant_id=acme.id, prospect_id="shared")
    [bolt_send] = await sends_of(database, tenant_id=bolt.id, prospect_id="shared")
    assert (acme_send.status, bolt_send.status) == ("cancelled", "pending")


@pytest.mark.slow
async def test_prospects_stored_before_0008_keep_their_outreach_and_get_a_secret_link(
    database: Database, database_url: str
) -> None:
    from sqlalchemy.engine import make_url

    from storage.db import create_database
    from storage.migrate import upgrade

    name = "realty_prospects_upgrade_test"
    async with database.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        await conn.execute(text(f"CREATE DATABASE {name}"))
    old = create_database(make_url(database_url).set(database=name).render_as_string(hide_password=False))
    try:
        assert await upgrade(old, "0006") == "0006"
        async with old.session() as session:
            for slug in ("acme", "bolt"):
                await session.execute(
                    text(
                        "INSERT INTO tenants (name, slug, time_zone, default_language, country_code, "
                        "default_currency, quiet_hours_start, quiet_hours_end, meeting_provider) "
                        "VALUES (:slug, :slug, 'UTC', 'en', 'ID', 'USD', '21:00', '08:00', 'none')"
                    ),
                    {"slug": slug},
                )
            acme_id = (await session.execute(text("SELECT id FROM tenants WHERE slug = 'acme'"))).scalar_one()
            for prospect_id in ("p-1", "p-2"):
                await session.execute(
                    text(
                        "INSERT INTO prospects (id, tenant_id, telegram_id, name, status, language) "
                        "VALUES (:id, :t, '@someone', 'Someone', 'unreached', 'en')"
                    ),
                    {"id": prospect_id, "t": acme_id},
                )
            await session.execute(
                text(
                    "INSERT INTO followup_sends (tenant_id, prospect_id, step_key, channel, status, due_at, "
                    "created_at) VALUES (:t, 'p-1', 'outreach:email', 'email', 'pending', now(), now())"
                ),
                {"t": acme_id},
            )

        await upgrade(old, "head")

        async with old.session() as session:
            tokens = (
                (await session.execute(text("SELECT link_token FROM prospects ORDER BY id"))).scalars().all()
            )
            assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(t) >= 24 for t in tokens)
            bolt_id = (await session.execute(text("SELECT id FROM tenants WHERE slug = 'bolt'"))).scalar_one()
            # The other agency may now use the same id; the old outreach still points at acme's prospect.
            await session.execute(
                text(
                    "INSERT INTO prospects (id, tenant_id, telegram_id, name, status, language, link_token) "
                    "VALUES ('p-1', :t, '@other', 'Other', 'unreached', 'en', 'bolt-token-000000000000')"
                ),
                {"t": bolt_id},
            )
            await session.execute(
                text("DELETE FROM prospects WHERE tenant_id = :t AND id = 'p-1'"), {"t": acme_id}
            )
            left = (await session.execute(text("SELECT count(*) FROM followup_sends"))).scalar_one()
            assert (
                left == 0
            )  # deleting acme's p-1 took its outreach with it (the reference carries the tenant)
    finally:
        await old.dispose()
        async with database.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
