"""Recording the outcome a lead already has (an API retry, a CLI re-run, a resubmitted form) keeps the time the
deal ended; an identical repeat writes no second audit row, a changed reason or note is audited as a change."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.team.outcomes import OUTCOME_ACTION, Recorder, record_outcome
from storage.db import Database
from storage.models import AuditLog, Lead
from tests.jobs_support import at, make_lead, make_tenant

CLI = Recorder("cli", None, "cli")


async def record(database: Database, lead_id: int, clock: FrozenClock, reason: str, note: str | None) -> None:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id, with_for_update=True)
        assert lead is not None
        await record_outcome(session, lead, outcome="won", reason=reason, note=note, who=CLI, now=clock.now())


async def outcome_audit(database: Database) -> list[str]:
    async with database.session() as session:
        rows = await session.execute(
            select(AuditLog.detail).where(AuditLog.action == OUTCOME_ACTION).order_by(AuditLog.id)
        )
        return [detail or "" for detail in rows.scalars()]


async def test_the_same_outcome_again_keeps_its_time_and_audits_only_a_change(database: Database) -> None:
    tenant = await make_tenant(database)
    lead = await make_lead(database, tenant, last_inbound_at=at(9))
    clock = FrozenClock(at(12))
    await record(database, lead.id, clock, "bought", "paid in full")
    won_at = clock.now()

    clock.set(won_at + timedelta(days=1))
    await record(database, lead.id, clock, "bought", "paid in full")  # a retry
    assert len(await outcome_audit(database)) == 1

    clock.set(won_at + timedelta(days=2))
    await record(database, lead.id, clock, "bought", "paid in cash")  # a corrected note
    async with database.session() as session:
        after = await session.get(Lead, lead.id)
    assert after is not None
    assert (after.status, after.outcome_at, after.outcome_note) == ("won", won_at, "paid in cash")
    first, change = await outcome_audit(database)
    assert "→ won" in first and "won kept; reason=bought → bought; note changed" in change
