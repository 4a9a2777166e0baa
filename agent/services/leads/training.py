"""Training an agency's conversion model from its won and lost leads, and recording the run (used or rejected).

`train_tenant` reads the outcomes, applies the gate of agent.services.conversion.fit, stores the run as the
agency's next version, and, when the new model is used, names it on the agency's row and refreshes the
likelihood of the open leads heard from lately.
A rejected run retires the previous active model (if any): without a model that beat the base score on the
latest history, everything shows the base score only.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.conversion.features import ConversionFacts, feature_values
from agent.core.conversion.model import likelihood
from agent.core.scoring import score_lead
from agent.core.zones import zone_of
from agent.services.conversion.facts import Known, facts_of
from agent.services.conversion.fit import Example, FitResult, Status, evaluate_and_fit
from agent.services.conversion.likelihood import active_from, stored_factors
from agent.services.leads.scoring import lead_signals
from storage.db import Database
from storage.enums import LeadStatus
from storage.models import Lead, ScoringModel, Tenant
from storage.repositories.scoring_models import ScoringModelRepository

log = logging.getLogger(__name__)

REFRESH_WINDOW = timedelta(days=90)
"""Open leads heard from within this window get a likelihood as soon as a new model is in use."""
CHUNK = 2000


def base_score_of(facts: ConversionFacts, fallback: datetime) -> int:
    """The base score as it stood at the lead's last message (recency then carries no label-time leakage)."""
    return score_lead(facts.signals, facts.signals.last_interaction_at or fallback).score


def _known(leads: list[Lead], tenant: Tenant) -> list[Known]:
    known = []
    for lead in leads:
        zone = zone_of(lead.time_zone, tenant.time_zone)
        known.append(Known(lead, lead_signals(lead, zone), zone))
    return known


async def train_tenant(session: AsyncSession, tenant: Tenant, now: datetime) -> ScoringModel:
    """Train, gate and record one run for the agency (in the caller's transaction); the stored row."""
    repository = ScoringModelRepository(session)
    await repository.lock(tenant.id)
    leads = await repository.outcomes(tenant.id)
    facts = await facts_of(session, _known(leads, tenant))
    examples = [
        Example(
            features=feature_values(facts[lead.id]),
            won=lead.status == LeadStatus.WON.value,
            outcome_at=lead.outcome_at or now,
            base_score=base_score_of(facts[lead.id], lead.outcome_at or now),
        )
        for lead in leads
    ]
    result: FitResult = await asyncio.to_thread(evaluate_and_fit, examples)
    run = await repository.record(
        tenant.id,
        ScoringModel(
            status=result.status.value,
            reason=result.reason.value if result.reason else None,
            trained_at=now,
            outcomes=result.outcomes,
            won=result.won,
            lost=result.lost,
            holdout=result.holdout,
            model_auc=result.model_auc,
            base_auc=result.base_auc,
            calibration_error=result.calibration_error,
            model=result.model.to_json() if result.model else None,
        ),
    )
    # rescores use the new model from now on; after a rejected run, none (the old one is retired)
    tenant.scoring_model_id = run.id if run.status == Status.ACTIVE.value else None
    log.info(
        "tenant %s: scoring model v%s %s (%s outcomes, model AUC %s, base AUC %s)",
        tenant.slug,
        run.version,
        run.status,
        run.outcomes,
        run.model_auc,
        run.base_auc,
    )
    if result.status is Status.ACTIVE:
        await refresh_open_leads(session, tenant, run, now)
    return run


async def refresh_open_leads(session: AsyncSession, tenant: Tenant, run: ScoringModel, now: datetime) -> int:
    """Store the likelihood of the agency's open leads heard from in the last REFRESH_WINDOW under the new model.

    Lists and cards then show it before the lead's next rescore; an older lead gets one on its next rescore
    (its row of a retired model is never shown). In chunks, so a large agency stays within memory.
    """
    active = active_from(run)
    if active is None:
        return 0
    repository = ScoringModelRepository(session)
    refreshed, after = 0, 0
    while leads := await repository.open_leads(
        tenant.id, since=now - REFRESH_WINDOW, after_id=after, limit=CHUNK
    ):
        facts = await facts_of(session, _known(leads, tenant))
        rows = []
        for lead in leads:
            found = likelihood(active.model, facts[lead.id])
            rows.append((lead.id, found.probability, stored_factors(found)))
        await repository.set_likelihoods(tenant.id, active.id, rows, now)
        refreshed, after = refreshed + len(leads), leads[-1].id
        for lead in leads:
            session.expunge(lead)
    return refreshed


async def train_all(database: Database, now: datetime) -> list[tuple[str, ScoringModel]]:
    """One run per agency, each in its own transaction (the periodic job and `realty scoring train`)."""
    async with database.session() as session:
        slugs = list((await session.execute(select(Tenant.slug).order_by(Tenant.id))).scalars())
    runs = []
    for slug in slugs:
        runs.append((slug, await train_slug(database, slug, now)))
    return runs


async def train_slug(database: Database, slug: str, now: datetime) -> ScoringModel:
    async with database.session() as session:
        tenant = (await session.execute(select(Tenant).where(Tenant.slug == slug))).scalar_one()
        run = await train_tenant(session, tenant, now)
    return run
