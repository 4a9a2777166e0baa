"""Deterministic language understanding for lead messages in English, Russian, Persian and Arabic.

Pure functions, no I/O: the offline chat model and the bots read slots and intents from here.
"""

from __future__ import annotations

from agent.core.nlu.contact import extract_email, extract_name, extract_phone
from agent.core.nlu.gazetteer import Gazetteer
from agent.core.nlu.intents import Intent, detect_intents, is_opt_out
from agent.core.nlu.language import Lang, detect_language
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
    parse_property_types,
    parse_timeline,
    parse_transaction,
)
from agent.core.nlu.text import clean_user_text, is_meaningful, normalize
from agent.core.nlu.when import When, parse_when, parse_when_detail

__all__ = [
    "Budget",
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
    "parse_property_types",
    "parse_timeline",
    "parse_transaction",
    "parse_when",
    "parse_when_detail",
]
