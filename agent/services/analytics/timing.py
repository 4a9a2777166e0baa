"""How fast leads hear back, and how fast reps act on hot alerts (medians and 90th percentiles, in seconds).

First reply: for each lead that arrived in the period, from its first inbound interaction to the first
outbound one at or after it (the bot's or a rep's). Rep reaction: for each hot alert delivered in the period,
from `lead_alerts.delivered_at` to the first thing the lead's rep did on that lead after it: a `rep_action`
interaction (team bot) or an allowed audit row of that rep with target "lead:<id>" (web app, API). Alerts no
rep acted on yet are counted apart, not in the percentiles. What each lead and alert counts as: `facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from agent.services.analytics.scope import Scope
from agent.services.analytics.sources import event_rows, lead_rows
from agent.services.analytics_facts.facts import ALERT


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


async def _delays(session: AsyncSession, pairs: Subquery) -> Delays:
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
    leads = lead_rows(scope)
    pairs = (
        select(leads.c.first_in_at.label("started"), leads.c.first_out_at.label("answered"))
        .where(leads.c.first_in_at.is_not(None))
        .subquery("first_replies")
    )
    return await _delays(session, pairs)


async def rep_reaction(session: AsyncSession, scope: Scope) -> Delays:
    """From a hot alert's delivery to the lead's rep's first action on that lead."""
    alerts = event_rows(scope, ALERT)
    pairs = select(alerts.c.at.label("started"), alerts.c.answered_at.label("answered")).subquery("reactions")
    return await _delays(session, pairs)
