"""Deterministic language understanding for lead messages in English, Russian, Persian and Arabic.

Pure functions, no I/O: the offline chat model and the bots read slots and intents from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from agent.core.nlu.contact import extract_email, extract_name, extract_phone
from agent.core.nlu.gazetteer import Gazetteer
from agent.core.nlu.intents import Intent, detect_intents, is_opt_out
from agent.core.nlu.language import LANGUAGES, Lang, detect_language
from agent.core.nlu.money import Budget, parse_budget
from agent.core.nlu.slots import (
    PaymentMethod,
    PropertyType,
    Transaction,
    parse_bathrooms,
    parse_bedrooms,
    parse_furnished,
    parse_payment_method,
    parse_pets,
    parse_property_type,
    parse_timeline,
    parse_transaction,
)
from agent.core.nlu.text import clean_user_text, is_meaningful, normalize
from agent.core.nlu.when import When, parse_when, parse_when_detail

__all__ = [
    "Budget",
    "Extraction",
    "Gazetteer",
    "Intent",
    "Lang",
    "PaymentMethod",
    "PropertyType",
    "Transaction",
    "When",
    "clean_user_text",
    "detect_intents",
    "detect_language",
    "extract_all",
    "extract_email",
    "extract_name",
    "extract_phone",
    "is_meaningful",
    "is_opt_out",
    "normalize",
    "parse_bathrooms",
    "parse_bedrooms",
    "parse_budget",
    "parse_furnished",
    "parse_payment_method",
    "parse_pets",
    "parse_property_type",
    "parse_timeline",
    "parse_transaction",
    "parse_when",
    "parse_when_detail",
    "warm_up",
]


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything one message says about the lead; None (or empty) where it says nothing."""

    language: Lang
    intents: frozenset[Intent]
    budget: Budget | None = None
    bedrooms: int | None = None
    bathrooms: int | None = None
    property_type: PropertyType | None = None
    transaction: Transaction | None = None
    payment_method: PaymentMethod | None = None
    timeline: str | None = None
    location: str | None = None
    pets: bool | None = None
    furnished: bool | None = None
    phone: str | None = None
    email: str | None = None
    name: str | None = None


def extract_all(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    default_region: str | None = None,
    default_currency: str | None = None,
    previous_language: Lang | None = None,
) -> Extraction:
    """Run every extractor over one message."""
    language = detect_language(text, previous_language)
    return Extraction(
        language=language,
        intents=detect_intents(text),
        budget=parse_budget(text, default_currency),
        bedrooms=parse_bedrooms(text),
        bathrooms=parse_bathrooms(text),
        property_type=parse_property_type(text),
        transaction=parse_transaction(text),
        payment_method=parse_payment_method(text),
        timeline=parse_timeline(text),
        location=gazetteer.match(text) if gazetteer else None,
        pets=parse_pets(text),
        furnished=parse_furnished(text),
        phone=extract_phone(text, default_region),
        email=extract_email(text),
        name=extract_name(text, language),
    )


def warm_up() -> None:
    """Load the language models and date parsers now (about two seconds) instead of on a lead's first message.

    For process start-up in the bots and the API; never called at import time.
    """
    detect_language("سلام، دنبال ویلا هستم")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for lang in LANGUAGES:
        parse_when("5 March 10:00", lang, "UTC", now)
