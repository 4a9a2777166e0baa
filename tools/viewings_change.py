"""reschedule_viewing and cancel_viewing: the lead moves or cancels their upcoming viewing in their own words.

The same rep keeps the viewing; the new time must be free in the rep's working hours, viewings and Google
calendar, and the database refuses a block someone else took in the same second. The Google event, the
Zoom meeting, the .ics and the reminders follow the change.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.services.calendars import reminders, service
from agent.services.calendars.notify import Change, announce
from agent.services.leads import tenant_of, zone_of
from prompts.calendar import format_when, say
from storage.models import Property
from storage.repositories.leads import LeadRepository
from storage.repositories.viewings import ViewingRepository
from tools.booking import Wanted, invalid_time, local_iso, parse_wanted, time_problem
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of

NOON = time(12, 0)
"""A new day without a time: free times around its noon are offered."""


@tool(LeadTool.RESCHEDULE, parse_docstring=True)
async def reschedule_viewing(when: str | None = None, *, runtime: ToolRuntime[LeadContext]) -> dict[str, Any]:
    """Move the lead's upcoming viewing to another time with the same agent ("can we move it to Friday afternoon?").

    Status is "moved" (tell the lead the new time, "message" says it in their language), "needs_time"
    (offer the options; "options_for_lead" shows them on the lead's clock), "unavailable", "invalid_time"
    or "no_viewing" (say the "message"). A time without a day keeps the viewing's day.

    Args:
        when: The new time in the lead's words ("Friday afternoon", "tomorrow at 10") or an ISO local time like
            2026-03-13T15:00; leave empty to get free options.
    """
    ctx = context_of(runtime)
    now = now_of(ctx)
    async with lead_session(ctx, commits=True) as (session, lead):  # the calendars follow
        tenant = await tenant_of(session, lead)
        zone = zone_of(tenant.time_zone)
        lead_zone = zone_of(lead.time_zone or tenant.time_zone)
        wanted = parse_wanted(when, lead.language, zone, now)
        if wanted.impossible:
            return invalid_time("no_such_time", lead.language, wanted.impossible)
        if wanted.time_only and wanted.exact is not None:  # "move it to 4pm": the same day, at 4pm
            upcoming = await ViewingRepository(session).upcoming_for_lead(tenant.id, lead.id, now)
            if upcoming:
                day = upcoming[0].starts_at.astimezone(zone).date()
                local = wanted.exact.astimezone(zone)
                wanted = Wanted(
                    exact=datetime.combine(day, local.time(), tzinfo=zone).astimezone(UTC), day=day
                )
        if problem := time_problem(wanted, zone, now):
            return invalid_time(problem, lead.language)
        near = wanted.exact or (
            datetime.combine(wanted.day, NOON, tzinfo=zone).astimezone(UTC) if wanted.day else None
        )
        outcome = await service.reschedule(
            session,
            lead=lead,
            tenant=tenant,
            wanted=wanted.exact,
            near=near,
            now=now,
            calendar=service.calendar_for_tenant(ctx.services, tenant),
        )
        if isinstance(outcome, service.NothingToChange):
            return {"status": "no_viewing", "message": say("lead_viewing_none", lead.language)}
        if isinstance(outcome, service.MoveOptions):
            if not outcome.options:
                return {"status": "unavailable", "message": say("lead_viewing_no_free_time", lead.language)}
            return {
                "status": "needs_time",
                "options": [local_iso(option, zone) for option in outcome.options],
                "options_for_lead": [format_when(o, lead_zone, lead.language) for o in outcome.options],
            }
        viewing, rep = outcome.viewing, outcome.rep
        listing = await session.get(Property, viewing.property_id) if viewing.property_id else None
        await reminders.schedule(session, viewing, lead=lead, rep=rep, listing=listing, now=now)
        await LeadRepository(session).add_interaction(
            lead,
            type="viewing_moved",
            direction="inbound",
            now=now,
            meta={
                "viewing_id": viewing.id,
                "from": outcome.previous_start.isoformat(),
                "to": viewing.starts_at.isoformat(),
            },
        )
        result: dict[str, Any] = {
            "status": "moved",
            "viewing": {
                "id": viewing.id,
                "property_title": listing.title if listing else None,
                "starts_at": viewing.starts_at.astimezone(UTC).isoformat(),
                "starts_at_local": local_iso(viewing.starts_at, zone),
                "time_zone": tenant.time_zone,
                "rep_name": rep.name,
                "meeting_link": viewing.meeting_link,
            },
            "message": say(
                "moved_lead",
                lead.language,
                title=service.title_of(listing, lead.language),
                when=format_when(viewing.starts_at, lead_zone, lead.language),
                link=say("meeting_link", lead.language, url=viewing.meeting_link)
                if viewing.meeting_link
                else "",
            ),
        }
    await announce(ctx.services, viewing.id, Change.MOVED)
    return result


@tool(LeadTool.CANCEL, parse_docstring=True)
async def cancel_viewing(*, runtime: ToolRuntime[LeadContext]) -> dict[str, Any]:
    """Cancel the lead's upcoming viewing when they ask to ("отмените просмотр", "I can't come, cancel it").

    Status is "cancelled" or "no_viewing"; tell the lead the "message".
    """
    ctx = context_of(runtime)
    now = now_of(ctx)
    async with lead_session(ctx, commits=True) as (session, lead):  # the calendars follow
        tenant = await tenant_of(session, lead)
        lead_zone = zone_of(lead.time_zone or tenant.time_zone)
        outcome = await service.cancel(
            session,
            lead=lead,
            tenant=tenant,
            now=now,
            calendar=service.calendar_for_tenant(ctx.services, tenant),
        )
        if isinstance(outcome, service.NothingToChange):
            return {"status": "no_viewing", "message": say("lead_viewing_none", lead.language)}
        viewing = outcome.viewing
        listing = await session.get(Property, viewing.property_id) if viewing.property_id else None
        await reminders.withdraw(session, viewing, "viewing cancelled")
        await LeadRepository(session).add_interaction(
            lead, type="viewing_cancelled", direction="inbound", now=now, meta={"viewing_id": viewing.id}
        )
        result = {
            "status": "cancelled",
            "viewing_id": viewing.id,
            "message": say(
                "cancelled_lead",
                lead.language,
                title=service.title_of(listing, lead.language),
                when=format_when(viewing.starts_at, lead_zone, lead.language),
            ),
        }
    await announce(ctx.services, viewing.id, Change.CANCELLED)
    return result
