"""Gather what is recorded about a lead into an `agent.core.insights.LeadSnapshot` (reads only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.insights import LeadSnapshot, ListingRef, OpenQuestion, Touchpoint, ViewingState
from agent.core.nlu.exchange import in_catalog_currency
from storage.embedder import Embedder
from storage.models import Lead, LeadInteraction, LeadQuestion, QuestionStatus, Tenant, Viewing
from storage.repositories import properties as catalog

TOUCHPOINT_LIMIT = 60
"""The latest interactions read for touchpoints: enough for a summary, bounded for a nightly run."""
LISTING_CANDIDATES = 10
CONTACT_TYPES = frozenset({"follow_up", "agent_answer", "listing_sent"})
"""Outbound interactions where someone reached out to the lead (not the bot's reply to their message)."""
SAID_TYPES = {"message": "chat", "voice": "voice"}
AHEAD = ("scheduled", "rescheduled")


def notes_of(notes: str | None) -> list[Touchpoint]:
    """The rep notes, one "[YYYY-MM-DD HH:MM] text" line each (as the team bot and the dashboard write them)."""
    found: list[Touchpoint] = []
    for line in (notes or "").splitlines():
        line = line.strip()
        if line.startswith("[") and "] " in line:
            line = line.partition("] ")[2]
        if line:
            found.append(Touchpoint("note", line, None))
    return found


def touchpoints_of(interactions: Iterable[LeadInteraction]) -> list[Touchpoint]:
    """What the lead said, oldest first: a message right after a follow-up is a reply to it."""
    found: list[Touchpoint] = []
    after_follow_up = False
    for row in interactions:
        if row.direction == "outbound":
            if row.type == "follow_up":
                after_follow_up = True
            continue
        kind = SAID_TYPES.get(row.type)
        if kind is None or not (row.text or "").strip():
            continue
        if after_follow_up:
            kind = "follow_up_reply"
        after_follow_up = False
        found.append(Touchpoint(kind, (row.text or "").strip(), row.created_at))
    return found


def last_contact(interactions: Iterable[LeadInteraction]) -> datetime | None:
    times = [
        row.created_at
        for row in interactions
        if row.direction == "outbound" and (row.type in CONTACT_TYPES or (row.meta or {}).get("by"))
    ]
    return max(times) if times else None


def shown_ids(interactions: Iterable[LeadInteraction]) -> set[int]:
    shown: set[int] = set()
    for row in interactions:
        meta = row.meta or {}
        ids = meta.get("property_ids")
        if isinstance(ids, list):
            shown |= {int(i) for i in ids if isinstance(i, int)}
        single = meta.get("property_id")
        if row.type == "listing_sent" and isinstance(single, int):
            shown.add(single)
    return shown


def viewing_state(viewings: Iterable[Viewing], now: datetime) -> ViewingState:
    state = ViewingState.NONE
    for viewing in viewings:
        if viewing.status in AHEAD and viewing.starts_at > now:
            return ViewingState.UPCOMING
        if viewing.status == "completed" or viewing.status in AHEAD:
            state = ViewingState.DONE
        elif state is ViewingState.NONE:
            state = ViewingState.CANCELLED
    return state


async def unshown_match(
    session: AsyncSession, lead: Lead, tenant: Tenant, shown: set[int], embedder: Embedder
) -> ListingRef | None:
    """The first listing of the catalog that fits the lead's stored preferences and was never shown to them."""
    if not any((lead.transaction, lead.property_types, lead.locations, lead.budget_max, lead.bedrooms)):
        return None  # nothing said yet: any listing would "match"
    bounds = in_catalog_currency(
        None,
        lead.budget_max,
        lead.budget_currency,
        catalog_currency=tenant.default_currency,
        listed_currencies=await catalog.catalog_currencies(session, lead.tenant_id),
        rates=tenant.exchange_rates,
    )
    filters = catalog.PropertyFilters(
        max_price=bounds.max_price,
        currency=bounds.currency,
        bedrooms=lead.bedrooms,
        property_types=tuple(lead.property_types or ()),
        transaction=lead.transaction,
        locations=tuple(lead.locations or ()),
        pets_allowed=True if lead.pets else None,
        furnished=lead.furnished,
    )
    hits = await catalog.search_properties(
        session, lead.tenant_id, "", filters, embedder, len(shown) + LISTING_CANDIDATES
    )
    for hit in hits:
        if hit.id not in shown:
            return ListingRef(hit.id, hit.title)
    return None


async def lead_snapshot(
    session: AsyncSession, lead: Lead, now: datetime, embedder: Embedder | None = None
) -> LeadSnapshot:
    """Everything recorded about `lead` that an insight may state, read in the caller's transaction.

    Without an `embedder` no listing is looked up (no "send listing" action).
    """
    tenant = await session.get(Tenant, lead.tenant_id)
    assert tenant is not None
    latest = list(
        (
            await session.execute(
                select(LeadInteraction)
                .where(LeadInteraction.lead_id == lead.id, LeadInteraction.tenant_id == lead.tenant_id)
                .order_by(LeadInteraction.created_at.desc(), LeadInteraction.id.desc())
                .limit(TOUCHPOINT_LIMIT)
            )
        ).scalars()
    )
    latest.reverse()
    questions = (
        await session.execute(
            select(LeadQuestion)
            .where(LeadQuestion.lead_id == lead.id, LeadQuestion.status == QuestionStatus.OPEN.value)
            .order_by(LeadQuestion.asked_at)
        )
    ).scalars()
    viewings = (
        await session.execute(
            select(Viewing).where(Viewing.lead_id == lead.id, Viewing.tenant_id == lead.tenant_id)
        )
    ).scalars()
    shown = shown_ids(
        (
            await session.execute(
                select(LeadInteraction).where(
                    LeadInteraction.lead_id == lead.id,
                    LeadInteraction.type.in_(("listings_shown", "listing_sent")),
                )
            )
        ).scalars()
    )
    snapshot = LeadSnapshot(
        lead_id=lead.id,
        status=lead.status,
        temperature=lead.temperature,
        score=lead.lead_score,
        opted_out=lead.opted_out,
        has_phone=bool(lead.phone),
        time_zone=lead.time_zone or tenant.time_zone or "UTC",
        budget_min=lead.budget_min,
        budget_max=lead.budget_max,
        currency=lead.budget_currency,
        budget_period=lead.budget_period,
        areas=tuple(lead.locations or ([lead.location] if lead.location else [])),
        property_types=tuple(lead.property_types or ([lead.property_type] if lead.property_type else [])),
        transaction=lead.transaction,
        bedrooms=lead.bedrooms,
        timeline=lead.timeline,
        payment_method=lead.payment_method,
        urgency_mentions=lead.urgency_mentions,
        last_inbound_at=lead.last_inbound_at,
        last_outbound_at=lead.last_outbound_at,
        last_contact_at=last_contact(latest),
        taken_over=lead.taken_over_by is not None,
        open_questions=tuple(OpenQuestion(q.id, q.question, q.asked_at) for q in questions),
        touchpoints=(*touchpoints_of(latest), *notes_of(lead.notes)),
        shown_listings=len(shown),
        viewing=viewing_state(viewings, now),
    )
    if embedder is not None and not lead.opted_out:
        snapshot = replace(
            snapshot, unshown_listing=await unshown_match(session, lead, tenant, shown, embedder)
        )
    return snapshot
