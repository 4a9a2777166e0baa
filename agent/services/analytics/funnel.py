"""The funnel of the leads that arrived in the period, by source, deep link and temperature: one statement.

A lead counts at a stage if it reached it or passed it (`funnel_rules` gives the order). The facts count too:
a phone means contact captured (and so qualified), a viewing row (any status) means viewing (and contact and
qualified). Won = won; lost = lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Select, Subquery, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics.scope import Scope
from agent.services.analytics.sources import daily_window, lead_rows, stale_stored_rows
from agent.services.analytics_facts.funnel_rules import STATUS_RANK, UNKNOWN
from storage.models import DailyFunnel

__all__ = ["STAGES", "STATUS_RANK", "UNKNOWN", "FunnelFigures", "StageCounts", "funnel_figures"]

STAGES: tuple[str, ...] = ("new", "qualified", "contact", "viewing", "won", "lost")
COUNTS: tuple[str, ...] = ("leads", *STAGES[1:])
"""The stored columns of the stages (a lead counts as "new" by arriving)."""


@dataclass
class StageCounts:
    """How many leads reached each stage."""

    new: int = 0
    qualified: int = 0
    contact: int = 0
    viewing: int = 0
    won: int = 0
    lost: int = 0

    def add(self, other: StageCounts) -> None:
        for stage in STAGES:
            setattr(self, stage, getattr(self, stage) + getattr(other, stage))

    def as_dict(self) -> dict[str, int]:
        return {stage: getattr(self, stage) for stage in STAGES}


@dataclass
class FunnelFigures:
    """The whole funnel and its breakdowns (each keyed by source, deep-link code or temperature)."""

    total: StageCounts = field(default_factory=StageCounts)
    by_source: dict[str, StageCounts] = field(default_factory=dict)
    by_deep_link: dict[str, StageCounts] = field(default_factory=dict)
    by_temperature: dict[str, StageCounts] = field(default_factory=dict)


async def funnel_figures(session: AsyncSession, scope: Scope) -> FunnelFigures:
    """Stage counts of the period's leads, grouped by (source, deep link, temperature) in SQL, summed here."""
    days = daily_window(scope)
    parts: list[Select[*tuple[Any, ...]]] = [_per_lead(lead_rows(scope, counted_daily=days), 1)]
    if days is not None:
        parts.append(_per_lead(stale_stored_rows(scope, days), -1))
        d = DailyFunnel
        parts.append(
            select(
                d.source, d.code, d.temperature, d.leads, d.qualified, d.contact, d.viewing, d.won, d.lost
            ).where(d.tenant_id == scope.viewer.tenant_id, d.day >= days[0].date(), d.day < days[1].date())
        )
    c = union_all(*parts).subquery("funnel_rows")
    rows = await session.execute(
        select(c.c.source, c.c.code, c.c.temperature, *(func.sum(c.c[name]) for name in COUNTS))
        .group_by(c.c.source, c.c.code, c.c.temperature)
        .having(func.sum(c.c.leads) > 0)
    )
    return _summed((row[0], row[1], row[2], StageCounts(*(int(n or 0) for n in row[3:]))) for row in rows)


def _per_lead(leads: Subquery, sign: int) -> Select[*tuple[Any, ...]]:
    """Per-lead rows as counts (sign -1: taken out)."""
    c = leads.c
    return select(
        c.source,
        c.code,
        c.temperature,
        literal(sign).label("leads"),
        *((c[stage].cast(Integer) * sign).label(stage) for stage in STAGES[1:]),
    )


def _summed(groups: Iterable[tuple[str, str, str, StageCounts]]) -> FunnelFigures:
    figures = FunnelFigures()
    for source, code, temperature, counts in groups:
        figures.total.add(counts)
        figures.by_source.setdefault(source, StageCounts()).add(counts)
        if code:
            figures.by_deep_link.setdefault(code, StageCounts()).add(counts)
        figures.by_temperature.setdefault(temperature, StageCounts()).add(counts)
    return figures
