"""Every word a lead reads is in their language and reads like a person wrote it: amenities, property types
and amounts come from the structured fields in the lead's language, a title in another language is
introduced by a descriptor, the invitation agrees in number and is not repeated, "More options" only when
there are more, and a failed tool is told to the lead in their words, never in the model's instructions."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.adapters.offline import respond
from agent.core.brief import ASKED_KEY, Phase, TurnBrief, TurnFacts
from agent.core.nlu.language import detect_language
from agent.services.provider import Services
from evals.expectations import without_titles
from graphs.sales.nodes.tool_calls import tool_error
from prompts import pack
from prompts.catalogue import templates
from prompts.model import TOOL_FAILED, TOOL_REFUSED
from storage.models import Tenant
from tests.sales_support import new_chat
from tools import LEAD_TOOLS

ALL_TOOLS = [tool.name for tool in LEAD_TOOLS]
CARD_TOOLS = [name for name in ALL_TOOLS if name != "listing_details"]
"""Without listing_details bound, a question about the listing shown is answered from its card."""
NON_ENGLISH = ("ru", "fa", "ar")

VILLA: dict[str, Any] = {
    "id": 7,
    "title": "Quiet pool villa in Berawa",
    "title_language": "en",
    "property_type": "villa",
    "transaction": "sale",
    "price": 425000,
    "currency": "USD",
    "bedrooms": 3,
    "size_m2": 220,
    "location": "Canggu",
    "amenities": ["shared pool", "wifi", "balcony", "Air Conditioning", "security 24/7"],
    "pets_allowed": True,
    "furnished": True,
}
STUDIO: dict[str, Any] = {
    **VILLA,
    "id": 8,
    "title": "Studio near the coworking spaces",
    "property_type": "apartment",
    "transaction": "rent",
    "price": 950,
    "price_period": "month",
    "bedrooms": 0,
    "size_m2": 35,
}
RUSSIAN: dict[str, Any] = {
    **VILLA,
    "id": 9,
    "title": "Вилла с видом на рисовые поля",
    "title_language": "ru",
    "price": 465000,
}


def english_words() -> set[str]:
    """The English words of every amenity and property type: none may reach a ru/fa/ar lead."""
    table = templates("en", "vocabulary")
    words = " ".join(v for k, v in table.items() if k.startswith(("amenity.", "property_type."))).lower()
    return {w for w in re.findall(r"[a-z]{3,}", words)} | {"bedroom", "bedrooms", "month", "year"}


ENGLISH_WORDS = english_words()


def english_in(reply: str, titles: list[str]) -> set[str]:
    own = without_titles(reply, titles)
    return {w for w in re.findall(r"[a-z]+", own.lower())} & ENGLISH_WORDS


def brief(phase: Phase = "engagement", language: str = "en", **extra: Any) -> TurnBrief:
    facts: TurnFacts = {
        "language": language,
        "tenant_name": "Bali Dream Homes",
        "region": "ID",
        "areas": ["Canggu", "Seminyak"],
        "profile": {},
        "turn": 3,
        "now": "2026-03-02T10:00:00+08:00",
        "time_zone": "Asia/Makassar",
        **extra,  # type: ignore[typeddict-item]
    }
    return TurnBrief(phase=phase, facts=facts)


def tool_result(name: str, value: dict[str, Any] | str, call_id: str = "c1") -> list[BaseMessage]:
    content = value if isinstance(value, str) else json.dumps(value)
    return [
        AIMessage(content="", tool_calls=[{"name": name, "args": {}, "id": call_id, "type": "tool_call"}]),
        ToolMessage(content=content, name=name, tool_call_id=call_id),
    ]


def shown(listings: list[dict[str, Any]], more: bool = False) -> list[BaseMessage]:
    return tool_result("search_properties", {"count": len(listings), "results": listings, "more": more})


GREETING = {"ru": "покажи варианты", "fa": "گزینه‌ها را نشان بده", "ar": "أرني الخيارات", "en": "show me"}


# ---------------------------------------------------------------------------------------------------------
# Every word in the lead's language


@pytest.mark.parametrize("language", NON_ENGLISH)
def test_listings_shown_to_a_non_english_lead_carry_no_english_words(language: str) -> None:
    reply = str(
        respond(
            [HumanMessage(GREETING[language]), *shown([VILLA, STUDIO])], ALL_TOOLS, brief(language=language)
        ).content
    )
    titles = [VILLA["title"], STUDIO["title"]]
    assert detect_language(without_titles(reply, titles)) == language
    assert english_in(reply, titles) == set(), reply
    assert "K USD" not in reply  # amounts in the lead's locale: "425 тыс. USD", "425 هزار USD", "425 ألف USD"


@pytest.mark.parametrize("language", NON_ENGLISH)
def test_amenities_are_named_in_the_leads_language(language: str) -> None:
    asks = {"ru": "а какие там удобства?", "fa": "چه امکاناتی دارد؟", "ar": "ما هي المرافق؟"}
    reply = str(
        respond(
            [HumanMessage(asks[language])],
            CARD_TOOLS,
            brief(language=language, listings=[VILLA], shown_ids=[7], focus_id=7),
        ).content
    )
    words = templates(language, "vocabulary")
    assert words["amenity.shared_pool"] in reply and words["amenity.air_conditioning"] in reply, reply
    assert english_in(reply, [VILLA["title"]]) == set(), reply


def test_an_amenity_we_have_no_word_for_is_kept_as_the_catalog_wrote_it() -> None:
    from prompts.vocabulary import amenities_phrase

    assert amenities_phrase(["Swimming Pool", "bidet", "бассейн"], "ar") == "مسبح، bidet"
    assert amenities_phrase(["shared pool", "wifi", "balcony"], "ru") == "общий бассейн, вайфай, балкон"


@pytest.mark.parametrize(
    ("language", "descriptor"),
    [
        ("ru", "1. Вилла, 3 спальни, Canggu — «Quiet pool villa in Berawa» — 425 тыс. USD · 220 м²"),
        ("fa", "1. ویلا 3 خوابه در Canggu — «Quiet pool villa in Berawa» — 425 هزار USD · 220 متر مربع"),
        ("ar", "1. فيلا في Canggu، 3 غرف نوم — «Quiet pool villa in Berawa» — 425 ألف USD · 220 م²"),
    ],
)
def test_a_title_in_another_language_is_introduced_in_the_leads_words(language: str, descriptor: str) -> None:
    reply = str(
        respond(
            [HumanMessage(GREETING[language]), *shown([VILLA])], ALL_TOOLS, brief(language=language)
        ).content
    )
    assert descriptor in reply


def test_an_english_lead_reads_a_russian_title_after_an_english_descriptor() -> None:
    reply = str(respond([HumanMessage("show me"), *shown([VILLA, RUSSIAN])], ALL_TOOLS, brief()).content)
    assert "1. Quiet pool villa in Berawa — 425K USD · 3-bedroom · 220 m² · Canggu" in reply
    assert "2. 3-bedroom villa in Canggu — “Вилла с видом на рисовые поля” — 465K USD · 220 m²" in reply


async def test_the_catalogs_title_in_the_leads_language_is_used(services: Services, demo: Tenant) -> None:
    wish = "I'm looking for a villa in Canggu to buy, up to $600k, 3 bedrooms"
    english = await (await new_chat(services, demo, "en")).say(wish)
    assert (
        "Villa with rice-field views in Pererenan" in english.reply
    )  # the demo's English title of BDH-CGU-002
    assert "Вилла" not in english.reply
    russian = await (await new_chat(services, demo, "ru")).say(
        "Ищу виллу в Чангу на покупку, до 600 тысяч долларов, 3 спальни"
    )
    assert "Вилла с видом на рисовые поля в Переренане" in russian.reply  # its own title, no descriptor
    assert "Вилла, 3 спальни, Canggu — «Quiet 3-bedroom pool villa in Berawa»" in russian.reply


# ---------------------------------------------------------------------------------------------------------
# Replies that read like a person


@pytest.mark.parametrize("language", ["en", "ru", "fa", "ar"])
def test_one_listing_is_it_and_several_are_one_of_them(language: str) -> None:
    p = pack(language)
    one = str(
        respond(
            [HumanMessage(GREETING[language]), *shown([VILLA])], ALL_TOOLS, brief(language=language)
        ).content
    )
    assert p.reply("listings_cta_one") in one and p.reply("listings_cta_other") not in one
    two = str(
        respond(
            [HumanMessage(GREETING[language]), *shown([VILLA, STUDIO])], ALL_TOOLS, brief(language=language)
        ).content
    )
    assert p.reply("listings_cta_other") in two


def test_counted_nouns_take_the_form_their_number_asks_for() -> None:
    from prompts.vocabulary import counting

    ru, ar = counting("ru"), counting("ar")
    assert [ru.bedrooms(n) for n in (1, 2, 5, 11, 21, 103)] == [
        "1 спальня",
        "2 спальни",
        "5 спален",
        "11 спален",
        "21 спальня",
        "103 спальни",
    ]
    # Arabic: one and two have their own words, 3-10 (and 103) the plural, 11-99 and 100 the singular
    assert [ar.bedrooms(n) for n in (1, 2, 3, 11, 100, 103)] == [
        "غرفة نوم واحدة",
        "غرفتا نوم",
        "3 غرف نوم",
        "11 غرفة نوم",
        "100 غرفة نوم",
        "103 غرف نوم",
    ]
    assert ar.units_left(11) == "تبقّت 11 وحدة فقط" and ar.units_left(4) == "تبقّت 4 وحدات فقط"


def test_the_invitation_to_a_viewing_is_not_made_twice_in_a_row() -> None:
    p = pack("en")
    invitations = {p.reply(key) for key in ("listings_cta_one", "listings_cta_other")}
    after_listings = brief("engagement", listings=[VILLA, STUDIO], shown_ids=[7, 8], asked="listing")
    listed = f"Here is what I found…\n\n{p.reply('listings_cta_other')}"
    previous = AIMessage(listed, additional_kwargs={ASKED_KEY: "listing"})
    reply = respond([previous, HumanMessage("hmm, let me think")], ALL_TOOLS, after_listings)
    assert not invitations & set(str(reply.content).split("\n\n")), reply.content
    assert reply.additional_kwargs[ASKED_KEY] != "listing"

    # new listings right after an invitation: the invitation is worded afresh, and the turn after that
    # goes back to the first wording, so no two replies in a row end the same way
    newer = brief("engagement", listings=[VILLA, STUDIO], shown_ids=[7, 8, 9], new_ids=[9], asked="listing")
    more = [HumanMessage("show me more"), *shown([VILLA, STUDIO, RUSSIAN])]
    again = str(respond([previous, *more], ALL_TOOLS, newer).content)
    assert "1. 3-bedroom villa in Canggu" in again  # only the new one, numbered afresh
    assert p.reply("listings_cta_one_again") in again and not invitations & set(again.split("\n\n"))
    third = str(respond([AIMessage(again), *more], ALL_TOOLS, newer).content)
    assert p.reply("listings_cta_one") in third and p.reply("listings_cta_one_again") not in third


def test_the_leads_question_is_answered_before_what_the_tools_did() -> None:
    saved = tool_result("capture_contact", {"saved": {"phone": "+6281234567890"}, "errors": {}})
    reply = respond(
        [HumanMessage("is it furnished? my number is +62 812 3456 7890"), *saved],
        CARD_TOOLS,
        brief(
            listings=[VILLA], shown_ids=[7], focus_id=7, profile={"location": "Canggu", "budget_max": 500000}
        ),
    )
    first, second, *_ = str(reply.content).split("\n\n")
    assert first == "Quiet pool villa in Berawa is furnished." and "+6281234567890" in second


def test_what_the_lead_said_is_acknowledged_in_a_phrase_not_a_list() -> None:
    saved = tool_result(
        "update_preferences",
        {
            "updated": ["transaction", "property_type", "location", "budget_max"],
            "profile": {
                "transaction": "sale",
                "property_type": "villa",
                "location": "Canggu",
                "budget_max": 600000,
                "currency": "USD",
            },
            "missing": ["bedrooms"],
        },
    )
    reply = str(
        respond(
            [HumanMessage("villa in canggu to buy up to 600k"), *saved], ALL_TOOLS, brief("qualification")
        ).content
    )
    assert "Noted: a villa to buy in Canggu, up to 600K USD." in reply
    ru = str(
        respond(
            [HumanMessage("вилла в Чангу, до 600 тысяч"), *saved], ALL_TOOLS, brief("qualification", "ru")
        ).content
    )
    assert "до 600 тыс. USD" in ru and "·" not in ru


async def test_more_options_are_offered_only_when_more_listings_match(
    services: Services, demo: Tenant
) -> None:
    more = pack("en").reply("choice_more")
    few = await (await new_chat(services, demo)).say(
        "I'm looking for a villa in Canggu to buy, up to $600k, 3 bedrooms"
    )
    assert few.choices and more not in [choice.label for choice in few.choices]  # three match, three shown
    many = await (await new_chat(services, demo)).say("I'd like to buy a villa in Canggu")
    assert more in [choice.label for choice in many.choices]


# ---------------------------------------------------------------------------------------------------------
# A failed tool


INSTRUCTION_WORDS = (
    "apologise",
    "the tool failed",
    "continue without it",
    "answer the lead instead",
    "not available now",
)


@pytest.mark.parametrize("language", ["en", "ru", "fa", "ar"])
def test_a_failed_booking_is_told_to_the_lead_in_their_words(language: str) -> None:
    failed = tool_result("book_viewing", tool_error(RuntimeError("calendar down")))
    reply = respond(
        [HumanMessage("tomorrow at 11"), *failed],
        ALL_TOOLS,
        brief(
            "booking",
            language,
            listings=[VILLA],
            viewing_request={"property_id": 7, "when": "2026-03-03T11:00+08:00"},
        ),
    )
    text = str(reply.content)
    assert TOOL_FAILED not in text and not any(word in text.lower() for word in INSTRUCTION_WORDS), text
    assert pack(language).reply("failed_booking") in text
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "tool", ["search_properties", "reschedule_viewing", "capture_contact", "update_preferences", "score_lead"]
)
def test_no_failed_or_refused_tool_leaks_the_models_instruction(tool: str) -> None:
    for content in (tool_error(RuntimeError("boom")), json.dumps({"error": TOOL_REFUSED.format(name=tool)})):
        for language in ("en", "ru", "fa", "ar"):
            reply = str(
                respond(
                    [HumanMessage("ok"), *tool_result(tool, content)], ALL_TOOLS, brief(language=language)
                ).content
            )
            assert not any(word in reply.lower() for word in INSTRUCTION_WORDS), (tool, language, reply)
            assert "error" not in reply.lower()
