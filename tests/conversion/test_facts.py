"""What the model reads of a stored lead: reply delays, viewings and prices shown, only before the outcome."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from agent.services.conversion.facts import Known, facts_of
from agent.services.leads.scoring import lead_signals
from storage.db import Database
from storage.models import Lead, LeadInteraction, Property, Viewing
from tests.conversion.support import NOW, add_open_lead, make_agency


async def test_the_timeline_viewings_and_prices_shown_before_the_outcome_are_read(database: Database) -> None:
    tenant = await make_agency(database)
    lead = await add_open_lead(
        database,
        tenant,
        status="won",
        outcome_at=NOW,
        budget_max=Decimal(400_000),
        budget_currency="USD",
        first_inbound_at=NOW - timedelta(days=3),  # a Tuesday
    )
    start = NOW - timedelta(days=3)
    async with database.session() as session:
        villa = Property(
            tenant_id=tenant.id,
            external_id="v1",
            title="Villa",
            property_type="villa",
            transaction="sale",
            price=Decimal(500_000),
            currency="USD",
            location="Canggu",
        )
        session.add(villa)
        await session.flush()

        def said(minutes: int, direction: str, kind: str = "message", **extra: object) -> LeadInteraction:
            return LeadInteraction(
                tenant_id=tenant.id,
                lead_id=lead.id,
                type=kind,
                direction=direction,
                created_at=start + timedelta(minutes=minutes),
                **extra,
            )

        session.add_all(
            [
                said(0, "inbound", text="a villa in Canggu please"),
                said(1, "outbound", "listings_shown", meta={"property_ids": [villa.id]}),
                said(21, "inbound", text="the first one"),  # replied after 20 minutes
                said(60 * 24 * 4, "inbound", text="signed, thanks"),  # after the outcome: not read
            ]
        )
        for status, outcome, days in (
            ("completed", "interested", 1),
            ("cancelled", None, 2),  # cancelled: not a viewing
            ("completed", "made_offer", 5),  # after the outcome: not read
        ):
            session.add(
                Viewing(
                    tenant_id=tenant.id,
                    lead_id=lead.id,
                    property_id=villa.id,
                    starts_at=start + timedelta(days=days),
                    ends_at=start + timedelta(days=days, hours=1),
                    time_zone="UTC",
                    status=status,
                    outcome=outcome,
                )
            )

    async with database.session() as session:
        stored = await session.get(Lead, lead.id)
        assert stored is not None
        zone = ZoneInfo("UTC")
        facts = (await facts_of(session, [Known(stored, lead_signals(stored, zone), zone)]))[lead.id]

    assert facts.replies.median_minutes == 20
    assert facts.replies.words_per_message == 4  # "a villa in Canggu please" and "the first one": (5 + 3) / 2
    assert (facts.viewings, facts.viewing_outcomes) == (1, frozenset({"interested"}))
    assert facts.price_to_budget == 1.25
    assert facts.inquiry_weekday == start.weekday()
