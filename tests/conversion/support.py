"""Agencies with won and lost leads for the training tests: a rule decides who won, the outcomes span months."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from agent.core.scoring import score_lead
from agent.services.leads.scoring import lead_signals
from storage.db import Database
from storage.models import Lead, Tenant

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SOURCES = ("referral", "expo_qr", "website", "catalog", "ads")

Rule = Callable[[Lead], bool]


async def make_agency(database: Database, slug: str = "acme") -> Tenant:
    async with database.session() as session:
        tenant = Tenant(name=f"{slug.title()} Homes", slug=slug, time_zone="UTC")
        session.add(tenant)
        await session.flush()
        return tenant


def a_lead(tenant: Tenant, rng: random.Random, number: int) -> Lead:
    """A lead with random counters, fields and source, first seen some months before NOW."""
    first = NOW - timedelta(days=rng.randint(30, 300), hours=rng.randint(0, 23))
    return Lead(
        tenant_id=tenant.id,
        telegram_user_id=10_000 + number,
        telegram_chat_id=10_000 + number,
        name=f"Lead {number}",
        phone="+14155550100" if rng.random() < 0.5 else None,
        source=rng.choice(SOURCES),
        message_count=rng.randint(1, 10),
        catalog_views=rng.randint(0, 4),
        qr_scan_count=0,
        voice_message_count=0,
        urgency_mentions=0,
        specific_questions=0,
        first_inbound_at=first,
        last_inbound_at=first + timedelta(hours=rng.randint(1, 200)),
    )


async def add_outcomes(database: Database, tenant: Tenant, count: int, won: Rule, seed: int = 7) -> None:
    """`count` leads, won when `won(lead)` says so, else lost; outcome times in an order unrelated to the label."""
    rng = random.Random(seed)
    async with database.session() as session:
        for number in range(count):
            lead = a_lead(tenant, rng, number)
            lead.status = "won" if won(lead) else "lost"
            lead.outcome_at = NOW - timedelta(days=rng.randint(1, 25), minutes=number)
            session.add(lead)


async def add_open_lead(database: Database, tenant: Tenant, **fields: object) -> Lead:
    lead = a_lead(tenant, random.Random(99), 900_000)
    recent = {"first_inbound_at": NOW - timedelta(days=2), "last_inbound_at": NOW - timedelta(hours=1)}
    for name, value in {"status": "qualifying", **recent, **fields}.items():
        setattr(lead, name, value)
    async with database.session() as session:
        session.add(lead)
        await session.flush()
        return lead


def by_source_ads(lead: Lead) -> bool:
    """A rule the base score gets backwards: ads (its coldest source) is where this agency's buyers come from."""
    return lead.source == "ads"


def by_base_score(lead: Lead) -> bool:
    """A rule that is exactly the base score's order: the higher half of base scores won."""
    signals = lead_signals(lead, ZoneInfo("UTC"))
    return score_lead(signals, lead.last_inbound_at or NOW).score >= BASE_SCORE_MEDIAN


BASE_SCORE_MEDIAN = 38
