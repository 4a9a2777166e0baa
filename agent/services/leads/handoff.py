"""Reps for a lead: who may take it, handing it to a person, and the demo rep the offline demo books."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.alerts import AlertKind
from agent.services.integrations import events as integration_events
from agent.services.leads.scoring import raise_alert
from storage.models import Lead, LeadStatus, RepStatus, SalesRepresentative, Tenant
from storage.repositories.leads import LeadRepository
from storage.repositories.reps import RepRepository
from storage.repositories.viewings import ViewingRepository


async def candidate_reps(session: AsyncSession, lead: Lead, now: datetime) -> list[SalesRepresentative]:
    """Who may take this lead: its assigned rep while active, else every active rep, least busy first.

    Ties are broken by when the rep joined, then by id, so the order is stable.
    """
    active = await RepRepository(session).active_for_tenant(lead.tenant_id)
    assigned = next((rep for rep in active if rep.id == lead.assigned_rep_id), None)
    if assigned is not None:
        return [assigned]
    load = await ViewingRepository(session).upcoming_counts(lead.tenant_id, [rep.id for rep in active], now)
    return sorted(active, key=lambda rep: (load.get(rep.id, 0), rep.created_at, str(rep.id)))


async def hand_off(
    session: AsyncSession, lead: Lead, reason: str, now: datetime
) -> SalesRepresentative | None:
    """The lead asked for a person: assign a rep if none, mark handed off, alert the team."""
    reps = await candidate_reps(session, lead, now)
    rep = reps[0] if reps else None
    if rep is not None and lead.assigned_rep_id is None:
        lead.assigned_rep_id = rep.id
    previous, lead.status = lead.status, LeadStatus.HANDED_OFF.value
    await integration_events.lead_status_changed(session, lead, previous, now)
    reason = " ".join(reason.split())[:500]
    await LeadRepository(session).add_interaction(
        lead,
        type="handoff",
        direction="inbound",
        text=reason,
        now=now,
        meta={"rep_id": str(rep.id) if rep else None},
    )
    await raise_alert(session, lead, AlertKind.HANDOFF, now, detail=reason)
    return rep


DEMO_REP_TELEGRAM_ID = 100000001
"""A clearly fake Telegram id: the demo agent can be booked but never receives messages."""


async def ensure_demo_rep(session: AsyncSession, tenant: Tenant) -> SalesRepresentative:
    """An ACTIVE "Demo Agent" in this tenant, so the offline demo can book viewings. Idempotent."""
    repo = RepRepository(session)
    rep = await repo.by_telegram_id(DEMO_REP_TELEGRAM_ID, tenant_id=tenant.id)
    domain = tenant.corporate_email_domain or f"{tenant.slug}.example"
    if rep is None:
        rep = SalesRepresentative(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            telegram_id=DEMO_REP_TELEGRAM_ID,
            name="Demo Agent",
            email=f"demo.agent@{domain}",
            language=tenant.default_language,
            working_hours={},
        )
        session.add(rep)
    rep.status = RepStatus.ACTIVE.value
    await session.flush()
    return rep
