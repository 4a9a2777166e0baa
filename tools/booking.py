"""book_viewing: a real slot of an active rep, in the agency's time zone, never double-booked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.core.policies.vocabulary import language_of
from agent.services.calendars.notify import Change, announce
from agent.services.leads import tenant_of, zone_of
from prompts.calendar import say
from storage.models import Property, PropertyStatus
from storage.repositories import properties as catalog
from storage.repositories.leads import LeadRepository
from tools.calendar import Booked, NeedsTime, Unavailable, book_slot, calendar_for
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of

NOON = time(12, 0)


def unavailable(reason: str, language: str) -> dict[str, Any]:
    return {"status": "unavailable", "reason": say(f"unavailable.{reason}", language)}


def parse_wanted(
    when: str | None, language: str, zone: ZoneInfo, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """(exact start to book, time to offer options around) from an ISO time or the lead's words.

    A local time without offset is in the agency's zone. A day without a time is a wish, not a booking:
    options around that day's noon are offered.
    """
    if not when or not when.strip():
        return None, None
    text = when.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return None, datetime.combine(day, NOON, tzinfo=zone).astimezone(UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _parse_words(text, language, zone, now)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    exact = parsed.astimezone(UTC)
    return exact, exact


def _parse_words(
    text: str, language: str, zone: ZoneInfo, now: datetime
) -> tuple[datetime | None, datetime | None]:
    from agent.core.nlu.language import Lang
    from agent.core.nlu.when import parse_when_detail

    found = parse_when_detail(text, cast(Lang, language_of(language)), zone.key, now)
    if found is None:
        return None, None
    moment = found.at if found.at.tzinfo else found.at.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    return (moment, moment) if found.has_time else (None, moment)


def local_iso(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="minutes")


async def _listing_for(
    ctx: LeadContext, session: Any, lead: Any, property_id: int | None
) -> tuple[Property | None, bool]:
    """The listing to view (the one asked for, else the last one shown) and whether it may be viewed."""
    if property_id is None:
        shown = await LeadRepository(session).last_interaction(lead, "listings_shown")
        ids = shown.meta.get("property_ids") if shown else None
        if isinstance(ids, list) and ids:
            property_id = int(ids[0])
    if property_id is None:
        return None, True
    listing = await catalog.get_property(session, ctx.tenant_id, int(property_id))
    viewable = (
        listing is not None and listing.status == PropertyStatus.AVAILABLE and listing.units_available > 0
    )
    return listing, viewable


@tool(LeadTool.BOOK, parse_docstring=True)
async def book_viewing(
    property_id: int | None = None,
    when: str | None = None,
    online: bool = False,
    *,
    runtime: ToolRuntime[LeadContext],
) -> dict[str, Any]:
    """Book a viewing with an agent at a free time. Without a time (or when it is taken) you get free options to offer.

    Status is "booked" (tell the lead the local time and the agent's name), "needs_time" (offer the
    options, in the agency's local time) or "unavailable" (tell the lead the reason).

    Args:
        property_id: The listing to view; defaults to the last listing shown to the lead.
        when: The time the lead chose: an ISO local time like 2026-03-09T10:00, or their words ("tomorrow at 10").
        online: True for a video-call viewing.
    """
    ctx = context_of(runtime)
    now = now_of(ctx)
    async with lead_session(ctx, commits=True) as (session, lead):  # the rep's calendar hears of it
        tenant = await tenant_of(session, lead)
        zone = zone_of(tenant.time_zone)
        listing, viewable = await _listing_for(ctx, session, lead, property_id)
        if not viewable:
            return unavailable("listing_unavailable", lead.language)
        exact, near = parse_wanted(when, lead.language, zone, now)
        outcome = await book_slot(
            session,
            lead=lead,
            tenant=tenant,
            listing=listing,
            wanted=exact,
            near=near,
            online=online,
            now=now,
            calendar=calendar_for(ctx.services, tenant),
        )
        if isinstance(outcome, Unavailable):
            return unavailable(outcome.reason, lead.language)
        if isinstance(outcome, NeedsTime):
            return {
                "status": "needs_time",
                "options": [local_iso(option, zone) for option in outcome.options],
            }
        assert isinstance(outcome, Booked)
        viewing = outcome.viewing
        result = {
            "status": "booked",
            "viewing": {
                "id": viewing.id,
                "property_id": viewing.property_id,
                "property_title": listing.title if listing else None,
                "starts_at": viewing.starts_at.astimezone(UTC).isoformat(),
                "starts_at_local": local_iso(viewing.starts_at, zone),
                "time_zone": tenant.time_zone,
                "rep_name": outcome.rep.name,
                "meeting_link": viewing.meeting_link,
            },
        }
    await announce(ctx.services, viewing.id, Change.BOOKED)  # committed: tell the rep, send the .ics
    return result
