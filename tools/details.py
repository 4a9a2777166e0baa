"""listing_details: one listing's facts as the catalog states them, and which asked facts it cannot answer."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.lead_tools import LeadTool
from agent.core.listing_facts import FACTS, answer_facts, beach_distance, tenure_of
from agent.core.policies.field_rules import record_id
from agent.core.policies.vocabulary import listing_text
from agent.services.leads import json_number, tenant_of
from storage.models import Lead, Property, SalesRepresentative
from storage.repositories import properties as catalog
from tools.context import LeadContext
from tools.scope import context_of, lead_session

MAX_PHOTOS = 10
"""Telegram's media group holds ten."""


def listing_facts(listing: Property, reader: str) -> dict[str, Any]:
    """The listing as plain data for a reader of `reader`'s language (the catalog's own translation of the
    title and description when it has one), with what the description states about tenure and the beach."""
    title, title_language = listing_text(
        listing.title, listing.language, listing.translations, reader, "title"
    )
    description, language = listing_text(
        listing.description, listing.language, listing.translations, reader, "description"
    )
    return {
        "id": listing.id,
        "title": title,
        "title_language": title_language,
        "property_type": listing.property_type,
        "transaction": listing.transaction,
        "price": json_number(listing.price),
        "currency": listing.currency,
        "price_period": listing.price_period,
        "location": listing.location,
        "address": listing.address,
        "bedrooms": listing.bedrooms,
        "bathrooms": json_number(listing.bathrooms),
        "size_m2": json_number(listing.size_m2),
        "amenities": list(listing.amenities or []),
        "pets_allowed": listing.pets_allowed,
        "furnished": listing.furnished,
        "tenure": tenure_of(description),
        "beach_distance": beach_distance(description),
        "units_available": listing.units_available,
        "status": listing.status,
        "photos": list(listing.photos or [])[:MAX_PHOTOS],
        "description": description,
        "language": language,
    }


async def contact_line(session: AsyncSession, lead: Lead) -> dict[str, Any]:
    """How the lead reaches the agency: their agent's name, Telegram and e-mail when one is assigned; the
    agency's name and lead bot otherwise. Only what is on record, never a made-up number."""
    tenant = await tenant_of(session, lead)
    contact: dict[str, Any] = {"agency": tenant.name}
    if tenant.lead_bot_username:
        contact["telegram"] = f"@{tenant.lead_bot_username}"
    rep = await session.get(SalesRepresentative, lead.assigned_rep_id) if lead.assigned_rep_id else None
    if rep is not None:
        contact["agent"] = rep.name
        contact["email"] = rep.email
        if rep.telegram_username:
            contact["telegram"] = f"@{rep.telegram_username.lstrip('@')}"
    return contact


@tool(LeadTool.DETAILS, parse_docstring=True)
async def listing_details(
    property_id: int | None = None,
    facts: list[str] | None = None,
    *,
    runtime: ToolRuntime[LeadContext],
) -> dict[str, Any]:
    """A listing's facts from the catalog: price, address, rooms, size, amenities, pets, furnished, tenure, beach distance, units left, photos, and the agency's contact.

    Answer the lead only from this result. `answers` holds each asked fact the data states; every fact in
    `unknown` is not in the data: say plainly that you do not have that information, never guess. Status is
    "found", "not_found" (no such listing of this agency) or "contact" (no listing named; the contact only).

    Args:
        property_id: The listing the lead asks about; defaults to the listing in focus.
        facts: What the lead asked, from: price, address, size, bedrooms, bathrooms, amenities, pool, parking, garage, laundry, gym, garden, wifi, air_conditioning, security, balcony, kitchen, pets, furnished, tenure, distance, availability, contact, photos. Anything else goes as it is (it is unknown).
    """
    ctx = context_of(runtime)
    state = runtime.state if isinstance(runtime.state, dict) else {}
    wanted = record_id(property_id if property_id is not None else state.get("focus_id"))  # 10^30: none
    asked = [str(fact).strip().lower() for fact in facts or [] if str(fact).strip()][:12]
    async with lead_session(ctx, lock=False) as (session, lead):
        listing = (
            await catalog.get_property(session, ctx.tenant_id, int(wanted)) if wanted is not None else None
        )
        if listing is None and "contact" in asked:  # how to reach the agency needs no listing
            contact = await contact_line(session, lead)
            rest = [fact for fact in asked if fact != "contact"]
            return {"status": "contact", "answers": {"contact": contact}, "unknown": rest}
        if listing is None:
            return {"status": "not_found", "property_id": wanted, "unknown": asked}
        details = listing_facts(listing, lead.language)
        if "contact" in asked:
            details["contact"] = await contact_line(session, lead)
    answers, unknown = answer_facts(details, [fact for fact in asked if fact in FACTS])
    unknown += [fact for fact in asked if fact not in FACTS]
    return {"status": "found", "listing": details, "answers": answers, "unknown": unknown}
