"""Whether a model's summary of a lead states only recorded facts: its numbers (in digits or words), currencies,
areas, payment methods, property types, timelines and bedroom counts must be found among the facts it was given,
else it is rejected and the offline composition is shown instead."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from agent.core.insights.claims import Claims, claims_in
from agent.core.insights.model import Insight
from agent.core.insights.snapshot import LeadSnapshot
from agent.core.nlu.text import normalize

_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[,\u066c]\d{3})+$")
CURRENCIES = frozenset(
    {
        *("USD", "EUR", "GBP", "AED", "RUB", "IDR", "THB", "TRY", "IRR", "SAR", "QAR", "KWD"),
        *("BHD", "OMR", "EGP", "CNY", "JPY", "INR", "AUD", "CAD", "CHF", "SGD", "MYR"),
    }
)
"""Currency codes a summary may name; each must be the lead's (or one they said)."""
_ARABIC_DECIMAL, _ARABIC_THOUSANDS = chr(0x066B), chr(0x066C)
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "﷼": "IRR"}


def _value(token: str) -> Decimal | None:
    """A number as written: "1,200,000" and "1.200.000" are thousands; "1,5" and "1.5" a fraction."""
    token = token.replace(_ARABIC_THOUSANDS, ",").replace(_ARABIC_DECIMAL, ".")
    if _THOUSANDS.match(token) or re.match(r"^\d{1,3}(?:\.\d{3}){2,}$", token):
        token = token.replace(",", "").replace(".", "")
    else:
        token = token.replace(",", ".")
        if token.count(".") > 1:
            return None
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


def numbers_in(text: str) -> set[Decimal]:
    found: set[Decimal] = set()
    for token in _NUMBER.findall(normalize(text)):
        value = _value(token)
        if value is not None:
            found.add(value.normalize())
    return found


def _scaled(value: Decimal) -> set[Decimal]:
    """A recorded amount and the ways it is shortened: 1200000 -> 1200000, 1200 (K), 1.2 (M)."""
    out = {value.normalize()}
    for unit in (Decimal(1000), Decimal(1_000_000), Decimal(1_000_000_000)):
        if value >= unit / 10:  # 500000 is also "0.5M"
            out.add((value / unit).normalize())
            out.add((value / unit).quantize(Decimal("0.1")).normalize())
    return out


def allowed_numbers(snapshot: LeadSnapshot, insight: Insight, now_texts: Iterable[str] = ()) -> set[Decimal]:
    """Every number the facts hold: amounts (and their K/M forms), counts, and numbers in what was said."""
    allowed: set[Decimal] = set()
    for amount in (snapshot.wants.budget_min, snapshot.wants.budget_max):
        if amount is not None:
            allowed |= _scaled(amount)
    for count in (
        snapshot.wants.bedrooms,
        insight.urgency_mentions,
        insight.action.silent_days,
        insight.action.listing_id,
    ):
        if count is not None:
            allowed.add(Decimal(count))
    texts = [point.text for point in snapshot.touchpoints]
    texts += [question.text for question in snapshot.open_questions]
    texts += [snapshot.wants.timeline or "", insight.action.listing_title or "", *now_texts]
    for text in texts:
        for number in numbers_in(text):
            allowed |= _scaled(number)
    return allowed


def currencies_in(text: str) -> set[str]:
    words = set(re.findall(r"\b[A-Z]{3}\b", text)) & CURRENCIES
    return words | {code for symbol, code in _SYMBOLS.items() if symbol in text}


def ungrounded(
    summary: str, snapshot: LeadSnapshot, insight: Insight, known_areas: Iterable[str] = ()
) -> list[str]:
    """What the summary states that the facts do not hold (empty: it is grounded)."""
    problems: list[str] = []
    facts = recorded_wishes(snapshot, insight)
    # A count said in words ("three bedrooms", "трёхкомнатная") may come back in digits, and the other way round.
    allowed = allowed_numbers(snapshot, insight) | {Decimal(n) for n in facts.bedrooms | facts.number_words}
    problems += [f"number {n:f}" for n in sorted(numbers_in(summary) - allowed)]
    said = " ".join(point.text for point in snapshot.touchpoints)
    recorded_currencies = {snapshot.wants.currency.upper()} if snapshot.wants.currency else set()
    recorded_currencies |= currencies_in(said)
    problems += [f"currency {c}" for c in sorted(currencies_in(summary) - recorded_currencies)]
    problems += unrecorded_wishes(summary, facts, allowed)
    text = summary.casefold()
    recorded = " ".join([*snapshot.wants.areas, said, insight.action.listing_title or ""]).casefold()
    for area in known_areas:
        name = area.casefold().strip()
        if len(name) >= 3 and name in text and name not in recorded:
            problems.append(f"area {area}")
    return problems


def recorded_wishes(snapshot: LeadSnapshot, insight: Insight) -> Claims:
    """The wishes the facts hold: the profile's, and those named in what was said, asked or is to be sent."""
    facts = claims_in(
        [
            *(point.text for point in snapshot.touchpoints),
            *(question.text for question in snapshot.open_questions),
            insight.action.listing_title or "",
            snapshot.wants.timeline or "",
        ]
    )
    if snapshot.wants.payment_method:
        facts.payments.add(snapshot.wants.payment_method)
    facts.property_types |= set(snapshot.wants.property_types)
    if snapshot.wants.timeline:
        facts.timelines.add(snapshot.wants.timeline)
    if snapshot.wants.bedrooms is not None:
        facts.bedrooms.add(snapshot.wants.bedrooms)
    return facts


def unrecorded_wishes(summary: str, facts: Claims, allowed_numbers: set[Decimal]) -> list[str]:
    """A payment method, property type, timeline, bedroom count or number in words the facts do not hold."""
    stated = claims_in([summary])
    counted = {int(n) for n in allowed_numbers if n == int(n)}
    return [
        *(f"payment {method}" for method in sorted(stated.payments - facts.payments)),
        *(f"type {kind}" for kind in sorted(stated.property_types - facts.property_types)),
        *(f"timeline {when}" for when in sorted(stated.timelines - facts.timelines)),
        *(f"bedrooms {n}" for n in sorted(stated.bedrooms - facts.bedrooms)),
        *(f"number {n}" for n in sorted(stated.number_words - counted)),
    ]
