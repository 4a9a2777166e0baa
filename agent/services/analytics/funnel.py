"""The funnel of the leads that arrived in the period, by source, deep link and temperature: one statement.

A lead counts at a stage if it reached it or passed it. "Passed" reads the status order
new < qualifying < qualified < contact_captured (= handed_off: a human took over after contact)
< viewing_scheduled < converted, and the facts: a phone means contact captured (and so qualified), a viewing
row (any status) means viewing (and contact and qualified). `lost` leaves the order: a lost lead counts at the
stages its facts prove. Won = converted; lost = lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Integer, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.analytics.scope import Scope
from storage.enums import LeadStatus
from storage.models import Lead, Viewing

STATUS_RANK: dict[str, int] = {
    LeadStatus.NEW: 0,
    LeadStatus.QUALIFYING: 1,
    LeadStatus.QUALIFIED: 2,
    LeadStatus.CONTACT_CAPTURED: 3,
    LeadStatus.HANDED_OFF: 3,
    LeadStatus.VIEWING_SCHEDULED: 4,
    LeadStatus.CONVERTED: 5,
    LeadStatus.LOST: 0,
}
STAGES: tuple[str, ...] = ("new", "qualified", "contact", "viewing", "won", "lost")
UNKNOWN = ""
"""The group of leads with no source (or no deep link)."""


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
    rank = case(STATUS_RANK, value=Lead.status, else_=0)
    has_viewing = exists().where(Viewing.lead_id == Lead.id)
    has_phone = Lead.phone.is_not(None)
    per_lead = (
        select(
            func.coalesce(Lead.source, UNKNOWN).label("source"),
            func.coalesce(Lead.source_code, UNKNOWN).label("code"),
            Lead.temperature.label("temperature"),
            or_(rank >= 2, has_phone, has_viewing).label("qualified"),
            or_(rank >= 3, has_phone, has_viewing).label("contact"),
            or_(rank >= 4, has_viewing).label("viewing"),
            (Lead.status == LeadStatus.CONVERTED).label("won"),
            (Lead.status == LeadStatus.LOST).label("lost"),
        )
        .where(scope.cohort())
        .subquery()
    )
    c = per_lead.c
    rows = await session.execute(
        select(
            c.source,
            c.code,
            c.temperature,
            func.count(),
            *(func.sum(c[stage].cast(Integer)) for stage in STAGES[1:]),
        ).group_by(c.source, c.code, c.temperature)
    )
    return _summed((row[0], row[1], row[2], StageCounts(*(int(n or 0) for n in row[3:]))) for row in rows)


def _summed(groups: Iterable[tuple[str, str, str, StageCounts]]) -> FunnelFigures:
    figures = FunnelFigures()
    for source, code, temperature, counts in groups:
        figures.total.add(counts)
        figures.by_source.setdefault(source, StageCounts()).add(counts)
        if code:
            figures.by_deep_link.setdefault(code, StageCounts()).add(counts)
        figures.by_temperature.setdefault(temperature, StageCounts()).add(counts)
    return figures
