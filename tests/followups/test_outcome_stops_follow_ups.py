"""A deal recorded won (or lost) stops every follow-up of the lead: a message already planned does not go out,
and the Ghost Protocol plans none, while a twin lead still in the funnel gets its nudge."""

from __future__ import annotations

from datetime import timedelta

from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.services.jobs.sequences import ensure_default_sequences
from agent.services.team.outcomes import Recorder, record_outcome, reopen_lead
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import FollowUpSend, Lead
from storage.repositories.followups import outcome_cancel_reason
from tests.jobs_support import at, job_context_on, make_lead, make_tenant, reload, sends_of

SILENT_SINCE = at(10)


async def test_a_won_lead_gets_no_planned_message_and_no_ghost_nudge(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    won = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, name="Tom")
    twin = await make_lead(database, tenant, last_inbound_at=SILENT_SINCE, name="Anna")
    clock = FrozenClock(SILENT_SINCE + timedelta(hours=1))
    async with database.session() as session:
        session.add(
            FollowUpSend(
                tenant_id=tenant.id,
                lead_id=won.id,
                step_key="seq:planned",
                status="pending",
                due_at=SILENT_SINCE + timedelta(hours=2),
                text="Tom, the villa is still free!",
                created_at=clock.now(),
            )
        )
    async with database.session() as session:
        lead = await session.get(Lead, won.id, with_for_update=True)
        assert lead is not None
        done = await record_outcome(
            session,
            lead,
            outcome="won",
            reason="bought",
            note=None,
            who=Recorder("cli", None, "cli"),
            now=clock.now(),
        )
    assert done.stopped.sends == 1

    async with job_context_on(database, settings, api, clock) as ctx:
        clock.set(SILENT_SINCE + timedelta(hours=3))
        report = await run_due(ctx)
    assert report.dispatch.sent == 1  # the twin's nudge: the machinery ran
    assert api.sent(chat_id=won.telegram_chat_id) == []
    assert [m.text for m in api.sent(chat_id=twin.telegram_chat_id)]
    assert [s.status for s in await sends_of(database, lead_id=won.id)] == ["cancelled"]
    after = await reload(database, Lead, won.id)
    assert isinstance(after, Lead) and after.status == "won" and not after.ghost_reminder_sent


async def test_after_won_then_reopened_the_lead_s_sequence_plans_again(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database)
    async with database.session() as session:
        await ensure_default_sequences(session, tenant.id)
    wrote = at(22, 0)  # the warm steps (2 and 5 days later) come due in quiet hours (21-08): held till 08:00
    lead = await make_lead(database, tenant, last_inbound_at=wrote, temperature="warm", phone=None)
    clock = FrozenClock(wrote + timedelta(days=2))
    cli = Recorder("cli", None, "cli")

    async with job_context_on(database, settings, api, clock) as ctx:
        await run_due(ctx)
        [first] = await sends_of(database, lead_id=lead.id)
        assert first.step_key.startswith("seq:") and first.status == "held"

        clock.set(wrote + timedelta(days=2, hours=1))
        async with database.session() as session:
            row = await session.get(Lead, lead.id, with_for_update=True)
            assert row is not None
            won = await record_outcome(
                session, row, outcome="won", reason=None, note=None, who=cli, now=clock.now()
            )
        assert won.stopped.sends == 1
        clock.set(wrote + timedelta(days=2, hours=11))
        await run_due(ctx)
        assert api.sent(chat_id=lead.telegram_chat_id) == []  # won: nothing goes

        async with database.session() as session:
            row = await session.get(Lead, lead.id, with_for_update=True)
            assert row is not None
            await reopen_lead(session, row, who=cli, now=clock.now())
        for moment in (timedelta(days=5), timedelta(days=5, hours=11)):  # step 2: planned, then sent
            clock.set(wrote + moment)
            await run_due(ctx)

    assert len(api.sent(chat_id=lead.telegram_chat_id)) == 1
    sends = await sends_of(database, lead_id=lead.id)
    assert [s.status for s in sends] == ["cancelled", "sent"]
    assert sends[0].error == outcome_cancel_reason("won") and sends[1].step_key != sends[0].step_key
