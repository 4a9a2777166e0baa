"""The calendar behind `book_viewing`: find a free slot of an active rep and hold it, never twice.

`CalendarBackend` is the seam for real calendars (Google free/busy and events, Zoom links): a backend
adds the rep's outside commitments and publishes the booked viewing. `InternalCalendar`, the embedded
default, has nothing to add: our own viewings are the whole calendar. Double-booking is impossible
either way: a viewing and its `viewing_blocks` rows are inserted together under their primary key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.slots import (
    DEFAULT_WORKING_HOURS,
    SEARCH_DAYS,
    VIEWING_MINUTES,
    InvalidWorkingHours,
    WorkingHours,
    blocks_of,
    earliest_start,
    free_slots,
    is_free,
    parse_working_hours,
    pick_options,
    within_hours,
)
from agent.services.calendars import reminders
from agent.services.calendars.service import CalendarEvent, calendar_for_tenant
from agent.services.integrations import events as integration_events
from agent.services.leads import candidate_reps, zone_of
from agent.services.provider import Services
from storage.models import (
    BLOCK_MINUTES,
    Lead,
    LeadStatus,
    Property,
    SalesRepresentative,
    Tenant,
    Viewing,
    ViewingStatus,
)
from storage.repositories.leads import LeadRepository
from storage.repositories.viewings import SlotTaken, ViewingRepository

log = logging.getLogger(__name__)

PROPOSAL_NOON = time(12, 0)
"""A day without a time is searched around its noon."""
PROPOSAL_ALTERNATIVES = 2
"""Other free times of the day named beside a proposal ("I also have 12:00 and 14:00")."""


class CalendarBackend(Protocol):
    async def busy(
        self, rep: SalesRepresentative, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The rep's commitments outside our viewings in [start, end), as (start, end) pairs."""
        ...

    async def publish(
        self, viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None
    ) -> CalendarEvent:
        """Put the booked viewing on the rep's calendar (and make a meeting link if it is online)."""
        ...


class InternalCalendar:
    """The embedded default: no outside commitments, no events, no meeting links."""

    async def busy(
        self, rep: SalesRepresentative, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        return []

    async def publish(
        self, viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None
    ) -> CalendarEvent:
        return CalendarEvent()


def calendar_for(services: Services, tenant: Tenant) -> CalendarBackend:
    """The tenant's calendar backend: Google for connected reps, the internal calendar otherwise."""
    return calendar_for_tenant(services, tenant)


@dataclass(frozen=True)
class Booked:
    viewing: Viewing
    rep: SalesRepresentative


@dataclass(frozen=True)
class NeedsTime:
    options: list[datetime]
    """Free slot starts (UTC) to offer, in time order."""


@dataclass(frozen=True)
class Proposed:
    """The lead chose a day without a time: its first free time (or the one nearest the time they keep)."""

    proposal: datetime
    alternatives: list[datetime]
    """One or two other free starts that day (UTC), in time order."""


@dataclass(frozen=True)
class DayOff:
    """No rep works on the day the lead chose; the nearest days someone does, each with its first free time."""

    day: date
    nearest: list[datetime]


@dataclass(frozen=True)
class Unavailable:
    reason: str
    """no_rep | no_free_slot | listing_unavailable"""


@dataclass
class _RepCalendar:
    rep: SalesRepresentative
    hours: WorkingHours
    zone: ZoneInfo
    busy: set[datetime]


async def book_slot(
    session: AsyncSession,
    *,
    lead: Lead,
    tenant: Tenant,
    listing: Property,
    wanted: datetime | None,
    near: datetime | None = None,
    day: date | None = None,
    prefer: datetime | None = None,
    online: bool,
    now: datetime,
    calendar: CalendarBackend,
) -> Booked | Proposed | DayOff | NeedsTime | Unavailable:
    """Book `wanted` with the first candidate rep free then; or, for a `day` the lead chose, propose its free
    time nearest `prefer` (else its first); or offer free times around `near` (or soonest)."""
    zone = zone_of(tenant.time_zone)
    near = near or wanted or prefer
    if near is None and day is not None:
        near = datetime.combine(day, PROPOSAL_NOON, tzinfo=zone).astimezone(UTC)
    reps = await candidate_reps(session, lead, now)
    if not reps:
        return Unavailable("no_rep")
    earliest = earliest_start(now)
    window_start = max(earliest, (near or earliest) - timedelta(days=SEARCH_DAYS // 2))
    window_end = window_start + timedelta(days=SEARCH_DAYS)
    calendars = await _rep_calendars(session, reps, tenant, calendar, window_start, window_end)
    viewings = ViewingRepository(session)

    if day is not None and not any(entry.hours.on(day) for entry in calendars):
        free_days = _free(calendars, window_start, window_end)
        return DayOff(day, _nearest_days(free_days, day, zone))

    if wanted is not None and wanted >= earliest and _aligned(wanted):
        for entry in calendars:
            if not (within_hours(entry.hours, entry.zone, wanted) and is_free(wanted, entry.busy)):
                continue
            viewing = Viewing(
                tenant_id=tenant.id,
                lead_id=lead.id,
                property_id=listing.id,
                rep_id=entry.rep.id,
                starts_at=wanted,
                ends_at=wanted + timedelta(minutes=VIEWING_MINUTES),
                time_zone=tenant.time_zone,
                status=ViewingStatus.SCHEDULED.value,
                online=online,
                created_at=now,
                updated_at=now,
                extra={},
            )
            try:
                await viewings.book(viewing, blocks_of(wanted))
            except SlotTaken:
                log.info("lead %s: %s taken for rep %s meanwhile", lead.id, wanted.isoformat(), entry.rep.id)
                entry.busy.update(blocks_of(wanted))
                continue
            await _after_booking(session, viewing, entry.rep, lead, listing, now, calendar)
            return Booked(viewing, entry.rep)

    free = _free(calendars, window_start, window_end)
    if not free:
        return Unavailable("no_free_slot")
    if day is not None and wanted is None:
        that_day = [slot for slot in free if slot.astimezone(zone).date() == day]
        if that_day:
            proposal = min(that_day, key=lambda slot: (abs(slot - prefer), slot)) if prefer else that_day[0]
            others = pick_options(that_day, near=proposal, count=PROPOSAL_ALTERNATIVES + 1)
            return Proposed(proposal, [slot for slot in others if slot != proposal][:PROPOSAL_ALTERNATIVES])
    return NeedsTime(pick_options(free, near=near))


def _free(calendars: list[_RepCalendar], start: datetime, end: datetime) -> list[datetime]:
    free: set[datetime] = set()
    for entry in calendars:
        free.update(free_slots(entry.hours, entry.zone, entry.busy, start, end))
    return sorted(free)


def _nearest_days(free: list[datetime], day: date, zone: ZoneInfo) -> list[datetime]:
    """The first free time of the nearest working day before `day` and of the nearest one after it."""
    firsts: dict[date, datetime] = {}
    for slot in free:
        firsts.setdefault(slot.astimezone(zone).date(), slot)
    before = [d for d in firsts if d < day]
    after = [d for d in firsts if d > day]
    chosen = ([max(before)] if before else []) + ([min(after)] if after else [])
    return [firsts[d] for d in chosen]


async def _rep_calendars(
    session: AsyncSession,
    reps: list[SalesRepresentative],
    tenant: Tenant,
    calendar: CalendarBackend,
    start: datetime,
    end: datetime,
) -> list[_RepCalendar]:
    taken = await ViewingRepository(session).busy_blocks(
        [rep.id for rep in reps], start - timedelta(hours=2), end
    )
    calendars = []
    for rep in reps:
        try:
            hours = parse_working_hours(rep.working_hours)
        except InvalidWorkingHours as exc:
            log.warning("rep %s: unreadable working hours (%s), using the default", rep.id, exc)
            hours = DEFAULT_WORKING_HOURS
        busy = {block for rep_id, block in taken if rep_id == rep.id}
        for busy_start, busy_end in await calendar.busy(rep, start, end):
            minutes = max(1, int((busy_end - busy_start).total_seconds() // 60))
            busy.update(blocks_of(busy_start, minutes))
        calendars.append(_RepCalendar(rep, hours, zone_of(rep.time_zone or tenant.time_zone), busy))
    return calendars


def _aligned(when: datetime) -> bool:
    return when.second == 0 and when.microsecond == 0 and when.astimezone(UTC).minute % BLOCK_MINUTES == 0


async def _after_booking(
    session: AsyncSession,
    viewing: Viewing,
    rep: SalesRepresentative,
    lead: Lead,
    listing: Property,
    now: datetime,
    calendar: CalendarBackend,
) -> None:
    event = await calendar.publish(viewing, rep, lead, listing)
    viewing.calendar_event_id = event.event_id
    viewing.meeting_link = event.meeting_link
    viewing.meeting_provider = event.provider
    viewing.meeting_id = event.meeting_id
    if lead.assigned_rep_id is None:
        lead.assigned_rep_id = rep.id
    previous = lead.status
    if lead.status not in (LeadStatus.WON, LeadStatus.LOST):
        lead.status = LeadStatus.VIEWING_SCHEDULED.value
    await integration_events.record_event(
        session,
        tenant_id=lead.tenant_id,
        kind=integration_events.EventKind.VIEWING_BOOKED,
        data=integration_events.viewing_data(viewing),
        now=now,
    )
    await integration_events.lead_status_changed(session, lead, previous, now)
    await LeadRepository(session).add_interaction(
        lead,
        type="viewing_booked",
        direction="outbound",
        now=now,
        meta={
            "viewing_id": viewing.id,
            "property_id": viewing.property_id,
            "starts_at": viewing.starts_at.isoformat(),
        },
    )
    await session.flush()
    await reminders.schedule(session, viewing, lead=lead, rep=rep, listing=listing, now=now)
