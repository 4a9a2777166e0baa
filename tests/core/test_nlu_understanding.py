"""What a lead says is understood in English, Russian, Persian and Arabic: their name, when they mean to move, how
they pay, alternatives ("house or villa"), budgets without a currency, corrections and typos; and a budget, a date
or a listing number is never taken for a phone number."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from agent.core.nlu import (
    extract_name,
    parse_budget,
    parse_payment_method,
    parse_property_type,
    parse_timeline,
)
from agent.core.nlu.contact import phone_in
from agent.core.nlu.exchange import in_catalog_currency
from agent.core.nlu.gazetteer import Gazetteer
from agent.core.nlu.slots import parse_property_types
from agent.core.reading import BUDGET_IN, read_message

AREAS = ("Canggu", "Seminyak", "Ubud", "Uluwatu")


def reading(
    text: str, *, asked: str | None = None, language: str = "en", currency: str = "USD"
) -> dict[str, Any]:
    """The preferences, name and phone a Bali agency (region ID, prices in USD) reads from one message."""
    found = read_message(text, areas=AREAS, region="ID", currency=currency, asked=asked, language=language)  # type: ignore[arg-type]
    return {**found.preferences, "name": found.name, "phone": found.phone}


# --- the name ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "language", "name"),
    [
        ("I'm Tom", "en", "Tom"),
        ("This is Sarah", "en", "Sarah"),
        ("hi, i'm tom", "en", "Tom"),
        ("Hello, I'm Tom Smith, looking for a villa", "en", "Tom Smith"),
        ("Меня зовут Мария", "ru", "Мария"),
        ("привет, я мария", "ru", "Мария"),
        ("hi, this is sarah", "en", "Sarah"),
        ("اسمم علی است", "fa", "علی"),
        ("اسمي أحمد", "ar", "أحمد"),
    ],
)
def test_a_lead_who_introduces_themselves_is_known_by_name(message: str, language: str, name: str) -> None:
    assert extract_name(message, language) == name  # type: ignore[arg-type]
    assert reading(message, language=language)["name"] == name


@pytest.mark.parametrize(
    "message",
    [
        "I'm looking for a villa",
        "I'm interested",
        "i'm interested in villas",
        "i'm looking",
        "i'm tom",  # in lower case, only after a greeting
        "hey, i'm away",
        "hi, this is great",
        "this is perfect",
        "я мария",
        "i'm new here",
        "i'm tired",
        "i'm done",
        "This is a great villa",
        "this is it",
        "I'm Looking",
        "This is Canggu, right?",  # a place of the catalog, not a name
    ],
)
def test_words_after_im_that_are_not_a_name_are_not_taken_as_one(message: str) -> None:
    assert reading(message)["name"] is None


# --- the timeline ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "timeline"),
    [
        ("We want to move next spring", "next spring"),
        ("in March next year", "in March next year"),
        ("this summer", "this summer"),
        ("by the end of summer", "by summer"),
        ("через 6 месяцев", "within 6 months"),
        ("следующей весной", "next spring"),
        ("in the spring of next year", "next spring"),
        ("в марте", "in March"),
        ("في مارس العام القادم", "in March next year"),
        ("в марте следующего года", "in March next year"),
        ("۳ ماه دیگر", "within 3 months"),
        ("بهار سال بعد", "next spring"),
        ("الربيع القادم", "next spring"),
        ("خلال ستة أشهر", "within 6 months"),
        ("The weather is nice. We plan to move next spring.", "next spring"),
    ],
)
def test_when_the_lead_means_to_move_is_their_timeline(message: str, timeline: str) -> None:
    assert parse_timeline(message) == timeline
    assert reading(message).get("timeline") == timeline


@pytest.mark.parametrize(
    "message",
    [
        "what's the weather like in January?",
        "is it rainy in March?",
        "How hot is it in August?",
        "какая погода в январе?",
        "هوا در ژانویه چطور است؟",
        "كيف الطقس في يناير؟",
        "there is a hot spring nearby",
    ],
)
def test_small_talk_about_a_month_or_a_season_is_no_timeline(message: str) -> None:
    assert parse_timeline(message) is None
    assert "timeline" not in reading(message)


# --- how they pay ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "method"),
    [
        ("I'll pay by bank transfer", "bank_transfer"),
        ("wire transfer is fine", "bank_transfer"),
        ("оплачу банковским переводом", "bank_transfer"),
        ("با حواله بانکی پرداخت می‌کنم", "bank_transfer"),
        ("سأدفع عن طريق تحويل بنكي", "bank_transfer"),
        ("cash", "cash"),
        ("наличными", "cash"),
        ("نقدی", "cash"),
        ("نقدا", "cash"),
        ("with a mortgage", "mortgage"),
        ("ипотека", "mortgage"),
        ("وام بانکی", "mortgage"),
        ("تمويل عقاري", "mortgage"),
        ("in installments", "installments"),
        ("рассрочка", "installments"),
        ("اقساطی", "installments"),
        ("تقسيط", "installments"),
        ("USDT", "crypto"),
        ("криптой", "crypto"),
        ("بیت کوین", "crypto"),
        ("عملات رقمية", "crypto"),
        ("no mortgage, cash", "cash"),
    ],
)
def test_the_payment_method_is_read_in_every_language(message: str, method: str) -> None:
    assert parse_payment_method(message) == method
    assert reading(message)["payment_method"] == method


# --- alternatives ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "types"),
    [
        ("house or villa", ["house", "villa"]),
        ("villa, house or apartment", ["villa", "house", "apartment"]),
        ("townhouse or maybe a villa", ["townhouse", "villa"]),
        ("вилла или дом", ["villa", "house"]),
        ("ویلا یا خانه", ["villa", "house"]),
        ("فيلا أو شقة", ["villa", "apartment"]),
        ("I sold my house and want a villa", ["villa"]),  # "my house" is where they live
        ("a house in the hills", ["house"]),
        ("Is there a pool inside the house?", []),
        ("what are the house rules?", []),
        ("we stayed in a guest house", []),
        ("not a house, a villa", ["villa"]),
    ],
)
def test_property_types_named_as_alternatives_are_all_kept(message: str, types: list[str]) -> None:
    assert parse_property_types(message) == types
    assert parse_property_type(message) == (types[0] if types else None)
    found = reading(message)
    assert found.get("property_type") == (types[0] if types else None)
    assert found.get("property_types") == (types if len(types) > 1 else None)


@pytest.mark.parametrize(
    ("message", "areas"),
    [
        ("Canggu or Seminyak", ["Canggu", "Seminyak"]),
        ("a villa in canggu, seminyak or ubud", ["Canggu", "Seminyak", "Ubud"]),
        ("Чангу или Семиньяк", ["Canggu", "Seminyak"]),
        ("I live in Seminyak, looking in Canggu", ["Seminyak"]),
    ],
)
def test_areas_named_as_alternatives_are_all_kept(message: str, areas: list[str]) -> None:
    assert Gazetteer(AREAS).match_all(message) == areas
    found = reading(message)
    assert found["location"] == areas[0]
    assert found.get("locations") == (areas if len(areas) > 1 else None)


def test_house_or_villa_in_canggu_or_seminyak_reads_as_lists_with_a_first_choice() -> None:
    found = reading("house or villa in Canggu or Seminyak")
    assert (found["property_type"], found["property_types"]) == ("house", ["house", "villa"])
    assert (found["location"], found["locations"]) == ("Canggu", ["Canggu", "Seminyak"])


# --- budgets -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "asked", "expected"),
    [
        ("up to 3500 a month", None, {"budget_max": 3500, "currency": "USD", "budget_period": "month"}),
        ("up to 3500", None, {"budget_max": 3500, "currency": "USD"}),
        ("$2k/mo", None, {"budget_max": 2000, "currency": "USD", "budget_period": "month"}),
        ("до 3500 в месяц", None, {"budget_max": 3500, "currency": "USD", "budget_period": "month"}),
        ("حداکثر ۳۵۰۰ در ماه", None, {"budget_max": 3500, "currency": "USD", "budget_period": "month"}),
        ("حتى 3500 شهريا", None, {"budget_max": 3500, "currency": "USD", "budget_period": "month"}),
        ("3000 euro per month", None, {"budget_max": 3000, "currency": "EUR", "budget_period": "month"}),
        ("actually up to 320k", None, {"budget_max": 320000, "currency": "USD"}),
        ("3500", "budget", {"budget_max": 3500, "currency": "USD"}),
        ("3500", f"{BUDGET_IN}USD", {"budget_max": 3500, "currency": "USD"}),
    ],
)
def test_a_budget_without_a_currency_is_in_the_agencys_currency(
    message: str, asked: str | None, expected: dict[str, Any]
) -> None:
    found = reading(message, asked=asked)
    assert {key: found.get(key) for key in expected} == expected
    assert "budget_period" in expected or "budget_period" not in found


def test_after_asking_for_the_budget_in_usd_a_bare_amount_is_usd_whatever_was_said_before() -> None:
    assert reading("3500", asked=f"{BUDGET_IN}USD", currency="EUR")["currency"] == "USD"
    assert reading("3500", asked="budget", currency="EUR")["currency"] == "EUR"


@pytest.mark.parametrize(
    "message",
    ["up to 3 bedrooms", "up to 15", "until 2025", "within 2026", "over 100 reviews", "up to 500 meters"],
)
def test_counts_years_and_distances_are_no_budget(message: str) -> None:
    assert parse_budget(message, "USD") is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("no, rent not buy", {"transaction": "rent"}),
        ("not buying, renting", {"transaction": "rent"}),
        ("нет, не купить, а снять", {"transaction": "rent"}),
        ("actually up to 320k", {"budget_max": 320000}),
        ("actually a villa", {"property_type": "villa"}),
    ],
)
def test_a_correction_reads_as_the_new_value(message: str, expected: dict[str, Any]) -> None:
    found = reading(message)
    assert {key: found.get(key) for key in expected} == expected


# --- typos -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("looking for a vila", {"property_type": "villa"}),
        ("2 bedrom apartmnet", {"property_type": "apartment", "bedrooms": 2}),
        ("appartment in seminyak", {"property_type": "apartment", "location": "Seminyak"}),
        ("3 bedroms, furnishd", {"bedrooms": 3, "furnished": True}),
        ("квартра в убуде", {"property_type": "apartment", "location": "Ubud"}),
        ("a mortgge", {"payment_method": "mortgage"}),
    ],
)
def test_common_typos_of_domain_words_are_understood(message: str, expected: dict[str, Any]) -> None:
    found = reading(message)
    assert {key: found.get(key) for key in expected} == expected


@pytest.mark.parametrize("message", ["villain", "the village", "vital", "will", "valid", "bedrock"])
def test_words_close_to_domain_words_are_left_alone(message: str) -> None:
    assert "property_type" not in reading(message) and "bedrooms" not in reading(message)


# --- phone numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "up to 1500000 IDR per month",
        "up to 1500000 per month",
        "viewing on 9999-12-31 23:59",
        "budget 250000000 rupiah",
        "listing 1234567",
        "listing #12",
        "property number 1234567",
        "I pay 1500000",
        "on 12.05.2025 at 10:00",
    ],
)
def test_a_budget_a_date_or_a_listing_number_is_never_a_phone(message: str) -> None:
    for language in ("en", "ru", "fa", "ar"):
        assert phone_in(message, "ID", language) is None  # type: ignore[arg-type]
    assert reading(message)["phone"] is None


@pytest.mark.parametrize(
    ("message", "language", "phone"),
    [
        ("+62 812 3456 7890", "en", "+6281234567890"),
        ("0812-3456-7890", "en", "+6281234567890"),
        ("call me 0812 3456 7890 tomorrow", "en", "+6281234567890"),
        ("+7 999 123-45-67", "ru", "+79991234567"),
        ("мой номер 8 999 123 45 67", "ru", "+79991234567"),
        ("09121234567", "fa", "+989121234567"),
        ("۰۹۱۲۱۲۳۴۵۶۷", "fa", "+989121234567"),
        ("٠٨١٢٣٤٥٦٧٨٩٠", "ar", "+6281234567890"),
        ("phone: 0812 3456 7890, budget 200k", "en", "+6281234567890"),
    ],
)
def test_a_real_phone_number_is_read_in_e164(message: str, language: str, phone: str) -> None:
    assert phone_in(message, "ID", language) == phone  # type: ignore[arg-type]


def test_a_number_the_lead_calls_their_phone_is_kept_as_written_to_be_refused() -> None:
    assert phone_in("my number is 12345", "ID", "en") == "12345"
    assert phone_in("мой телефон 12345", "ID", "ru") == "12345"
    assert phone_in("номер 12345", "ID", "ru") is None  # a listing's number as much as a phone
    assert phone_in("+12 345 678", "ID", "en") == "+12 345 678"


def test_a_budget_beside_a_phone_stays_a_budget() -> None:
    found = reading("phone: 0812 3456 7890, budget 200k")
    assert (found["phone"], found["budget_max"]) == ("+6281234567890", 200000)


# --- a budget in another currency --------------------------------------------------------------------------


def test_a_budget_in_another_currency_is_converted_at_the_agencys_rate() -> None:
    bounds = in_catalog_currency(
        None, Decimal(3000), "EUR", catalog_currency="USD", listed_currencies=["USD"], rates={"EUR": 1.08}
    )
    assert (bounds.max_price, bounds.currency) == (Decimal("3240.00"), "USD")
    assert bounds.note == {
        "budget_currency": "EUR",
        "catalog_currency": "USD",
        "rate": 1.08,
        "converted": True,
    }


@pytest.mark.parametrize("rates", [None, {}, {"EUR": 0}, {"EUR": "n/a"}, {"EUR": True}, {"GBP": 1.27}])
def test_without_a_rate_the_budget_is_not_guessed(rates: dict[str, object] | None) -> None:
    bounds = in_catalog_currency(
        Decimal(1000), Decimal(3000), "EUR", catalog_currency="USD", listed_currencies=["USD"], rates=rates
    )
    assert (bounds.min_price, bounds.max_price, bounds.currency) == (None, None, None)
    assert bounds.note == {
        "budget_currency": "EUR",
        "catalog_currency": "USD",
        "rate": None,
        "converted": False,
    }


@pytest.mark.parametrize(("currency", "listed"), [("USD", ["USD"]), ("EUR", ["USD", "EUR"]), (None, ["USD"])])
def test_a_budget_the_catalog_can_compare_is_left_as_it_is(currency: str | None, listed: list[str]) -> None:
    bounds = in_catalog_currency(
        None, Decimal(3000), currency, catalog_currency="USD", listed_currencies=listed, rates={"EUR": 1.08}
    )
    assert (bounds.max_price, bounds.currency, bounds.note) == (Decimal(3000), currency, None)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("I want an apartment in Martinez with 4 rooms.", {"bedrooms": 4}),
        ("I'm looking for an apartment, with at least 4 rooms.", {"bedrooms": 4}),
        ("I need 2 bath rooms", {"bathrooms": 2}),
        ("and I also need somewhere that is pet friendly.", {"pets": True}),
        ("Is it in Concord? with pets, please.", {"pets": True}),
    ],
)
def test_rooms_are_bedrooms_and_a_wish_said_with_also_or_with_pets_is_kept(
    text: str, wanted: dict[str, object]
) -> None:
    shown = [{"id": 1, "title": "Alpha Apartments"}, {"id": 2, "title": "Beta Court"}]
    preferences = read_message(text, listings=shown, shown_ids=[1, 2], language="en").preferences
    assert {name: preferences.get(name) for name in wanted} == wanted


def test_they_after_several_listings_points_at_a_listing_to_ask_about() -> None:
    shown = [{"id": 1, "title": "Alpha Apartments"}, {"id": 2, "title": "Beta Court"}]
    reading = read_message("What's the phone number? Do they allow pets?", listings=shown, shown_ids=[1, 2])
    assert reading.deictic and set(reading.asks) == {"pets", "contact"}


@pytest.mark.parametrize(
    ("text", "asked", "bedrooms"),
    [
        ("Just two.", "budget", 2),
        ("At least two", "budget", 2),
        ("I think 3 should do the job.", "listing", 3),
        ("I have a large family and need three.", "location", 3),
        ("1 will be fine", None, 1),
        ("3", "listing", None),  # the third listing shown, not three bedrooms
        ("2", "time", None),
        ("Can I come at 2?", "time", None),
        ("two of them", None, None),
    ],
)
def test_a_count_alone_answers_how_many_bedrooms_unless_the_question_was_another(
    text: str, asked: str | None, bedrooms: int | None
) -> None:
    assert read_message(text, asked=asked, language="en").preferences.get("bedrooms") == bedrooms
