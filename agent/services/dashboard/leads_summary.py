"""The CRM dashboard's summary (`GET /api/v1/leads/dashboard`): counts by temperature, the hottest leads, and
the follow-ups due today or overdue; three index-backed statements whatever the agency's size.

- counts: one GROUP BY over ix_leads_temperature (tenant_id, opted_out, temperature, ...): an index-only scan
  for an agency; a rep's leads come from ix_leads_board_rep (about a thousand rows);
- hot leads: the top of the burning and the hot segments, each a short range of that index (or of the rep's);
- follow-ups: open tasks due before the viewer's midnight, from ix_rep_tasks_open_due (an agency's) or
  ix_rep_tasks_rep_due (a rep's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import Temperature
from agent.core.zones import zone_of
from agent.services.dashboard.leads import BoardFilter, LeadCard, board_page
from agent.services.web_access import Viewer, visible_leads, visible_tasks
from storage.models import Lead, RepTask

HOT_LEADS = 10
TASKS_LIMIT = 200
HOT_TEMPERATURES = (Temperature.BURNING.value, Temperature.HOT.value)


@dataclass(frozen=True)
class DueTask:
    id: int
    lead_id: int | None
    due_at: datetime
    note: str | None


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    """Live (not opted-out) leads by temperature; every temperature is present."""
    hot_leads: tuple[LeadCard, ...]
    today: tuple[DueTask, ...]
    overdue: tuple[DueTask, ...]


def counts_statement(viewer: Viewer) -> Select[*tuple[Any, ...]]:
    """The viewer's live leads by temperature, in one statement."""
    return (
        select(Lead.temperature, func.count())
        .where(visible_leads(viewer), Lead.opted_out.is_(False))
        .group_by(Lead.temperature)
    )


def tasks_statement(viewer: Viewer, before: datetime) -> Select[*tuple[Any, ...]]:
    """The viewer's open follow-up tasks due before `before`, soonest first."""
    return (
        select(RepTask.id, RepTask.lead_id, RepTask.due_at, RepTask.note)
        .where(visible_tasks(viewer), RepTask.done_at.is_(None), RepTask.due_at < before)
        .order_by(RepTask.due_at, RepTask.id)
        .limit(TASKS_LIMIT)
    )


def next_midnight(now: datetime, time_zone: str) -> datetime:
    """The end of the viewer's day."""
    zone = zone_of(time_zone)
    return datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0), zone)


def summary_statements(viewer: Viewer, now: datetime) -> dict[str, Select[*tuple[Any, ...]]]:
    """The counts and tasks statements (the bench's EXPLAIN reads them too)."""
    return {
        "counts": counts_statement(viewer),
        "tasks": tasks_statement(viewer, next_midnight(now, viewer.time_zone)),
    }


async def summary(session: AsyncSession, viewer: Viewer, now: datetime) -> Summary:
    """The viewer's dashboard summary at `now`."""
    rows = (await session.execute(counts_statement(viewer))).tuples()
    found = {temperature: int(count) for temperature, count in rows}
    counts = {t.value: found.get(t.value, 0) for t in Temperature}
    hot: list[LeadCard] = []
    for temperature in HOT_TEMPERATURES:  # burning ones first, then hot, each by score
        page = await board_page(
            session, viewer, BoardFilter(temperature=temperature, opted_out=False), None, HOT_LEADS - len(hot)
        )
        hot.extend(page.leads)
        if len(hot) >= HOT_LEADS:
            break
    tasks = [
        DueTask(id, lead_id, due_at, note)
        for id, lead_id, due_at, note in (
            await session.execute(tasks_statement(viewer, next_midnight(now, viewer.time_zone)))
        ).tuples()
    ]
    return Summary(
        counts=counts,
        hot_leads=tuple(hot[:HOT_LEADS]),
        today=tuple(t for t in tasks if t.due_at >= now),
        overdue=tuple(t for t in tasks if t.due_at < now),
    )
