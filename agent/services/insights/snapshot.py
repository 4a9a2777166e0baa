"""Gather what is recorded about a lead into an `agent.core.insights.LeadSnapshot` (reads only)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.insights import LeadSnapshot, ListingRef, OpenQuestion, Touchpoint, ViewingState, Wants
from agent.core.nlu.exchange import in_catalog_currency
from storage.embedder import Embedder
from storage.models import Lead, Tenant
from storage.repositories import properties as catalog
from storage.repositories.insights import InsightRepository

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


class Interaction(Protocol):
    """What is read of a `lead_interactions` row."""

    @property
    def type(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def text(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def meta(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class Row:
    type: str
    direction: str
    text: str | None
    created_at: datetime
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ViewingRow:
    status: str
    starts_at: datetime


def touchpoints_of(interactions: Iterable[Interaction]) -> list[Touchpoint]:
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


def last_contact(interactions: Iterable[Interaction]) -> datetime | None:
    times = [
        row.created_at
        for row in interactions
        if row.direction == "outbound" and (row.type in CONTACT_TYPES or (row.meta or {}).get("by"))
    ]
    return max(times) if times else None


def viewing_state(viewings: Iterable[ViewingRow], now: datetime) -> ViewingState:
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


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _shown(values: Iterable[Any]) -> set[int]:
    return {int(v) for v in values if str(v).isdigit()}


def _last_listing(action: Mapping[str, Any] | None, shown: set[int]) -> ListingRef | None:
    """The listing the last full refresh found to send, while it is still not shown."""
    if not action or action.get("kind") != "send_listing" or not isinstance(action.get("listing_id"), int):
        return None
    if action["listing_id"] in shown:
        return None
    return ListingRef(int(action["listing_id"]), str(action.get("listing_title") or ""))


async def lead_snapshot(
    session: AsyncSession, lead: Lead, now: datetime, embedder: Embedder | None = None
) -> LeadSnapshot:
    """Everything recorded about `lead` that an insight may state, read in the caller's transaction.

    With an `embedder` the catalog is searched for a matching listing never shown; without one (the lead's turn,
    where each statement counts) the listing the last full refresh found is kept while it is still not shown.
    """
    gathered = await InsightRepository(session).gather(lead.tenant_id, lead.id, TOUCHPOINT_LIMIT)
    latest = [
        Row(r["type"], r["direction"], r["text"], _when(r["created_at"]), r["metadata"] or {})
        for r in _json(gathered.latest)
    ]
    shown = _shown(_json(gathered.shown))
    viewings = [ViewingRow(v["status"], _when(v["at"])) for v in _json(gathered.viewings)]
    snapshot = LeadSnapshot(
        lead_id=lead.id,
        status=lead.status,
        temperature=lead.temperature,
        score=lead.lead_score,
        opted_out=lead.opted_out,
        has_phone=bool(lead.phone),
        time_zone=lead.time_zone or gathered.tenant_zone or "UTC",
        wants=Wants(
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
        ),
        last_inbound_at=lead.last_inbound_at,
        last_outbound_at=lead.last_outbound_at,
        last_contact_at=last_contact(latest),
        taken_over=lead.taken_over_by is not None,
        open_questions=tuple(
            OpenQuestion(int(q["id"]), str(q["text"]), _when(q["at"])) for q in _json(gathered.questions)
        ),
        touchpoints=(*touchpoints_of(latest), *notes_of(lead.notes)),
        shown_listings=len(shown),
        viewing=viewing_state(viewings, now),
        unshown_listing=_last_listing(_json(gathered.last_action), shown),
    )
    if embedder is not None and not lead.opted_out:
        tenant = await session.get(Tenant, lead.tenant_id)
        assert tenant is not None
        snapshot = replace(
            snapshot, unshown_listing=await unshown_match(session, lead, tenant, shown, embedder)
        )
    return snapshot
