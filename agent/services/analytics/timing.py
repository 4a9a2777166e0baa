"""How fast leads hear back, and how fast reps act on hot alerts (medians and 90th percentiles, in seconds).

First reply: for each lead that arrived in the period, from its first inbound interaction to the first
outbound one at or after it (the bot's or a rep's). Rep reaction: for each hot alert delivered in the period,
from `lead_alerts.delivered_at` to the first thing the lead's rep did on that lead after it: a `rep_action`
interaction (team bot) or an allowed audit row of that rep with target "lead:<id>" (web app, API). Alerts no
rep acted on yet are counted apart, not in the percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE

from agent.services.analytics.scope import Scope
from storage.enums import Direction
from storage.models import AuditLog, Lead, LeadAlert, LeadInteraction, SalesRepresentative

REP_ACTION = "rep_action"


@dataclass(frozen=True)
class Delays:
    """Median and 90th percentile of `measured` delays (seconds; None when nothing was measured)."""

    measured: int
    waiting: int
    """Events with no answer yet."""
    median: float | None
    p90: float | None


def _seconds(later: ColumnElement[datetime], earlier: ColumnElement[datetime]) -> ColumnElement[float]:
    return func.extract("epoch", later - earlier).cast(Float)


async def _delays(session: AsyncSession, pairs: CTE) -> Delays:
    """Count, waiting and percentiles over a subquery's (started, answered) pairs."""
    started, answered = pairs.c.started, pairs.c.answered
    seconds = _seconds(answered, started)
    row = (
        await session.execute(
            select(
                func.count(answered),
                func.count() - func.count(answered),
                func.percentile_cont(0.5).within_group(seconds),
                func.percentile_cont(0.9).within_group(seconds),
            ).select_from(pairs)
        )
    ).one()
    return Delays(
        measured=int(row[0]),
        waiting=int(row[1]),
        median=None if row[2] is None else float(row[2]),
        p90=None if row[3] is None else float(row[3]),
    )


async def first_reply(session: AsyncSession, scope: Scope) -> Delays:
    """From a lead's first inbound message to the first outbound one after it."""
    # Two index probes a lead (lead_id, direction, created_at): no scan of its whole conversation.
    first_in = (
        select(LeadInteraction.created_at)
        .where(LeadInteraction.lead_id == Lead.id, LeadInteraction.direction == Direction.INBOUND)
        .order_by(LeadInteraction.created_at)
        .limit(1)
        .scalar_subquery()
    )
    started = (
        select(Lead.id.label("lead_id"), first_in.label("at"))
        .where(scope.cohort())
        .cte("first_messages")
        .prefix_with("MATERIALIZED")
    )
    first_out = (
        select(LeadInteraction.created_at)
        .where(
            LeadInteraction.lead_id == started.c.lead_id,
            LeadInteraction.direction == Direction.OUTBOUND,
            LeadInteraction.created_at >= started.c.at,
        )
        .order_by(LeadInteraction.created_at)
        .limit(1)
        .scalar_subquery()
    )
    pairs = (
        select(started.c.at.label("started"), first_out.label("answered"))
        .where(started.c.at.is_not(None))
        .cte("first_replies")
        .prefix_with("MATERIALIZED")  # each probe once, not once per use of the column
    )
    return await _delays(session, pairs)


async def rep_reaction(session: AsyncSession, scope: Scope) -> Delays:
    """From a hot alert's delivery to the lead's rep's first action on that lead."""
    period = scope.period
    acted_in_bot = (
        select(func.min(LeadInteraction.created_at))
        .where(
            LeadInteraction.lead_id == LeadAlert.lead_id,
            LeadInteraction.type == REP_ACTION,
            LeadInteraction.created_at >= LeadAlert.delivered_at,
        )
        .scalar_subquery()
    )
    acted_on_web = (
        select(func.min(AuditLog.created_at))
        .where(
            AuditLog.target == func.concat(literal("lead:"), LeadAlert.lead_id),
            AuditLog.tenant_id == Lead.tenant_id,
            AuditLog.actor_telegram_id == SalesRepresentative.telegram_id,
            AuditLog.allowed.is_(True),
            AuditLog.created_at >= LeadAlert.delivered_at,
        )
        .scalar_subquery()
    )
    pairs = (
        select(
            LeadAlert.delivered_at.label("started"),
            func.least(acted_in_bot, acted_on_web).label("answered"),
        )
        .join(Lead, Lead.id == LeadAlert.lead_id)
        .outerjoin(SalesRepresentative, SalesRepresentative.id == Lead.assigned_rep_id)
        .where(
            scope.leads(),
            LeadAlert.tenant_id == scope.viewer.tenant_id,
            LeadAlert.delivered_at >= period.start,
            LeadAlert.delivered_at < period.end,
        )
        .cte("reactions")
        .prefix_with("MATERIALIZED")
    )
    return await _delays(session, pairs)
