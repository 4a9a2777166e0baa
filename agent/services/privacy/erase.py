"""Erasing a lead's personal data everywhere we keep it (`realty leads erase`, an admin's confirmation).

The lead's rows are anonymised, not deleted, so the agency's counts stay true (storage.repositories.privacy);
its checkpoint threads are deleted, and so is any team-bot conversation whose saved state quotes the lead's
contacts or full name (that rep's conversation starts afresh); the viewings' calendar events and meetings are
rewritten without the lead's name and contacts (agent.services.privacy.calendars). The lead's turn lock is held throughout, so no turn of theirs writes a
checkpoint back meanwhile. Every call is audited (`lead.erase`, the actor, the tenant, `lead:<id>`); a second
call finds nothing left to erase and says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from agent.adapters.checkpointer import conversation_store
from agent.services.leads import load_lead
from agent.services.privacy.calendars import scrub_calendar_events
from agent.services.privacy.checkpoints import delete_threads, lead_threads
from agent.services.provider import Services
from storage.models import Lead
from storage.repositories.audit import AuditRepository
from storage.repositories.privacy import LeadDataRepository, telltale_strings, threads_mentioning

log = logging.getLogger(__name__)

TEAM_THREADS = "team:"
"""The team bot's conversations (bot.team.thread_id): a rep's or admin's may quote the lead (a client list, a note)."""
ERASE_ACTION = "lead.erase"
"""The audit action of erasing a lead's data (refusals included)."""


@dataclass(frozen=True)
class Eraser:
    """Who erases, as the caller knows them (never as a text says): a team-bot admin or an operator."""

    telegram_id: int | None
    via: str
    """"cli", "team_bot" ...: where the decision was taken (kept in the audit entry)."""


@dataclass(frozen=True)
class ErasureReport:
    tenant_id: int
    lead_id: int
    already_erased: bool
    rows: dict[str, int] = field(default_factory=dict)
    """Rows anonymised per table ("lead_interactions": 12, ...)."""
    threads_deleted: int = 0
    team_threads_deleted: int = 0
    """Team-bot conversations that quoted the lead's contacts or full name: deleted (they start afresh)."""
    calendar_events: int = 0
    """Google events and Zoom meetings of the lead's viewings rewritten without their personal data."""


def erased_at(lead: Lead) -> str | None:
    """When the lead's data was erased (ISO time), or None."""
    value = (lead.extra or {}).get("erased_at")
    return str(value) if value else None


def lead_target(lead_id: int) -> str:
    return f"lead:{lead_id}"


async def erase_lead(
    services: Services, tenant_id: int, lead_id: int, by: Eraser, *, note: str | None = None
) -> ErasureReport:
    """Anonymise the lead of this tenant and delete its conversations; LeadNotFound for another tenant's lead."""
    store = await conversation_store(services)
    threads = lead_threads(tenant_id, lead_id)
    now = services.clock.now()
    async with store.turn_lock(threads[0]):
        async with services.database.session() as session:
            lead = await load_lead(session, tenant_id, lead_id)
            already = erased_at(lead) is not None
            quoted = await threads_mentioning(session, telltale_strings(lead), TEAM_THREADS)
            rows = await LeadDataRepository(session).anonymise(lead, now)
            detail = f"via {by.via}" + (f"; {note}" if note else "") + ("; already erased" if already else "")
            await AuditRepository(session).record(
                action=ERASE_ACTION,
                now=now,
                actor_telegram_id=by.telegram_id,
                tenant_id=tenant_id,
                target=lead_target(lead_id),
                detail=detail,
            )
        deleted = await delete_threads(store, threads)
    team_deleted = await delete_threads(store, quoted)
    events = await scrub_calendar_events(
        services, tenant_id, lead_id
    )  # again after a calendar was unreachable
    log.info("lead %s of tenant %s erased via %s", lead_id, tenant_id, by.via)
    return ErasureReport(tenant_id, lead_id, already, rows, deleted, team_deleted, events)
