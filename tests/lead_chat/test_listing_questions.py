"""A lead asks about listings: answered from the listing's data first, never a guess; the listing they mean is
known (named from the whole catalog, pointed at, or asked about when unclear)."""

from __future__ import annotations

from sqlalchemy import select

from agent.services.provider import Services
from storage.models import Property, Tenant
from tests.sales_support import new_chat, tool_names


async def _listing(services: Services, external_id: str) -> Property:
    async with services.database.session() as session:
        return (
            await session.execute(select(Property).where(Property.external_id == external_id))
        ).scalar_one()


async def _listing_by_id(services: Services, listing_id: int) -> Property:
    async with services.database.session() as session:
        found = await session.get(Property, listing_id)
        assert found is not None
        return found


async def test_a_listing_named_from_the_catalog_is_answered_about_on_the_first_message(
    services: Services, demo: Tenant
) -> None:
    family = await _listing(services, "BDH-CGU-003")
    chat = await new_chat(services, demo)
    result = await chat.say(
        "Is the Family 4-bedroom villa with a large garden in Batu Bolong still available?"
    )
    details = [call for call in result.tools if call["name"] == "listing_details"]
    assert details and details[0]["args"]["property_id"] == family.id
    welcome, answer, *_ = result.reply.split("\n\n")
    assert "Bali Dream Homes" in welcome  # a first message is welcomed, then answered before anything else
    assert answer.startswith(f"{family.title} is available")


async def test_price_pool_tenure_and_beach_are_answered_from_the_data_and_a_garage_is_not_guessed(
    services: Services, demo: Tenant
) -> None:
    berawa = await _listing(services, "BDH-CGU-001")
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Canggu")
    first = await chat.say("How much is the first one, and does it have a pool?")
    assert tool_names([first]) == ["listing_details"]
    assert first.reply.startswith(f"{berawa.title}: 425K USD.")
    assert f"{berawa.title} has a pool." in first.reply
    tenure = await chat.say("Is it freehold or leasehold?")
    assert f"{berawa.title}: leasehold, 27 years." in tenure.reply
    beach = await chat.say("How far is it from the beach?")
    assert "five minutes by scooter to Berawa beach" in beach.reply
    garage = await chat.say("Is there a garage?")
    assert f"I don't have that information about {berawa.title}: a garage." in garage.reply
    assert "has a garage" not in garage.reply


async def test_that_one_after_three_listings_asks_which_with_buttons_and_the_choice_is_answered(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    shown = await chat.say("I want to buy a villa in Canggu")
    ids = [int(c.value.split(":")[1]) for c in shown.choices if c.value.startswith("book:")]
    unclear = await chat.say("Is that one furnished?")
    assert unclear.reply.startswith("Do you mean ")  # the first one named, the others as buttons
    assert [c.value for c in unclear.choices] == [f"listing:{i}" for i in ids]
    assert not await chat.viewings()
    chosen = await chat.say(kind="button", payload=f"listing:{ids[1]}")
    assert tool_names([chosen]) == ["listing_details"]
    assert "furnished" in chosen.reply and "Which listing" not in chosen.reply


async def test_yes_to_do_you_mean_chooses_the_listing_named_and_answers_the_question(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    shown = await chat.say("I want to buy a villa in Canggu")
    first = next(int(c.value.split(":")[1]) for c in shown.choices if c.value.startswith("book:"))
    unclear = await chat.say("Is the villa furnished?")
    title = (await _listing_by_id(services, first)).title
    assert unclear.reply.startswith(f"Do you mean {title}?")
    yes = await chat.say("Yes")
    assert [call["args"].get("property_id") for call in yes.tools] == [first]
    assert "furnished" in yes.reply and "Do you mean" not in yes.reply


async def test_several_listings_shown_and_a_visit_asked_for_names_no_listing_by_itself(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Canggu. My number is +62 812 3456 7890")
    visit = await chat.say("I'd like to visit the villa on Wednesday at 11")
    assert not await chat.viewings()  # which of the three is asked, never assumed
    assert visit.choices


async def test_which_listing_to_visit_is_asked_among_the_ones_just_shown_and_a_yes_takes_the_one_named(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a home in Canggu. My number is +62 812 3456 7890")
    more = await chat.say("show me more")
    newer = [int(c.value.split(":")[1]) for c in more.choices if c.value.startswith("book:")]
    assert len(newer) > 1, more.reply
    visit = await chat.say("I'd like to visit it on Wednesday at 11")
    assert [int(c.value.split(":")[1]) for c in visit.choices] == newer  # not the ones shown before "more"
    assert visit.reply.count("Shall I book it? If you mean another listing, tap it:") == 1  # asked once
    assert "Wed 4 Mar, 11:00 works for a viewing of" in visit.reply  # the time the lead named, kept
    await chat.say("Yes")
    [viewing] = await chat.viewings()
    assert viewing.property_id == newer[0]


async def test_a_day_for_a_viewing_of_one_of_several_is_one_question_of_listing_and_time(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    shown = await chat.say("I want to buy a villa in Canggu. My number is +62 812 3456 7890")
    first = next(int(c.value.split(":")[1]) for c in shown.choices if c.value.startswith("book:"))
    await chat.say("That sounds nice")
    day = await chat.say("How about Wednesday?")
    title = (await _listing_by_id(services, first)).title
    assert (
        f"works for a viewing of {title}. Shall I book it? If you mean another listing, tap it:" in day.reply
    )
    assert not await chat.viewings()
    await chat.say("Yes, that is correct.")
    [viewing] = await chat.viewings()
    assert viewing.property_id == first and viewing.starts_at.date().isoformat() == "2026-03-04"


async def test_the_fifth_one_when_three_were_shown_gets_a_clear_answer(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("I want to buy a villa in Canggu")
    fifth = await chat.say("Tell me about the fifth one")
    assert fifth.reply.startswith("I showed you only 3. Which one do you mean?")
    assert len(fifth.choices) == 3 and not await chat.viewings()


async def test_the_first_one_before_anything_was_shown_searches_and_asks_which(
    services: Services, demo: Tenant
) -> None:
    chat = await new_chat(services, demo)
    await chat.say("Hi!")
    result = await chat.say("Does the first one have a pool?")
    assert "What kind of property" not in result.reply
    assert "Which listing do you mean?" in result.reply and "search_properties" in tool_names([result])


async def test_a_question_is_answered_in_the_leads_language(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo, language="ru")
    await chat.say("Ищу виллу в Чангу для покупки")
    result = await chat.say("Есть ли в первой бассейн?")
    assert "listing_details" in tool_names([result])
    assert "есть бассейн" in result.reply


async def test_the_contact_line_is_the_agencys_own_never_invented(services: Services, demo: Tenant) -> None:
    chat = await new_chat(services, demo)
    result = await chat.say("What's your contact number?")
    assert tool_names([result]) == ["listing_details"]
    assert result.reply.split("\n\n")[1] == "You can reach us: Bali Dream Homes."  # after the welcome
