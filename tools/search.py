"""search_properties: the tenant's listings that fit the lead, with honest scarcity lines."""

from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal
from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.lead_tools import LeadTool
from agent.core.nlu.exchange import PriceBounds, in_catalog_currency
from agent.core.policies.scarcity import RECENT_BOOKINGS_WINDOW, ListingDemand, urgency_after_scarcity
from agent.core.policies.vocabulary import listing_text
from agent.services.leads import json_number, tenant_of
from prompts.scarcity import scarcity_statement
from storage.models import Lead
from storage.repositories import properties as catalog
from storage.repositories.leads import LeadRepository
from storage.repositories.viewings import ViewingRepository
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of

MAX_RESULTS = 10


def effective_filters(lead: Lead, given: dict[str, Any]) -> catalog.PropertyFilters:
    """The model's filters, each missing one taken from the lead's stored preferences.

    The budget ceiling is a filter; the budget floor is not (a cheaper match is still a match).
    """

    def pick(name: str, stored: Any) -> Any:
        value = given.get(name)
        return stored if value is None or value == "" else value

    max_price = pick("max_price", lead.budget_max)
    min_price = given.get("min_price")
    types = () if given.get("property_type") else tuple(lead.property_types or ())
    locations = () if given.get("location") else tuple(lead.locations or ())
    return catalog.PropertyFilters(
        min_price=Decimal(str(min_price)) if min_price is not None else None,
        max_price=Decimal(str(max_price)) if max_price is not None else None,
        currency=pick("currency", lead.budget_currency),
        bedrooms=pick("bedrooms", lead.bedrooms),
        bathrooms=pick("bathrooms", lead.bathrooms),
        property_type=pick("property_type", lead.property_type),
        property_types=types,
        transaction=pick("transaction", lead.transaction),
        location=pick("location", lead.location),
        locations=locations,
        pets_allowed=pick("pets_allowed", True if lead.pets else None),
        furnished=pick("furnished", lead.furnished),
    )


async def _priced_in_catalog_currency(
    session: AsyncSession, lead: Lead, filters: catalog.PropertyFilters
) -> tuple[catalog.PropertyFilters, dict[str, Any] | None]:
    """The filters with the budget in the catalog's currency (at the agency's rate), or without a price bound
    when the agency has no rate for it; and a note saying which, or None when the budget needed nothing."""
    if not filters.currency or (filters.min_price is None and filters.max_price is None):
        return filters, None
    tenant = await tenant_of(session, lead)
    if filters.currency.upper() == tenant.default_currency.upper():
        return filters, None
    bounds: PriceBounds = in_catalog_currency(
        filters.min_price,
        filters.max_price,
        filters.currency,
        catalog_currency=tenant.default_currency,
        listed_currencies=await catalog.catalog_currencies(session, lead.tenant_id),
        rates=tenant.exchange_rates,
    )
    priced = replace(
        filters, min_price=bounds.min_price, max_price=bounds.max_price, currency=bounds.currency
    )
    return priced, bounds.note


async def _demand(
    session: AsyncSession, tenant_id: int, hits: list[catalog.PropertyHit], ctx: LeadContext
) -> dict[int, ListingDemand]:
    now = now_of(ctx)
    bookings = await ViewingRepository(session).bookings_since(
        tenant_id, [hit.id for hit in hits], now - RECENT_BOOKINGS_WINDOW, now
    )
    return {
        hit.id: ListingDemand(hit.units_available, hit.total_units, bookings.get(hit.id, 0)) for hit in hits
    }


@tool(LeadTool.SEARCH, parse_docstring=True)
async def search_properties(
    query: str = "",
    max_price: float | None = None,
    min_price: float | None = None,
    currency: str | None = None,
    bedrooms: int | None = None,
    bathrooms: int | None = None,
    property_type: str | None = None,
    transaction: str | None = None,
    location: str | None = None,
    pets_allowed: bool | None = None,
    furnished: bool | None = None,
    limit: int = 3,
    *,
    runtime: ToolRuntime[LeadContext],
) -> dict[str, Any]:
    """Search the agency's available listings for this lead. Filters left out default to the lead's saved preferences.

    A result's `scarcity` is a true statement from the data (units left, recent bookings) or null;
    mention it only when it is not null, and never invent one. A `title` whose `title_language` is not the
    lead's is a name: introduce it in the lead's language. `more` says whether other listings match too.
    Prices are in each listing's currency: when the lead's budget is in another one, `currency_note` says
    whether it was converted at the agency's rate, or, with no rate, that the search ignored the budget (then ask
    for the budget in `catalog_currency`).

    Args:
        query: What the lead described in their own words, e.g. "quiet villa near the beach with a pool".
        max_price: Highest price, in `currency`.
        min_price: Lowest price, in `currency`.
        currency: Three-letter currency code of the prices, e.g. USD, AED, EUR.
        bedrooms: Minimum number of bedrooms.
        bathrooms: Minimum number of bathrooms.
        property_type: villa, apartment, townhouse, house or land.
        transaction: sale or rent.
        location: Area or city as the lead named it.
        pets_allowed: True if the lead has pets.
        furnished: True for furnished only, False for unfurnished only.
        limit: How many listings to return (1-10).
    """
    ctx = context_of(runtime)
    given = {
        "max_price": max_price,
        "min_price": min_price,
        "currency": currency.upper() if currency else None,
        "bedrooms": bedrooms,
        "bathrooms": bathrooms,
        "property_type": property_type.lower() if property_type else None,
        "transaction": transaction.lower() if transaction else None,
        "location": location,
        "pets_allowed": pets_allowed,
        "furnished": furnished,
    }
    async with lead_session(ctx) as (session, lead):
        filters, currency_note = await _priced_in_catalog_currency(
            session, lead, effective_filters(lead, given)
        )
        wanted = max(1, min(int(limit), MAX_RESULTS))
        hits = await catalog.search_properties(
            session, ctx.tenant_id, query or "", filters, ctx.services.embedder, wanted + 1
        )
        more, hits = len(hits) > wanted, hits[:wanted]  # one more than asked says whether others match
        demand = await _demand(session, ctx.tenant_id, hits, ctx) if hits else {}
        results = []
        for hit in hits:
            title, title_language = listing_text(
                hit.title, hit.language, hit.translations, lead.language, "title"
            )
            results.append(
                {
                    "id": hit.id,
                    "title": title,
                    "title_language": title_language,
                    "property_type": hit.property_type,
                    "transaction": hit.transaction,
                    "price": json_number(hit.price),
                    "currency": hit.currency,
                    "price_period": hit.price_period,
                    "bedrooms": hit.bedrooms,
                    "bathrooms": json_number(hit.bathrooms),
                    "size_m2": json_number(hit.size_m2),
                    "location": hit.location,
                    "address": hit.address,
                    "amenities": hit.amenities,
                    "units_available": hit.units_available,
                    "pets_allowed": hit.pets_allowed,
                    "furnished": hit.furnished,
                    "photos": hit.photos[:10],
                    "scarcity": scarcity_statement(demand[hit.id], lead.language),
                }
            )
        if any(result["scarcity"] for result in results):
            lead.fomo_messages_sent += 1
            lead.urgency_score = urgency_after_scarcity(lead.urgency_score)
        shown_filters = {
            "query": query,
            **{
                key: json_number(value) if isinstance(value, Decimal) else value
                for key, value in asdict(filters).items()
            },
        }
        shown_filters.pop("include_unavailable", None)
        for alternatives in ("property_types", "locations"):  # shown only when the lead named alternatives
            listed = shown_filters.get(alternatives)
            if isinstance(listed, tuple | list) and listed:
                shown_filters[alternatives] = list(listed)
            else:
                shown_filters.pop(alternatives, None)
        if results:
            await LeadRepository(session).add_interaction(
                lead,
                type="listings_shown",
                direction="outbound",
                now=now_of(ctx),
                meta={"property_ids": [result["id"] for result in results], "filters": shown_filters},
            )
    found: dict[str, Any] = {
        "count": len(results),
        "results": results,
        "more": more,
        "filters": shown_filters,
    }
    if currency_note is not None:
        found["currency_note"] = (
            currency_note  # the budget was converted, or could not be: say so to the lead
        )
    return found
