"""The booking backend behind `book_viewing`, `reschedule_viewing` and `cancel_viewing`.

`ProviderCalendar` is the `CalendarBackend` of `tools.calendar`: a rep with a connected Google Calendar
gets their free/busy respected and a real event (the lead invited when their e-mail is known); any other
rep, or one whose grant Google refuses mid-booking, uses the internal calendar: the viewing rows are the
calendar and the .ics invitation goes to both sides. Online viewings get a meeting link from the tenant's
provider (Zoom, Google Meet or none). The database stays the judge of double-booking either way: a viewing
holds `viewing_blocks` rows under a primary key, whatever the providers say.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.calendars import CalendarProviders
from agent.adapters.google import (
    EventDraft,
    GoogleCalendar,
    GoogleCalendarError,
    ReconnectRequired,
)
from agent.adapters.ics import Invitation, Method, Person, build_ics, viewing_uid
from agent.adapters.zoom import MeetingRequest, ZoomError
from agent.core.availability import Interval, RepHours, free_slots, merge, subtract
from agent.core.clock import Clock
from agent.core.policies.slots import (
    SEARCH_DAYS,
    SLOT_STEP_MINUTES,
    InvalidWorkingHours,
    blocks_of,
    earliest_start,
    pick_options,
)
from agent.services.calendars import connection
from agent.services.integrations import events as integration_events
from agent.services.leads import qualification_status, zone_of
from agent.services.provider import Services
from prompts.calendar import say
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
from storage.repositories.viewings import SlotTaken, ViewingRepository

if TYPE_CHECKING:
    from agent.settings import Settings

log = logging.getLogger(__name__)


class MeetingProvider(StrEnum):
    ZOOM = "zoom"
    GOOGLE_MEET = "google_meet"
    NONE = "none"


class CalendarKind(StrEnum):
    GOOGLE = "google"
    INTERNAL = "internal"


@dataclass(frozen=True)
class CalendarEvent:
    """What a backend made of a booked viewing."""

    event_id: str | None = None
    meeting_link: str | None = None
    provider: str | None = None
    meeting_id: str | None = None


class ProviderCalendar:
    """Google Calendar for connected reps, the internal calendar for the others; meeting links per tenant.

    One per booking attempt (it remembers which reps lost their Google grant during it, so the rep can be
    told to reconnect once the booking is committed).
    """

    def __init__(
        self, *, settings: Settings, tenant: Tenant, providers: CalendarProviders, clock: Clock
    ) -> None:
        self.settings = settings
        self.tenant = tenant
        self.providers = providers
        self.clock = clock
        self.disconnected: list[SalesRepresentative] = []
        """Reps whose Google grant was refused during this attempt; they must be asked to reconnect."""

    # --- the CalendarBackend seam ---

    async def busy(
        self, rep: SalesRepresentative, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The rep's Google busy blocks; none for the internal calendar, or when Google cannot tell us."""
        calendar = self._google(rep)
        if calendar is None:
            return []
        try:
            blocks = await calendar.busy(start, end)
        except ReconnectRequired as exc:
            self._lost_grant(rep, exc)
            return []
        except GoogleCalendarError as exc:
            log.warning("rep %s: free/busy unavailable (%s); booking on our own viewings only", rep.id, exc)
            return []
        finally:
            connection.store_token(rep, calendar, self.settings)
        return [(block.start, block.end) for block in blocks]

    async def publish(
        self, viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None
    ) -> CalendarEvent:
        """Make the meeting (online viewings), then the Google event; the internal calendar needs neither."""
        meeting = await self._create_meeting(viewing, rep, lead, listing)
        link = meeting.meeting_link if meeting else None
        event_id, meet_link = None, None
        calendar = self._google(rep)
        if calendar is not None:
            wants_meet = (
                viewing.online and self._provider() is MeetingProvider.GOOGLE_MEET and meeting is None
            )
            draft = self._draft(viewing, rep, lead, listing, link, google_meet=wants_meet)
            try:
                event = await calendar.insert_event(draft)
                event_id, meet_link = event.id, event.meet_link
            except ReconnectRequired as exc:
                self._lost_grant(rep, exc)
            except GoogleCalendarError as exc:
                log.warning("viewing %s: Google event not created (%s); internal calendar", viewing.id, exc)
            finally:
                connection.store_token(rep, calendar, self.settings)
        kind = CalendarKind.GOOGLE if event_id else CalendarKind.INTERNAL
        viewing.extra = {**(viewing.extra or {}), "calendar": kind.value, "revision": 0}
        if rep in self.disconnected:
            viewing.extra["calendar_problem"] = "reconnect"  # the booking notice asks the rep to reconnect
        if meet_link and not link:
            return CalendarEvent(event_id, meet_link, MeetingProvider.GOOGLE_MEET.value, event_id)
        if meeting is not None:
            return CalendarEvent(event_id, meeting.meeting_link, meeting.provider, meeting.meeting_id)
        return CalendarEvent(event_id=event_id)

    # --- changes ---

    async def move(
        self, viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None
    ) -> bool:
        """After the viewing's rows moved: move its Google event and meeting too (failures leave a log line);
        whether every outside copy it has was updated."""
        done = True
        viewing.extra = {**(viewing.extra or {}), "revision": revision_of(viewing) + 1}
        if viewing.meeting_provider == MeetingProvider.ZOOM and viewing.meeting_id and self.providers.zoom:
            try:
                await self.providers.zoom.update_meeting(
                    viewing.meeting_id, self._meeting_request(viewing, rep, lead, listing)
                )
            except ZoomError as exc:
                log.warning("viewing %s: Zoom meeting %s not moved (%s)", viewing.id, viewing.meeting_id, exc)
                done = False
        if not viewing.calendar_event_id:
            return done
        calendar = self._google(rep)
        if calendar is None:
            return done
        try:
            await calendar.patch_event(
                viewing.calendar_event_id, self._draft(viewing, rep, lead, listing, viewing.meeting_link)
            )
        except ReconnectRequired as exc:
            self._lost_grant(rep, exc)
            viewing.extra = {**viewing.extra, "calendar": CalendarKind.INTERNAL.value}
            done = False
        except GoogleCalendarError as exc:
            log.warning(
                "viewing %s: Google event %s not moved (%s)", viewing.id, viewing.calendar_event_id, exc
            )
            done = False
        finally:
            connection.store_token(rep, calendar, self.settings)
        return done

    async def withdraw(self, viewing: Viewing, rep: SalesRepresentative | None) -> None:
        """After a cancel: delete the Google event (guests are told) and the Zoom meeting."""
        viewing.extra = {**(viewing.extra or {}), "revision": revision_of(viewing) + 1}
        if viewing.meeting_provider == MeetingProvider.ZOOM and viewing.meeting_id and self.providers.zoom:
            try:
                await self.providers.zoom.delete_meeting(viewing.meeting_id)
            except ZoomError as exc:
                log.warning(
                    "viewing %s: Zoom meeting %s not deleted (%s)", viewing.id, viewing.meeting_id, exc
                )
        calendar = self._google(rep) if rep is not None and viewing.calendar_event_id else None
        if calendar is None or rep is None or not viewing.calendar_event_id:
            return
        try:
            await calendar.delete_event(viewing.calendar_event_id)
        except ReconnectRequired as exc:
            self._lost_grant(rep, exc)
        except GoogleCalendarError as exc:
            log.warning(
                "viewing %s: Google event %s not deleted (%s)", viewing.id, viewing.calendar_event_id, exc
            )
        finally:
            connection.store_token(rep, calendar, self.settings)

    # --- internals ---

    def _google(self, rep: SalesRepresentative) -> GoogleCalendar | None:
        if not rep.calendar_connected:
            return None
        return connection.open_calendar(rep, settings=self.settings, transport=self.providers.google)

    def _lost_grant(self, rep: SalesRepresentative, error: Exception) -> None:
        log.warning(
            "rep %s: Google refused the calendar grant (%s); internal calendar until they reconnect",
            rep.id,
            error,
        )
        connection.mark_disconnected(rep)
        if rep not in self.disconnected:
            self.disconnected.append(rep)

    def _provider(self) -> MeetingProvider:
        try:
            return MeetingProvider(self.tenant.meeting_provider)
        except ValueError:
            return MeetingProvider.NONE

    async def _create_meeting(
        self, viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None
    ) -> CalendarEvent | None:
        """A Zoom meeting for an online viewing when the tenant uses Zoom, or uses Meet but has no Google here."""
        provider = self._provider()
        zoom = self.providers.zoom
        if not viewing.online or provider is MeetingProvider.NONE or zoom is None:
            return None
        if provider is MeetingProvider.GOOGLE_MEET and self._google(rep) is not None:
            return None  # Meet comes with the Google event
        try:
            meeting = await zoom.create_meeting(
                self._meeting_request(viewing, rep, lead, listing),
                rep_name=rep.name,
                rep_zoom_user_id=rep.zoom_user_id,
            )
        except ZoomError as exc:
            log.warning("viewing %s: no Zoom meeting (%s)", viewing.id, exc)
            return None
        return CalendarEvent(
            meeting_link=meeting.join_url, provider=MeetingProvider.ZOOM.value, meeting_id=meeting.id
        )

    def _meeting_request(
        self, viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None
    ) -> MeetingRequest:
        return MeetingRequest(
            topic=say(
                "event_summary", rep.language, title=title_of(listing, rep.language), lead=lead_name(lead)
            ),
            starts_at=viewing.starts_at,
            duration=viewing.ends_at - viewing.starts_at,
            time_zone=rep.time_zone or self.tenant.time_zone,
            agenda=event_description(viewing, rep, lead, listing, None),
        )

    def _draft(
        self,
        viewing: Viewing,
        rep: SalesRepresentative,
        lead: Lead,
        listing: Property | None,
        link: str | None,
        *,
        google_meet: bool = False,
    ) -> EventDraft:
        return EventDraft(
            summary=say(
                "event_summary", rep.language, title=title_of(listing, rep.language), lead=lead_name(lead)
            ),
            description=event_description(viewing, rep, lead, listing, link),
            starts_at=viewing.starts_at,
            ends_at=viewing.ends_at,
            time_zone=zone_of(rep.time_zone or self.tenant.time_zone).key,
            location=(listing.address or listing.location) if listing and not viewing.online else link,
            attendees=((lead.email, lead.name),) if lead.email else (),
            google_meet=google_meet,
            key=f"{self.tenant.slug}:viewing:{viewing.id}",
        )


def calendar_for_tenant(services: Services, tenant: Tenant) -> ProviderCalendar:
    """The calendar backend of one tenant for one booking attempt."""
    return ProviderCalendar(
        settings=services.settings,
        tenant=tenant,
        providers=services.calendars,
        clock=services.clock,
    )


# --- What a viewing says about itself ------------------------------------------------------------------


def revision_of(viewing: Viewing) -> int:
    """How many times the viewing changed since booking (the .ics SEQUENCE, the reminders' generation)."""
    value = (viewing.extra or {}).get("revision", 0)
    return value if isinstance(value, int) else 0


def calendar_kind(viewing: Viewing) -> CalendarKind:
    return (
        CalendarKind.GOOGLE
        if (viewing.extra or {}).get("calendar") == CalendarKind.GOOGLE
        else CalendarKind.INTERNAL
    )


def title_of(listing: Property | None, language: str | None) -> str:
    return listing.title if listing else say("a_property", language)


def lead_name(lead: Lead) -> str:
    return lead.name or (f"@{lead.telegram_username}" if lead.telegram_username else f"#{lead.id}")


def event_description(
    viewing: Viewing, rep: SalesRepresentative, lead: Lead, listing: Property | None, link: str | None
) -> str:
    """Property, address and link; how to reach the lead; the video link of an online viewing."""
    lines: list[str] = []
    if listing is not None:
        lines.append(listing.title)
        lines.append(listing.address or listing.location)
        url = (listing.extra or {}).get("url")
        if isinstance(url, str) and url:
            lines.append(url)
    contact = [
        part
        for part in (lead.phone, lead.email, f"@{lead.telegram_username}" if lead.telegram_username else None)
        if part
    ]
    lines.append(f"{lead_name(lead)}{' — ' + ', '.join(contact) if contact else ''}")
    if link:
        lines.append(link)
    return "\n".join(lines)


def invitation_for(
    viewing: Viewing,
    *,
    tenant: Tenant,
    rep: SalesRepresentative,
    lead: Lead,
    listing: Property | None,
    zone: str,
) -> Invitation:
    """The .ics invitation of a viewing, shown on `zone`'s clock; SEQUENCE follows the viewing's revision."""
    language = rep.language
    return Invitation(
        uid=viewing_uid(viewing.id, tenant.slug),
        sequence=revision_of(viewing),
        starts_at=viewing.starts_at,
        ends_at=viewing.ends_at,
        zone=zone,
        summary=say("event_summary", language, title=title_of(listing, language), lead=lead_name(lead)),
        description=event_description(viewing, rep, lead, listing, viewing.meeting_link),
        organizer=Person(rep.name, rep.email),
        attendees=(Person(lead_name(lead), lead.email),),
        location=(listing.address or listing.location)
        if listing and not viewing.online
        else viewing.meeting_link,
        url=viewing.meeting_link,
    )


def invitation_ics(invitation: Invitation, *, cancelled: bool, stamp: datetime) -> bytes:
    return build_ics(invitation, Method.CANCEL if cancelled else Method.REQUEST, stamp)


# --- Reschedule and cancel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Moved:
    viewing: Viewing
    rep: SalesRepresentative
    previous_start: datetime


@dataclass(frozen=True)
class MoveOptions:
    options: list[datetime]
    """Free starts (UTC) with the same rep, nearest to what was asked."""


@dataclass(frozen=True)
class Cancelled:
    viewing: Viewing
    rep: SalesRepresentative | None


@dataclass(frozen=True)
class NothingToChange:
    """The lead has no upcoming viewing."""


async def reschedule(
    session: AsyncSession,
    *,
    lead: Lead,
    tenant: Tenant,
    wanted: datetime | None,
    near: datetime | None,
    now: datetime,
    calendar: ProviderCalendar,
    viewing_id: int | None = None,
) -> Moved | MoveOptions | NothingToChange:
    """Move the lead's next viewing to `wanted` with the same rep, or offer that rep's free times near `near`."""
    viewing = await _upcoming(session, tenant, lead, now, viewing_id)
    if viewing is None or viewing.rep_id is None:
        return NothingToChange()
    rep = await session.get(SalesRepresentative, viewing.rep_id)
    if rep is None:
        return NothingToChange()
    duration = viewing.ends_at - viewing.starts_at
    near = near or wanted or viewing.starts_at
    earliest = earliest_start(now)
    window = Interval(
        max(earliest, near - timedelta(days=SEARCH_DAYS // 2)),
        max(earliest, near) + timedelta(days=SEARCH_DAYS),
    )
    slots = await rep_free_slots(
        session, rep, tenant, window, duration, now=now, calendar=calendar, ignore=viewing
    )
    starts = [slot.start for slot in slots]
    if wanted is not None and wanted in starts:
        previous = viewing.starts_at
        try:
            await ViewingRepository(session).move(
                viewing, wanted, wanted + duration, blocks_of(wanted, _minutes(duration))
            )
        except SlotTaken:
            log.info("viewing %s: %s was taken meanwhile", viewing.id, wanted.isoformat())
            starts.remove(wanted)
        else:
            listing = await session.get(Property, viewing.property_id) if viewing.property_id else None
            await calendar.move(viewing, rep, lead, listing)
            await session.flush()
            return Moved(viewing, rep, previous)
    return MoveOptions(pick_options([s for s in starts if s != viewing.starts_at], near=near))


async def cancel(
    session: AsyncSession,
    *,
    lead: Lead,
    tenant: Tenant,
    now: datetime,
    calendar: ProviderCalendar,
    viewing_id: int | None = None,
) -> Cancelled | NothingToChange:
    """Cancel the lead's next viewing: free the rep's time, take it off the providers, resume follow-ups."""
    repo = ViewingRepository(session)
    viewing = await _upcoming(session, tenant, lead, now, viewing_id)
    if viewing is None:
        return NothingToChange()
    rep = await session.get(SalesRepresentative, viewing.rep_id) if viewing.rep_id else None
    await repo.release(viewing, ViewingStatus.CANCELLED.value)
    await calendar.withdraw(viewing, rep)
    await integration_events.record_event(
        session,
        tenant_id=tenant.id,
        kind=integration_events.EventKind.VIEWING_CANCELLED,
        data=integration_events.viewing_data(viewing),
        now=now,
    )
    previous = lead.status
    if lead.status == LeadStatus.VIEWING_SCHEDULED and not await repo.upcoming_for_lead(
        tenant.id, lead.id, now
    ):
        # Back to where the funnel had them, so the Ghost Protocol and the sequences may resume.
        lead.status = (LeadStatus.CONTACT_CAPTURED if lead.phone else qualification_status(lead)).value
    await integration_events.lead_status_changed(session, lead, previous, now)
    await session.flush()
    return Cancelled(viewing, rep)


async def rep_free_slots(
    session: AsyncSession,
    rep: SalesRepresentative,
    tenant: Tenant,
    window: Interval,
    duration: timedelta,
    *,
    now: datetime,
    calendar: ProviderCalendar,
    ignore: Viewing | None = None,
) -> list[Interval]:
    """The rep's free viewing slots in `window`: working hours minus their viewings and Google busy time.

    `ignore` is the viewing being moved: its own time (and its own Google event) does not count as busy.
    """
    zone = zone_of(rep.time_zone or tenant.time_zone)
    try:
        hours = RepHours.of(rep.working_hours or None, zone)
    except InvalidWorkingHours as exc:
        log.warning("rep %s: unreadable working hours (%s), using the default", rep.id, exc)
        hours = RepHours.of(None, zone)
    block = timedelta(minutes=BLOCK_MINUTES)
    taken = await ViewingRepository(session).busy_blocks([rep.id], window.start - duration, window.end)
    busy = [Interval(start, start + block) for _, start in taken]
    busy += [Interval(start, end) for start, end in await calendar.busy(rep, window.start, window.end)]
    merged = merge(busy)
    if ignore is not None:
        merged = subtract(merged, [Interval(ignore.starts_at, ignore.ends_at)])
    return free_slots(
        hours=hours,
        window=window,
        busy=merged,
        duration=duration,
        step=timedelta(minutes=SLOT_STEP_MINUTES),
        not_before=earliest_start(now),
    )


async def _upcoming(
    session: AsyncSession, tenant: Tenant, lead: Lead, now: datetime, viewing_id: int | None
) -> Viewing | None:
    viewings = await ViewingRepository(session).upcoming_for_lead(tenant.id, lead.id, now)
    if viewing_id is not None:
        return next((v for v in viewings if v.id == viewing_id), None)
    return viewings[0] if viewings else None


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)
