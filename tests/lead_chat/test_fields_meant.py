"""A lead's fields change only when the lead meant it (issue 13): hostile text through the real sales graph, the
lead's row checked after every turn; a new phone or e-mail replaces the old one only after the lead's yes; tools
answer an out-of-range value with an error status, never an exception, and keep nothing of it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from agent.services.provider import Services
from storage.models import LeadAlert, Tenant
from tests.sales_support import Chat, new_chat
from tools.booking import book_viewing
from tools.context import LeadContext, call_tool
from tools.details import listing_details
from tools.profile import capture_contact, update_preferences
from tools.viewings_change import reschedule_viewing

PHONE = "+6281234567890"
NEW_PHONE = "+6281398765432"


async def row(chat: Chat) -> dict[str, Any]:
    lead = await chat.lead()
    return {
        "phone": lead.phone,
        "email": lead.email,
        "budget_min": lead.budget_min,
        "budget_max": lead.budget_max,
        "currency": lead.budget_currency,
        "period": lead.budget_period,
    }


async def phone_alerts(chat: Chat) -> int:
    async with chat.services.database.session() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(LeadAlert)
                .where(LeadAlert.lead_id == chat.lead_id, LeadAlert.kind == "phone_captured")
            )
            or 0
        )


async def with_phone(services: Services, demo: Tenant, language: str = "en", phone: str = PHONE) -> Chat:
    chat = await new_chat(services, demo, language)
    async with services.database.session() as session:
        lead = await session.get(type(await chat.lead()), chat.lead_id)
        assert lead is not None
        lead.phone = phone
    return chat


async def test_hostile_text_changes_only_what_the_lead_meant(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    await chat.say("Hi, I want to rent a villa in Canggu")
    await chat.say("my phone is +62 812 3456 7890")
    assert (await row(chat))["phone"] == PHONE and await phone_alerts(chat) == 1

    # A rent in rupiah is a budget, never a phone number.
    await chat.say("up to 1500000 IDR per month")
    after_budget = await row(chat)
    assert after_budget == {
        "phone": PHONE,
        "email": None,
        "budget_min": None,
        "budget_max": Decimal("1500000.00"),
        "currency": "IDR",
        "period": "month",
    }

    # A date no viewing can have: answered, no phone, no viewing, and nothing of it sticks.
    far = await chat.say("viewing on 9999-12-31 23:59")
    assert "year ahead" in far.reply and far.phase != "error"
    assert await row(chat) == after_budget and await chat.viewings() == []

    # A budget no home costs: refused in words, the old budget (and its currency) kept.
    huge = await chat.say("my budget is 1000000000000000000000000000000 USD")
    assert "far larger than any home" in huge.reply and huge.phase != "error"
    assert await row(chat) == after_budget

    # An invalid number is refused; the valid one stays.
    invalid = await chat.say("call me on +1 555 0100")
    assert "valid phone number" in invalid.reply
    assert await row(chat) == after_budget

    # Someone else's e-mail, in a quoted sentence, is not the lead's.
    await chat.say('My friend wrote "contact bob@evil.com for details"')
    assert await row(chat) == after_budget

    # The next turn works: the year-9999 date left nothing behind.
    nxt = await chat.say("Can I see the first one tomorrow at 11?")
    assert nxt.phase != "error" and "something went wrong" not in nxt.reply
    assert (await row(chat))["phone"] == PHONE and await phone_alerts(chat) == 1


async def test_terminal_escapes_and_other_topics_leave_the_budget_as_the_lead_said_it(
    services: Services, demo: Tenant
) -> None:
    # Found by bench/reliability/fuzz.py: "\x1b[31m" read as "31m" (a budget of 31 million), and a monthly
    # budget losing its period when a buyer next talked about bedrooms.
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa. My budget is up to 1,265,000 USD.")
    await chat.say("up to 1500000 IDR per month")
    said = await row(chat)
    assert (said["budget_max"], said["currency"], said["period"]) == (Decimal("1500000.00"), "IDR", "month")
    await chat.say("What\x07about the\bprice\bof\x01listing\x072?\x1b[31m")
    await chat.say("\u2068villa in Canggu\u2066 with\u202b 3 bedrooms please\u200e\u202c")
    assert await row(chat) == said


@pytest.mark.parametrize(
    ("language", "new_number", "yes", "replaced"),
    [
        ("en", "my number is +62 813 9876 5432", "yes", "from now on"),
        ("ru", "мой номер +62 813 9876 5432", "да", "теперь я буду использовать"),
        ("fa", "شماره من +62 813 9876 5432", "بله", "از این پس"),
        ("ar", "رقمي +62 813 9876 5432", "نعم", "من الآن"),
    ],
)
async def test_a_new_phone_replaces_the_old_one_only_after_the_leads_yes(
    services: Services, demo: Tenant, language: str, new_number: str, yes: str, replaced: str
) -> None:
    chat = await with_phone(services, demo, language)
    asked = await chat.say(new_number)
    assert "+62 812-3456-7890" in asked.reply and "+62 813-9876-5432" in asked.reply  # "Shall I replace …?"
    assert (await row(chat))["phone"] == PHONE  # pending in the graph's state, not in the row
    assert await phone_alerts(chat) == 0

    confirmed = await chat.say(yes)
    assert replaced in confirmed.reply
    assert (await row(chat))["phone"] == NEW_PHONE
    assert await phone_alerts(chat) == 0  # a replaced number is not a new lead to call


@pytest.mark.parametrize("answer", ["no", "нет", "show me villas in Ubud"])
async def test_anything_but_yes_keeps_the_old_phone(services: Services, demo: Tenant, answer: str) -> None:
    chat = await with_phone(services, demo)
    await chat.say("my number is +62 813 9876 5432")
    kept = await chat.say(answer)
    assert "+62 812-3456-7890" in kept.reply
    assert (await row(chat))["phone"] == PHONE
    late = await chat.say("yes")  # the question was answered: a later yes replaces nothing
    assert "+62 813" not in late.reply
    assert (await row(chat))["phone"] == PHONE


async def test_an_unconfirmed_replacement_raises_no_alert_and_a_first_phone_one(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("Hi, I want to buy a villa in Canggu")
    await chat.say("my phone is +62 812 3456 7890")
    await chat.say("actually my number is +62 813 9876 5432")
    assert (await row(chat))["phone"] == PHONE and await phone_alerts(chat) == 1
    await chat.say("yes")
    assert (await row(chat))["phone"] == NEW_PHONE and await phone_alerts(chat) == 1


async def test_a_new_email_is_confirmed_too(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    await chat.say("my email is anna@example.com")
    asked = await chat.say("my new email is ann@example.org")
    assert "anna@example.com" in asked.reply and "ann@example.org" in asked.reply
    assert (await row(chat))["email"] == "anna@example.com"
    await chat.say("yes")
    assert (await row(chat))["email"] == "ann@example.org"


async def test_a_bidi_character_in_a_short_message_is_not_a_long_message(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    short = await chat.say("Hi\u202e, I want a villa in Canggu\x07")
    assert "long" not in short.reply
    long = await chat.say("villa " * 1000)
    assert long.reply.startswith("Your message was long")


# --- The tools, called as a model calls them with hostile arguments --------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        {"budget_max": 1e30, "currency": "USD"},
        {"budget_max": "NaN"},
        {"budget_min": "inf", "budget_max": "-Infinity"},
        {"budget_max": -5000, "currency": "EUR", "budget_period": "month"},
        {"budget_max": 3, "currency": "USD"},
    ],
)
async def test_update_preferences_refuses_an_implausible_budget_and_keeps_nothing_of_it(
    services: Services, demo: Tenant, arguments: dict[str, Any]
) -> None:
    chat = await new_chat(services, demo, "ru")
    ctx = LeadContext(services=services, tenant_id=demo.id, lead_id=chat.lead_id)
    await call_tool(update_preferences, ctx, budget_max=450_000, currency="USD")
    before = await row(chat)
    result = await call_tool(update_preferences, ctx, **arguments)
    assert result["status"] == "rejected" and result["updated"] == []
    refused = [result["errors"][key] for key in ("budget_min", "budget_max") if key in result["errors"]]
    assert refused and all(any("а" <= ch <= "я" for ch in message) for message in refused)  # in Russian
    assert await row(chat) == before


@pytest.mark.parametrize(
    ("phone", "email"),
    [
        ("+1 555 0100", None),
        ("9" * 60, None),
        ("NaN", None),
        (None, "x" * 400 + "@example.com"),
        (None, "a@b"),
    ],
)
async def test_capture_contact_refuses_an_invalid_value_and_keeps_the_old_one(
    services: Services, demo: Tenant, phone: str | None, email: str | None
) -> None:
    chat = await with_phone(services, demo)
    ctx = LeadContext(services=services, tenant_id=demo.id, lead_id=chat.lead_id)
    result = await call_tool(capture_contact, ctx, phone=phone, email=email)
    assert result["status"] == "rejected" and result["saved"] == {} and result["errors"]
    assert (await row(chat))["phone"] == PHONE and (await row(chat))["email"] is None


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "9999-12-31", "0001-01-01T00:00", "tomorrow at 25:00"])
async def test_moving_a_viewing_to_an_impossible_time_is_an_answer(
    services: Services, demo: Tenant, when: str
) -> None:
    chat = await new_chat(services, demo)
    ctx = LeadContext(services=services, tenant_id=demo.id, lead_id=chat.lead_id)
    result = await call_tool(reschedule_viewing, ctx, when=when)
    assert result["status"] == "invalid_time" and result["message"]


@pytest.mark.parametrize("property_id", [10**30, 2**63, -1, 0])
async def test_a_listing_number_no_listing_can_have_is_an_answer(
    services: Services, demo: Tenant, property_id: int
) -> None:
    chat = await new_chat(services, demo)
    ctx = LeadContext(services=services, tenant_id=demo.id, lead_id=chat.lead_id)
    booked = await call_tool(book_viewing, ctx, property_id=property_id, when="2026-03-03T10:00")
    assert booked["status"] == "unavailable" and booked["reason"]
    details = await call_tool(listing_details, ctx, property_id=property_id, facts=["price"])
    assert details["status"] == "not_found"
    assert await chat.viewings() == []
