"""Follow-up reply rates by sequence step, and the Ghost Protocol's nudges.

A send counts when the ledger says it was sent (`followup_sends.status = sent`) in the period, to a lead the
scope sees. A reply to a send is an inbound interaction of that lead after the send and before the lead's next
sent follow-up. A ghost nudge is a send whose step key starts with "ghost" (agent.services.jobs.ghost); it
worked when the lead wrote back within 24 hours of it. Viewing reminders (step keys "reminder:...") are not
follow-ups and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics.scope import Scope
from storage.enums import Direction, SendStatus
from storage.models import FollowUpSend, FollowUpSequence, FollowUpStep, Lead, LeadInteraction
from storage.repositories.followups import VIEWING_KEY_PREFIX

GHOST = "ghost"
SEQUENCE_PREFIX = "seq:"
GHOST_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class StepRate:
    """One step: its key ("ghost", "seq:<step id>", ...), what to call it, how many were sent and answered."""

    key: str
    sequence: str | None
    position: int | None
    sent: int
    replied: int


@dataclass(frozen=True)
class GhostFigures:
    nudged: int
    replied: int
    """Nudged leads that wrote back within 24 hours of the nudge."""


async def step_rates(session: AsyncSession, scope: Scope) -> list[StepRate]:
    """Sent and replied per step, sequence steps in order, then the ghost nudge and the rest."""
    period = scope.period
    sends = (
        select(
            FollowUpSend.lead_id,
            FollowUpSend.step_key,
            FollowUpSend.sent_at,
            func.lead(FollowUpSend.sent_at)
            .over(partition_by=FollowUpSend.lead_id, order_by=FollowUpSend.sent_at)
            .label("next_at"),
        )
        .join(Lead, Lead.id == FollowUpSend.lead_id)
        .where(
            scope.leads(),
            FollowUpSend.tenant_id == scope.viewer.tenant_id,
            FollowUpSend.status == SendStatus.SENT,
            FollowUpSend.sent_at >= period.start,
            ~FollowUpSend.step_key.startswith(VIEWING_KEY_PREFIX),
        )
        .subquery()
    )
    replied = exists().where(
        LeadInteraction.lead_id == sends.c.lead_id,
        LeadInteraction.direction == Direction.INBOUND,
        LeadInteraction.created_at > sends.c.sent_at,
        or_(sends.c.next_at.is_(None), LeadInteraction.created_at < sends.c.next_at),
    )
    key = case((sends.c.step_key.startswith(GHOST), GHOST), else_=sends.c.step_key)
    rows = (
        await session.execute(
            select(key, func.count(), func.count().filter(replied))
            .where(sends.c.sent_at < period.end)
            .group_by(key)
        )
    ).all()
    names = await _sequence_steps(session, scope, [str(r[0]) for r in rows])
    rates = []
    for key, sent, answered in rows:
        sequence, position = names.get(str(key), (None, None))
        rates.append(StepRate(str(key), sequence, position, sent=int(sent), replied=int(answered)))
    return sorted(rates, key=lambda s: (s.sequence is None, s.sequence or "", s.position or 0, s.key))


async def _sequence_steps(session: AsyncSession, scope: Scope, keys: list[str]) -> dict[str, tuple[str, int]]:
    """(sequence name, step position) of "seq:<step id>" keys, within the viewer's agency."""
    ids = [int(k[len(SEQUENCE_PREFIX) :]) for k in keys if k.startswith(SEQUENCE_PREFIX) and k[4:].isdigit()]
    if not ids:
        return {}
    rows = await session.execute(
        select(FollowUpStep.id, FollowUpSequence.name, FollowUpStep.position)
        .join(FollowUpSequence, FollowUpSequence.id == FollowUpStep.sequence_id)
        .where(FollowUpStep.id.in_(ids), FollowUpSequence.tenant_id == scope.viewer.tenant_id)
    )
    return {f"{SEQUENCE_PREFIX}{step_id}": (name, position) for step_id, name, position in rows}


async def ghost_figures(session: AsyncSession, scope: Scope) -> GhostFigures:
    """Leads nudged in the period, and those of them who replied within 24 hours of their nudge."""
    period = scope.period
    replied = exists().where(
        LeadInteraction.lead_id == FollowUpSend.lead_id,
        LeadInteraction.direction == Direction.INBOUND,
        LeadInteraction.created_at > FollowUpSend.sent_at,
        LeadInteraction.created_at <= FollowUpSend.sent_at + GHOST_WINDOW,
    )
    row = (
        await session.execute(
            select(
                func.count(FollowUpSend.lead_id.distinct()),
                func.count(FollowUpSend.lead_id.distinct()).filter(replied),
            )
            .join(Lead, Lead.id == FollowUpSend.lead_id)
            .where(
                scope.leads(),
                and_(
                    FollowUpSend.tenant_id == scope.viewer.tenant_id,
                    FollowUpSend.status == SendStatus.SENT,
                    FollowUpSend.step_key.startswith(GHOST),
                    FollowUpSend.sent_at >= period.start,
                    FollowUpSend.sent_at < period.end,
                ),
            )
        )
    ).one()
    return GhostFigures(nudged=int(row[0]), replied=int(row[1]))
