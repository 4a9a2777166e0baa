"""What the model reads of a stored lead: reply delays, viewings and prices shown, only before the outcome."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from agent.core.conversion.features import feature_values
from agent.services.conversion.facts import Known, facts_of
from agent.services.leads.attribution import record_source
from agent.services.leads.contact import save_contact
from agent.services.leads.intake import record_inbound
from agent.services.leads.scoring import lead_signals
from agent.services.leads.training import base_score_of
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


async def _training_view(database: Database, lead_id: int) -> tuple[list[float], int]:
    """What training reads of the lead: its features and its base score (agent.services.leads.training)."""
    async with database.session() as session:
        stored = await session.get(Lead, lead_id)
        assert stored is not None and stored.outcome_at is not None
        zone = ZoneInfo("UTC")
        facts = (await facts_of(session, [Known(stored, lead_signals(stored, zone), zone)]))[lead_id]
        return feature_values(facts), base_score_of(facts, stored.outcome_at)


async def test_a_won_lead_chatting_after_its_outcome_trains_as_it_stood_at_the_outcome(
    database: Database,
) -> None:
    tenant = await make_agency(database)
    outcome_at = NOW - timedelta(days=10)
    blank = {
        "message_count": 0,
        "catalog_views": 0,
        "phone": None,
        "first_inbound_at": None,
        "last_inbound_at": None,
    }
    quiet = await add_open_lead(database, tenant, telegram_user_id=1, **blank)
    chatty = await add_open_lead(database, tenant, telegram_user_id=2, **blank)

    async def before(lead_id: int) -> None:  # the same conversation up to the outcome, through intake
        async with database.session() as session:
            lead = await session.get(Lead, lead_id)
            assert lead is not None
            start = outcome_at - timedelta(days=3)
            await record_source(session, lead, "catalog", start)
            await record_inbound(
                session, lead, text="a villa in Canggu, what is the price?", kind="text", now=start
            )
            await record_inbound(session, lead, text=None, kind="voice", now=start + timedelta(hours=1))
            lead.status, lead.outcome_at = "won", outcome_at

    await before(quiet.id)
    await before(chatty.id)
    expected = await _training_view(database, chatty.id)
    async with database.session() as session:  # after signing: questions, urgency, a phone, a voice, QR scans
        lead = await session.get(Lead, chatty.id)
        assert lead is not None
        for hours in range(1, 30):
            at = outcome_at + timedelta(hours=hours)
            await record_inbound(
                session, lead, text="urgent! when is the handover, and the payment plan?", kind="text", now=at
            )
        await record_inbound(session, lead, text=None, kind="voice", now=outcome_at + timedelta(days=2))
        await record_source(session, lead, "qr", outcome_at + timedelta(days=3))
        await save_contact(session, lead, phone="+14155550123", now=outcome_at + timedelta(days=3))
    async with database.session() as session:
        grown = await session.get(Lead, chatty.id)
        assert grown is not None and grown.message_count > 30 and grown.urgency_mentions > 20 and grown.phone

    assert await _training_view(database, chatty.id) == expected == await _training_view(database, quiet.id)
