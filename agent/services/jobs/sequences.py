"""Follow-up sequences (CRM specification): per-tenant templates by temperature, planned step by step.

A step is planned when the lead has been silent for its delay, nothing else is open for the lead and no
follow-up went out in the last MIN_GAP. Its text is drafted by the follow-up text builder at planning time, so
a rep who must approve it sees exactly what will be sent. A reply, a booking, an opt-out or a handoff stops the
sequence: open steps are cancelled at claim time and no later step is planned.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.followup_text import FollowUpFacts, Purpose
from agent.services.provider import Services
from prompts.followups import draft_follow_up_text
from storage.models import FollowUpSend, Lead, RepStatus, SalesRepresentative, SendStatus, Tenant
from storage.repositories.followups import (
    HOLD_AWAITING_APPROVAL,
    FollowUpRepository,
    PlannedSend,
    StepTemplate,
)

log = logging.getLogger(__name__)

MIN_GAP = timedelta(hours=12)
"""No two automatic follow-ups (sequence or ghost) closer than this."""
PLAN_BATCH = 500
HOUR = 60
DAY = 24 * HOUR

DEFAULT_SEQUENCES: dict[str, tuple[str, tuple[StepTemplate, ...]]] = {
    "hot": (
        "Hot lead: viewing first",
        (
            StepTemplate(1, 1 * DAY, "telegram", Purpose.VIEWING),
            StepTemplate(2, 3 * DAY, "telegram", Purpose.LISTINGS),
            StepTemplate(3, 7 * DAY, "email", Purpose.CHECK_IN, requires_approval=True),
        ),
    ),
    "warm": (
        "Warm lead: stay in touch",
        (
            StepTemplate(1, 2 * DAY, "telegram", Purpose.CHECK_IN),
            StepTemplate(2, 5 * DAY, "telegram", Purpose.LISTINGS),
            StepTemplate(3, 10 * DAY, "email", Purpose.CHECK_IN),
        ),
    ),
    "cold": (
        "Cold lead: gentle reminders",
        (
            StepTemplate(1, 5 * DAY, "telegram", Purpose.CHECK_IN),
            StepTemplate(2, 14 * DAY, "email", Purpose.CHECK_IN),
        ),
    ),
}
"""Telegram first, e-mail second; only the last hot step waits for the rep's approval."""


class ApprovalError(Exception):
    """Why a draft could not be approved or rejected; the message is safe to show the rep."""


async def ensure_default_sequences(session: AsyncSession, tenant_id: int) -> None:
    """Give a tenant the default hot/warm/cold sequences (idempotent; a tenant's own edits stay)."""
    repo = FollowUpRepository(session)
    for temperature, (name, steps) in DEFAULT_SEQUENCES.items():
        await repo.ensure_sequence(tenant_id, temperature, name, steps)


def channel_for(step_channel: str, lead: Lead, services: Services) -> str:
    """The step's channel when it can reach the lead, else Telegram when we have their chat."""
    reachable = {
        "telegram": lead.telegram_chat_id is not None,
        "email": bool(lead.email) and services.channels.email is not None,
        "whatsapp": bool(lead.phone) and services.channels.whatsapp is not None,
    }
    if reachable.get(step_channel) or lead.telegram_chat_id is None:
        return step_channel
    return "telegram"


async def plan_sequence_steps(services: Services, now: datetime, *, tenant_id: int | None = None) -> int:
    """Plan every sequence step due at `now`; returns how many rows were added to the ledger."""
    async with services.database.session() as session:
        query = select(Tenant.id).order_by(Tenant.id)
        if tenant_id is not None:
            query = query.where(Tenant.id == tenant_id)
        tenant_ids = list((await session.execute(query)).scalars())
    planned = 0
    for tid in tenant_ids:
        for _ in range(10_000):  # bounded: each round plans what it saw or stops
            async with services.database.session() as session:
                repo = FollowUpRepository(session)
                steps = await repo.steps_of(tid)
                if not steps:
                    break
                longest = max(step.delay_minutes for group in steps.values() for step in group)
                candidates = await repo.sequence_candidates(
                    tid,
                    now,
                    min_gap=MIN_GAP,
                    horizon=timedelta(minutes=longest) + timedelta(days=1),
                    limit=PLAN_BATCH,
                )
                if not candidates:
                    break
                leads = {
                    lead.id: lead
                    for lead in (
                        await session.execute(
                            select(Lead).where(Lead.id.in_([c.lead_id for c in candidates]))
                        )
                    ).scalars()
                }
                sends = [
                    PlannedSend(
                        tenant_id=tid,
                        lead_id=c.lead_id,
                        step_key=f"seq:{c.step_id}",
                        channel=channel_for(c.channel, leads[c.lead_id], services),
                        due_at=now,
                        text=draft_follow_up_text(FollowUpFacts.of(leads[c.lead_id]), c.purpose),
                        awaiting_approval=c.requires_approval,
                    )
                    for c in candidates
                ]
                added = await repo.plan(sends, now)
                planned += added
            if len(candidates) < PLAN_BATCH or added == 0:
                break
    if planned:
        log.info("sequences: %s steps planned", planned)
    return planned


@dataclass(frozen=True)
class ApprovalResult:
    send_id: int
    status: str
    text: str | None


async def approve_send(
    session: AsyncSession, send_id: int, rep: SalesRepresentative, now: datetime, *, text: str | None = None
) -> ApprovalResult:
    """A rep approves a held draft (optionally edited); the next dispatch sends it."""
    send = await _held_draft_for(session, send_id, rep)
    if text is not None and text.strip():
        send.text = text.strip()[:4000]
    send.status, send.hold_reason = SendStatus.PENDING, None
    send.approved_by_rep_id = rep.id
    send.due_at = min(send.due_at, now)
    return ApprovalResult(send_id=send.id, status=send.status, text=send.text)


async def reject_send(
    session: AsyncSession, send_id: int, rep: SalesRepresentative, *, reason: str = "rejected by rep"
) -> ApprovalResult:
    send = await _held_draft_for(session, send_id, rep)
    send.status, send.hold_reason, send.error = SendStatus.CANCELLED, None, reason[:500]
    send.approved_by_rep_id = rep.id
    return ApprovalResult(send_id=send.id, status=send.status, text=send.text)


async def _held_draft_for(session: AsyncSession, send_id: int, rep: SalesRepresentative) -> FollowUpSend:
    send = await FollowUpRepository(session).get_for_update(send_id)
    if send is None or send.tenant_id != rep.tenant_id:
        raise ApprovalError("this follow-up no longer exists")
    if rep.status != RepStatus.ACTIVE:
        raise ApprovalError("only active reps can approve follow-ups")
    if send.status != SendStatus.HELD or send.hold_reason != HOLD_AWAITING_APPROVAL:
        raise ApprovalError(f"this follow-up is {send.status}, not waiting for approval")
    if send.lead_id is not None and not rep.is_admin:
        owner: uuid.UUID | None = (
            await session.execute(select(Lead.assigned_rep_id).where(Lead.id == send.lead_id))
        ).scalar_one_or_none()
        if owner is not None and owner != rep.id:
            raise ApprovalError("this lead belongs to another rep")
    return send
