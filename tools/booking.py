"""book_viewing: a real slot of an active rep, in the agency's time zone, never double-booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.core.nlu.time_changes import impossible_clock
from agent.core.policies.booking_times import TimeProblem, problem_of
from agent.core.policies.field_rules import record_id
from agent.core.policies.vocabulary import language_of
from agent.services.calendars import service
from agent.services.calendars.notify import Change, announce
from agent.services.leads import tenant_of, zone_of
from prompts.calendar import day_label, say
from prompts.vocabulary import LIST_SEPARATOR
from storage.models import Property, PropertyStatus
from storage.repositories import properties as catalog
from storage.repositories.leads import LeadRepository
from tools.calendar import Booked, DayOff, NeedsTime, Proposed, Unavailable, book_slot, calendar_for
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of

MAX_CHOICES = 6
"""Listings offered as choices when the lead did not say which one to view."""


@dataclass(frozen=True)
class Wanted:
    """The time a lead asked for, read from an ISO time or their words."""

    exact: datetime | None = None
    """A moment to book (UTC)."""
    day: date | None = None
    """The day in the agency's zone: of `exact`, or chosen without a time."""
    time_only: bool = False
    """A time was named in words without a day ("4pm"): the day is a guess."""
    impossible: str | None = None
    """A clock time no day has ("25:00"), as written."""


def unavailable(reason: str, language: str) -> dict[str, Any]:
    return {"status": "unavailable", "reason": say(f"unavailable.{reason}", language)}


def invalid_time(problem: TimeProblem, language: str, said: str = "") -> dict[str, Any]:
    """A time that cannot be booked at all, said plainly; nothing is kept of it."""
    return {
        "status": "invalid_time",
        "problem": problem,
        "message": say(f"invalid.{problem}", language, said=said),
    }


def parse_wanted(when: str | None, language: str, zone: ZoneInfo, now: datetime) -> Wanted:
    """The time to book, or the day to propose a time on, from an ISO time or the lead's words.

    A local time without offset is in the agency's zone. A day without a time is a wish, not a booking.
    """
    if not when or not when.strip():
        return Wanted()
    text = when.strip()
    try:
        if len(text) == 10:
            return Wanted(day=date.fromisoformat(text))
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _parse_words(text, language, zone, now)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:
        return Wanted(exact=parsed.astimezone(UTC), day=parsed.astimezone(zone).date())
    except OverflowError:  # the last hours of year 9999 have no UTC: far too far ahead anyway
        return Wanted(day=date.max)


def _parse_words(text: str, language: str, zone: ZoneInfo, now: datetime) -> Wanted:
    from agent.core.nlu.language import Lang
    from agent.core.nlu.when import parse_when_detail

    impossible = impossible_clock(text)
    found = parse_when_detail(text, cast(Lang, language_of(language)), zone.key, now)
    if found is None:
        return Wanted(impossible=impossible)
    moment = found.at if found.at.tzinfo else found.at.replace(tzinfo=zone)
    day = moment.astimezone(zone).date() if found.has_date else None
    if found.has_time and not impossible:
        return Wanted(
            exact=moment.astimezone(UTC), day=moment.astimezone(zone).date(), time_only=not found.has_date
        )
    return Wanted(day=day, impossible=impossible)


def time_problem(wanted: Wanted, zone: ZoneInfo, now: datetime) -> TimeProblem | None:
    """Why the wanted time cannot be booked at all (gone, or too far ahead), checked before any search."""
    if wanted.exact is not None:
        return problem_of(wanted.exact, now)
    if wanted.day is not None:
        return problem_of(datetime.combine(wanted.day, time.max, tzinfo=zone), now)
    return None


def local_iso(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="minutes")


async def _listing_for(
    ctx: LeadContext, session: Any, lead: Any, property_id: int | None, on_screen: list[int]
) -> tuple[Property | None, list[Property]]:
    """The listing to view (the one asked for, else the only one last shown), or the shown ones to choose from.

    `on_screen`: the listings the conversation last showed (after "show me more", only the new ones); without
    them, the last search's results."""
    shown: list[int] = list(on_screen)
    if property_id is None and not shown:
        last = await LeadRepository(session).last_interaction(lead, "listings_shown")
        ids = last.meta.get("property_ids") if last else None
        shown = [int(x) for x in ids] if isinstance(ids, list) else []
    if property_id is None and len(shown) == 1:
        property_id = shown[0]  # the only listing last shown, as the docstring promises
    if property_id is None:
        choices = []
        for listing_id in shown[:MAX_CHOICES]:
            listing = await catalog.get_property(session, ctx.tenant_id, listing_id)
            if listing is not None and _viewable(listing):
                choices.append(listing)
        return None, choices
    return await catalog.get_property(session, ctx.tenant_id, int(property_id)), []


def _viewable(listing: Property) -> bool:
    return listing.status == PropertyStatus.AVAILABLE and listing.units_available > 0


@tool(LeadTool.BOOK, parse_docstring=True)
async def book_viewing(
    property_id: int | None = None,
    when: str | None = None,
    online: bool = False,
    propose: bool = False,
    *,
    runtime: ToolRuntime[LeadContext],
) -> dict[str, Any]:
    """Book a viewing of one listing with an agent at a free time the lead stated or confirmed.

    Status is "booked" (tell the lead the local time and the agent's name); "proposed" (a day without a
    time, or `propose`: ask the lead to confirm "proposal", naming "options" as other times; on their yes,
    call again with when=proposal); "needs_time" (offer the options, in the agency's local time);
    "day_off" or "invalid_time" or "needs_listing" (say the "message"; "options" are the nearest days'
    first free times, or the listings to choose from); or "unavailable" (tell the lead the reason).

    Args:
        property_id: The listing to view; without it, the only listing last shown (else you are asked which).
        when: The time the lead chose: an ISO local time like 2026-03-09T10:00, a day like 2026-03-09, or
            their words ("tomorrow at 10").
        online: True for a video-call viewing.
        propose: True to check a time the lead has not agreed to yet and ask them, instead of booking it.
    """
    ctx = context_of(runtime)
    now = now_of(ctx)
    async with lead_session(ctx, commits=True) as (session, lead):  # the rep's calendar hears of it
        tenant = await tenant_of(session, lead)
        zone = zone_of(tenant.time_zone)
        lead_zone = zone_of(lead.time_zone or tenant.time_zone)
        language = lead.language
        if property_id is not None and record_id(property_id) is None:  # 10^30 or -1: no listing's number
            return unavailable("listing_unavailable", language)
        wanted = parse_wanted(when, language, zone, now)
        if wanted.impossible:
            return invalid_time("no_such_time", language, wanted.impossible)
        # A time only proposed keeps a day the lead chose; its time was ours to pick, so a gone one is dropped.
        checked = Wanted(day=wanted.day) if propose and wanted.day else wanted
        if problem := time_problem(checked, zone, now):
            return invalid_time(problem, language)
        prefer = wanted.exact if propose and wanted.exact and wanted.exact > now else None
        state = runtime.state if isinstance(runtime.state, dict) else {}
        # The listings the lead may mean: those a reference fitted, else those last shown.
        pool = state.get("focus_candidates") or state.get("listings") or []
        on_screen = [int(x["id"]) for x in pool if isinstance(x, dict) and "id" in x]
        listing, choices = await _listing_for(ctx, session, lead, property_id, on_screen)
        if listing is None and property_id is None:
            key = "needs_listing" if choices else "needs_listing_open"
            asked: dict[str, Any] = {
                "status": "needs_listing",
                "options": [{"id": choice.id, "title": choice.title} for choice in choices],
                "message": say(key, language),
            }
            first = choices[0] if choices else None
            if first is not None and wanted.day is not None:
                # "Do you mean X? Mon 4 Mar, 09:00 works": one yes confirms the listing and the time together.
                outcome = await book_slot(
                    session,
                    lead=lead,
                    tenant=tenant,
                    listing=first,
                    wanted=None,
                    day=wanted.day,
                    prefer=wanted.exact if wanted.exact and wanted.exact > now else None,
                    online=online,
                    now=now,
                    calendar=calendar_for(ctx.services, tenant),
                )
                if isinstance(outcome, Proposed):
                    asked["proposal"] = local_iso(outcome.proposal, zone)
            return asked
        if listing is None or not _viewable(listing):
            return unavailable("listing_unavailable", language)
        outcome = await book_slot(
            session,
            lead=lead,
            tenant=tenant,
            listing=listing,
            wanted=None if propose else wanted.exact,
            day=wanted.day,
            prefer=prefer,
            online=online,
            now=now,
            calendar=calendar_for(ctx.services, tenant),
        )
        title = service.title_of(listing, language)
        if isinstance(outcome, Unavailable):
            return unavailable(outcome.reason, language)
        if isinstance(outcome, NeedsTime):
            return {
                "status": "needs_time",
                "options": [local_iso(option, zone) for option in outcome.options],
            }
        if isinstance(outcome, Proposed):
            return {
                "status": "proposed",
                "property_id": listing.id,
                "property_title": title,
                "proposal": local_iso(outcome.proposal, zone),
                "options": [local_iso(option, zone) for option in outcome.alternatives],
            }
        if isinstance(outcome, DayOff):
            days = LIST_SEPARATOR.get(language_of(language), ", ").join(
                day_label(option.astimezone(lead_zone), language) for option in outcome.nearest
            )
            return {
                "status": "day_off",
                "day": outcome.day.isoformat(),
                "options": [local_iso(option, zone) for option in outcome.nearest],
                "message": say("day_off", language, day=day_label(outcome.day, language), days=days or "—"),
            }
        assert isinstance(outcome, Booked)
        viewing = outcome.viewing
        result = {
            "status": "booked",
            "viewing": {
                "id": viewing.id,
                "property_id": viewing.property_id,
                "property_title": title,
                "starts_at": viewing.starts_at.astimezone(UTC).isoformat(),
                "starts_at_local": local_iso(viewing.starts_at, zone),
                "time_zone": tenant.time_zone,
                "rep_name": outcome.rep.name,
                "meeting_link": viewing.meeting_link,
            },
        }
    await announce(ctx.services, viewing.id, Change.BOOKED)  # committed: tell the rep
    return result
