"""Leads for the leads pages' tests: Anna's, Boris's and the other agency's, with scores that tie."""

from __future__ import annotations

from datetime import datetime, timedelta

from agent.core.clock import FrozenClock
from agent.services.leads.scoring import rescore
from storage.db import Database
from storage.models import Lead, LeadInteraction
from tests.web.web_support import ANNA, BORIS, Agencies


async def add_lead(database: Database, tenant_id: int, rep_id: object, name: str, **fields: object) -> int:
    async with database.session() as session:
        lead = Lead(tenant_id=tenant_id, assigned_rep_id=rep_id, name=name, **fields)
        session.add(lead)
        await session.flush()
        return lead.id


async def scored_lead(database: Database, clock: FrozenClock, agencies: Agencies, **fields: object) -> int:
    """Anna's lead with a phone, a budget, scans, views and messages, scored at the clock's time, and a chat."""
    now = clock.now()
    async with database.session() as session:
        values: dict[str, object] = {
            "tenant_id": agencies.tre.id,
            "assigned_rep_id": agencies.rep(ANNA).id,
            "name": "Ahmad Rezaei",
            "phone": "+971501234567",
            "budget_max": 2_500_000,
            "budget_currency": "AED",
            "transaction": "sale",
            "property_type": "villa",
            "location": "Dubai Marina",
            "qr_scan_count": 3,
            "catalog_views": 2,
            "message_count": 5,
            "source": "expo_qr",
            "language": "en",
            "telegram_user_id": 5550001,
            "telegram_chat_id": 5550001,
            "first_inbound_at": now - timedelta(minutes=30),
            "last_inbound_at": now - timedelta(minutes=20),
        }
        values.update(fields)
        lead = Lead(**values)
        session.add(lead)
        await session.flush()
        for minutes, direction, text in (
            (30, "inbound", "Hi, a villa in the Marina?"),
            (29, "outbound", "Sure!"),
        ):
            session.add(
                LeadInteraction(
                    tenant_id=lead.tenant_id,
                    lead_id=lead.id,
                    type="message",
                    direction=direction,
                    text=text,
                    created_at=now - timedelta(minutes=minutes),
                )
            )
        await rescore(session, lead, now)
        return lead.id


async def board(
    database: Database, agencies: Agencies, count: int = 7, score: int = 40
) -> dict[str, list[int]]:
    """`count` leads each for Anna and Boris with one score (ties), an opted-out one each, one in the other agency."""
    made: dict[str, list[int]] = {"anna": [], "boris": [], "other": []}
    for i in range(count):
        made["anna"].append(
            await add_lead(
                database, agencies.tre.id, agencies.rep(ANNA).id, f"Anna lead {i}", lead_score=score
            )
        )
        made["boris"].append(
            await add_lead(
                database, agencies.tre.id, agencies.rep(BORIS).id, f"Boris lead {i}", lead_score=score
            )
        )
    made["anna"].append(
        await add_lead(
            database, agencies.tre.id, agencies.rep(ANNA).id, "Anna stopped", lead_score=99, opted_out=True
        )
    )
    made["other"].append(await add_lead(database, agencies.other.id, None, "Other lead", lead_score=90))
    return made


def at(clock: FrozenClock) -> datetime:
    return clock.now()
