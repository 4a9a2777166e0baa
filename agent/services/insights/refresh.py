"""Keeping each lead's insight current: offline at the end of the lead's turn (cheap, same transaction), the
model's summary later in a job (never in the lead's reply path), and every active lead nightly."""

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
MODEL_BATCH = 20


async def refresh_insight(
    session: AsyncSession, services: Services, lead: Lead, now: datetime, *, model_due: bool | None = None
) -> Insight:
    """Compose the lead's insight offline and store it (in the caller's transaction); with a model
    configured, the model job is asked to write the summary (`model_due`, default: when a model is set)."""
    snapshot = await lead_snapshot(session, lead, now, services.embedder)
    insight = compose(snapshot, now)
    due = services.settings.has_model_key if model_due is None else model_due
    await save_insight(session, lead, insight, source=OFFLINE, now=now, model_due=due)
    return insight


async def refresh_after_turn(session: AsyncSession, services: Services, lead: Lead, now: datetime) -> None:
    """The end of a lead's turn: refresh the insight in a savepoint; a failure costs the insight, never the reply."""
    try:
        async with session.begin_nested():
            await refresh_insight(session, services, lead, now)
    except Exception:
        log.warning("lead %s: refreshing the insight failed", lead.id, exc_info=True)


async def write_model_summary(services: Services, lead_id: int, tenant_id: int, now: datetime) -> str:
    """Compose the lead's insight again with the model's summary; the source kept (model, or offline)."""
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


async def write_due_summaries(services: Services, now: datetime, limit: int = MODEL_BATCH) -> int:
    """The model job: claim insights waiting for the model's summary and write them; how many were written."""
    if not services.settings.has_model_key:
        return 0
    async with services.database.session() as session:
        due = (
            await session.execute(
                select(LeadInsight.lead_id, LeadInsight.tenant_id)
                .where(LeadInsight.model_due_at.is_not(None), LeadInsight.model_due_at <= now)
                .order_by(LeadInsight.model_due_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if due:
            await session.execute(
                update(LeadInsight)
                .where(LeadInsight.lead_id.in_([row.lead_id for row in due]))
                .values(model_due_at=None)
            )
    written = 0
    for lead_id, tenant_id in due:
        try:
            written += await write_model_summary(services, lead_id, tenant_id, now) == MODEL
        except Exception:  # one lead's failure must not stop the others: its offline insight stays
            log.exception("lead %s: writing the model's summary failed", lead_id)
    return written


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
            for lead in leads:
                await refresh_insight(session, services, lead, now)
        total += len(leads)
        if len(leads) < batch:
            return total
        after = leads[-1].id
