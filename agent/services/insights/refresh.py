"""Keeping each lead's insight current: quickly at the end of the lead's turn (same transaction, no catalog
search), fully minutes later in the due job (the catalog searched, the model's summary when configured: never on
the lead's reply path), and every active lead nightly."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.insights import Insight, compose
from agent.services.insights.snapshot import lead_snapshot
from agent.services.insights.store import MODEL, OFFLINE, save_insight, stored_insight
from agent.services.insights.writer import model_summary
from agent.services.provider import Services
from storage.models import Lead, LeadInsight
from storage.repositories import properties as catalog

log = logging.getLogger(__name__)

ACTIVE_DAYS = 90
"""A lead that wrote within this many days (and is not won, lost or erased) is refreshed nightly."""
NIGHTLY_BATCH = 200
DUE_BATCH = 100


async def refresh_insight(
    session: AsyncSession,
    services: Services,
    lead: Lead,
    now: datetime,
    *,
    full_due: bool = False,
    search: bool = True,
) -> Insight:
    """Compose the lead's insight offline and store it (in the caller's transaction). Without `search` the
    catalog is not searched (the listing found last is kept while still unshown); `full_due` asks the due job
    for a full refresh (the catalog searched, and the model's summary when a model is configured)."""
    snapshot = await lead_snapshot(session, lead, now, services.embedder if search else None)
    insight = compose(snapshot, now)
    await save_insight(session, lead, insight, source=OFFLINE, now=now, full_due=full_due)
    return insight


async def refresh_after_turn(session: AsyncSession, services: Services, lead: Lead, now: datetime) -> None:
    """The end of a lead's turn: refresh the insight in a savepoint (4 statements in all), without the catalog
    search or the model, which the due job does minutes later; a failure costs the insight, never the reply."""
    try:
        async with session.begin_nested():
            await refresh_insight(session, services, lead, now, search=False, full_due=True)
    except Exception:
        log.warning("lead %s: refreshing the insight failed", lead.id, exc_info=True)


async def full_refresh(services: Services, lead_id: int, tenant_id: int, now: datetime) -> str:
    """Compose the lead's insight with the catalog searched and, with a model configured, the model's summary
    (asked with no transaction open); the source kept: model, or offline."""
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        if lead is None or lead.tenant_id != tenant_id:
            return OFFLINE
        snapshot = await lead_snapshot(session, lead, now, services.embedder)
        insight = compose(snapshot, now)
        areas = await catalog.catalog_areas(session, tenant_id)
    summary = await model_summary(services.model, snapshot, insight, areas)  # no transaction open meanwhile
    source = MODEL if summary else OFFLINE
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id, with_for_update=True)
        newer = await stored_insight(session, lead_id, tenant_id)
        if lead is None or (newer is not None and newer.refreshed_at > now):
            return OFFLINE  # the lead wrote meanwhile: that composition stands, and asks the model again
        await save_insight(session, lead, replace(insight, summary=summary), source=source, now=now)
    return source


async def refresh_due(services: Services, now: datetime, limit: int = DUE_BATCH) -> int:
    """The due job: claim insights waiting for a full refresh and do it; how many were refreshed."""
    async with services.database.session() as session:
        due = (
            await session.execute(
                select(LeadInsight.lead_id, LeadInsight.tenant_id)
                .where(LeadInsight.due_at.is_not(None), LeadInsight.due_at <= now)
                .order_by(LeadInsight.due_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if due:
            await session.execute(
                update(LeadInsight)
                .where(LeadInsight.lead_id.in_([row.lead_id for row in due]))
                .values(due_at=None)
            )
    refreshed = 0
    for lead_id, tenant_id in due:
        try:
            await full_refresh(services, lead_id, tenant_id, now)
            refreshed += 1
        except Exception:  # one lead's failure must not stop the others: its quick insight stays
            log.exception("lead %s: the full refresh of the insight failed", lead_id)
    return refreshed


def active_leads(now: datetime) -> list[ColumnElement[bool]]:
    """The nightly run's leads: not won or lost, not erased, wrote within ACTIVE_DAYS."""
    return [
        Lead.status.not_in(("won", "lost")),
        Lead.extra["erased_at"].is_(None),
        or_(Lead.last_inbound_at >= now - timedelta(days=ACTIVE_DAYS), Lead.last_inbound_at.is_(None)),
    ]


async def refresh_all(services: Services, now: datetime, *, batch: int = NIGHTLY_BATCH) -> int:
    """The nightly run: every active lead's insight composed again (the model's summary then due); how many."""
    after = 0
    total = 0
    while True:
        async with services.database.session() as session:
            leads = list(
                (
                    await session.execute(
                        select(Lead).where(Lead.id > after, *active_leads(now)).order_by(Lead.id).limit(batch)
                    )
                ).scalars()
            )
            for lead in leads:  # the model's summaries (when configured) follow through the due job
                await refresh_insight(session, services, lead, now, full_due=services.settings.has_model_key)
        total += len(leads)
        if len(leads) < batch:
            return total
        after = leads[-1].id
