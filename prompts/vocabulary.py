"""The words for what a lead asked for, in the reader's language: what they want, their budget, bedrooms."""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Protocol, cast

from agent.core.policies.vocabulary import LANGUAGES, compact_amount
from prompts.catalogue import area_module, language_code, named, text


class Counting(Protocol):
    """The counted phrases of a language (prompts/<lang>/vocabulary.py), whose grammar a template cannot carry."""

    def bedrooms(self, n: int) -> str: ...

    def units_left(self, n: int) -> str: ...

    def recent_bookings(self, n: int) -> str: ...


def counting(language: str | None) -> Counting:
    return cast(Counting, area_module(language, "vocabulary"))


def word(language: str | None, key: str, /, **values: object) -> str:
    return text(language, "vocabulary", key, **values)


def property_type_name(language: str | None, property_type: str | None) -> str | None:
    """ "villa" -> "вилла"; None for a type without a name."""
    return named(language, "vocabulary", "property_type", property_type)


def transaction_name(language: str | None, transaction: str | None) -> str | None:
    """ "sale" -> "to buy"; None for an unknown transaction."""
    return named(language, "vocabulary", "transaction", transaction)


LIST_SEPARATOR: Final[dict[str, str]] = {code: word(code, "list_separator") for code in LANGUAGES}
""" ", " or "، ", per language."""


def bedrooms_phrase(n: int, language: str) -> str:
    """ "3-bedroom", "3 спальни", "3 خوابه", "3 غرف نوم"."""
    return counting(language).bedrooms(n)


def budget_phrase(
    budget_min: Decimal | float | None,
    budget_max: Decimal | float | None,
    currency: str | None,
    language: str,
) -> str | None:
    """ "up to 1.2M AED", "from 300K USD", "300K–500K USD" in the reader's language; None when unknown."""
    unit = f" {currency}" if currency else ""
    if budget_min is not None and budget_max is not None and budget_min != budget_max and budget_min > 0:
        return f"{compact_amount(budget_min)}–{compact_amount(budget_max)}{unit}"
    if budget_max is not None:
        return word(language, "budget_up_to", amount=f"{compact_amount(budget_max)}{unit}")
    if budget_min is not None:
        return word(language, "budget_from", amount=f"{compact_amount(budget_min)}{unit}")
    return None


def describe_goal(
    transaction: str | None, property_type: str | None, location: str | None, language: str
) -> str | None:
    """What the lead wants, human readable: "to buy · villa · Canggu"; None when nothing is known."""
    lang = language_code(language)
    parts = [
        transaction_name(lang, transaction) or transaction,
        property_type_name(lang, property_type) or property_type,
        location,
    ]
    known = [part for part in parts if part]
    return " · ".join(known) if known else None
