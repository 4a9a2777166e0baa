"""The field rules: what a lead's phone, e-mail, budget and viewing time must be before anything keeps them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.core.nlu.contact import extract_email, phone_in
from agent.core.nlu.text import clean_user_text
from agent.core.policies.field_rules import (
    VIEWING_HORIZON,
    FieldRejected,
    budget_bounds,
    confirms_replacement,
    record_id,
    replaces,
    valid_budget,
    valid_email,
    valid_phone,
    viewing_time_problem,
)
from agent.core.reading import read_message

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


# --- Phone -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("0812 3456 7890", "ID", "+6281234567890"),  # local, in the agency's country
        ("+62 812-3456-7890", "ID", "+6281234567890"),
        ("+7 999 123-45-67", "ID", "+79991234567"),  # international, from anywhere
        ("8 (999) 123-45-67", "RU", "+79991234567"),
    ],
)
def test_a_valid_number_is_kept_in_e164(raw: str, region: str, e164: str) -> None:
    assert valid_phone(raw, region) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "+1 555 0100",  # a fictional US number: too short, no such line
        "12345",
        "call me",
        "",
        "1" * 200,
        "NaN",
    ],
)
def test_an_invalid_number_is_rejected(raw: str) -> None:
    with pytest.raises(FieldRejected) as caught:
        valid_phone(raw, "ID")
    assert caught.value.code == "phone_invalid"


# --- E-mail ------------------------------------------------------------------------------------------------


def test_an_email_is_syntax_checked_and_its_domain_lower_cased() -> None:
    assert valid_email(" Putu.Ayu@Example.COM ") == "Putu.Ayu@example.com"
    for bad in ("not-an-email", "a@b", "a" * 250 + "@example.com", "", "x@@example.com"):
        with pytest.raises(FieldRejected) as caught:
            valid_email(bad)
        assert caught.value.code == "email_invalid"


def test_a_different_value_replaces_only_after_asking() -> None:
    assert replaces("+6281234567890", "+6281398765432")
    assert not replaces("+6281234567890", "+6281234567890")
    assert not replaces(None, "+6281234567890")


@pytest.mark.parametrize("answer", ["yes", "Yes please", "да", "Да, заменить", "بله", "نعم", "sure"])
def test_a_yes_in_any_language_confirms_a_replacement(answer: str) -> None:
    assert confirms_replacement(answer)


@pytest.mark.parametrize(
    "answer", ["no", "нет", "نه", "لا", "keep the old one", "show me villas in Ubud", ""]
)
def test_anything_else_keeps_the_old_value(answer: str) -> None:
    assert not confirms_replacement(answer)


# --- Budget ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "kept"),
    [
        (450_000, "USD", Decimal("450000.00")),
        ("1500000", "IDR", Decimal("1500000.00")),  # a cheap room in Bali, per month: plausible
        (3500.5, "AED", Decimal("3500.50")),
        (25_000_000_000, "IDR", Decimal("25000000000.00")),
        (900, "XYZ", Decimal("900.00")),  # a currency we have no rate for: positive is enough
    ],
)
def test_a_plausible_budget_is_kept(value: object, currency: str, kept: Decimal) -> None:
    assert valid_budget(value, currency) == kept


@pytest.mark.parametrize(
    ("value", "currency", "code"),
    [
        (10**30, "USD", "budget_too_large"),
        (1e30, None, "budget_too_large"),
        (5_000_000_000, "USD", "budget_too_large"),
        (5, "USD", "budget_too_small"),
        (1000, "IDR", "budget_too_small"),
        (-5000, "USD", "budget_not_positive"),
        (0, "USD", "budget_not_positive"),
        ("NaN", "USD", "budget_not_number"),
        ("inf", "USD", "budget_not_number"),
        ("-Infinity", "USD", "budget_not_number"),
        ("a lot", "USD", "budget_not_number"),
        (True, "USD", "budget_not_number"),
        (float("nan"), "USD", "budget_not_number"),
    ],
)
def test_an_implausible_budget_is_rejected_with_its_reason(
    value: object, currency: str | None, code: str
) -> None:
    with pytest.raises(FieldRejected) as caught:
        valid_budget(value, currency)
    assert caught.value.code == code


def test_the_bounds_follow_the_currency() -> None:
    usd, idr = budget_bounds("USD"), budget_bounds("IDR")
    assert usd.low == 10 and usd.high == 1_000_000_000
    assert idr.low > usd.low * 1000 and idr.high > usd.high  # a rupiah is worth far less than a dollar


@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40)))
def test_the_budget_rule_raises_nothing_but_its_own_rejection(value: object) -> None:
    try:
        kept = valid_budget(value, "USD")
    except FieldRejected:
        return
    assert Decimal(10) <= kept < Decimal(1_000_000_000)


@given(st.text(max_size=60))
def test_the_phone_rule_raises_nothing_but_its_own_rejection(raw: str) -> None:
    try:
        kept = valid_phone(raw, "ID")
    except FieldRejected:
        return
    assert kept.startswith("+")


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (7, 7),
        ("12", 12),
        (2**63 - 1, 2**63 - 1),
        (2**63, None),
        (10**30, None),
        (0, None),
        (-1, None),
        ("abc", None),
        (None, None),
        (True, None),
    ],
)
def test_a_listing_number_is_one_the_database_can_look_up(value: object, kept: int | None) -> None:
    assert record_id(value) == kept


# --- Viewing times -----------------------------------------------------------------------------------------


def test_a_viewing_time_is_within_the_window() -> None:
    assert viewing_time_problem(NOW + timedelta(days=1), NOW) is None
    assert viewing_time_problem(NOW - timedelta(minutes=1), NOW) == "past"
    assert viewing_time_problem(NOW + VIEWING_HORIZON + timedelta(days=1), NOW) == "too_far"
    assert viewing_time_problem(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), NOW) == "too_far"


# --- What the NLU reads as the lead's contact details ------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["up to 1500000 IDR per month", "viewing on 9999-12-31 23:59", "my budget is 250000000 rupiah"]
)
def test_a_budget_or_a_date_is_never_a_phone(text: str) -> None:
    assert phone_in(text, "ID", "en") is None


def test_a_quoted_sentence_is_someone_elses_words() -> None:
    assert extract_email('My friend wrote "contact bob@evil.com for details"') is None
    assert extract_email("Maria said «write to maria@agency.ru about it»") is None
    assert extract_email('my e-mail is "anna@example.com"') == "anna@example.com"
    assert extract_email("he wrote “mail bob@evil.com”, mine is ann@example.org") == "ann@example.org"
    assert phone_in('the ad says "call +62 812 3456 7890 today"', "ID") is None
    assert phone_in('my number "+62 812 3456 7890"', "ID") == "+6281234567890"


def test_a_budget_of_ten_to_the_thirty_is_read_as_a_number_the_rules_refuse() -> None:
    reading = read_message("my budget is 1000000000000000000000000000000 USD", region="ID", now=NOW)
    budget = reading.preferences.get("budget_max")
    assert isinstance(budget, float) and budget == 1e30  # serialisable: no int beyond 64 bits in state
    with pytest.raises(FieldRejected):
        valid_budget(budget, "USD")


# --- The "long message" notice --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["hi\u202e there", "villa\x00 in Canggu", "\u2066ok\u2069", "price?\x07"])
def test_one_control_or_bidi_character_is_removed_without_calling_the_message_long(text: str) -> None:
    cleaned, cut = clean_user_text(text)
    assert not cut
    assert "\u202e" not in cleaned and "\x00" not in cleaned and "\x07" not in cleaned


def test_only_a_message_cut_for_length_is_flagged() -> None:
    cleaned, cut = clean_user_text("a" * 5000, max_chars=4000)
    assert cut and len(cleaned) == 4000
    cleaned, cut = clean_user_text("\u202e" + "a" * 3999, max_chars=4000)
    assert not cut and cleaned == "a" * 3999
