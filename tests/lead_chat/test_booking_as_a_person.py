"""Booking as a person would, through the turn API on the offline model: a day gets a proposed time and a
yes/no question, a change keeps what it did not change, a day off and an impossible time are said plainly,
cancel and reschedule never create a viewing, and on Telegram the lead gets one confirmation with the .ics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Tenant, Viewing
from tests.fakes.realty_bots import bot_settings, running_lead_bot
from tests.sales_support import Chat, new_chat
from tests.secrets_support import lead_bot_columns

SHOWN = ("I want to buy a villa in Canggu up to 600k", "I'd like to see the first one", "+62 812 3456 7890")


async def chat_at_the_booking(services: Services, demo: Tenant, language: str = "en") -> Chat:
    """A lead who was shown villas, asked to see the first one and gave their phone (Monday 10:00 in Bali)."""
    chat = await new_chat(services, demo, language=language)
    await chat.script(SHOWN)
    return chat


async def test_a_day_without_a_time_is_proposed_and_you_got_it_books_it_once(
    services: Services, demo: Tenant
) -> None:
    chat = await chat_at_the_booking(services, demo)
    proposed = await chat.say("Make it for the 9th of March")
    assert proposed.reply.startswith("Mon 9 Mar, 09:00 works for a viewing of ")
    assert "Shall I book it? I also have 11:00, 13:00." in proposed.reply
    assert proposed.choices[0].value == "when:2026-03-09T09:00+08:00"
    assert proposed.choices[0].label == "✅ Mon 9 Mar, 09:00"
    assert await chat.viewings() == []  # a proposal is a question, not a booking

    booked = await chat.say("You got it")
    assert booked.reply.startswith("Booked ✅ ") and "Mon 9 Mar, 09:00" in booked.reply
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-09T01:00:00+00:00" and viewing.property_id is not None
    await chat.say("Thanks!")
    assert len(await chat.viewings()) == 1


async def test_a_yes_with_a_question_books_the_proposal_and_answers_the_question(
    services: Services, demo: Tenant
) -> None:
    chat = await chat_at_the_booking(services, demo)
    await chat.say("Make it for the 9th of March")
    both = await chat.say("Yes, that would be great. Is the villa furnished?")
    assert [call["name"] for call in both.tools] == ["listing_details", "book_viewing"]
    assert "furnished" in both.reply and "Booked ✅ " in both.reply
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-09T01:00:00+00:00"


@pytest.mark.parametrize(
    ("language", "day", "yes"),
    [("ru", "9 марта", "давайте"), ("fa", "۹ مارس", "باشه"), ("ar", "٩ مارس", "تمام")],
)
async def test_a_proposal_is_confirmed_in_the_leads_language(
    services: Services, demo: Tenant, language: str, day: str, yes: str
) -> None:
    chat = await chat_at_the_booking(services, demo, language=language)
    proposed = await chat.say(day)
    assert proposed.tools and proposed.tools[-1]["args"].get("when") == "2026-03-09"
    assert await chat.viewings() == []
    booked = await chat.say(yes)
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-09T01:00:00+00:00", booked.reply


async def test_make_it_4pm_keeps_the_day_and_the_5th_instead_keeps_the_time(
    services: Services, demo: Tenant
) -> None:
    chat = await chat_at_the_booking(services, demo)
    await chat.say("Make it for the 9th of March")
    later = await chat.say("make it 4pm")
    assert later.reply.startswith("Mon 9 Mar, 16:00 works")
    moved_day = await chat.say("No, the 10th instead")
    assert moved_day.reply.startswith("Tue 10 Mar, 16:00 works")
    a_bit_later = await chat.say("a bit later")
    assert a_bit_later.reply.startswith("Tue 10 Mar, 17:00 works")
    assert await chat.viewings() == []
    await chat.say("perfect")
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-10T09:00:00+00:00"  # 17:00 in Bali

    moved = await chat.say("move it to 11am")
    assert [call["name"] for call in moved.tools] == ["reschedule_viewing"]
    assert "Tue 10 Mar, 11:00" in moved.reply  # the same day, at the new time
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-10T03:00:00+00:00"


async def test_a_day_the_agent_does_not_work_is_said_and_the_nearest_days_offered(
    services: Services, demo: Tenant
) -> None:
    chat = await chat_at_the_booking(services, demo)
    sunday = await chat.say("Can we do Sunday?")
    assert sunday.reply == (
        "Our agent doesn't hold viewings on Sun 8 Mar. The nearest days are Sat 7 Mar, Mon 9 Mar: which suits you?"
    )
    assert [c.value for c in sunday.choices] == ["when:2026-03-07T09:00+08:00", "when:2026-03-09T09:00+08:00"]
    assert await chat.viewings() == []
    await chat.say("ok")  # "ok" to two days picks neither
    assert await chat.viewings() == []
    monday = await chat.say("Monday then")
    assert monday.reply.startswith("Mon 9 Mar, 09:00 works")


async def test_cancel_or_move_with_no_viewing_says_so_and_creates_none(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Canggu up to 600k")
    for text in ("Cancel the viewing", "Can we move the viewing to Friday?"):
        answer = await chat.say(text)
        assert answer.reply == "There is no upcoming viewing to change.", text
        assert all(call["name"] not in ("book_viewing", "request_human") for call in answer.tools)
    assert await chat.viewings() == []
    lead = await chat.lead()
    assert lead.status != "handed_off"


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("9 March 9999 at 10:00", "I can book viewings up to a year ahead."),
        ("1 March 2026 at 10:00", "That time has already passed."),
        ("tomorrow at 25:00", "There is no such time on the clock (25:00)."),
    ],
)
async def test_a_time_that_cannot_be_booked_is_answered_and_the_next_turn_works(
    services: Services, demo: Tenant, said: str, answer: str
) -> None:
    chat = await chat_at_the_booking(services, demo)
    bad = await chat.say(said)
    assert answer in bad.reply
    assert await chat.viewings() == []
    booked = await chat.say("Wednesday at 3pm")
    assert booked.reply.startswith("Booked ✅ "), booked.reply
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-04T07:00:00+00:00"


async def test_a_viewing_is_never_booked_without_a_listing(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    await chat.say("My number is +62 812 3456 7890")
    asked = await chat.say("I'd like to book a viewing tomorrow at 11am")
    assert "Which listing would you like to see?" in asked.reply
    assert await chat.viewings() == []
    async with services.database.session() as session:
        nulls = await session.scalar(select(func.count()).where(Viewing.property_id.is_(None)))
    assert nulls == 0


async def test_declining_the_phone_still_books_and_says_how_the_agent_will_reach_them(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.script(SHOWN[:2])
    declined = await chat.say("I'd rather not share my number")
    assert [call["name"] for call in declined.tools] == ["book_viewing"]  # asked once, not again
    booked = await chat.say("Tomorrow at 11am")
    assert booked.reply.startswith("Booked ✅ ")
    assert "Our agent will contact you here in this chat." in booked.reply
    assert len(await chat.viewings()) == 1


# --- Telegram: one confirmation per booking -------------------------------------------------------------

LEAD_TOKEN = "8002:BOOKING-LEAD"


@pytest.fixture
async def telegram_services(
    settings: Settings, database: Database, sales_clock: FrozenClock, api: FakeTelegramAPI
) -> AsyncIterator[Services]:
    from agent.adapters.embeddings import HashingEmbedder
    from tests.sales_support import clear_checkpoints

    running = Services(
        settings=bot_settings(settings, api), database=database, clock=sales_clock, embedder=HashingEmbedder()
    )
    try:
        async with running.resources:
            yield running
    finally:
        await clear_checkpoints(database)


async def test_on_telegram_the_lead_gets_one_confirmation_with_the_ics(
    telegram_services: Services, api: FakeTelegramAPI
) -> None:
    from bot.lead import lead_bot_idle
    from tests.sales_support import seeded_demo

    demo = await seeded_demo(telegram_services, **lead_bot_columns(LEAD_TOKEN))
    user = 720_001
    async with running_lead_bot(telegram_services, demo, api, burst_seconds=0.05) as lead:
        await lead.feed(
            lead.updates.text(user, "I want to buy a villa in Canggu up to 600k", language_code="en")
        )
        await lead_bot_idle(lead.application)
        [listings] = [c for c in api.calls if c.chat_id == user and c.method == "sendMessage"][-1:]
        await lead.press(user, listings, "📅", language_code="en")
        await lead.feed(lead.updates.contact(user, "+62 812 3456 7890"))
        slots = [c for c in api.calls if c.chat_id == user and c.method == "sendMessage"][-1]
        before = len(api.calls)
        await lead.press(user, slots, "Mon 2 Mar, 11:00", language_code="en")
        await lead_bot_idle(lead.application)
    to_lead = [
        c
        for c in api.calls[before:]
        if c.chat_id == user and c.token == LEAD_TOKEN and c.method in ("sendMessage", "sendDocument")
    ]
    assert [c.method for c in to_lead] == ["sendDocument"]  # one message: the confirmation, the .ics attached
    [confirmation] = to_lead
    assert str(confirmation.params["caption"]).startswith("Booked ✅ ")
    ics = next(iter(confirmation.files.values()))
    assert b"BEGIN:VCALENDAR" in ics and b"METHOD:REQUEST" in ics
    async with telegram_services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Viewing)) == 1


async def test_a_day_named_before_the_phone_is_proposed_with_the_phone_asked_once(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say(SHOWN[0])
    proposed = await chat.say("I would like to visit the first one on Tuesday")
    assert proposed.reply.startswith("Tue 3 Mar, 09:00 works") and proposed.reply.endswith(
        "And what's the best phone number for our agent to reach you?"
    )
    assert await chat.viewings() == []
    booked = await chat.say("Yes, that is perfect.")
    assert (
        booked.reply.startswith("Booked ✅ ")
        and "Our agent will contact you here in this chat." in booked.reply
    )
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-03T01:00:00+00:00"


async def test_no_to_a_proposal_books_nothing_and_offers_free_times(services: Services, demo: Tenant) -> None:
    chat = await chat_at_the_booking(services, demo)
    await chat.say("Saturday")
    declined = await chat.say("no")
    assert "Free slots: Mon 2 Mar: 11:00, 13:00, 15:00." in declined.reply
    assert await chat.viewings() == []
    await chat.say("Thursday at 2pm")
    [viewing] = await chat.viewings()
    assert viewing.starts_at.isoformat() == "2026-03-05T06:00:00+00:00"
