"""`.ics` invitations (RFC 5545 / iTIP) for the embedded calendar: one VEVENT per viewing, built with icalendar
(imported when the first invitation is built).

The UID stays the same for the life of a viewing and SEQUENCE grows with every change, so a calendar app that
imported the first invitation updates that event on a reschedule and removes it on a cancel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Timezone

PRODUCT_ID = "-//realty-agent//viewings//EN"


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Person:
    """Someone on the invitation; an attendee's `email` may be unknown (a lead who only chatted on Telegram)."""

    name: str
    email: str | None = None


@dataclass(frozen=True)
class Invitation:
    """What an invitation says about one viewing."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    zone: str
    """Shown as TZID: each side gets a copy in their own zone."""
    summary: str
    description: str
    organizer: Person
    attendees: tuple[Person, ...] = field(default_factory=tuple)
    location: str | None = None
    url: str | None = None


def viewing_uid(viewing_id: int, tenant_slug: str) -> str:
    """The invitation UID of a viewing, stable across reschedules."""
    return f"viewing-{viewing_id}@{tenant_slug}.realty-agent"


def invitation_filename(viewing_id: int, method: Method) -> str:
    return f"viewing-{viewing_id}{'-cancelled' if method is Method.CANCEL else ''}.ics"


def build_ics(invitation: Invitation, method: Method, stamp: datetime) -> bytes:
    """The .ics file: METHOD:REQUEST for a new or moved viewing, METHOD:CANCEL to take it off calendars."""
    from icalendar import Calendar, Event, vCalAddress
    from icalendar.enums import STATUS

    if not invitation.organizer.email:
        raise ValueError("an invitation needs the organizer's e-mail")
    if stamp.tzinfo is None or invitation.starts_at.tzinfo is None or invitation.ends_at.tzinfo is None:
        raise ValueError("invitation times must be timezone-aware")
    zone = ZoneInfo(invitation.zone)
    organizer = vCalAddress.new(invitation.organizer.email, cn=invitation.organizer.name)
    # The organizer attends too (RFC 5546 lets a client show it), and iTIP wants at least one ATTENDEE.
    attendees = [
        vCalAddress.new(
            invitation.organizer.email, cn=invitation.organizer.name, role="CHAIR", partstat="ACCEPTED"
        )
    ]
    attendees += [
        vCalAddress.new(
            person.email, cn=person.name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
        )
        for person in invitation.attendees
        if person.email
    ]
    event = Event.new(
        uid=invitation.uid,
        sequence=invitation.sequence,
        stamp=stamp,
        start=invitation.starts_at.astimezone(zone),
        end=invitation.ends_at.astimezone(zone),
        summary=invitation.summary,
        description=invitation.description,
        location=invitation.location,
        url=invitation.url,
        organizer=organizer,
        attendees=attendees,
        status=STATUS.CANCELLED if method is Method.CANCEL else STATUS.CONFIRMED,
    )
    calendar = Calendar.new(prodid=PRODUCT_ID, method=method.value, uid=invitation.uid, subcomponents=[event])
    calendar.add_component(_vtimezone(invitation.zone, invitation.starts_at.year))
    return calendar.to_ical()


@lru_cache(maxsize=64)
def _vtimezone(zone: str, year: int) -> Timezone:
    """The zone's VTIMEZONE around `year`: icalendar scans the zone hour by hour, so it is built once per zone
    and year, and over three years rather than icalendar's default 1970-2038."""
    from icalendar import Timezone

    return Timezone.from_tzid(zone, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
