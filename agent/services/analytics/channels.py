"""Channel performance: on which channels the period's leads wrote to us, and how far those leads got.

A lead counts on every channel it sent an inbound interaction on (telegram, whatsapp, email...); a lead that
wrote on two channels counts on both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics.scope import Scope
from agent.services.analytics.sources import lead_rows


@dataclass(frozen=True)
class ChannelFigures:
    channel: str
    leads: int
    messages: int
    viewing: int
    won: int


async def channel_figures(session: AsyncSession, scope: Scope) -> list[ChannelFigures]:
    """Per channel: leads who wrote on it, their inbound messages, and how many reached viewing / won."""
    leads = lead_rows(scope)
    wrote = (
        func.unnest(leads.c.channels, leads.c.channel_messages)
        .table_valued("channel", "messages")
        .render_derived(name="wrote")
    )
    rows = await session.execute(
        select(
            wrote.c.channel,
            func.count(),
            func.sum(wrote.c.messages),
            func.count().filter(leads.c.viewing),
            func.count().filter(leads.c.won),
        )
        .select_from(leads)
        .join(wrote, true())
        .group_by(wrote.c.channel)
        .order_by(func.count().desc(), wrote.c.channel)
    )
    return [ChannelFigures(str(ch), int(n), int(m or 0), int(v), int(w)) for ch, n, m, v, w in rows]
