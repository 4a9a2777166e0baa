"""Scoring a stored lead: the signals the pure core reads, the stored score and factors, the team's alerts.

The lead is scored in its own time zone, else its tenant's (`tenant_of`, `zone_of`).
"""

from __future__ import annotations

import logging
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


async def rescore(session: AsyncSession, lead: Lead, now: datetime, language: str | None = None) -> LeadScore:
    """Recompute the score, store it with its factors, and alert the team on the first burning crossing."""
    tenant = await tenant_of(session, lead)
    previous = lead.lead_score if lead.scored_at is not None else None
    score = score_lead(lead_signals(lead, zone_of(lead.time_zone or tenant.time_zone)), now)
    reader = language or lead.language
    lead.lead_score = score.score
    lead.temperature = score.temperature.value
    lead.score_confidence = score.confidence
    lead.scored_at = now
    await LeadRepository(session).replace_factors(
        lead, [FactorRow(f.key, f.points, f.max_points, reason(f, reader)) for f in score.factors], now
    )
    if burning_alert_due(previous, score.score):
        await raise_alert(session, lead, AlertKind.BURNING, now)
    return score


async def raise_alert(
    session: AsyncSession, lead: Lead, kind: AlertKind, now: datetime, detail: str | None = None
) -> bool:
    """Record a hot-lead alert once per (lead, kind) and NOTIFY the team bot; False if it existed.

    Reasons are written in the tenant's language (the team reads them); the structured fields let
    the team bot render them in each rep's language.
    """
    tenant = await tenant_of(session, lead)
    team_language = tenant.default_language
    explained = score_lead(lead_signals(lead, zone_of(lead.time_zone or tenant.time_zone)), now)
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
        score=explained.score,
        temperature=explained.temperature.value,
        factors=explained.factors,
    )
    payload = alert_payload(kind, facts, team_language, detail)
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
    return alert_id is not None
