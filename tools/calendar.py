"""The calendar behind `book_viewing`: find a free slot of an active rep and hold it, never twice.

`CalendarBackend` is the seam for real calendars (Google free/busy and events, Zoom links): a backend
adds the rep's outside commitments and publishes the booked viewing. `InternalCalendar`, the embedded
default, has nothing to add: our own viewings are the whole calendar. Double-booking is impossible
either way: a viewing and its `viewing_blocks` rows are inserted together under their primary key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
    listing: Property | None,
    wanted: datetime | None,
    near: datetime | None = None,
    online: bool,
    now: datetime,
    calendar: CalendarBackend,
) -> Booked | NeedsTime | Unavailable:
    """Book `wanted` with the first candidate rep free then, or offer free times around `near` (or soonest)."""
    near = near or wanted
    reps = await candidate_reps(session, lead, now)
    if not reps:
        return Unavailable("no_rep")
    earliest = earliest_start(now)
    window_start = max(earliest, (near or earliest) - timedelta(days=SEARCH_DAYS // 2))
    window_end = window_start + timedelta(days=SEARCH_DAYS)
    calendars = await _rep_calendars(session, reps, tenant, calendar, window_start, window_end)
    viewings = ViewingRepository(session)

    if wanted is not None and wanted >= earliest and _aligned(wanted):
        for entry in calendars:
            if not (within_hours(entry.hours, entry.zone, wanted) and is_free(wanted, entry.busy)):
                continue
            viewing = Viewing(
                tenant_id=tenant.id,
                lead_id=lead.id,
                property_id=listing.id if listing else None,
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

    free: set[datetime] = set()
    for entry in calendars:
        free.update(free_slots(entry.hours, entry.zone, entry.busy, window_start, window_end))
    if not free:
        return Unavailable("no_free_slot")
    return NeedsTime(pick_options(sorted(free), near=near))


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
    listing: Property | None,
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
    if lead.status not in (LeadStatus.CONVERTED, LeadStatus.LOST):
        lead.status = LeadStatus.VIEWING_SCHEDULED.value
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
