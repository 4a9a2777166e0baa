"""Channel performance: on which channels the period's leads wrote to us, and how far those leads got.

A lead counts on every channel it sent an inbound interaction on (telegram, whatsapp, email...); a lead that
wrote on two channels counts on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, Subquery, func, literal, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics.scope import Scope
from agent.services.analytics.sources import daily_window, lead_rows, stale_stored_rows
from storage.models import DailyChannel


@dataclass(frozen=True)
class ChannelFigures:
    channel: str
    leads: int
    messages: int
    viewing: int
    won: int


async def channel_figures(session: AsyncSession, scope: Scope) -> list[ChannelFigures]:
    """Per channel: leads who wrote on it, their inbound messages, and how many reached viewing / won."""
    days = daily_window(scope)
    parts: list[Select[*tuple[Any, ...]]] = [_per_lead(lead_rows(scope, counted_daily=days), 1)]
    if days is not None:
        parts.append(_per_lead(stale_stored_rows(scope, days), -1))
        d = DailyChannel
        parts.append(
            select(d.channel, d.leads, d.messages, d.viewing, d.won).where(
                d.tenant_id == scope.viewer.tenant_id, d.day >= days[0].date(), d.day < days[1].date()
            )
        )
    c = union_all(*parts).subquery("channel_rows")
    leads = func.sum(c.c.leads)
    rows = await session.execute(
        select(c.c.channel, leads, func.sum(c.c.messages), func.sum(c.c.viewing), func.sum(c.c.won))
        .group_by(c.c.channel)
        .having(leads > 0)
        .order_by(leads.desc(), c.c.channel)
    )
    return [ChannelFigures(str(ch), int(n), int(m or 0), int(v or 0), int(w or 0)) for ch, n, m, v, w in rows]


def _per_lead(leads: Subquery, sign: int) -> Select[*tuple[Any, ...]]:
    """One row per (lead, channel it wrote on) as counts (sign -1: taken out)."""
    wrote = (
        func.unnest(leads.c.channels, leads.c.channel_messages)
        .table_valued("channel", "messages")
        .render_derived(name="wrote")
    )
    return (
        select(
            wrote.c.channel,
            literal(sign).label("leads"),
            (wrote.c.messages * sign).label("messages"),
            (leads.c.viewing.cast(Integer) * sign).label("viewing"),
            (leads.c.won.cast(Integer) * sign).label("won"),
        )
        .select_from(leads)
        .join(wrote, true())
    )
