"""The day's agenda of a viewer: follow-ups due today or overdue, today's viewings, leads that turned hot today.

"Today" is the viewer's own day, midnight to midnight in their zone. Overdue means due before now, as the
team bot's "My clients" has it, so the bot and the dashboard show the same two lists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import Temperature
from agent.core.zones import zone_of
from agent.services.dashboard.agenda_actions import AgendaRefused
from agent.services.dashboard.agenda_items import (
    FollowUpItem,
    HotLead,
    ViewingItem,
    follow_ups,
    lead_label,
    viewings_between,
)
from agent.services.team.base import TeamPart
from agent.services.web_access import Viewer, audit_refusal, visible_leads
from storage.models import Lead, LeadAlert, RepStatus, SalesRepresentative, ViewingStatus

HOT = (Temperature.HOT.value, Temperature.BURNING.value)
HOT_LIMIT = 20


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[midnight, next midnight) of `day` on the wall clock of `zone` (23 or 25 hours across a DST change)."""
    start = datetime.combine(day, time(0), zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), zone)


@dataclass(frozen=True)
class Today:
    day: date
    time_zone: str
    overdue: tuple[FollowUpItem, ...]
    due_today: tuple[FollowUpItem, ...]
    viewings: tuple[ViewingItem, ...]
    hot_leads: tuple[HotLead, ...]


WEEK = 7
EDGE = timedelta(hours=14)
"""The widest offset from UTC: a window this much wider holds every zone's days of the week."""
WEEK_LIMIT = 500


@dataclass(frozen=True)
class AgendaDay:
    day: date
    viewings: tuple[ViewingItem, ...]


@dataclass(frozen=True)
class Week:
    """Seven days of viewings from `first_day`, each viewing on its rep's clock."""

    first_day: date
    time_zone: str
    """The zone the days are counted in: the chosen rep's, else the viewer's."""
    rep_id: uuid.UUID | None
    """The rep shown; None: every rep the viewer may see."""
    days: tuple[AgendaDay, ...]
    reps: tuple[tuple[uuid.UUID, str], ...]
    """The agency's active reps an admin can pick from (empty for a rep)."""

    @property
    def previous(self) -> date:
        return self.first_day - timedelta(days=WEEK)

    @property
    def next(self) -> date:
        return self.first_day + timedelta(days=WEEK)


class Agenda(TeamPart):
    """What a viewer has on today, scoped to what they may see."""

    async def today(self, viewer: Viewer) -> Today:
        now = self.clock.now()
        zone = zone_of(viewer.time_zone)
        day = now.astimezone(zone).date()
        start, end = day_bounds(day, zone)
        async with self.database.session() as session:
            items = await follow_ups(session, viewer, until=end)
            viewings = await viewings_between(session, viewer, start, end)
            hot = await _turned_hot(session, viewer, start, end)
        return Today(
            day=day,
            time_zone=zone.key,
            overdue=tuple(item for item in items if item.due_at < now),
            due_today=tuple(item for item in items if item.due_at >= now),
            viewings=tuple(v for v in viewings if v.status != ViewingStatus.CANCELLED),
            hot_leads=hot,
        )

    async def week(
        self, viewer: Viewer, *, rep_id: uuid.UUID | None = None, first_day: date | None = None
    ) -> Week:
        """The viewings agenda: a rep's own; an admin's pick of rep, or everyone's. Another rep is refused."""
        async with self.database.session() as session:
            zone_name = viewer.time_zone
            if rep_id is not None and rep_id != viewer.rep_id:
                rep = await _rep_in_agency(session, viewer, rep_id) if viewer.sees_whole_agency else None
                if rep is None:
                    await audit_refusal(
                        self.database, self.clock, viewer, "viewings.view", f"rep:{rep_id}", "not_visible"
                    )
                    raise AgendaRefused(f"rep {rep_id}")
                zone_name = rep.time_zone or viewer.time_zone
            zone = zone_of(zone_name)
            first = first_day or self.clock.now().astimezone(zone).date()
            start, _ = day_bounds(first, zone)
            _, end = day_bounds(first + timedelta(days=WEEK - 1), zone)
            found = await viewings_between(
                session, viewer, start - EDGE, end + EDGE, rep_id=rep_id, limit=WEEK_LIMIT
            )
            reps = await _active_reps(session, viewer) if viewer.sees_whole_agency else ()
        by_day: dict[date, list[ViewingItem]] = {first + timedelta(days=n): [] for n in range(WEEK)}
        for item in found:  # grouped on the week's own clock, so nothing near midnight falls between weeks
            local_day = item.starts_at.astimezone(zone).date()
            if local_day in by_day:
                by_day[local_day].append(item)
        return Week(
            first_day=first,
            time_zone=zone.key,
            rep_id=rep_id,
            days=tuple(AgendaDay(day, tuple(items)) for day, items in by_day.items()),
            reps=reps,
        )


async def _rep_in_agency(
    session: AsyncSession, viewer: Viewer, rep_id: uuid.UUID
) -> SalesRepresentative | None:
    query = select(SalesRepresentative).where(
        SalesRepresentative.id == rep_id, SalesRepresentative.tenant_id == viewer.tenant_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _active_reps(session: AsyncSession, viewer: Viewer) -> tuple[tuple[uuid.UUID, str], ...]:
    query = (
        select(SalesRepresentative.id, SalesRepresentative.name)
        .where(
            SalesRepresentative.tenant_id == viewer.tenant_id,
            SalesRepresentative.status == RepStatus.ACTIVE,
        )
        .order_by(SalesRepresentative.name, SalesRepresentative.id)
    )
    return tuple((rep_id, name) for rep_id, name in (await session.execute(query)).tuples())


async def _turned_hot(
    session: AsyncSession, viewer: Viewer, start: datetime, end: datetime
) -> tuple[HotLead, ...]:
    """Leads with a hot-lead alert raised today (a phone given, burning) that are hot or burning now."""
    query = (
        select(Lead, LeadAlert.kind, LeadAlert.created_at)
        .join(LeadAlert, LeadAlert.lead_id == Lead.id)
        .where(
            visible_leads(viewer),
            LeadAlert.tenant_id == viewer.tenant_id,
            LeadAlert.created_at >= start,
            LeadAlert.created_at < end,
            Lead.temperature.in_(HOT),
        )
        .order_by(Lead.lead_score.desc(), Lead.id, LeadAlert.created_at)
        .limit(HOT_LIMIT * 3)
    )
    seen: dict[int, HotLead] = {}
    for lead, kind, at in (await session.execute(query)).tuples():
        if lead.id not in seen and len(seen) < HOT_LIMIT:
            seen[lead.id] = HotLead(
                lead_id=lead.id,
                name=lead_label(lead.id, lead.name, lead.telegram_username),
                score=lead.lead_score,
                temperature=lead.temperature,
                alert=kind,
                alerted_at=at,
                phone=lead.phone,
            )
    return tuple(seen.values())
