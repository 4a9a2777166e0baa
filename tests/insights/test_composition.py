"""The insight is composed from what was recorded, nothing else; the next best action follows the rules."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from agent.core.insights import (
    ActionKind,
    ActionReason,
    Insight,
    LeadSnapshot,
    ListingRef,
    OpenQuestion,
    Touchpoint,
    ViewingState,
    Wants,
    compose,
)
from agent.core.insights.grounding import ungrounded
from prompts.insights import action_line, render

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


WANTS_FIELDS = {f.name for f in dataclass_fields(Wants)}


def snapshot(**fields: object) -> LeadSnapshot:
    base = LeadSnapshot(
        lead_id=1,
        status="qualifying",
        temperature="warm",
        score=40,
        opted_out=False,
        has_phone=False,
        time_zone="Asia/Makassar",
        last_inbound_at=NOW - timedelta(hours=2),
    )
    wanted = {name: fields.pop(name) for name in list(fields) if name in WANTS_FIELDS}
    return replace(base, wants=Wants(**wanted), **fields)  # type: ignore[arg-type]


def said(text: str, kind: str = "chat", days_ago: int = 0) -> Touchpoint:
    return Touchpoint(kind, text, NOW - timedelta(days=days_ago))


LISTING = ListingRef(7, "Berawa Pool Villa")
QUESTION = OpenQuestion(3, "Is the pool heated?", NOW - timedelta(hours=5))


@pytest.mark.parametrize(
    ("fields", "kind", "reason"),
    [
        ({"temperature": "hot", "has_phone": True}, ActionKind.CALL_NOW, ActionReason.HOT_AND_REACHABLE),
        ({"temperature": "burning", "has_phone": True}, ActionKind.CALL_NOW, ActionReason.HOT_AND_REACHABLE),
        ({"unshown_listing": LISTING}, ActionKind.SEND_LISTING, ActionReason.MATCHED_NOT_SHOWN),
        ({"open_questions": (QUESTION,)}, ActionKind.ANSWER_QUESTION, ActionReason.QUESTION_WAITING),
        (
            {"last_inbound_at": NOW - timedelta(days=5)},
            ActionKind.NUDGE,
            ActionReason.SILENT,
        ),
        (
            {"touchpoints": (said("Can we visit it on Saturday?"),)},
            ActionKind.BOOK_VIEWING,
            ActionReason.ASKED_FOR_VIEWING,
        ),
        (
            {"opted_out": True, "temperature": "hot", "has_phone": True, "unshown_listing": LISTING},
            ActionKind.WAIT,
            ActionReason.OPTED_OUT,
        ),
        (
            {"last_contact_at": NOW - timedelta(hours=1), "unshown_listing": LISTING},
            ActionKind.WAIT,
            ActionReason.CONTACTED_TODAY,
        ),
        ({"status": "won", "temperature": "hot", "has_phone": True}, ActionKind.WAIT, ActionReason.CLOSED),
        ({"taken_over": True, "open_questions": (QUESTION,)}, ActionKind.WAIT, ActionReason.TAKEN_OVER),
        ({"viewing": ViewingState.UPCOMING}, ActionKind.WAIT, ActionReason.VIEWING_AHEAD),
        ({}, ActionKind.WAIT, ActionReason.IN_CONVERSATION),
    ],
)
def test_each_next_action_case(fields: dict[str, object], kind: ActionKind, reason: ActionReason) -> None:
    action = compose(snapshot(**fields), NOW).action
    assert (action.kind, action.reason) == (kind, reason)


def test_the_action_names_the_listing_question_and_silence_it_is_about() -> None:
    send = compose(snapshot(unshown_listing=LISTING), NOW).action
    assert (send.listing_id, send.listing_title) == (7, "Berawa Pool Villa")
    assert action_line(send, "en") == (
        "Next: send listing #7 “Berawa Pool Villa” — it matches what they want and was not shown yet"
    )
    answer = compose(snapshot(open_questions=(QUESTION,)), NOW).action
    assert answer.question == "Is the pool heated?"
    assert "“Is the pool heated?” is waiting for an answer" in action_line(answer, "en")
    nudge = compose(snapshot(last_inbound_at=NOW - timedelta(days=5, hours=3)), NOW).action
    assert nudge.silent_days == 5 and action_line(nudge, "en").endswith("no message from them for 5 d")
    call = compose(snapshot(temperature="hot", has_phone=True), NOW).action
    assert action_line(call, "en") == "Next: call now — hot and has a phone"


def test_contacted_today_is_the_agency_day_not_the_last_24_hours() -> None:
    # 23:30 in Bali yesterday is not today in Bali, though it is 2.5 hours before NOW (17:00 Bali).
    yesterday_late = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)
    action = compose(snapshot(last_contact_at=yesterday_late, unshown_listing=LISTING), NOW).action
    assert action.kind is ActionKind.SEND_LISTING


def test_a_lead_with_no_budget_gets_no_budget_sentence_and_nothing_unsaid_is_stated() -> None:
    bare = compose(snapshot(), NOW)
    assert bare.wants.is_empty()
    view = render(bare, "en")
    assert view.wants == "Has not said what they want yet."
    assert view.urgency is None and view.objections == () and view.questions == () and view.summary is None
    text = " ".join(view.lines)
    assert "budget" not in text.lower() and "$" not in text and "USD" not in text

    areas_only = render(compose(snapshot(areas=("Canggu",), transaction="sale"), NOW), "en")
    assert areas_only.wants == "Wants: to buy · in Canggu"
    assert "budget" not in areas_only.wants


def test_the_full_profile_with_objections_and_questions_in_four_languages() -> None:
    full = snapshot(
        budget_min=Decimal("300000"),
        budget_max=Decimal("500000"),
        currency="USD",
        areas=("Canggu", "Seminyak"),
        property_types=("villa",),
        transaction="sale",
        bedrooms=3,
        timeline="before March",
        payment_method="cash",
        open_questions=(QUESTION,),
        touchpoints=(
            said("We need it urgently", days_ago=3),
            said("The Berawa one is too expensive for us", days_ago=2),
            said("Seminyak is too far from the school", kind="voice", days_ago=1),
            said("They want a bigger garden", kind="note"),
        ),
    )
    insight = compose(full, NOW)
    assert [o.kind for o in insight.objections] == ["price", "location"]
    assert insight.objections[1].source == "voice"
    assert insight.touchpoints == {"chat": 2, "voice": 1, "note": 1}
    again = Insight.from_json(insight.to_json())
    assert again == insight

    en = render(again, "en")
    assert en.wants == (
        "Wants: to buy · villa · 3-bedroom · in Canggu, Seminyak · budget 300K–500K USD · "
        "timeline “before March” · paying by cash"
    )
    assert en.urgency == "Urgency: said it is urgent (1×)"
    assert en.objections == (
        "price: “The Berawa one is too expensive for us”",
        "location: “Seminyak is too far from the school”",
    )
    assert en.questions == ("“Is the pool heated?”",)
    ru = render(again, "ru")
    assert ru.wants.startswith("Хочет: покупка") and "300 тыс.–500 тыс. USD" in ru.wants
    assert ru.next.startswith("Дальше: ответить на вопрос")
    fa = render(again, "fa")
    assert fa.wants.startswith("می‌خواهد:") and "USD" in fa.wants and fa.next.startswith("اقدام بعدی:")
    ar = render(again, "ar")
    assert ar.wants.startswith("يريد:") and "USD" in ar.wants and ar.next.startswith("التالي:")
    # Quoted English keeps its own direction inside an Arabic line (isolated), and so does Arabic in English.
    assert ar.objections[0] == "السعر: «\u2068The Berawa one is too expensive for us\u2069»"
    arabic_note = compose(snapshot(touchpoints=(said("الفيلا غالية جدا"),)), NOW)
    assert render(arabic_note, "en").objections == ("price: “\u2068الفيلا غالية جدا\u2069”",)


def test_urgency_counts_only_the_leads_own_words_not_a_reps_note() -> None:
    words = (
        said("Нужно срочно, на этой неделе", kind="voice"),
        said("عاجل جدا", kind="follow_up_reply"),
        said("Urgent! Made an offer, asap", kind="note"),
    )
    insight = compose(snapshot(touchpoints=words), NOW)
    assert insight.urgency_mentions == 3
    assert compose(snapshot(touchpoints=words[2:]), NOW).urgency_mentions == 0
    assert render(compose(snapshot(touchpoints=words[2:]), NOW), "en").urgency is None


def test_objections_in_each_language() -> None:
    lines = (
        said("Слишком дорого для нас"),
        said("این خیلی دوره از محل کار"),
        said("الفيلا غالية جدا"),
        said("Not right now, maybe next year"),
    )
    kinds = [o.kind for o in compose(snapshot(touchpoints=lines), NOW).objections]
    assert kinds == ["price", "location", "timing"]


def test_a_rent_budget_says_its_period() -> None:
    rent = compose(snapshot(budget_max=Decimal(2000), currency="USD", budget_period="month"), NOW)
    assert render(rent, "en").wants == "Wants: budget up to 2K USD per month"


def test_a_summary_that_invents_an_amount_an_area_or_a_currency_is_ungrounded() -> None:
    facts = snapshot(
        budget_max=Decimal("500000"),
        currency="USD",
        areas=("Canggu",),
        property_types=("villa",),
        touchpoints=(said("We need it by June, 2 kids"),),
    )
    insight = compose(facts, NOW)
    areas = ("Canggu", "Uluwatu")
    assert ungrounded("Wants a villa in Canggu up to 500K USD for 2 kids.", facts, insight, areas) == []
    assert ungrounded("Budget 500,000 USD, or $0.5M.", facts, insight, areas) == []
    assert ungrounded("Budget up to 800K USD.", facts, insight, areas) == ["number 800"]
    assert ungrounded("Up to 500K EUR.", facts, insight, areas) == ["currency EUR"]
    assert ungrounded("Also likes Uluwatu.", facts, insight, areas) == ["area Uluwatu"]


@pytest.mark.parametrize(
    ("summary", "problems"),
    [
        ("Wants a villa in Canggu by June, two kids, pays by mortgage.", []),
        ("Хочет виллу в Canggu к июню, платит ипотекой.", []),
        ("Pays cash.", ["payment cash"]),
        ("Платит наличными.", ["payment cash"]),
        ("پرداخت نقدی.", ["payment cash"]),
        ("يدفع نقدا.", ["payment cash"]),
        ("Wants a villa or an apartment.", ["type apartment"]),
        ("Хочет квартиру.", ["type apartment"]),
        ("آپارتمان می‌خواهد.", ["type apartment"]),
        ("يريد شقة.", ["type apartment"]),
        ("Must move in before March.", ["timeline by March"]),
        ("Хочет въехать до марта.", ["timeline by March"]),
        ("Needs three bedrooms.", ["bedrooms 3", "number 3"]),
        ("Needs 3 bedrooms.", ["number 3", "bedrooms 3"]),
        ("Нужны три спальни.", ["bedrooms 3", "number 3"]),
        ("سه اتاق خواب می‌خواهد.", ["bedrooms 3", "number 3"]),
        ("يريد ثلاث غرف نوم.", ["bedrooms 3", "number 3"]),
        ("A family of four.", ["number 4"]),
    ],
)
def test_a_summary_that_invents_a_payment_a_type_a_deadline_or_a_count_is_ungrounded(
    summary: str, problems: list[str]
) -> None:
    facts = snapshot(
        areas=("Canggu",),
        property_types=("villa",),
        payment_method="mortgage",
        touchpoints=(said("We need it by June, we have two kids"),),
    )
    assert sorted(ungrounded(summary, facts, compose(facts, NOW), ("Canggu",))) == sorted(problems)


def test_wishes_the_lead_said_in_their_own_words_are_grounded() -> None:
    facts = snapshot(
        touchpoints=(
            said("Ищем трёхкомнатную квартиру, оплата наличными, въехать до марта", kind="voice"),
            said("Or a townhouse maybe"),
        )
    )
    insight = compose(facts, NOW)
    summary = "Wants a 3-bedroom apartment or a townhouse, pays cash, by March."
    assert ungrounded(summary, facts, insight) == []
    assert ungrounded("Хочет трёхкомнатную квартиру, платит наличными, до марта.", facts, insight) == []


def test_a_message_right_after_a_follow_up_is_a_reply_to_it_and_notes_are_touchpoints() -> None:
    from agent.services.insights.snapshot import notes_of, touchpoints_of
    from storage.models import LeadInteraction

    def row(direction: str, type: str, text: str | None, minutes: int) -> LeadInteraction:
        return LeadInteraction(
            direction=direction, type=type, text=text, created_at=NOW + timedelta(minutes=minutes)
        )

    points = touchpoints_of(
        [
            row("inbound", "message", "Hi", 0),
            row("outbound", "message", "Hello!", 1),
            row("outbound", "follow_up", "Still looking?", 60),
            row("inbound", "voice", "Yes, but later", 70),
            row("inbound", "message", "Next month", 71),
            row("inbound", "button", "yes", 72),
        ]
    )
    assert [(p.kind, p.text) for p in points] == [
        ("chat", "Hi"),
        ("follow_up_reply", "Yes, but later"),
        ("chat", "Next month"),
    ]
    notes = notes_of("[2026-12-01 10:00] Called, no answer\nPrefers WhatsApp\n")
    assert [(n.kind, n.text) for n in notes] == [("note", "Called, no answer"), ("note", "Prefers WhatsApp")]
