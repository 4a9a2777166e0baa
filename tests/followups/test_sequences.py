"""Follow-up sequences: steps by temperature, stopped by a reply, a booking or an opt-out, and rep approval."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.core.policies.followup_text import FollowUpFacts
from agent.services.jobs.run import run_due
from agent.services.jobs.sequences import ApprovalError, approve_send, ensure_default_sequences, reject_send
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from prompts.followups import draft_follow_up_text
from storage.db import Database
from storage.models import FollowUpSequence, FollowUpStep, Lead, SalesRepresentative, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend
from tests.jobs_support import (
    RecordingTransport,
    at,
    job_context_on,
    make_lead,
    make_rep,
    make_tenant,
    sends_of,
)

T0 = at(10, 0)
DAY = timedelta(days=1)


async def tenant_with_sequences(database: Database) -> Tenant:
    tenant = await make_tenant(database)
    async with database.session() as session:
        await ensure_default_sequences(session, tenant.id)
    return tenant


async def set_lead(database: Database, lead_id: int, **fields: object) -> None:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        for name, value in fields.items():
            setattr(lead, name, value)


async def test_default_sequences_are_seeded_once_per_tenant(database: Database) -> None:
    tenant = await tenant_with_sequences(database)
    async with database.session() as session:
        await ensure_default_sequences(session, tenant.id)
        sequences = (await session.execute(select(func.count()).select_from(FollowUpSequence))).scalar_one()
        steps = (await session.execute(select(FollowUpStep))).scalars().all()
        by_temperature = await FollowUpRepository(session).steps_of(tenant.id)
    assert sequences == 3 and len(steps) == 8
    assert [s.channel for s in by_temperature["hot"]] == ["telegram", "telegram", "email"]
    assert by_temperature["hot"][-1].requires_approval


async def test_a_warm_lead_gets_each_step_on_time_and_a_reply_stops_the_sequence(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await tenant_with_sequences(database)
    lead = await make_lead(database, tenant, last_inbound_at=T0, temperature="warm", phone=None)
    clock = FrozenClock(T0 + 2 * DAY - timedelta(minutes=1))
    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)
        assert api.sent() == []
        clock.set(T0 + 2 * DAY)
        await run_due(ctx)
        [first] = api.sent_texts(chat_id=lead.telegram_chat_id)
        assert first == draft_follow_up_text(FollowUpFacts.of(lead), "check_in")

        clock.set(T0 + 5 * DAY)
        await run_due(ctx)
        assert len(api.sent()) == 2 and "catch your eye" in (api.sent()[1].text or "")

        await set_lead(
            database, lead.id, last_inbound_at=T0 + 5 * DAY + timedelta(hours=1)
        )  # the lead answers
        for days in (10, 11, 30):
            clock.set(T0 + days * DAY)
            await run_due(ctx)
    assert len(api.sent()) == 2
    rows = await sends_of(database, lead_id=lead.id)
    assert [(r.step_key.startswith("seq:"), r.status) for r in rows] == [(True, "sent"), (True, "sent")]


async def test_a_booking_or_a_handoff_stops_the_sequence(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await tenant_with_sequences(database)
    booked = await make_lead(database, tenant, last_inbound_at=T0, temperature="hot", phone=None)
    handed = await make_lead(database, tenant, last_inbound_at=T0, temperature="warm", phone=None)
    clock = FrozenClock(T0 + DAY)
    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)
        assert len(api.sent(chat_id=booked.telegram_chat_id)) == 1
        await set_lead(database, booked.id, status="viewing_scheduled")
        await set_lead(database, handed.id, status="handed_off")
        for days in (3, 7, 14):
            clock.set(T0 + days * DAY)
            await run_due(ctx)
    assert len(api.sent()) == 1


@pytest.mark.parametrize("message", ["STOP", "отписаться", "توقف", "لغو"])
async def test_an_opt_out_in_any_language_cancels_whats_planned_and_nothing_more_is_sent(
    database: Database, settings: Settings, api: FakeTelegramAPI, message: str
) -> None:
    tenant = await tenant_with_sequences(database)
    lead = await make_lead(database, tenant, last_inbound_at=T0, temperature="hot")  # with a phone: ghost too
    clock = FrozenClock(T0 + timedelta(hours=2))
    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)
        assert len(api.sent()) == 1  # the ghost nudge

        # The lead answers with an opt-out; the lead bot records it as the conversation graph does.
        intents = pytest.importorskip("agent.core.nlu.intents")
        assert intents.is_opt_out(message)
        await set_lead(database, lead.id, opted_out=True, last_inbound_at=T0 + timedelta(hours=3))
        clock.set(T0 + timedelta(hours=3))
        async with database.session() as session:  # a planned step, as if it had been queued just before
            await FollowUpRepository(session).plan(
                [_planned(tenant.id, lead.id, clock.now() - timedelta(minutes=1))],
                clock.now() - timedelta(minutes=1),
            )
        report = await run_due(ctx)
        for days in (1, 3, 7, 20):
            clock.set(T0 + days * DAY)
            await run_due(ctx)
    assert len(api.sent()) == 1 and report.dispatch.cancelled == 1
    assert {r.status for r in await sends_of(database, lead_id=lead.id)} == {"sent", "cancelled"}


def _planned(tenant_id: int, lead_id: int, when: datetime) -> PlannedSend:
    return PlannedSend(
        tenant_id=tenant_id,
        lead_id=lead_id,
        step_key="seq:manual",
        channel="telegram",
        due_at=when,
        text="Hi",
    )


async def test_a_step_that_needs_approval_waits_for_the_rep_then_goes(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await tenant_with_sequences(database)
    owner = await make_rep(database, tenant, 7001, approved_at=T0, name="Olga Owner")
    other = await make_rep(database, tenant, 7002, approved_at=T0, name="Igor Other")
    lead = await make_lead(
        database,
        tenant,
        last_inbound_at=T0,
        temperature="hot",
        phone=None,
        email="anna@example.com",
        assigned_rep_id=owner.id,
    )
    email = RecordingTransport()
    clock = FrozenClock(T0)
    async with job_context_on(database, settings, api, clock, email=email) as ctx:
        for days in (1, 3, 7):
            clock.set(T0 + days * DAY)
            await run_due(ctx)
        assert len(api.sent()) == 2 and email.sent == []
        async with database.session() as session:
            [draft] = await FollowUpRepository(session).awaiting_approval(tenant.id, rep_id=owner.id)
        assert draft.channel == "email" and draft.hold_reason == "awaiting_approval"

        clock.set(T0 + 8 * DAY)
        await run_due(ctx)
        assert email.sent == []  # still waiting

        async with database.session() as session:
            intruder = await session.get(SalesRepresentative, other.id)
            assert intruder is not None
            with pytest.raises(ApprovalError):
                await approve_send(session, draft.id, intruder, clock.now())
        async with database.session() as session:
            rep = await session.get(SalesRepresentative, owner.id)
            assert rep is not None
            approved = await approve_send(
                session, draft.id, rep, clock.now(), text="Anna, a short note from Olga."
            )
        assert approved.status == "pending"
        await run_due(ctx)
    [mail] = email.sent
    assert mail.email == "anna@example.com" and mail.text == "Anna, a short note from Olga."
    [row] = [r for r in await sends_of(database, lead_id=lead.id) if r.channel == "email"]
    assert row.status == "sent" and row.approved_by_rep_id == owner.id


async def test_a_rejected_draft_is_never_sent(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await tenant_with_sequences(database)
    owner = await make_rep(database, tenant, 7001, approved_at=T0)
    lead = await make_lead(
        database,
        tenant,
        last_inbound_at=T0,
        temperature="hot",
        phone=None,
        email="a@example.com",
        assigned_rep_id=owner.id,
    )
    email = RecordingTransport()
    clock = FrozenClock(T0)
    async with job_context_on(database, settings, api, clock, email=email) as ctx:
        for days in (1, 3, 7):
            clock.set(T0 + days * DAY)
            await run_due(ctx)
        [draft] = [r for r in await sends_of(database, lead_id=lead.id) if r.status == "held"]
        async with database.session() as session:
            rep = await session.get(SalesRepresentative, owner.id)
            assert rep is not None
            await reject_send(session, draft.id, rep, reason="client asked for a call instead")
        clock.set(T0 + 9 * DAY)
        await run_due(ctx)
    assert email.sent == []


async def test_steps_that_cannot_reach_the_lead_are_skipped_not_faked(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await tenant_with_sequences(database)
    lead = await make_lead(
        database,
        tenant,
        last_inbound_at=T0,
        temperature="cold",
        phone=None,
        email="c@example.com",
        telegram_chat_id=None,
    )
    clock = FrozenClock(T0 + 5 * DAY)
    async with job_context_on(database, settings, api, clock) as ctx:  # no SMTP configured
        first = await run_due(ctx)
        clock.set(T0 + 14 * DAY)
        second = await run_due(ctx)
    assert first.dispatch.skipped == 1 and second.dispatch.skipped == 1 and api.sent() == []
    telegram_step, email_step = await sends_of(database, lead_id=lead.id)
    assert telegram_step.status == "skipped" and "no Telegram chat" in (telegram_step.error or "")
    assert email_step.channel == "email" and email_step.error == "SMTP is not configured"
