"""What a lead's entering or leaving won/lost does, whoever changed the status (`change_lead` calls it).

Entering: the outcome time is set and every follow-up of the lead stops at once (planned and held sends of
the lead and of the prospects it came from, viewing reminders included; the open tasks reps owe it are
closed), cancelled with `outcome_cancel_reason` so the sequence planner does not read them as a stopped
sequence. Leaving (reopened): the outcome fields are cleared; the automatic follow-ups may plan again by the
usual rules (storage.models.lead.FOLLOW_UP_ALLOWED), the sequence going on from its next unplanned step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import LeadStatus
from storage.models import Lead, Prospect, RepTask
from storage.repositories.followups import FollowUpRepository, outcome_cancel_reason

OUTCOME_STATUSES: frozenset[str] = frozenset({LeadStatus.WON.value, LeadStatus.LOST.value})


@dataclass(frozen=True)
class Stopped:
    """How many follow-ups an outcome stopped."""

    sends: int = 0
    """Planned or held messages cancelled (sequence steps, Ghost nudges, reminders, drafts)."""
    tasks: int = 0
    """Reps' open follow-up tasks closed."""


async def stop_follow_ups(session: AsyncSession, lead: Lead, now: datetime, reason: str) -> Stopped:
    """Cancel everything still planned for the lead (and its prospects) and close reps' open tasks on it."""
    ledger = FollowUpRepository(session)
    sends = await ledger.cancel_open_for_lead(lead.id, reason)
    prospects = await session.execute(
        select(Prospect.id).where(Prospect.tenant_id == lead.tenant_id, Prospect.lead_id == lead.id)
    )
    for prospect_id in prospects.scalars():
        sends += await ledger.cancel_open_for_prospect(lead.tenant_id, prospect_id, reason)
    closed = await session.execute(
        update(RepTask)
        .where(RepTask.tenant_id == lead.tenant_id, RepTask.lead_id == lead.id, RepTask.done_at.is_(None))
        .values(done_at=now)
        .returning(RepTask.id)
    )
    return Stopped(sends=sends, tasks=len(closed.all()))


async def status_changed(session: AsyncSession, lead: Lead, previous: str, now: datetime) -> Stopped:
    """Keep the outcome fields and the follow-ups in line with a status change just made on `lead`."""
    if lead.status in OUTCOME_STATUSES:
        lead.outcome_at = now
        if previous in OUTCOME_STATUSES:  # won <-> lost: the old reason was about the other one
            lead.outcome_reason = lead.outcome_note = None
        return await stop_follow_ups(session, lead, now, outcome_cancel_reason(lead.status))
    if previous in OUTCOME_STATUSES:
        lead.outcome_at = lead.outcome_reason = lead.outcome_note = None
    return Stopped()
