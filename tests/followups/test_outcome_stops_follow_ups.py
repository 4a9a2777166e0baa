"""A deal recorded won (or lost) stops every follow-up of the lead: a message already planned does not go out,
and the Ghost Protocol plans none, while a twin lead still in the funnel gets its nudge."""

from __future__ import annotations

from datetime import timedelta

from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.services.team.outcomes import Recorder, record_outcome
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import FollowUpSend, Lead
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
