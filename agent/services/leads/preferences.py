"""What the lead is looking for: validate each preference and apply the ones that pass."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from agent.core.nlu.text import clean_name
from agent.core.policies.field_rules import MAX_AMOUNT as MAX_AMOUNT  # where the service's callers look
from agent.core.policies.field_rules import FieldRejected, valid_budget
from agent.services.leads.status import advance_status, qualification_status
from prompts import text
from storage.models import Lead, PaymentMethod, PropertyType, Transaction

PAYMENT_METHODS = tuple(PaymentMethod)

_PROPERTY_TYPE_ALIASES = {
    "flat": "apartment",
    "condo": "apartment",
    "studio": "apartment",
    "penthouse": "apartment",
    "apt": "apartment",
    "plot": "land",
    "home": "house",
    "town house": "townhouse",
    "town-house": "townhouse",
}
_TRANSACTION_ALIASES = {
    "buy": "sale",
    "buying": "sale",
    "purchase": "sale",
    "sell": "sale",
    "own": "sale",
    "rental": "rent",
    "renting": "rent",
    "lease": "rent",
    "let": "rent",
}
_PAYMENT_ALIASES = {
    "installment": "installments",
    "payment plan": "installments",
    "plan": "installments",
    "loan": "mortgage",
    "bank loan": "mortgage",
    "credit": "mortgage",
    "bank transfer": "bank_transfer",
    "bank": "bank_transfer",
    "transfer": "bank_transfer",
    "wire": "bank_transfer",
    "wire transfer": "bank_transfer",
    "swift": "bank_transfer",
    "bitcoin": "crypto",
    "usdt": "crypto",
    "cryptocurrency": "crypto",
}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "руб": "RUB", "rub": "RUB"}
_PERIOD_ALIASES = {
    "monthly": "month",
    "per month": "month",
    "yearly": "year",
    "annual": "year",
    "per year": "year",
}
BUDGET_PERIODS = ("month", "year")
MAX_ALTERNATIVES = 5
"""Property types or areas kept as alternatives ("house or villa"): more is not a preference."""
MAX_ROOMS = 50


class PreferenceError(ValueError):
    """A value the lead's profile cannot take; `code` says which rule, for the reply."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def vocabulary_value(value: str, allowed: tuple[str, ...], aliases: Mapping[str, str], what: str) -> str:
    key = " ".join(value.strip().lower().replace("_", " ").split())
    key = aliases.get(key, key)
    key = key.replace(" ", "_") if key.replace(" ", "_") in allowed else key
    if key not in allowed and key.endswith("s") and key[:-1] in allowed:
        key = key[:-1]
    if key not in allowed:
        raise PreferenceError("vocabulary", f"{what} must be one of: {', '.join(allowed)}")
    return key


def amount_value(value: float | int | str | Decimal, currency: str | None = None) -> Decimal:
    """A budget amount the field rules accept in `currency`; PreferenceError (with the rule's code) otherwise."""
    try:
        return valid_budget(value, currency)
    except FieldRejected as exc:
        raise PreferenceError(exc.code, str(exc)) from None


def currency_value(value: str) -> str:
    key = value.strip()
    code = _CURRENCY_SYMBOLS.get(key.lower(), _CURRENCY_SYMBOLS.get(key, key.upper()))
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise PreferenceError("currency", "use a three-letter ISO currency code such as USD, EUR or AED")
    return code


def rooms_value(value: int | float) -> int:
    if isinstance(value, bool) or int(value) != value:
        raise PreferenceError("number", "must be a whole number")
    if not 0 <= int(value) <= MAX_ROOMS:
        raise PreferenceError("range", f"must be between 0 and {MAX_ROOMS}")
    return int(value)


@dataclass
class PreferenceUpdate:
    """What `update_preferences` changed and what it refused, per field."""

    updated: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def apply_preferences(
    lead: Lead, changes: Mapping[str, object], default_currency: str | None = None
) -> PreferenceUpdate:
    """Validate and apply the given preference fields; None or "" means "not given".

    Budgets pass the field rules (`field_rules.valid_budget`) in the currency given, else the lead's, else
    `default_currency` (the agency's); a refused one is said to the lead in their language (`errors`) and
    kept nowhere, nor is the currency or period given with it. A floor of 0 ("from 0 to 500k") is no floor.
    Budgets are min <= max after the change: both given the other way round are swapped; a new ceiling below
    the old floor ("actually up to 320k") drops the floor, and a new floor above the old ceiling the ceiling. property_type(s) and location(s) keep alternatives (`_apply_alternatives`). A field that fails
    validation is left as it was and reported in `errors`.
    """
    result = PreferenceUpdate()
    given = {key: value for key, value in changes.items() if value is not None and value != ""}

    def put(column: str, value: object, reported: str | None = None) -> None:
        if getattr(lead, column) != value:
            setattr(lead, column, value)
            result.updated.append(reported or column)

    _apply_alternatives(lead, given, result)
    converters: dict[str, tuple[str, Callable[[Any], object]]] = {
        "transaction": (
            "transaction",
            lambda v: vocabulary_value(str(v), tuple(Transaction), _TRANSACTION_ALIASES, "transaction"),
        ),
        "payment_method": (
            "payment_method",
            lambda v: vocabulary_value(str(v), PAYMENT_METHODS, _PAYMENT_ALIASES, "payment_method"),
        ),
        "bedrooms": ("bedrooms", rooms_value),
        "bathrooms": ("bathrooms", rooms_value),
        "timeline": ("timeline", lambda v: clean_name(str(v), 120)),
        "name": ("name", lambda v: clean_name(str(v))),
        "pets": ("pets", _boolean),
        "furnished": ("furnished", _boolean),
    }
    for key, (column, convert) in converters.items():
        if key not in given:
            continue
        try:
            value = convert(given[key])
        except (PreferenceError, ValueError, TypeError) as exc:
            result.errors[key] = str(exc)
            continue
        if value is not None:
            put(column, value, key)

    budget_min, budget_max = lead.budget_min, lead.budget_max
    currency = lead.budget_currency or default_currency
    new_currency: str | None = None
    if "currency" in given:
        try:
            new_currency = currency = currency_value(str(given["currency"]))
        except PreferenceError as exc:
            result.errors["currency"] = str(exc)
    for key in ("budget_min", "budget_max"):
        if key in given:
            if key == "budget_min" and _is_zero(given[key]):
                budget_min = None
                continue
            try:
                amount = amount_value(given[key], currency)  # type: ignore[arg-type]  # float, int or str
            except PreferenceError as exc:
                result.errors[key] = text(lead.language, "sales", f"field_{exc.code}")
                continue
            if key == "budget_min":
                budget_min = amount
            else:
                budget_max = amount
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        if "budget_min" in given and "budget_max" in given:
            budget_min, budget_max = budget_max, budget_min
        elif "budget_max" in given:
            budget_min = None  # "actually up to 320k": a new ceiling below the old floor replaces the range
        else:
            budget_max = None
    refused = any(key in result.errors for key in ("budget_min", "budget_max"))
    if new_currency is not None and not refused:  # a refused budget's currency or period is no change either
        put("budget_currency", new_currency, "currency")
    if "budget_period" in given and not refused:
        try:
            period = _period(given["budget_period"])
        except PreferenceError as exc:
            result.errors["budget_period"] = str(exc)
        else:
            if lead.budget_period != period:
                put("budget_period", period)
    elif given.get("transaction") is not None and lead.transaction == Transaction.SALE and lead.budget_period:
        put(
            "budget_period", None
        )  # "no, buy not rent" said now: a price has no period (never on another topic)
    if budget_min != lead.budget_min:
        put("budget_min", budget_min)
    if budget_max != lead.budget_max:
        put("budget_max", budget_max)
    advance_status(lead, qualification_status(lead))
    return result


def _is_zero(value: object) -> bool:
    try:
        return not isinstance(value, bool) and Decimal(str(value)) == 0
    except (InvalidOperation, ValueError):
        return False


def _period(value: object) -> str | None:
    """month | year | None (a price, not a rent): a budget given without a period has none."""
    if value is None or value == "":
        return None
    return vocabulary_value(str(value), BUDGET_PERIODS, _PERIOD_ALIASES, "budget_period")


def _alternatives(values: object, convert: Callable[[str], str | None]) -> list[str]:
    """Each value converted, duplicates and blanks dropped, at most MAX_ALTERNATIVES; a lone string is one value."""
    items = (
        [values] if isinstance(values, str) else list(values) if isinstance(values, list | tuple) else None
    )
    if items is None:
        raise PreferenceError("list", "must be a list of values")
    kept: list[str] = []
    for item in items:
        value = convert(str(item))
        if value and value not in kept:
            kept.append(value)
    return kept[:MAX_ALTERNATIVES]


def _property_type(value: str) -> str:
    return vocabulary_value(value, tuple(PropertyType), _PROPERTY_TYPE_ALIASES, "property_type")


def _area(value: str) -> str | None:
    return clean_name(value, 120)


def _apply_alternatives(lead: Lead, given: Mapping[str, object], result: PreferenceUpdate) -> None:
    """property_type(s) and location(s): the list holds every alternative, the single column the first.

    A single value given alone replaces the alternatives ("actually a villa"), unless it is the first of them
    already; a list given makes its first the single value (or puts the single value given with it first).
    """
    for single, plural, convert in (
        ("property_type", "property_types", _property_type),
        ("location", "locations", _area),
    ):
        if single not in given and plural not in given:
            continue
        try:
            first = convert(str(given[single])) if single in given else None
            listed = _alternatives(given[plural], convert) if plural in given else None
        except (PreferenceError, ValueError, TypeError) as exc:
            result.errors[plural if plural in given else single] = str(exc)
            continue
        if listed is None:
            if first is None or first == getattr(lead, single):
                continue
            listed = [first]
        elif first is not None:
            listed = [first, *(value for value in listed if value != first)][:MAX_ALTERNATIVES]
        if not listed:
            continue
        if getattr(lead, single) != listed[0]:
            setattr(lead, single, listed[0])
            result.updated.append(single)
        before = list(getattr(lead, plural) or ())
        if before != listed:
            setattr(lead, plural, listed)
            if len(listed) > 1 or len(before) > 1:  # a single value is reported as itself
                result.updated.append(plural)


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise PreferenceError("boolean", "must be true or false")
