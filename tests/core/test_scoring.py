"""Lead scoring: the seed formula, the spec's expo visitor, the CRM intent bonus, reasons and detectors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.core.nlu.signals import count_specific_questions, count_urgency_mentions, specific_question_topics
from agent.core.scoring import (
    INTENT_BONUS_CAP,
    SOURCE_QUALITY,
    TEMPERATURE_BADGES,
    FactorKey,
    LeadScore,
    LeadSignals,
    Temperature,
    is_burning_transition,
    score_lead,
    source_key,
    temperature_for,
)
from prompts.scoring import reason

DUBAI = ZoneInfo("Asia/Dubai")
NOW = datetime(2026, 3, 10, 10, 25, tzinfo=DUBAI)
QUALIFICATION_FIELDS = (
    "has_phone",
    "has_budget",
    "has_transaction_type",
    "has_property_type",
    "has_location",
    "has_payment_method",
)
FULLY_QUALIFIED = LeadSignals(
    has_phone=True,
    has_budget=True,
    has_transaction_type=True,
    has_property_type=True,
    has_location=True,
    has_payment_method=True,
)


def without_crm_signals(signals: LeadSignals) -> LeadSignals:
    return replace(signals, urgency_mentions=0, specific_questions=0, inquiry_local_hour=None, source=None)


def factor(result: LeadScore, key: FactorKey) -> tuple[int, int, str]:
    found = next(f for f in result.factors if f.key == key)
    return found.points, found.max_points, reason(found, "en")


def points(result: LeadScore, *keys: FactorKey) -> int:
    return sum(f.points for f in result.factors if f.key in keys)


# --- The spec's worked example ---------------------------------------------------------------------


def test_expo_visitor_timeline_reproduces_every_stated_score() -> None:
    # The spec's running totals are engagement + qualification; it adds recency only at the end.
    at = datetime(2026, 3, 10, 10, 0, tzinfo=DUBAI)
    visitor = LeadSignals(qr_scan_count=1)
    assert score_lead(visitor, at).score == 3  # 10:00 scans the QR code at the booth
    assert score_lead(visitor, at).temperature is Temperature.COLD

    visitor = replace(visitor, catalog_views=1)  # 10:05 opens the catalog PDF
    assert score_lead(visitor, at).score == 5
    assert score_lead(visitor, at).temperature is Temperature.COLD

    visitor = replace(visitor, message_count=1)  # 10:10 "I'm interested in 2BR"
    assert score_lead(visitor, at).score == 6
    visitor = replace(visitor, has_phone=True)  # shares +971501234567
    assert score_lead(visitor, at).score == 16
    assert score_lead(visitor, at).temperature is Temperature.COLD

    visitor = replace(visitor, has_budget=True)  # 10:15 "Up to 2M AED"
    assert score_lead(visitor, at).score == 26
    assert score_lead(visitor, at).temperature is Temperature.WARM

    # 10:20 property type, location, transaction. The spec labels 41 "HOT", contradicting its own
    # thresholds (hot starts at 50); we follow the thresholds.
    visitor = replace(visitor, has_property_type=True, has_location=True, has_transaction_type=True)
    assert score_lead(visitor, at).score == 41
    assert score_lead(visitor, at).temperature is Temperature.WARM

    visitor = replace(visitor, message_count=2, voice_message_count=1)  # 10:25 voice message
    assert score_lead(visitor, at).score == 47

    visitor = replace(visitor, last_interaction_at=NOW)  # recency: < 1 hour = +20
    final = score_lead(visitor, NOW)
    assert final.score == 67
    assert final.temperature is Temperature.HOT
    engagement = points(
        final, FactorKey.QR_SCANS, FactorKey.CATALOG_VIEWS, FactorKey.MESSAGES, FactorKey.VOICE
    )
    assert (engagement, factor(final, FactorKey.RECENCY)[0]) == (12, 20)


def test_expo_visitor_with_crm_signals_becomes_burning() -> None:
    transcript = "What payment plans do you have?"
    visitor = LeadSignals(
        qr_scan_count=1,
        catalog_views=1,
        message_count=2,
        voice_message_count=1,
        has_phone=True,
        has_budget=True,
        has_property_type=True,
        has_location=True,
        has_transaction_type=True,
        last_interaction_at=NOW,
        specific_questions=count_specific_questions(transcript),
        source="expo_qr",
        inquiry_local_hour=NOW.hour,
    )
    result = score_lead(visitor, NOW)
    assert result.score == 67 + 2 + 4 + 2  # one specific question, expo QR source, business hours
    assert result.temperature is Temperature.BURNING


# --- Seed formula: caps and boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("signals", "key", "expected"),
    [
        (LeadSignals(qr_scan_count=5), FactorKey.QR_SCANS, 15),
        (LeadSignals(qr_scan_count=16), FactorKey.QR_SCANS, 15),
        (LeadSignals(catalog_views=6), FactorKey.CATALOG_VIEWS, 10),
        (LeadSignals(message_count=11), FactorKey.MESSAGES, 10),
        (LeadSignals(voice_message_count=3), FactorKey.VOICE, 5),
    ],
)
def test_engagement_counters_stop_at_their_cap(signals: LeadSignals, key: FactorKey, expected: int) -> None:
    assert factor(score_lead(signals, NOW), key)[0] == expected


def test_a_perfect_seed_lead_scores_exactly_100() -> None:
    perfect = replace(
        FULLY_QUALIFIED,
        qr_scan_count=99,
        catalog_views=99,
        message_count=99,
        voice_message_count=1,
        last_interaction_at=NOW,
    )
    assert score_lead(perfect, NOW).score == 100
    assert score_lead(FULLY_QUALIFIED, NOW).score == 40


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(0), 20),
        (timedelta(minutes=59, seconds=59), 20),
        (timedelta(hours=1), 15),
        (timedelta(hours=6) - timedelta(seconds=1), 15),
        (timedelta(hours=6), 10),
        (timedelta(hours=24) - timedelta(seconds=1), 10),
        (timedelta(hours=24), 5),
        (timedelta(hours=72) - timedelta(seconds=1), 5),
        (timedelta(hours=72), 0),
        (timedelta(days=365), 0),
        (-timedelta(minutes=5), 20),  # a sender's clock slightly ahead of ours counts as just now
    ],
)
def test_recency_bands(age: timedelta, expected: int) -> None:
    signals = LeadSignals(last_interaction_at=NOW - age)
    assert factor(score_lead(signals, NOW), FactorKey.RECENCY)[0] == expected


def test_a_lead_never_heard_from_gets_no_recency() -> None:
    assert factor(score_lead(LeadSignals(), NOW), FactorKey.RECENCY)[0] == 0


def test_recency_decays_as_the_clock_moves() -> None:
    signals = LeadSignals(last_interaction_at=NOW)
    scores = [score_lead(signals, NOW + timedelta(hours=h)).score for h in (0, 1, 6, 24, 72)]
    assert scores == [20, 15, 10, 5, 0]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, Temperature.COLD),
        (24, Temperature.COLD),
        (25, Temperature.WARM),
        (49, Temperature.WARM),
        (50, Temperature.HOT),
        (69, Temperature.HOT),
        (70, Temperature.BURNING),
        (100, Temperature.BURNING),
    ],
)
def test_temperature_boundaries(score: int, expected: Temperature) -> None:
    assert temperature_for(score) is expected


def test_every_temperature_has_a_badge() -> None:
    assert TEMPERATURE_BADGES[Temperature.BURNING] == "🔥"
    assert set(TEMPERATURE_BADGES) == set(Temperature)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [(None, 70, True), (None, 69, False), (69, 70, True), (70, 95, False), (90, 50, False), (10, 100, True)],
)
def test_burning_transition_fires_only_when_crossing_into_burning(
    old: int | None, new: int, expected: bool
) -> None:
    assert is_burning_transition(old, new) is expected


# --- The CRM intent bonus --------------------------------------------------------------------------


def test_intent_bonus_is_capped_at_15() -> None:
    eager = LeadSignals(urgency_mentions=5, specific_questions=5, source="referral", inquiry_local_hour=10)
    result = score_lead(eager, NOW)
    assert result.score == INTENT_BONUS_CAP
    assert [factor(result, key)[0] for key in (FactorKey.URGENCY, FactorKey.SPECIFIC_QUESTIONS)] == [8, 6]
    assert factor(result, FactorKey.SOURCE) == (1, 5, "Source: referral — 1 of 5 (bonus limit)")
    assert factor(result, FactorKey.INQUIRY_TIME)[0] == 0


def test_intent_bonus_only_fills_headroom() -> None:
    nearly_perfect = replace(
        FULLY_QUALIFIED, qr_scan_count=5, catalog_views=5, message_count=10, last_interaction_at=NOW
    )
    assert score_lead(nearly_perfect, NOW).score == 95  # no voice message
    with_intent = replace(nearly_perfect, urgency_mentions=1, specific_questions=3, source="referral")
    result = score_lead(with_intent, NOW)
    assert result.score == 100
    assert factor(result, FactorKey.URGENCY)[0] == 4
    assert (
        factor(result, FactorKey.SPECIFIC_QUESTIONS)[2]
        == "3 specific questions × 2 = 6 — 1 of 6 (bonus limit)"
    )
    assert factor(result, FactorKey.SOURCE)[0] == 0


def test_intent_bonus_can_move_a_lead_up_a_temperature() -> None:
    recent = replace(
        FULLY_QUALIFIED, has_budget=False, has_payment_method=False, message_count=1, last_interaction_at=NOW
    )
    assert score_lead(recent, NOW).score == 46
    assert score_lead(recent, NOW).temperature is Temperature.WARM
    urgent = replace(
        recent, urgency_mentions=2, specific_questions=2, source="expo_qr", inquiry_local_hour=12
    )
    assert score_lead(urgent, NOW).score == 46 + 15
    assert score_lead(urgent, NOW).temperature is Temperature.HOT


def test_source_quality_order() -> None:
    def source_points(source: str | None) -> int:
        return factor(score_lead(LeadSignals(source=source), NOW), FactorKey.SOURCE)[0]

    ranked = [source_points(s) for s in ("referral", "expo_qr", "website", "ads", "tiktok", None)]
    assert ranked == sorted(ranked, reverse=True)
    assert ranked[0] > ranked[1] > ranked[2] > ranked[3] > ranked[4] == ranked[5] == 0
    assert source_points("catalog") == source_points("website")
    assert source_key("Expo QR") == "expo_qr"
    assert source_key("facebook-ads") == "ads"
    assert source_key("tiktok") is None
    assert set(SOURCE_QUALITY) == {"referral", "expo_qr", "website", "catalog", "ads"}


@pytest.mark.parametrize(("hour", "expected"), [(None, 0), (8, 0), (9, 2), (13, 2), (18, 2), (19, 0), (3, 0)])
def test_business_hours_inquiry_is_a_mild_positive(hour: int | None, expected: int) -> None:
    assert score_lead(LeadSignals(inquiry_local_hour=hour), NOW).score == expected


# --- Confidence and top factors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        (LeadSignals(), 0.0),
        (LeadSignals(message_count=1), 0.2),
        (LeadSignals(has_phone=True, has_budget=True), 0.27),
        (FULLY_QUALIFIED, 0.8),
        (replace(FULLY_QUALIFIED, last_interaction_at=NOW), 1.0),
    ],
)
def test_confidence_is_how_much_we_know(signals: LeadSignals, expected: float) -> None:
    assert score_lead(signals, NOW).confidence == expected


def test_top_factors_are_the_biggest_earners() -> None:
    signals = LeadSignals(has_phone=True, qr_scan_count=2, message_count=1, voice_message_count=1)
    top = score_lead(signals, NOW).top_factors()
    assert [(f.key, f.points) for f in top] == [
        (FactorKey.PHONE, 10),
        (FactorKey.QR_SCANS, 6),
        (FactorKey.VOICE, 5),
    ]
    assert score_lead(LeadSignals(), NOW).top_factors() == ()
    assert len(score_lead(signals, NOW).top_factors(n=10)) == 4


# --- Reasons in the reader's language --------------------------------------------------------------

READER = LeadSignals(
    qr_scan_count=3,
    catalog_views=1,
    has_phone=True,
    last_interaction_at=NOW - timedelta(hours=2),
    urgency_mentions=1,
    source="referral",
    inquiry_local_hour=22,
)
EXPECTED_REASONS = {
    "en": {
        FactorKey.QR_SCANS: "3 QR scans × 3 = 9 of 15",
        FactorKey.CATALOG_VIEWS: "1 catalog view × 2 = 2 of 10",
        FactorKey.VOICE: "No voice message yet — 0 of 5",
        FactorKey.PHONE: "Phone number known — 10 of 10",
        FactorKey.BUDGET: "Budget not known yet — 0 of 10",
        FactorKey.RECENCY: "Last interaction 1–6 hours ago — 15 of 20",
        FactorKey.URGENCY: "1 urgency mention × 4 = 4 of 8",
        FactorKey.SOURCE: "Source: referral — 5 of 5",
        FactorKey.INQUIRY_TIME: "Inquiry between 22:00 and 22:59 local time, outside business hours — 0 of 2",
    },
    "ru": {
        FactorKey.QR_SCANS: "Сканирования QR: 3 × 3 = 9 из 15",
        FactorKey.VOICE: "Голосовых сообщений пока нет — 0 из 5",
        FactorKey.PHONE: "Телефон известен — 10 из 10",
        FactorKey.BUDGET: "Бюджет пока неизвестен — 0 из 10",
        FactorKey.RECENCY: "Последний контакт 1–6 часов назад — 15 из 20",
        FactorKey.SOURCE: "Источник: рекомендация — 5 из 5",
    },
    "fa": {
        FactorKey.QR_SCANS: "اسکن QR: 3 × 3 = 9 از 15",
        FactorKey.PHONE: "شماره تلفن مشخص است — 10 از 10",
        FactorKey.BUDGET: "بودجه هنوز مشخص نیست — 0 از 10",
        FactorKey.RECENCY: "آخرین تعامل 1 تا 6 ساعت پیش — 15 از 20",
        FactorKey.SOURCE: "منبع: معرفی — 5 از 5",
    },
    "ar": {
        FactorKey.QR_SCANS: "مسح رمز QR: 3 × 3 = 9 من 15",
        FactorKey.PHONE: "تم تحديد رقم الهاتف — 10 من 10",
        FactorKey.BUDGET: "لم يتم تحديد الميزانية بعد — 0 من 10",
        FactorKey.RECENCY: "آخر تفاعل قبل 1–6 ساعات — 15 من 20",
        FactorKey.SOURCE: "المصدر: إحالة — 5 من 5",
    },
}


@pytest.mark.parametrize("language", EXPECTED_REASONS)
def test_reasons_speak_the_readers_language(language: str) -> None:
    result = score_lead(READER, NOW)
    for key, expected in EXPECTED_REASONS[language].items():
        assert reason(next(f for f in result.factors if f.key == key), language) == expected


@pytest.mark.parametrize("language", ["ru", "fa", "ar"])
def test_no_reason_falls_back_to_english(language: str) -> None:
    everything = replace(READER, voice_message_count=1, specific_questions=1, source="tiktok")
    for f in score_lead(everything, NOW).factors:
        translated = reason(f, language)
        assert translated != reason(f, "en")
        assert "{" not in translated


def test_capped_reason_shows_the_cap_truthfully() -> None:
    capped = factor(score_lead(LeadSignals(qr_scan_count=16), NOW), FactorKey.QR_SCANS)[2]
    assert capped == "16 QR scans × 3 = 48 — 15 of 15 (capped)"


@pytest.mark.parametrize(
    ("language", "expected"), [("ru-RU", "ru"), ("FA", "fa"), ("ar_AE", "ar"), ("de", "en")]
)
def test_language_tags_resolve_to_a_supported_language(language: str, expected: str) -> None:
    factors = score_lead(READER, NOW).factors
    assert [reason(f, language) for f in factors] == [reason(f, expected) for f in factors]


# --- Text signal detectors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is urgent, I need to move this week", 2),
        ("Please call me ASAP", 1),
        ("Срочно! Хочу посмотреть на этой неделе", 2),
        ("Нужно как можно скорее", 1),
        ("فوری لازم دارم، همین هفته", 2),
        ("هر چه زودتر لطفا", 1),
        ("عاجل، أريد شقة هذا الأسبوع", 2),
        ("بشكل عاجل في أقرب وقت", 2),
        ("Hello, nice building", 0),
        ("Скорее всего куплю в следующем году", 0),
    ],
)
def test_urgency_mentions_in_four_languages(text: str, expected: int) -> None:
    assert count_urgency_mentions(text) == expected


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        (
            "What's the price? Is it still available? Can I book a viewing?",
            {"price", "availability", "viewing"},
        ),
        ("Is there a payment plan, and what ROI can I expect?", {"payment_plan", "return_on_investment"}),
        ("Сколько стоит? Есть рассрочка? Когда можно посмотреть?", {"price", "payment_plan", "viewing"}),
        ("Какая доходность и срок сдачи?", {"return_on_investment", "handover"}),
        ("قیمت چنده؟ هنوز موجود است؟ کی می‌تونم بازدید کنم؟", {"price", "availability", "viewing"}),
        ("شرایط پرداخت اقساطی دارید؟ متراژ چقدره؟", {"payment_plan", "size_and_layout"}),
        ("كم السعر؟ هل الشقة متاحة؟ أريد معاينة", {"price", "availability", "viewing"}),
        ("هل يوجد تقسيط؟ ما هو العائد؟", {"payment_plan", "return_on_investment"}),
        ("I love the sea view", set()),
    ],
)
def test_specific_questions_in_four_languages(text: str, topics: set[str]) -> None:
    assert specific_question_topics(text) == topics
    assert count_specific_questions(text) == len(topics)


def test_asking_the_same_thing_twice_is_one_specific_question() -> None:
    assert count_specific_questions("Price? What is the price? Send the price list") == 1


@pytest.mark.parametrize(
    ("one_spelling", "other_spelling"),
    [
        ("فوري", "فوری"),  # Arabic yeh / Persian yeh
        ("في أقرب وقت", "فی اقرب وقت"),  # yeh and hamza dropped, as people type it
        ("تكلفة الشقة", "تکلفه الشقه"),  # Arabic kaf / Persian keheh, taa marbuta / heh
        ("عاجلاً", "عاجلا"),  # tanwin
        ("ещё продаётся?", "еще продается?"),
    ],
)
def test_letter_variants_are_detected_alike(one_spelling: str, other_spelling: str) -> None:
    assert count_urgency_mentions(one_spelling) == count_urgency_mentions(other_spelling)
    assert specific_question_topics(one_spelling) == specific_question_topics(other_spelling)
    assert count_urgency_mentions(one_spelling) + count_specific_questions(one_spelling) > 0


# --- Invalid input ---------------------------------------------------------------------------------


def test_invalid_signals_are_refused() -> None:
    with pytest.raises(ValueError):
        LeadSignals(qr_scan_count=-1)
    with pytest.raises(ValueError):
        LeadSignals(inquiry_local_hour=24)
    with pytest.raises(ValueError):
        LeadSignals(last_interaction_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        score_lead(LeadSignals(), datetime(2026, 1, 1))


# --- Properties ------------------------------------------------------------------------------------

aware_datetimes = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
counts = st.integers(min_value=0, max_value=40)
signals_strategy = st.builds(
    LeadSignals,
    qr_scan_count=counts,
    catalog_views=counts,
    message_count=counts,
    voice_message_count=counts,
    has_phone=st.booleans(),
    has_budget=st.booleans(),
    has_transaction_type=st.booleans(),
    has_property_type=st.booleans(),
    has_location=st.booleans(),
    has_payment_method=st.booleans(),
    last_interaction_at=st.none() | aware_datetimes,
    urgency_mentions=counts,
    specific_questions=counts,
    inquiry_local_hour=st.none() | st.integers(min_value=0, max_value=23),
    source=st.none() | st.sampled_from([*SOURCE_QUALITY, "Expo QR", "tiktok", ""]),
)
languages = st.sampled_from(["en", "ru", "fa", "ar", "xx"])


def seed_formula(signals: LeadSignals, now: datetime) -> int:
    """The seed table, written out independently of the module."""
    engagement = (
        min(3 * signals.qr_scan_count, 15)
        + min(2 * signals.catalog_views, 10)
        + min(signals.message_count, 10)
        + (5 if signals.voice_message_count else 0)
    )
    qualification = (
        10 * signals.has_phone
        + 10 * signals.has_budget
        + 5 * (signals.has_transaction_type + signals.has_property_type)
        + 5 * (signals.has_location + signals.has_payment_method)
    )
    recency = 0
    if signals.last_interaction_at is not None:
        hours = (now - signals.last_interaction_at).total_seconds() / 3600
        recency = 20 if hours < 1 else 15 if hours < 6 else 10 if hours < 24 else 5 if hours < 72 else 0
    return engagement + qualification + recency


@given(signals_strategy, aware_datetimes, languages)
def test_score_is_within_0_100_and_the_sum_of_its_factors(
    signals: LeadSignals, now: datetime, language: str
) -> None:
    result = score_lead(signals, now)
    assert all(reason(f, language) for f in result.factors)
    assert 0 <= result.score <= 100
    assert sum(f.points for f in result.factors) == result.score
    assert all(0 <= f.points <= f.max_points for f in result.factors)
    assert result.temperature is temperature_for(result.score)
    assert 0.0 <= result.confidence <= 1.0


@given(signals_strategy, aware_datetimes)
def test_without_crm_signals_the_seed_formula_holds_exactly(signals: LeadSignals, now: datetime) -> None:
    bare = without_crm_signals(signals)
    assert score_lead(bare, now).score == seed_formula(bare, now)


@given(signals_strategy, aware_datetimes)
def test_crm_signals_add_at_most_the_bonus_cap(signals: LeadSignals, now: datetime) -> None:
    with_signals = score_lead(signals, now).score
    without = score_lead(without_crm_signals(signals), now).score
    assert without <= with_signals <= min(without + INTENT_BONUS_CAP, 100)


@given(signals_strategy, aware_datetimes, st.sampled_from(QUALIFICATION_FIELDS))
def test_learning_a_qualification_field_never_lowers_the_score(
    signals: LeadSignals, now: datetime, field: str
) -> None:
    unknown: dict[str, Any] = {field: False}
    known: dict[str, Any] = {field: True}
    before, after = score_lead(replace(signals, **unknown), now), score_lead(replace(signals, **known), now)
    assert after.score >= before.score
    assert after.confidence >= before.confidence


@given(signals_strategy, aware_datetimes, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)))
def test_time_passing_never_raises_recency_or_score(
    signals: LeadSignals, now: datetime, wait: timedelta
) -> None:
    earlier, later = score_lead(signals, now), score_lead(signals, now + wait)
    assert factor(later, FactorKey.RECENCY)[0] <= factor(earlier, FactorKey.RECENCY)[0]
    assert later.score <= earlier.score


@given(signals_strategy, aware_datetimes)
def test_every_reason_states_its_own_points(signals: LeadSignals, now: datetime) -> None:
    for f in score_lead(signals, now).factors:
        assert f"{f.points} of {f.max_points}" in reason(f, "en")
