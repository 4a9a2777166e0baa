"""One analytics report for a viewer: every figure of the page and the API, read in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from agent.core.clock import Clock
from agent.services.analytics.channels import ChannelFigures, channel_figures
from agent.services.analytics.followups import GhostFigures, StepRate, ghost_figures, step_rates
from agent.services.analytics.funnel import FunnelFigures, funnel_figures
from agent.services.analytics.period import DEFAULT_DAYS, MAX_DAYS, Period, period_ending
from agent.services.analytics.scope import Scope
from agent.services.analytics.timing import Delays, first_reply, rep_reaction
from agent.services.analytics_facts.refresh import consolidated_at
from agent.services.web_access import Viewer
from storage.db import Database
from storage.enums import RepStatus
from storage.models import SalesRepresentative


class NotYourRep(Exception):
    """A rep asked for another rep's numbers, or an admin for a rep of another agency."""


@dataclass(frozen=True)
class RepChoice:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class AnalyticsReport:
    period: Period
    rep: RepChoice | None
    """Whose numbers: one rep, or None for the whole agency."""
    reps: list[RepChoice]
    """Who an admin may pick (empty for a rep)."""
    funnel: FunnelFigures
    channels: list[ChannelFigures]
    first_reply: Delays
    rep_reaction: Delays
    steps: list[StepRate]
    ghost: GhostFigures
    consolidated_at: datetime | None
    """When the agency's stored figures were last consolidated (later changes are counted live); None: never."""


async def analytics_report(
    database: Database,
    clock: Clock,
    viewer: Viewer,
    *,
    days: int = DEFAULT_DAYS,
    rep_id: uuid.UUID | None = None,
) -> AnalyticsReport:
    """The report of the last `days` days (1 to MAX_DAYS) for the viewer: a rep their own, an admin the
    agency's or one rep's. Raises NotYourRep when the rep asked for is not theirs to see."""
    period = period_ending(clock.now(), viewer.time_zone, max(1, min(days, MAX_DAYS)))
    async with database.session() as session:
        # Plans for these dates, not a generic plan: after five runs asyncpg's prepared statements would get one
        # that knows neither the period nor the daily window, and reads three times the rows. (= SET LOCAL)
        await session.execute(select(func.set_config("plan_cache_mode", "force_custom_plan", True)))
        reps = [
            RepChoice(rep_id_, name)
            for rep_id_, name in await session.execute(
                select(SalesRepresentative.id, SalesRepresentative.name)
                .where(
                    SalesRepresentative.tenant_id == viewer.tenant_id,
                    SalesRepresentative.status == RepStatus.ACTIVE,
                )
                .order_by(SalesRepresentative.name)
            )
        ]
        if not viewer.sees_whole_agency:
            if rep_id not in (None, viewer.rep_id):
                raise NotYourRep(str(rep_id))
            rep_id = viewer.rep_id
        elif rep_id is not None and rep_id not in {r.id for r in reps}:
            raise NotYourRep(str(rep_id))
        scope = Scope(viewer, rep_id, period)
        return AnalyticsReport(
            period=period,
            rep=next((r for r in reps if r.id == rep_id), None),
            reps=reps if viewer.sees_whole_agency else [],
            funnel=await funnel_figures(session, scope),
            channels=await channel_figures(session, scope),
            first_reply=await first_reply(session, scope),
            rep_reaction=await rep_reaction(session, scope),
            steps=await step_rates(session, scope),
            ghost=await ghost_figures(session, scope),
            consolidated_at=await consolidated_at(session, viewer.tenant_id),
        )
