"""Ghost Protocol: one personal nudge to a lead who gave a phone number and then went quiet.

Who (`storage.models.GHOST_ELIGIBLE`): phone given, not booked / won / handed off / lost, not opted out,
never reminded, and silent for the tenant's `ghost_after_minutes` (120 by default). What: one message in their language with their
name and what they asked for; "my colleague found..." only when the catalog really has a listing that passes
their stated filters. The send itself (and `ghost_reminder_sent`, `fomo_messages_sent`) goes through the ledger.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.policies.followup_text import MAX_CHARS, FollowUpFacts, Purpose, knows_wish
from agent.core.policies.vocabulary import language_of
from agent.services.provider import Services
from prompts import text
from prompts.followups import draft_follow_up_text, wish_parts
from prompts.vocabulary import LIST_SEPARATOR
from storage.models import Lead, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend, ghost_step_key

log = logging.getLogger(__name__)

SCAN_BATCH = 500


@dataclass(frozen=True)
class GhostPlan:
    tenant_id: int
    due: int
    planned: int


async def find_real_match(session: AsyncSession, lead: Lead) -> str | None:
    """The title of an available listing that passes every filter the lead stated, or None."""
    from storage.repositories.properties import PropertyFilters, search_properties

    filters = PropertyFilters(
        max_price=lead.budget_max,
        currency=lead.budget_currency,
        bedrooms=lead.bedrooms,
        property_type=lead.property_type,
        transaction=lead.transaction,
        location=lead.location,
        pets_allowed=lead.pets,
        furnished=lead.furnished,
    )
    # An empty query ranks by price alone: no embedder is needed to know a listing passes the filters.
    hits = await search_properties(session, lead.tenant_id, "", filters, embedder=_NO_EMBEDDER, limit=1)
    return hits[0].title if hits else None


def draft_ghost_text(facts: FollowUpFacts, match: str | None) -> str:
    """The nudge: the seed's "my colleague found..." only with a real match, otherwise a plain check-in."""
    if not match or not knows_wish(facts):
        return draft_follow_up_text(facts, Purpose.GHOST)
    lang = language_of(facts.language)
    name = (facts.name or "").strip().split(" ")[0][:24]
    hi = text(lang, "followups", "hello_named", name=name) if name else text(lang, "followups", "hello")
    parts = wish_parts(facts)
    separator = " " if lang == "en" else LIST_SEPARATOR[lang]
    title = match.strip()[:60]
    while True:
        nudge = text(lang, "followups", "ghost_match", hi=hi, wish=separator.join(parts), match=title)
        if len(nudge) <= MAX_CHARS or len(parts) == 1:
            return nudge if len(nudge) <= MAX_CHARS else nudge[: MAX_CHARS - 1].rstrip() + "…"
        parts = parts[:-1]


def ghost_channel(lead: Lead, services: Services) -> str:
    """Telegram when we have their chat; WhatsApp (the phone they gave) when configured; else Telegram (skipped)."""
    if lead.telegram_chat_id is None and services.channels.whatsapp is not None:
        return "whatsapp"
    return "telegram"


async def plan_ghost_nudges(
    services: Services, now: datetime, *, tenant_id: int | None = None
) -> list[GhostPlan]:
    """Put a nudge in the ledger for every lead due now; the dispatcher sends them."""
    async with services.database.session() as session:
        query = select(Tenant).order_by(Tenant.id)
        if tenant_id is not None:
            query = query.where(Tenant.id == tenant_id)
        tenants = [
            (t.id, t.ghost_after_minutes or services.settings.ghost_after_minutes)
            for t in (await session.execute(query)).scalars()
        ]
    plans = []
    for tid, after_minutes in tenants:
        cutoff = now - timedelta(minutes=after_minutes)
        due = planned = 0
        for _ in range(10_000):  # bounded: each round plans or excludes what it saw
            async with services.database.session() as session:
                repo = FollowUpRepository(session)
                lead_ids = await repo.ghost_due_lead_ids(tid, cutoff, limit=SCAN_BATCH)
                if not lead_ids:
                    break
                leads = (await session.execute(select(Lead).where(Lead.id.in_(lead_ids)))).scalars().all()
                sends = []
                for lead in leads:
                    assert lead.last_inbound_at is not None  # the due-scan's WHERE guarantees it
                    facts = FollowUpFacts.of(lead)
                    match = await find_real_match(session, lead) if knows_wish(facts) else None
                    sends.append(
                        PlannedSend(
                            tenant_id=tid,
                            lead_id=lead.id,
                            step_key=ghost_step_key(lead.last_inbound_at),
                            channel=ghost_channel(lead, services),
                            due_at=now,
                            text=draft_ghost_text(facts, match),
                        )
                    )
                due += len(lead_ids)
                planned += await repo.plan(sends, now)
            if len(lead_ids) < SCAN_BATCH:
                break
        if due:
            log.info("ghost protocol: tenant %s, %s due, %s planned", tid, due, planned)
        plans.append(GhostPlan(tenant_id=tid, due=due, planned=planned))
    return plans


class _NoEmbedder:
    """Stands in for an embedder where the search runs without a text query (it is never called)."""

    name = "none"

    async def embed(self, texts: object) -> list[list[float]]:
        raise RuntimeError("the ghost match search runs without a text query")


_NO_EMBEDDER = _NoEmbedder()
