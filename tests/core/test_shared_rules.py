"""Rules written once and used everywhere: languages, zones, names, e-mails, phones and letter folding.

Where leads and reps differ (a rep's name must look like a name, a rep's e-mail is compared lower-cased, the
team bot speaks Russian first), the one rule takes the difference as a parameter; these tests pin both readings.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from email_validator import EmailNotValidError

from agent.adapters.telegram.limits import cap_input
from agent.core.nlu.contact import normalize_email, phone_in
from agent.core.nlu.language import language_of
from agent.core.nlu.lexicon import flat_key
from agent.core.nlu.text import MAX_INPUT_CHARS, clean_name, clean_user_text
from agent.core.zones import known_zone, zone_of
from agent.services.team import EmailRejected, rep_email, rep_name, team_language
from bot.errors import language_from_code


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("ru-RU", "ru"), ("FA", "fa"), ("ar_AE", "ar"), (" en ", "en"), ("de", "en"), (None, "en")],
)
def test_a_language_tag_becomes_one_of_our_four_languages(tag: str | None, expected: str) -> None:
    assert language_of(tag) == expected


def test_the_lead_bot_writes_russian_to_ukrainian_belarusian_and_kazakh_users() -> None:
    assert [language_from_code(tag) for tag in ("uk", "be-BY", "kk", "fa", "uz", None)] == [
        "ru",
        "ru",
        "ru",
        "fa",
        "en",
        "en",
    ]
    assert language_from_code("de", default="ar") == "ar"  # the agency's language for a stranger


def test_the_team_bot_speaks_russian_first_and_english_to_everyone_else() -> None:
    assert [team_language(tag) for tag in (None, "", "ru", "uz", "hy-AM", "en-GB", "fa", "de")] == [
        "ru",
        "ru",
        "ru",
        "ru",
        "ru",
        "en",
        "en",
        "en",
    ]


def test_the_first_real_zone_wins_and_nothing_real_is_utc() -> None:
    assert zone_of("Europe/Moscow", "Asia/Makassar") == ZoneInfo("Europe/Moscow")
    assert zone_of("Mars/Olympus", "Asia/Makassar") == ZoneInfo("Asia/Makassar")
    assert zone_of("Mars/Olympus") == ZoneInfo("UTC")
    assert zone_of() == zone_of(None, "") == ZoneInfo("UTC")
    assert known_zone("Mars/Olympus") is None and known_zone("../etc/passwd") is None
    assert known_zone("Asia/Dubai") == ZoneInfo("Asia/Dubai")


def test_a_leads_name_is_kept_as_typed_a_reps_must_look_like_a_name() -> None:
    assert clean_name("  Anna   Petrova ") == "Anna Petrova"
    assert clean_name("   ") is None and clean_name(None) is None
    assert clean_name("x" * 300) == "x" * 200
    assert clean_name("@anna") == "@anna"
    for not_a_name in ("@anna", "anna@example.com", "/start", "A", "12345", "   "):
        assert rep_name(not_a_name) is None
    assert rep_name("  Иван   Петров ") == "Иван Петров"
    assert rep_name("x" * 300) == "x" * 120


def test_a_leads_email_keeps_its_local_part_a_reps_is_lower_cased() -> None:
    assert normalize_email(" Putu.Ayu@Example.COM ") == "Putu.Ayu@example.com"
    assert normalize_email("Putu.Ayu@Example.COM", lower=True) == "putu.ayu@example.com"
    assert rep_email("моя почта Ivan.Petrov@Agency.RU.") == "ivan.petrov@agency.ru"
    too_long = "a" * 64 + "@" + "b" * 190 + ".com"
    with pytest.raises(EmailNotValidError):
        normalize_email(too_long)
    with pytest.raises(EmailRejected):
        rep_email(too_long)
    with pytest.raises(EmailRejected):
        rep_email("not an address")


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("call me +62 812 3456 7890", None, "+6281234567890"),
        ("my number 0812 3456 7890", "ID", "+6281234567890"),
        ("my number 0812 3456 7890", None, "0812 3456 7890"),  # as written, for the agent to refuse or ask
        ("Budget 500000 USD", "ID", None),
        ("Can we meet on 2026-03-01?", "ID", None),
        ("3 bedrooms, 2 baths", "ID", None),
    ],
)
def test_one_detector_finds_a_phone_number_for_the_bot_and_the_turn(
    text: str, region: str | None, expected: str | None
) -> None:
    assert phone_in(text, region) == expected


def test_one_fold_reads_keyboard_and_spelling_variants_alike() -> None:
    assert flat_key("شقة  في\nالمركز") == flat_key("شقه في المركز")
    assert flat_key("ЕЩЁ продаётся") == flat_key("еще продается")
    assert flat_key("فوري كاملاً") == flat_key("فوری کاملا")
    assert flat_key("می‌خواهم") == flat_key("می خواهم")


def test_the_bots_and_the_turn_cut_input_at_the_same_length() -> None:
    long = "a" * (MAX_INPUT_CHARS + 10)
    assert len(cap_input(long)) == MAX_INPUT_CHARS
    assert clean_user_text(long) == ("a" * MAX_INPUT_CHARS, True)
