"""The pure policies: honest scarcity, alert moments, working-hours slots across DST, follow-up texts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from agent.core.policies.alerts import (
    TOP_FACTORS,
    AlertFacts,
    AlertKind,
    alert_record,
    burning_alert_due,
    phone_alert_due,
    recorded_factors,
)
from agent.core.policies.followup_text import MAX_CHARS, FollowUpFacts, Purpose
from agent.core.policies.scarcity import ListingDemand, urgency_after_scarcity
from agent.core.policies.slots import (
    DEFAULT_WORKING_HOURS,
    InvalidWorkingHours,
    blocks_of,
    free_slots,
    is_free,
    parse_working_hours,
    pick_options,
    slot_starts,
    within_hours,
)
from agent.core.scoring import LeadSignals, score_lead
from prompts.followups import draft_follow_up_text
from prompts.scarcity import scarcity_statement
from prompts.vocabulary import describe_goal

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("demand", "expected"),
    [
        (ListingDemand(units_available=2), "Only 2 units left"),
        (ListingDemand(units_available=3), "Only 3 units left"),
        (ListingDemand(units_available=4), None),
        (ListingDemand(units_available=1), None),  # a one-off listing: "1 unit left" would be a trick
        (ListingDemand(units_available=1, total_units=12), "Only 1 unit left"),
        (ListingDemand(units_available=9, recent_bookings=3), "3 viewings booked in the last 7 days"),
        (ListingDemand(units_available=9, recent_bookings=1), None),
        (ListingDemand(units_available=2, recent_bookings=5), "Only 2 units left"),
    ],
)
def test_scarcity_is_said_only_when_the_data_shows_it(demand: ListingDemand, expected: str | None) -> None:
    assert scarcity_statement(demand, "en") == expected


@pytest.mark.parametrize(("language", "word"), [("ru", "2"), ("fa", "۲"), ("ar", "وحدتان")])
def test_scarcity_speaks_the_leads_language(language: str, word: str) -> None:
    statement = scarcity_statement(ListingDemand(units_available=2), language)
    assert statement is not None and word in statement and "units" not in statement


def test_urgency_score_follows_the_seed_and_is_capped() -> None:
    assert urgency_after_scarcity(0) == 1
    assert urgency_after_scarcity(10) == 10


def test_alert_moments() -> None:
    assert phone_alert_due(had_phone=False, has_phone=True)
    assert not phone_alert_due(had_phone=True, has_phone=True)
    assert burning_alert_due(None, 75) and burning_alert_due(60, 70)
    assert not burning_alert_due(80, 90) and not burning_alert_due(60, 69)


def test_an_alert_keeps_the_factors_it_was_raised_with_for_each_reader_to_word() -> None:
    eager = LeadSignals(message_count=20, urgency_mentions=5, specific_questions=5, source="referral")
    score = score_lead(eager, datetime(2026, 3, 2, 10, tzinfo=UTC))
    facts = AlertFacts(
        1, "Anna", None, "en", "sale", "villa", "Canggu", None, None, None, 0, "hot", score.factors
    )
    stored = json.loads(
        json.dumps(alert_record(AlertKind.BURNING, facts, goal=None, budget=None, explain=str))
    )
    assert recorded_factors(stored) == list(score.top_factors(TOP_FACTORS))  # capped and limited ones too
    assert recorded_factors({"top_factors": ["as worded then"]}) is None  # an alert from before
    assert describe_goal("sale", "villa", "Canggu", "en") == "to buy · villa · Canggu"
    assert describe_goal(None, None, None, "ru") is None


def test_working_hours_parse_default_and_errors() -> None:
    assert parse_working_hours({}) is DEFAULT_WORKING_HOURS
    hours = parse_working_hours(
        {"mon": ["10:00", "12:00"], "Tuesday": [["09:00", "11:00"], ["14:00", "15:00"]]}
    )
    assert hours.on(date(2026, 3, 9)) == ((time(10), time(12)),)
    assert len(hours.on(date(2026, 3, 10))) == 2
    assert hours.on(date(2026, 3, 11)) == ()
    for bad in ({"xyz": ["09:00", "10:00"]}, {"mon": ["18:00", "09:00"]}, {"mon": ["nine", "ten"]}):
        with pytest.raises(InvalidWorkingHours):
            parse_working_hours(bad)


def test_slots_keep_local_hours_across_the_spring_forward() -> None:
    # 2026-03-08 is the US spring-forward Sunday; Friday before and Monday after are working days.
    start = datetime(2026, 3, 6, 0, 0, tzinfo=UTC)
    slots = list(slot_starts(DEFAULT_WORKING_HOURS, NEW_YORK, start, start + timedelta(days=4)))
    friday = [s for s in slots if s.astimezone(NEW_YORK).date() == date(2026, 3, 6)]
    monday = [s for s in slots if s.astimezone(NEW_YORK).date() == date(2026, 3, 9)]
    assert friday[0] == datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # 09:00 EST
    assert monday[0] == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert monday[-1].astimezone(NEW_YORK).time() == time(17, 0)  # the last hour that ends by 18:00
    assert not [s for s in slots if s.astimezone(NEW_YORK).date() == date(2026, 3, 8)]  # Sunday off


def test_slots_skip_the_missing_hour() -> None:
    night = parse_working_hours({"sun": ["01:00", "04:00"]})
    start = datetime(2026, 3, 8, 0, 0, tzinfo=UTC)
    local = [
        s.astimezone(NEW_YORK).strftime("%H:%M")
        for s in slot_starts(night, NEW_YORK, start, start + timedelta(days=1))
    ]
    assert local == ["01:00", "01:30", "03:00"]  # 02:00 and 02:30 do not exist that night
    assert within_hours(night, NEW_YORK, datetime(2026, 3, 8, 6, 0, tzinfo=UTC))  # 01:00 EST, ends 03:00 EDT
    assert not within_hours(night, NEW_YORK, datetime(2026, 3, 8, 7, 30, tzinfo=UTC))  # 03:30, ends 04:30


def test_blocks_and_freedom() -> None:
    start = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert blocks_of(start) == [start + timedelta(minutes=15 * i) for i in range(4)]
    assert len(blocks_of(start + timedelta(minutes=5))) == 5  # a misaligned hour overlaps five blocks
    assert not is_free(start + timedelta(minutes=30), {start + timedelta(minutes=45)})
    assert is_free(start + timedelta(hours=1), set(blocks_of(start)))


def test_free_slots_and_options_around_a_wish() -> None:
    start = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # Monday 09:00 EDT
    taken = set(blocks_of(datetime(2026, 3, 9, 14, 0, tzinfo=UTC)))  # 10:00-11:00 taken
    free = free_slots(DEFAULT_WORKING_HOURS, NEW_YORK, taken, start, start + timedelta(days=1))
    assert datetime(2026, 3, 9, 14, 0, tzinfo=UTC) not in free
    assert datetime(2026, 3, 9, 13, 30, tzinfo=UTC) not in free  # 09:30-10:30 overlaps
    assert datetime(2026, 3, 9, 15, 0, tzinfo=UTC) in free
    options = pick_options(free, near=datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    # nearest first (09:00 and 11:00 are one hour away), then kept two hours apart, shown in time order
    assert options == [datetime(2026, 3, 9, hour, 0, tzinfo=UTC) for hour in (13, 15, 17)]


FACTS = {
    "en": ("villa", "Canggu"),
    "ru": ("вилла", "Canggu"),
    "fa": ("ویلا", "Canggu"),
    "ar": ("فيلا", "Canggu"),
}


@pytest.mark.parametrize("language", ["en", "ru", "fa", "ar"])
@pytest.mark.parametrize("purpose", [*Purpose, "unknown"])
def test_follow_up_fits_and_names_the_leads_asks(language: str, purpose: str) -> None:
    facts = FollowUpFacts(
        language=language,
        name="Alexandra",
        property_type="villa",
        transaction="sale",
        location="Canggu",
        bedrooms=3,
        budget_max=1_200_000,
        currency="USD",
    )
    text = draft_follow_up_text(facts, purpose, match="Ocean-view villa with a private pool and garden")
    kind, place = FACTS[language]
    assert len(text) <= MAX_CHARS
    assert kind in text and place in text and "Alexandra" in text


def test_follow_up_drops_details_before_it_overflows_and_never_invents() -> None:
    long_place = "Seminyak, Petitenget, close to the beach clubs and the temple"
    facts = FollowUpFacts(
        language="en",
        property_type="apartment",
        location=long_place,
        bedrooms=2,
        budget_max=450_000,
        currency="USD",
    )
    text = draft_follow_up_text(facts, Purpose.LISTINGS)
    assert len(text) <= MAX_CHARS and "apartment" in text
    generic = draft_follow_up_text(FollowUpFacts(language="en"), Purpose.MATCH)
    assert "found" not in generic and "?" in generic
    assert draft_follow_up_text(FollowUpFacts(language="de", location="Ubud")).startswith("Hi")
