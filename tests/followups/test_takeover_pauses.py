"""While a person talks to a lead (taken over), no automatic follow-up goes to them; after the hand-back it does."""

from __future__ import annotations

from datetime import timedelta

from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.services.jobs.sequences import ensure_default_sequences
from agent.services.takeover import Takeovers
from agent.services.team import Actor, TeamService
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import SalesRepresentative, SendStatus
from storage.repositories.followups import HOLD_QUIET_HOURS, HOLD_TAKEN_OVER
from tests.jobs_support import at, job_context_on, make_lead, make_tenant, sends_of

SILENT_SINCE = at(9, 0)
REP = 730_001


async def test_no_nudge_goes_to_a_lead_a_person_talks_to_and_it_goes_after_the_hand_back(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    async with database.session() as session:
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=REP,
            name="Wayan",
            email="w@bali.homes",
            language="en",
            status="active",
        )
        session.add(rep)
        await session.flush()
        rep_id = rep.id
    lead = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, assigned_rep_id=rep_id)
    clock = FrozenClock(SILENT_SINCE + timedelta(hours=1))
    takeovers = Takeovers(database, TeamService(database, settings, clock), clock)
    assert (await takeovers.take_over(Actor(REP, language="en"), lead.id)).done

    async with job_context_on(database, settings, api, clock) as ctx:
        for hours in (2, 3, 6):
            clock.set(SILENT_SINCE + timedelta(hours=hours))
            report = await run_due(ctx)
            assert report.ghost_planned == 0
        assert api.sent(chat_id=lead.telegram_chat_id) == []

        assert (await takeovers.hand_back(Actor(REP, language="en"), lead.id)).done
        clock.set(SILENT_SINCE + timedelta(hours=7))
        after = await run_due(ctx)

    assert after.ghost_planned == 1 and len(api.sent(chat_id=lead.telegram_chat_id)) == 1


async def test_a_sequence_step_due_during_a_takeover_waits_and_goes_after_the_hand_back(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    async with database.session() as session:
        await ensure_default_sequences(session, tenant.id)
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=REP,
            name="Wayan",
            email="w@bali.homes",
            language="en",
            status="active",
        )
        session.add(rep)
        await session.flush()
        rep_id = rep.id
    wrote = at(22, 0)  # the warm sequence's first step comes due two days later, in quiet hours (21-08)
    lead = await make_lead(
        database, tenant, last_inbound_at=wrote, temperature="warm", phone=None, assigned_rep_id=rep_id
    )
    clock = FrozenClock(wrote + timedelta(days=2))
    takeovers = Takeovers(database, TeamService(database, settings, clock), clock)

    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)  # planned, held until the morning
        [planned] = await sends_of(database, lead_id=lead.id)
        assert planned.step_key.startswith("seq:") and planned.hold_reason == HOLD_QUIET_HOURS

        clock.set(wrote + timedelta(days=2, hours=1))
        assert (await takeovers.take_over(Actor(REP, language="en"), lead.id)).done
        for hours in (10, 11, 12):  # the morning comes while the rep talks to the lead
            clock.set(wrote + timedelta(days=2, hours=hours))
            await run_due(ctx)
        assert api.sent(chat_id=lead.telegram_chat_id) == []
        [paused] = await sends_of(database, lead_id=lead.id)
        assert (paused.status, paused.hold_reason) == (SendStatus.HELD, HOLD_TAKEN_OVER)

        assert (await takeovers.hand_back(Actor(REP, language="en"), lead.id)).done
        clock.set(wrote + timedelta(days=2, hours=13))
        await run_due(ctx)

    assert len(api.sent(chat_id=lead.telegram_chat_id)) == 1
    [sent] = await sends_of(database, lead_id=lead.id)
    assert (sent.id, sent.status) == (planned.id, SendStatus.SENT)
