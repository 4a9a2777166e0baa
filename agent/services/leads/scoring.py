"""Scoring a stored lead: the signals the pure core reads, the stored score and factors, the team's alerts.

The lead is scored in its own time zone, else its tenant's (`tenant_of`, `zone_of`). A unit of work (one
session's transaction) scores a lead once: code that changes what the score reads calls `lead_changed`,
which rescores at once, or, when the unit's owner asked for it (`rescore_at_end`), when the unit settles
(`settle`). An alert is raised with the unit's score, never a second scoring.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.alerts import (
    ALERT_CHANNEL,
    AlertFacts,
    AlertKind,
    burning_alert_due,
)
from agent.core.scoring import LeadScore, LeadSignals, score_lead
from agent.core.zones import zone_of
from agent.services.conversion.likelihood import stored_likelihood, update_likelihood
from agent.services.integrations import events as integration_events
from agent.services.leads.profile import json_number
from prompts.alerts import alert_payload
from prompts.scoring import reason
from storage.models import Lead, Tenant
from storage.repositories.leads import FactorRow, LeadRepository

log = logging.getLogger(__name__)


def lead_signals(lead: Lead, zone: ZoneInfo) -> LeadSignals:
    """What the scoring core knows of a lead; the inquiry hour is the first message's local hour."""
    return LeadSignals(
        qr_scan_count=lead.qr_scan_count,
        catalog_views=lead.catalog_views,
        message_count=lead.message_count,
        voice_message_count=lead.voice_message_count,
        has_phone=bool(lead.phone),
        has_budget=lead.budget_max is not None or lead.budget_min is not None,
        has_transaction_type=bool(lead.transaction),
        has_property_type=bool(lead.property_type),
        has_location=bool(lead.location),
        has_payment_method=bool(lead.payment_method),
        last_interaction_at=lead.last_inbound_at,
        urgency_mentions=lead.urgency_mentions,
        specific_questions=lead.specific_questions,
        inquiry_local_hour=lead.first_inbound_at.astimezone(zone).hour if lead.first_inbound_at else None,
        source=lead.source,
    )


async def tenant_of(session: AsyncSession, lead: Lead) -> Tenant:
    tenant = await session.get(Tenant, lead.tenant_id)
    if tenant is None:  # the foreign key makes this impossible short of a concurrent delete
        raise LookupError(f"tenant {lead.tenant_id} of lead {lead.id} is gone")
    return tenant


@dataclass
class _UnitScores:
    """What one session's unit of work knows of its leads' scores (kept in `session.info`)."""

    at_end: bool = False
    """Rescoring waits for `settle` (the owner of the unit scores each lead once, at its end)."""
    due: set[int] = field(default_factory=set)
    """Leads whose signals changed since they were last scored in this unit."""
    stored: dict[int, LeadScore] = field(default_factory=dict)
    """The score each lead was last stored with in this unit."""


def _unit(session: AsyncSession) -> _UnitScores:
    unit = session.info.get(_UnitScores)
    if unit is None:
        unit = session.info[_UnitScores] = _UnitScores()
    return unit


def rescore_at_end(session: AsyncSession) -> None:
    """Score each lead of this session's unit of work once, when it settles, instead of at every change."""
    _unit(session).at_end = True


async def lead_changed(session: AsyncSession, lead: Lead, now: datetime) -> None:
    """What the score reads of the lead changed: rescore it now, or when the unit settles (`rescore_at_end`)."""
    unit = _unit(session)
    if unit.at_end:
        unit.due.add(lead.id)
    else:
        await rescore(session, lead, now)


async def settle(session: AsyncSession, lead: Lead, now: datetime) -> LeadScore:
    """The lead's score in this unit of work: the one stored here, rescored first if the lead changed since."""
    unit = _unit(session)
    stored = unit.stored.get(lead.id)
    if stored is None or lead.id in unit.due:
        return await rescore(session, lead, now)
    return stored


async def rescore(session: AsyncSession, lead: Lead, now: datetime, language: str | None = None) -> LeadScore:
    """Recompute the score, store it with its factors, and alert the team on the first burning crossing."""
    tenant = await tenant_of(session, lead)
    previous = lead.lead_score if lead.scored_at is not None else None
    zone = zone_of(lead.time_zone or tenant.time_zone)
    signals = lead_signals(lead, zone)
    score = score_lead(signals, now)
    reader = language or lead.language
    lead.lead_score = score.score
    lead.temperature = score.temperature.value
    lead.score_confidence = score.confidence
    lead.scored_at = now
    await LeadRepository(session).replace_factors(
        lead, [FactorRow(f.key, f.points, f.max_points, reason(f, reader)) for f in score.factors], now
    )
    learned = await update_likelihood(session, lead, tenant, signals, zone, now)
    unit = _unit(session)
    unit.due.discard(lead.id)
    unit.stored[lead.id] = score
    if burning_alert_due(previous, score.score):
        await raise_alert(session, lead, AlertKind.BURNING, now)
    if learned is not None and learned.crossed:
        await raise_alert(session, lead, AlertKind.LIKELY, now)
    return score


async def raise_alert(
    session: AsyncSession, lead: Lead, kind: AlertKind, now: datetime, detail: str | None = None
) -> bool:
    """Record a hot-lead alert once per (lead, kind) and NOTIFY the team bot; False if it existed.

    The alert carries the unit's score (`settle`), never a second scoring. Reasons are written in the
    tenant's language (the team reads them); the structured fields, the top factors among them, let the
    team bot render them in each rep's language.
    """
    score = await settle(session, lead, now)
    tenant = await tenant_of(session, lead)
    team_language = tenant.default_language
    facts = AlertFacts(
        lead_id=lead.id,
        name=lead.name,
        phone=lead.phone,
        language=lead.language,
        transaction=lead.transaction,
        property_type=lead.property_type,
        location=lead.location,
        budget_min=lead.budget_min,
        budget_max=lead.budget_max,
        currency=lead.budget_currency,
        score=score.score,
        temperature=score.temperature.value,
        factors=score.factors,
    )
    payload = alert_payload(kind, facts, team_language, detail)
    if (likely := await stored_likelihood(session, lead, tenant)) is not None:
        payload["conversion"] = likely.to_json()  # the team bot words it in each reader's language
    payload.update(
        transaction=lead.transaction,
        property_type=lead.property_type,
        location=lead.location,
        budget_min=json_number(lead.budget_min),
        budget_max=json_number(lead.budget_max),
        currency=lead.budget_currency,
    )
    alert_id = await LeadRepository(session).add_alert(
        lead, kind=kind.value, payload=payload, now=now, channel=ALERT_CHANNEL
    )
    if alert_id is not None:
        log.info("lead %s: %s alert %s recorded", lead.id, kind.value, alert_id)
        await integration_events.record_event(
            session,
            tenant_id=lead.tenant_id,
            kind=integration_events.EventKind.LEAD_HOT,
            data={**integration_events.lead_data(lead, contact=True), "alert": kind.value},
            now=now,
        )
    return alert_id is not None
