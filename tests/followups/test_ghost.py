"""Ghost Protocol: one personal nudge, in the lead's language, two hours after a lead with a phone went quiet."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import (
    GHOST_ELIGIBLE,
    LEAD_STOP_STATUSES,
    Lead,
    LeadInteraction,
    LeadStatus,
    Property,
    Tenant,
)
from tests.jobs_support import at, job_context_on, make_lead, make_tenant, reload, sends_of
from tests.secrets_support import lead_bot_token_of

SILENT_SINCE = at(9, 0)


async def add_listing(database: Database, tenant: Tenant, title: str, **fields: object) -> None:
    values: dict[str, object] = {
        "external_id": title.lower().replace(" ", "-"),
        "title": title,
        "description": "",
        "property_type": "villa",
        "transaction": "sale",
        "price": Decimal(420000),
        "currency": "USD",
        "location": "Canggu",
        "units_available": 1,
        "amenities": [],
        "photos": [],
        "status": "available",
        "language": "en",
        "extra": {},
    }
    values.update(fields)
    async with database.session() as session:
        session.add(Property(tenant_id=tenant.id, **values))


async def test_the_nudge_goes_once_at_two_hours_and_not_at_one_fifty_nine(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    lead = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE)
    clock = FrozenClock(SILENT_SINCE + timedelta(hours=1, minutes=59))
    async with job_context_on(database, settings, api, clock) as ctx:
        early = await run_due(ctx)
        assert early.ghost_planned == 0 and api.sent() == []

        clock.set(SILENT_SINCE + timedelta(hours=2))
        due = await run_due(ctx)
        assert due.ghost_planned == 1 and due.dispatch.sent == 1

        for hours in (3, 6, 30):
            clock.set(SILENT_SINCE + timedelta(hours=hours))
            await run_due(ctx)

    [message] = api.sent(chat_id=lead.telegram_chat_id)
    assert message.token == lead_bot_token_of(tenant)
    assert "Anna" in (message.text or "") and "villa" in (message.text or "")
    after = await reload(database, Lead, lead.id)
    assert isinstance(after, Lead)
    assert after.ghost_reminder_sent and after.fomo_messages_sent == 1
    assert after.last_outbound_at == SILENT_SINCE + timedelta(hours=2)
    async with database.session() as session:
        [timeline] = (await session.execute(select(LeadInteraction))).scalars().all()
    assert (timeline.type, timeline.channel, timeline.direction) == ("follow_up", "telegram", "outbound")
    assert timeline.text == message.text
    [send] = await sends_of(database, lead_id=lead.id)
    assert send.status == "sent" and send.external_message_id == f"{lead.telegram_chat_id}:1"


async def test_nothing_goes_to_opted_out_booked_or_closed_leads(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, opted_out=True)
    for status in ("viewing_scheduled", "won", "handed_off", "lost"):
        await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, status=status)
    await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, phone=None)
    await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, ghost_reminder_sent=True)
    async with job_context_on(database, settings, api, FrozenClock(SILENT_SINCE + timedelta(hours=3))) as ctx:
        report = await run_due(ctx)
    assert report.ghost_planned == 0 and api.sent() == []


async def test_the_ghost_index_the_due_scan_and_the_dispatcher_follow_one_rule(database: Database) -> None:
    """The live partial index (built by migration 0001's frozen copy) says what GHOST_ELIGIBLE says, and a
    loaded lead reads the rule as the database does, for every combination of what it depends on."""
    tenant = await make_tenant(database)
    combinations = itertools.product(
        ("+14155550100", None), (False, True), (False, True), [status.value for status in LeadStatus]
    )
    ids = [
        (
            await make_lead(
                database,
                tenant,
                last_inbound_at=SILENT_SINCE,
                telegram_user_id=90_000 + number,
                phone=phone,
                ghost_reminder_sent=reminded,
                opted_out=opted_out,
                status=status,
            )
        ).id
        for number, (phone, reminded, opted_out, status) in enumerate(combinations)
    ]
    predicate = "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = CAST(:name AS regclass)"
    async with database.session() as session:
        live = await session.scalar(text(predicate), {"name": "ix_leads_ghost_due"})
        await session.execute(text(f"CREATE INDEX ix_probe_ghost ON leads (id) WHERE {GHOST_ELIGIBLE}"))
        defined = await session.scalar(text(predicate), {"name": "ix_probe_ghost"})
        await session.execute(text("DROP INDEX ix_probe_ghost"))
        eligible = set(await session.scalars(text(f"SELECT id FROM leads WHERE {GHOST_ELIGIBLE}")))
        leads = (await session.scalars(select(Lead).where(Lead.id.in_(ids)))).all()
    assert live == defined
    assert {lead.id for lead in leads if lead.ghost_stop() is None} == eligible
    assert len(eligible) == len([status for status in LeadStatus if status not in LEAD_STOP_STATUSES])


async def test_a_lead_who_books_before_the_send_gets_nothing(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    """Planned, then the lead books a viewing before a worker gets to it: the claim cancels it."""
    from agent.services.jobs.ghost import plan_ghost_nudges

    tenant = await make_tenant(database)
    lead = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE)
    clock = FrozenClock(SILENT_SINCE + timedelta(hours=2))
    async with job_context_on(database, settings, api, clock) as ctx:
        await plan_ghost_nudges(ctx, clock.now())
        async with database.session() as session:
            row = await session.get(Lead, lead.id)
            assert row is not None
            row.status = "viewing_scheduled"
        report = await run_due(ctx)
    assert api.sent() == [] and report.dispatch.cancelled == 1
    [send] = await sends_of(database, lead_id=lead.id)
    assert send.status == "cancelled" and send.error == "lead is viewing_scheduled"


async def test_my_colleague_found_is_said_only_when_a_real_listing_matches(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    await add_listing(database, tenant, "Villa Sunset, Canggu", price=Decimal(450000))
    await add_listing(database, tenant, "Villa Too Dear", price=Decimal(900000))
    await add_listing(database, tenant, "Ubud Apartment", property_type="apartment", location="Ubud")
    matched = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, name="Anna")
    unmatched = await make_lead(
        database,
        tenant,
        last_inbound_at=SILENT_SINCE,
        name="Ben",
        location="Seminyak",
        budget_max=Decimal(300000),
    )
    vague = await make_lead(
        database,
        tenant,
        last_inbound_at=SILENT_SINCE,
        name="Cleo",
        property_type=None,
        location=None,
        budget_max=None,
    )
    async with job_context_on(database, settings, api, FrozenClock(SILENT_SINCE + timedelta(hours=2))) as ctx:
        await run_due(ctx)

    [found] = api.sent_texts(chat_id=matched.telegram_chat_id)
    assert "my colleague found" in found and "Villa Sunset, Canggu" in found and "Anna" in found
    [nothing] = api.sent_texts(chat_id=unmatched.telegram_chat_id)
    assert "colleague" not in nothing and "Ben" in nothing and "Seminyak" in nothing
    [generic] = api.sent_texts(chat_id=vague.telegram_chat_id)
    assert "colleague" not in generic and "Cleo" in generic
    assert all(len(text) <= 160 for text in api.sent_texts())


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("ru", "Мария", "Здравствуйте, Мария"),
        ("fa", "سارا", "سلام سارا"),
        ("ar", "ليلى", "مرحباً ليلى"),
        ("en", "Anna", "Hi Anna"),
    ],
)
async def test_the_nudge_speaks_the_leads_language(
    database: Database, settings: Settings, api: FakeTelegramAPI, language: str, name: str, expected: str
) -> None:
    tenant = await make_tenant(database)
    await add_listing(database, tenant, "Villa Sunset, Canggu")
    lead = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, language=language, name=name)
    async with job_context_on(database, settings, api, FrozenClock(SILENT_SINCE + timedelta(hours=2))) as ctx:
        await run_due(ctx)
    [text] = api.sent_texts(chat_id=lead.telegram_chat_id)
    assert text.startswith(expected) and "Villa Sunset, Canggu" in text


async def test_a_tenant_can_wait_longer_before_the_nudge(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    async with database.session() as session:
        row = await session.get(Tenant, tenant.id)
        assert row is not None
        row.ghost_after_minutes = 240
    lead = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE)
    clock = FrozenClock(SILENT_SINCE + timedelta(hours=3))
    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)
        assert api.sent() == []
        clock.set(SILENT_SINCE + timedelta(hours=4))
        await run_due(ctx)
    assert len(api.sent(chat_id=lead.telegram_chat_id)) == 1


async def test_a_lead_without_a_chat_is_recorded_as_skipped_not_faked(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    lead = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, telegram_chat_id=None)
    clock = FrozenClock(SILENT_SINCE + timedelta(hours=2))
    async with job_context_on(database, settings, api, clock) as ctx:
        first = await run_due(ctx)
        clock.advance(timedelta(hours=1))
        second = await run_due(ctx)
    assert api.sent() == [] and first.dispatch.skipped == 1 and second.ghost_planned == 0
    [send] = await sends_of(database, lead_id=lead.id)
    assert send.status == "skipped" and "cannot write first" in (send.error or "")
    after = await reload(database, Lead, lead.id)
    assert isinstance(after, Lead) and not after.ghost_reminder_sent and after.fomo_messages_sent == 0
