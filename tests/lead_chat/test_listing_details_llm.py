"""The LLM path gets listing_details too: offered in every phase, its result is the model's only source, and its
system prompt (in the lead's language) says so. Scripted through the OpenAI wire stand-in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import select

from agent.services.provider import Services
from agent.settings import Settings
from storage.models import Property, Tenant
from tests.fakes.openai_api import FakeOpenAI, completion, tool_call
from tests.lead_chat.test_openai_path import llm_settings, sent_tools, use_provider
from tests.sales_support import new_chat


@pytest.fixture
async def api() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as fake:
        yield fake


async def test_a_details_question_is_answered_from_the_tool_result_and_an_unknown_fact_is_marked(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    async with services.database.session() as session:
        berawa = (
            await session.execute(select(Property).where(Property.external_id == "BDH-CGU-001"))
        ).scalar_one()
    use_provider(services, llm_settings(settings, api))
    api.queue(
        completion(
            tool_calls=[
                tool_call("listing_details", {"property_id": berawa.id, "facts": ["tenure", "garage"]})
            ]
        ),
        completion("It is leasehold for 27 years. I don't have information about a garage."),
    )
    chat = await new_chat(services, demo, language="ru")
    result = await chat.say("Quiet 3-bedroom pool villa in Berawa: freehold or leasehold? Is there a garage?")
    assert [call["name"] for call in result.tools] == ["listing_details"]

    first, second = api.requests
    assert "listing_details" in sent_tools(first)
    assert "listing_details" in first["json"]["messages"][0]["content"]  # the rule, in the lead's language
    [answer] = [json.loads(m["content"]) for m in second["json"]["messages"] if m["role"] == "tool"]
    assert answer["status"] == "found" and answer["listing"]["title"] == berawa.title
    assert answer["answers"] == {"tenure": {"kind": "leasehold", "years": 27}}
    assert answer["unknown"] == ["garage"]
    assert answer["listing"]["beach_distance"] == "five minutes by scooter to Berawa beach"


async def test_a_listing_of_another_agency_or_none_is_not_found(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    use_provider(services, llm_settings(settings, api))
    api.queue(
        completion(tool_calls=[tool_call("listing_details", {"property_id": 999_999, "facts": ["price"]})]),
        completion("I couldn't find that listing."),
    )
    chat = await new_chat(services, demo)
    await chat.say("How much is listing 999999?")
    [answer] = [json.loads(m["content"]) for m in api.requests[1]["json"]["messages"] if m["role"] == "tool"]
    assert answer == {"status": "not_found", "property_id": 999_999, "unknown": ["price"]}


async def _listing(services: Services, external_id: str) -> Property:
    async with services.database.session() as session:
        return (
            await session.execute(select(Property).where(Property.external_id == external_id))
        ).scalar_one()


async def test_a_listing_the_lead_names_reaches_the_model_as_the_viewing_wanted_and_is_booked(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    sayan = await _listing(services, "BDH-UBD-001")
    use_provider(services, llm_settings(settings, api))
    api.queue(
        completion(
            tool_calls=[tool_call("book_viewing", {"property_id": sayan.id, "when": "2026-03-04T11:00"})]
        ),
        completion("Booked: Wednesday 4 March at 11:00."),
    )
    chat = await new_chat(services, demo)
    await chat.say(
        "I'd like to visit the Jungle villa in Sayan on March 4th at 11am. My number is +62 812 3456 7890"
    )

    system = api.requests[0]["json"]["messages"][0]["content"]
    assert (
        f"wants a viewing of listing #{sayan.id}" in system
    )  # named in the lead's words, found in the catalog
    [viewing] = await chat.viewings()
    assert viewing.property_id == sayan.id and viewing.starts_at.isoformat() == "2026-03-04T03:00:00+00:00"


async def test_a_day_without_a_time_is_proposed_to_the_model_and_booked_after_the_leads_yes(
    services: Services, demo: Tenant, settings: Settings, api: FakeOpenAI
) -> None:
    berawa = await _listing(services, "BDH-CGU-001")
    use_provider(services, llm_settings(settings, api))
    api.queue(
        completion(tool_calls=[tool_call("book_viewing", {"property_id": berawa.id, "when": "2026-03-04"})]),
        completion("Wednesday 4 March at 09:00 works. Shall I book it?"),
    )
    chat = await new_chat(services, demo)
    await chat.say("Can I see the Quiet 3-bedroom pool villa in Berawa on March 4th? +62 812 3456 7890")
    [proposal] = [
        json.loads(m["content"]) for m in api.requests[1]["json"]["messages"] if m["role"] == "tool"
    ]
    assert proposal["status"] == "proposed" and proposal["property_id"] == berawa.id
    assert not await chat.viewings()  # a day is a proposal, not a booking

    api.queue(
        completion(
            tool_calls=[
                tool_call("book_viewing", {"property_id": berawa.id, "when": proposal["proposal"]}, "c2")
            ]
        ),
        completion("Booked."),
    )
    await chat.say("Yes, please")
    [viewing] = await chat.viewings()
    assert viewing.property_id == berawa.id
    assert viewing.starts_at == datetime.fromisoformat(proposal["proposal"])  # exactly the time proposed
