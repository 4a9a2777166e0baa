"""What the NLU understands reaches the lead's record and the search, through the agent's own turn: alternatives are
kept and searched as one, corrections replace what was said before, and a budget in a currency the catalog does not
use never loops on "nothing matches"."""

from __future__ import annotations

from decimal import Decimal

from agent.services.leads import create_lead
from agent.services.provider import Services
from storage.models import Tenant
from tests.sales_support import new_chat
from tools.context import LeadContext, call_tool
from tools.profile import update_preferences


async def test_a_lead_who_names_alternatives_keeps_them_all_and_sees_listings_of_each(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("hi, i'm tom")
    await chat.say("I'd like to rent a house or villa in Canggu or Seminyak, up to 3500 a month")
    lead = await chat.lead()
    assert lead.name == "Tom"
    assert (lead.property_type, lead.property_types) == ("house", ["house", "villa"])
    assert (lead.location, lead.locations) == ("Canggu", ["Canggu", "Seminyak"])
    assert (lead.transaction, lead.budget_max, lead.budget_currency, lead.budget_period) == (
        "rent",
        Decimal(3500),
        "USD",
        "month",
    )
    shown = await chat.say("2 bedrooms, show me what you have")
    search = next(call for call in shown.tools if call["name"] == "search_properties")
    assert search is not None
    assert shown.lead["property_types"] == ["house", "villa"] and shown.lead["locations"] == [
        "Canggu",
        "Seminyak",
    ]


async def test_corrections_replace_what_the_lead_said_before(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Canggu, budget 300-400k")
    lead = await chat.lead()
    assert (lead.transaction, lead.budget_min, lead.budget_max) == (
        "sale",
        Decimal(300_000),
        Decimal(400_000),
    )
    await chat.say("actually up to 320k")
    lead = await chat.lead()
    assert (lead.budget_min, lead.budget_max) == (Decimal(300_000), Decimal(320_000))
    await chat.say("sorry, actually up to 250k")
    lead = await chat.lead()
    assert (lead.budget_min, lead.budget_max) == (None, Decimal(250_000))  # the old floor no longer holds
    await chat.say("no, rent not buy")
    assert (await chat.lead()).transaction == "rent"
    await chat.say("house or villa")
    assert (await chat.lead()).property_types == ["house", "villa"]
    await chat.say("actually only an apartment")
    lead = await chat.lead()
    assert (lead.property_type, lead.property_types) == ("apartment", ["apartment"])


async def test_a_lead_who_pays_by_bank_transfer_has_it_on_record(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I'm looking for a villa in Ubud, I'll pay by bank transfer")
    lead = await chat.lead()
    assert (lead.payment_method, lead.name) == ("bank_transfer", None)  # "I'm looking" is no name


async def test_small_talk_and_a_house_inside_a_question_change_nothing(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Canggu")
    await chat.say("what's the weather like in January?")
    await chat.say("Is there a pool inside the house?")
    lead = await chat.lead()
    assert (lead.timeline, lead.property_type) == (None, "villa")


async def test_a_budget_in_another_currency_is_asked_again_in_the_catalogs_and_not_looped(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to rent a villa in Canggu, 2 bedrooms")
    turn = await chat.say("3000 euro per month, show me what you have")
    assert "prices are in USD" in turn.reply and "budget in USD" in turn.reply
    assert "widen" not in turn.reply  # the budget was not searched in a currency no listing has
    answer = await chat.say("3500")
    lead = await chat.lead()
    assert (lead.budget_max, lead.budget_currency) == (Decimal(3500), "USD")
    assert "prices are in USD" not in answer.reply


async def test_with_the_agencys_rate_a_budget_in_euro_is_searched_in_usd(
    services: Services, demo: Tenant
) -> None:
    async with services.database.session() as session:
        tenant = await session.get(Tenant, demo.id)
        assert tenant is not None
        tenant.exchange_rates = {"EUR": 1.08}
    chat = await new_chat(services, demo)
    await chat.say("I want to rent a villa in Canggu, 2 bedrooms")
    turn = await chat.say("3000 euro per month, show me what you have")
    search = next(call for call in turn.tools if call["name"] == "search_properties")
    assert search is not None
    assert "3.24K USD" in turn.reply or "3,240 USD" in turn.reply or "3.2K USD" in turn.reply, turn.reply


async def test_update_preferences_keeps_alternatives_validated_with_the_first_as_the_single_value(
    services: Services, demo: Tenant
) -> None:
    async with services.database.session() as session:
        lead = await create_lead(session, demo.id, language="en")
    ctx = LeadContext(services=services, tenant_id=demo.id, lead_id=lead.id)
    saved = await call_tool(
        update_preferences, ctx, property_types=["Villas", "house", "villa"], locations=["Ubud", " "]
    )
    assert (
        saved["profile"]["property_types"] == ["villa", "house"]
        and saved["profile"]["property_type"] == "villa"
    )
    assert saved["profile"]["locations"] == ["Ubud"] and saved["errors"] == {}
    refused = await call_tool(update_preferences, ctx, property_types=["castle", "house"])
    assert "property_types" in refused["errors"] and refused["profile"]["property_types"] == [
        "villa",
        "house",
    ]
    first = await call_tool(update_preferences, ctx, property_type="house", property_types=["villa", "house"])
    assert (
        first["profile"]["property_types"] == ["house", "villa"]
        and first["profile"]["property_type"] == "house"
    )
    single = await call_tool(
        update_preferences, ctx, location="Canggu", budget_max=2500, budget_period="monthly"
    )
    assert single["profile"]["locations"] == ["Canggu"] and single["profile"]["budget_period"] == "month"
    lower = await call_tool(update_preferences, ctx, budget_max=2000)
    assert lower["profile"]["budget_period"] == "month"  # the period was not said again: it still holds
    price = await call_tool(update_preferences, ctx, budget_max=300_000, transaction="buy")
    assert price["profile"]["budget_period"] is None  # a price to buy has no period


async def test_a_budget_or_a_date_never_becomes_a_phone_and_a_short_number_is_refused_clearly(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    for line in (
        "I want to rent a villa in Canggu, up to 25000000 IDR per month",
        "viewing on 2026-03-07 10:00",
    ):
        turn = await chat.say(line)
        assert "capture_contact" not in [call["name"] for call in turn.tools], line
    refused = await chat.say("my number is 12345")
    assert [call["args"] for call in refused.tools if call["name"] == "capture_contact"] == [
        {"phone": "12345"}
    ]
    assert "+62" in refused.reply  # the reply shows how a valid number looks
    lead = await chat.lead()
    assert lead.phone is None and lead.budget_max == Decimal(25_000_000) and lead.budget_currency == "IDR"
