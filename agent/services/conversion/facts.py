"""What the conversion model reads of stored leads: their row, timeline and viewings, as `ConversionFacts`.

Interactions and viewings are read only before the lead's `outcome_at` (see agent.core.conversion.features
for the leakage this avoids); a won or lost lead's inbound interactions from `outcome_at` on are read only to
take the base signals back to the outcome (agent.core.conversion.as_of). One statement for the timeline and
the viewings of any number of leads (in chunks), one for the prices of the listings shown (none when none was).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Text, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.conversion.as_of import Inbound, as_of_outcome
from agent.core.conversion.features import ConversionFacts, Touch, replies_of
from agent.core.scoring import LeadSignals
from storage.models import Lead, LeadInteraction, Property, Viewing, ViewingStatus

CHUNK = 5000
"""Leads per query (bound parameters stay far below the driver's limit)."""
VIEWING = "viewing"
"""The `direction` of a viewing's row in the combined read (a timeline row is inbound or outbound)."""
LATE = "late"
"""The `direction` of an inbound interaction at or after the lead's outcome in the combined read."""


@dataclass(frozen=True)
class Known:
    """A lead with what the base score already read of it (agent.services.leads.scoring.lead_signals) and its zone."""

    lead: Lead
    signals: LeadSignals
    zone: ZoneInfo


async def facts_of(session: AsyncSession, known: Sequence[Known]) -> dict[int, ConversionFacts]:
    """Each lead's facts, by lead id."""
    leads = [k.lead for k in known]
    touches: dict[int, list[Touch]] = defaultdict(list)
    shown: dict[int, list[int]] = defaultdict(list)
    viewings: dict[int, int] = defaultdict(int)
    outcomes: dict[int, set[str]] = defaultdict(set)
    inbound: dict[int, list[Inbound]] = defaultdict(list)
    for start in range(0, len(leads), CHUNK):
        ids = [lead.id for lead in leads[start : start + CHUNK]]
        await _read(session, ids, touches, shown, viewings, outcomes, inbound)
    budgeted = {lead.id for lead in leads if _budget(lead) is not None}  # the others have no price ratio
    prices = await _prices(session, {pid for lead_id in budgeted for pid in shown.get(lead_id, ())})
    facts: dict[int, ConversionFacts] = {}
    for lead, signals, zone in ((k.lead, k.signals, k.zone) for k in known):
        facts[lead.id] = ConversionFacts(
            signals=as_of_outcome(signals, lead.outcome_at, inbound.get(lead.id, ())),
            inquiry_weekday=lead.first_inbound_at.astimezone(zone).weekday()
            if lead.first_inbound_at
            else None,
            replies=replies_of(touches.get(lead.id, ())),
            viewings=viewings.get(lead.id, 0),
            viewing_outcomes=frozenset(outcomes.get(lead.id, ())),
            price_to_budget=_price_to_budget(
                lead, [prices[pid] for pid in shown.get(lead.id, ()) if pid in prices]
            ),
        )
    return facts


def _before_outcome(column: object) -> object:
    return or_(Lead.outcome_at.is_(None), column < Lead.outcome_at)  # type: ignore[operator]


async def _read(
    session: AsyncSession,
    ids: list[int],
    touches: dict[int, list[Touch]],
    shown: dict[int, list[int]],
    viewings: dict[int, int],
    outcomes: dict[int, set[str]],
    inbound: dict[int, list[Inbound]],
) -> None:
    """The leads' timeline and viewings in one statement (a rescore reads them on every message)."""
    from_lead = LeadInteraction.direction == "inbound"
    listed = case(
        (LeadInteraction.type == "listings_shown", LeadInteraction.meta["property_ids"]),
        (LeadInteraction.type == "contact_saved", LeadInteraction.meta["fields"]),
        else_=None,
    ).label("shown")
    timeline = (
        select(
            LeadInteraction.lead_id,
            LeadInteraction.created_at.label("at"),
            LeadInteraction.direction,
            LeadInteraction.type,
            case((from_lead, LeadInteraction.text), else_=None).label("text"),
            listed,
        )
        .join(Lead, Lead.id == LeadInteraction.lead_id)
        .where(LeadInteraction.lead_id.in_(ids), _before_outcome(LeadInteraction.created_at))  # type: ignore[arg-type]
    )
    late = (
        select(
            LeadInteraction.lead_id,
            LeadInteraction.created_at.label("at"),
            literal(LATE).label("direction"),
            LeadInteraction.type,
            LeadInteraction.text,
            listed,
        )
        .join(Lead, Lead.id == LeadInteraction.lead_id)
        .where(
            LeadInteraction.lead_id.in_(ids),
            from_lead,
            LeadInteraction.created_at >= Lead.outcome_at,
        )
    )
    booked = (
        select(
            Viewing.lead_id,
            Viewing.starts_at.label("at"),
            literal(VIEWING).label("direction"),
            func.coalesce(Viewing.outcome, "").label("type"),
            cast(null(), Text).label("text"),
            cast(null(), JSONB).label("shown"),
        )
        .join(Lead, Lead.id == Viewing.lead_id)
        .where(
            Viewing.lead_id.in_(ids),
            Viewing.status != ViewingStatus.CANCELLED.value,
            _before_outcome(Viewing.starts_at),  # type: ignore[arg-type]
        )
    )
    for row in await session.execute(union_all(timeline, late, booked)):
        if row.direction == VIEWING:
            viewings[row.lead_id] += 1
            if row.type:
                outcomes[row.lead_id].add(row.type)
            continue
        if row.direction in ("inbound", LATE):
            fields = row.shown if row.type == "contact_saved" and isinstance(row.shown, list) else ()
            inbound[row.lead_id].append(Inbound(row.at, row.type, row.text, frozenset(map(str, fields))))
        if row.direction == LATE:
            continue
        words = len(row.text.split()) if row.text else 0
        touches[row.lead_id].append(Touch(row.at, row.direction == "inbound", row.type, words))
        if row.type == "listings_shown" and isinstance(row.shown, list):
            shown[row.lead_id].extend(int(pid) for pid in row.shown if isinstance(pid, int))


async def _prices(session: AsyncSession, ids: set[int]) -> dict[int, tuple[Decimal, str, str | None]]:
    if not ids:
        return {}
    query = select(Property.id, Property.price, Property.currency, Property.price_period).where(
        Property.id.in_(sorted(ids))
    )
    return {row.id: (row.price, row.currency, row.price_period) for row in await session.execute(query)}


def _budget(lead: Lead) -> Decimal | None:
    """The top of the lead's budget when a price can be compared with it (amount and currency known)."""
    budget = lead.budget_max or lead.budget_min
    return budget if budget and lead.budget_currency else None


def _price_to_budget(lead: Lead, prices: list[tuple[Decimal, str, str | None]]) -> float | None:
    """Mean price of the listings shown (in the budget's currency and period) over the top of the budget."""
    budget = _budget(lead)
    if budget is None:
        return None
    comparable = [
        price
        for price, currency, period in prices
        if currency == lead.budget_currency and period == lead.budget_period
    ]
    if not comparable:
        return None
    return float(sum(comparable, Decimal(0)) / len(comparable) / budget)


__all__ = ["facts_of"]
