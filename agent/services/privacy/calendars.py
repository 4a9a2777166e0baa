"""An erased lead's viewings in the reps' calendars: each Google event and Zoom meeting is rewritten from the
anonymised lead (no name, no contacts, the lead no longer a guest), so the calendars forget them too."""

from __future__ import annotations

import logging

from sqlalchemy import or_, select

from agent.services.calendars.service import calendar_for_tenant
from agent.services.leads import load_lead
from agent.services.provider import Services
from storage.models import Property, SalesRepresentative, Tenant, Viewing

log = logging.getLogger(__name__)


SCRUBBED = "scrubbed_after_erasure"


async def scrub_calendar_events(services: Services, tenant_id: int, lead_id: int) -> int:
    """Rewrite the events and meetings of the (already anonymised) lead's viewings; how many were rewritten."""
    rewritten = 0
    async with services.database.session() as session:
        lead = await load_lead(session, tenant_id, lead_id)
        tenant = await session.get(Tenant, tenant_id)
        query = select(Viewing).where(
            Viewing.tenant_id == tenant_id,
            Viewing.lead_id == lead_id,
            or_(Viewing.calendar_event_id.is_not(None), Viewing.meeting_id.is_not(None)),
        )
        viewings = [v for v in (await session.execute(query)).scalars() if not (v.extra or {}).get(SCRUBBED)]
        if tenant is None or not viewings:
            return 0
        calendar = calendar_for_tenant(services, tenant)
        for viewing in viewings:
            rep = await session.get(SalesRepresentative, viewing.rep_id) if viewing.rep_id else None
            if rep is None:
                continue
            listing = await session.get(Property, viewing.property_id)
            try:
                done = await calendar.move(
                    viewing, rep, lead, listing
                )  # same times, anonymised text and guests
            except Exception:  # the erasure is done; a calendar that cannot be reached keeps a log line
                log.warning(
                    "viewing %s: calendar event not rewritten after erasure", viewing.id, exc_info=True
                )
                continue
            if not done:  # Google or Zoom was unreachable: a later erase tries again
                continue
            viewing.extra = {**(viewing.extra or {}), SCRUBBED: True}
            rewritten += 1
    return rewritten
