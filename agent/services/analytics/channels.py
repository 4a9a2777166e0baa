"""Channel performance: on which channels the period's leads wrote to us, and how far those leads got.

A lead counts on every channel it sent an inbound interaction on (telegram, whatsapp, email...); a lead that
wrote on two channels counts on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics.funnel import STATUS_RANK
from agent.services.analytics.scope import Scope
from storage.enums import Direction, LeadStatus
from storage.models import Lead, LeadInteraction, Viewing


@dataclass(frozen=True)
class ChannelFigures:
    channel: str
    leads: int
    messages: int
    viewing: int
    won: int


async def channel_figures(session: AsyncSession, scope: Scope) -> list[ChannelFigures]:
    """Per channel: leads who wrote on it, their inbound messages, and how many reached viewing / won."""
    reached_viewing = or_(
        Lead.status.in_(
            [s for s, rank in STATUS_RANK.items() if rank >= STATUS_RANK[LeadStatus.VIEWING_SCHEDULED]]
        ),
        exists().where(Viewing.lead_id == Lead.id),
    )
    per_lead = (
        select(
            LeadInteraction.channel.label("channel"),
            Lead.id.label("lead_id"),
            func.count().label("messages"),
            reached_viewing.label("viewing"),
            (Lead.status == LeadStatus.CONVERTED).label("won"),
        )
        .join(LeadInteraction, LeadInteraction.lead_id == Lead.id)
        .where(scope.cohort(), LeadInteraction.direction == Direction.INBOUND)
        .group_by(LeadInteraction.channel, Lead.id)
        .subquery()
    )
    c = per_lead.c
    rows = await session.execute(
        select(
            c.channel,
            func.count(),
            func.sum(c.messages),
            func.count().filter(c.viewing),
            func.count().filter(c.won),
        )
        .group_by(c.channel)
        .order_by(func.count().desc(), c.channel)
    )
    return [ChannelFigures(str(ch), int(n), int(m or 0), int(v), int(w)) for ch, n, m, v, w in rows]
