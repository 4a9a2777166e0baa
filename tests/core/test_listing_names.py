"""Which listing a lead means, and what a listing's description states: the pure matching on the demo catalog."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.core.listing_facts import answer_facts, beach_distance, tenure_of
from agent.core.listing_focus import focus_after
from agent.core.listing_names import build_catalog_names, find_place, named_listings
from agent.core.reading import read_message
from agent.services.catalog.demo import DEMO_LISTINGS

ROWS = [{**listing, "id": n} for n, listing in enumerate(DEMO_LISTINGS, start=1)]
NAMES = build_catalog_names(ROWS)
BERAWA_VILLA, BATU_BOLONG_FAMILY, BERAWA_RENT, PETITENGET = 1, 3, 5, 14
SHOWN = [
    {"id": BERAWA_VILLA, "title": ROWS[0]["title"], "price": 425000, "size_m2": 220, "location": "Canggu"},
    {"id": BERAWA_RENT, "title": ROWS[4]["title"], "price": 2400, "size_m2": 140, "location": "Canggu"},
    {"id": PETITENGET, "title": ROWS[13]["title"], "price": 650000, "size_m2": 230, "location": "Seminyak"},
]
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def read(text: str, shown: bool = True):  # type: ignore[no-untyped-def]
    return read_message(
        text,
        areas=NAMES.areas,
        listings=SHOWN if shown else (),
        shown_ids=[x["id"] for x in SHOWN] if shown else (),
        now=NOW,
        time_zone="Asia/Makassar",
        language="en",
        catalog=NAMES,
    )


@pytest.mark.parametrize(
    ("text", "place", "area"),
    [
        ("villas in Berawa", "Berawa", "Canggu"),
        ("в Переренане", "Pererenan", "Canggu"),
        ("near Batu Bolong", "Batu Bolong", "Canggu"),
    ],
)
def test_places_inside_areas_are_learnt_from_the_catalog(text: str, place: str, area: str) -> None:
    found = find_place(text, NAMES)
    assert found is not None and (found.name, found.area) == (place, area)


def test_in_berawa_becomes_the_location_canggu_ranked_by_berawa() -> None:
    reading = read("I want a villa in Berawa up to 500k", shown=False)
    assert reading.preferences["location"] == "Canggu" and reading.place == "Berawa" and reading.describes


def test_any_listing_of_the_catalog_is_found_by_its_title_never_shown() -> None:
    reading = read(
        "Is the Family 4-bedroom villa with a large garden in Batu Bolong still available?", shown=False
    )
    assert reading.listing_id == BATU_BOLONG_FAMILY and reading.named
    assert reading.asks == ("availability",)  # the title's "4-bedroom" and "garden" are not questions
    assert named_listings("Is Jungel villa with river view in Sayan free?", NAMES, referring=True) == (23,)


@pytest.mark.parametrize(
    ("text", "listing_id"),
    [
        ("the cheaper one", BERAWA_RENT),
        ("the biggest one", PETITENGET),
        ("the last one", PETITENGET),
        ("اولی", BERAWA_VILLA),
        ("الثانية", BERAWA_RENT),
        ("вторая", BERAWA_RENT),
    ],
)
def test_a_listing_shown_is_referred_to_by_order_and_position(text: str, listing_id: int) -> None:
    assert read(text).listing_id == listing_id


def test_a_reference_that_fits_several_listings_gives_candidates_never_the_first() -> None:
    berawa = read("the one in Berawa")
    assert berawa.listing_id is None and berawa.candidates == (BERAWA_VILLA, BERAWA_RENT)
    that_one = read("That one sounds nice")
    focus = focus_after(
        listing_id=that_one.listing_id,
        candidates=that_one.candidates,
        ordinal=that_one.ordinal,
        deictic=that_one.deictic,
        wants_focus="affirm" in that_one.intents,  # liking it is agreeing to see it: which one?
        shown=SHOWN,
        before=None,
    )
    assert focus.listing_id is None and focus.candidates == (BERAWA_VILLA, BERAWA_RENT, PETITENGET)
    assert not read("Thank you, that is all I needed").deictic  # pointing at nothing


def test_the_fifth_one_when_three_were_shown_is_no_listing() -> None:
    fifth = read("the fifth one")
    assert fifth.listing_id is None and fifth.ordinal == 5
    focus = focus_after(
        listing_id=None, candidates=(), ordinal=5, deictic=False, wants_focus=False, shown=SHOWN, before=None
    )
    assert focus.listing_id is None and len(focus.candidates) == 3


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("does it have a washing machine?", "laundry"),
        ("is there a garage?", "garage"),
        ("is it freehold or leasehold?", "tenure"),
        ("how far is it from the beach?", "distance"),
        ("what's the contact number?", "contact"),
        ("есть ли бассейн?", "pool"),
        ("send photos", "photos"),
        ("фото", "photos"),
        ("عکس", "photos"),
        ("صور", "photos"),
    ],
)
def test_questions_about_the_new_facts_are_read_in_four_languages(text: str, fact: str) -> None:
    assert fact in read(text).asks


def test_the_first_one_before_any_listing_was_shown_is_still_a_question() -> None:
    reading = read("Does the first one have a pool?", shown=False)
    assert reading.asks == ("pool",) and reading.ordinal == 1 and reading.listing_id is None


def test_tenure_and_the_beach_are_read_from_the_description_as_it_says_them() -> None:
    description = str(ROWS[0]["description"])
    assert tenure_of(description) == {"kind": "leasehold", "years": 27}
    assert beach_distance(description) == "five minutes by scooter to Berawa beach"
    assert tenure_of("Фрихолд через индонезийскую компанию") == {"kind": "freehold", "years": None}
    assert tenure_of("A villa with a pool.") is None and beach_distance("A villa with a pool.") is None


def test_a_fact_the_data_does_not_state_is_unknown_never_no() -> None:
    details = {"amenities": ["pool", "garden"], "description": "Quiet villa.", "furnished": None}
    answers, unknown = answer_facts(details, ["pool", "garage", "furnished", "gym nearby"])
    assert answers == {"pool": True} and unknown == ["garage", "furnished", "gym nearby"]


def test_a_whole_title_of_the_catalog_beats_a_word_shared_with_a_listing_shown() -> None:
    names = build_catalog_names(
        [
            {
                "id": 1,
                "title": "Cypress Glen",
                "location": "Hayward",
                "address": "25200 Carlos Bee Boulevard",
            },
            {"id": 2, "title": "Cypress House Apartments", "location": "Hayward", "address": "1 Main Street"},
        ]
    )
    shown = [{"id": 2, "title": "Cypress House Apartments"}]
    reading = read_message(
        "I'd like to schedule a visit to Cypress Glen on the 13th of March.",
        listings=shown,
        shown_ids=[2],
        catalog=names,
        language="en",
    )
    assert reading.listing_id == 1 and reading.named
