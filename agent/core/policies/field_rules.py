"""The one validation a lead's phone, e-mail, budget and viewing times pass before anything keeps them.

Pure: no clock, no database. A value that fails raises `FieldRejected` with a `code` the caller turns into a
sentence in the lead's language (prompts/<lang>/sales.py, `field_<code>`); nothing here raises anything else,
whatever the input (year 9999, "NaN", 10^30, a string where a number was expected).

Budgets (decided here, per currency): positive; at least `MIN_BUDGET_USD` and at most `MAX_BUDGET_USD` in US
dollars at the rough rate of `USD_RATES` (an order of magnitude is all a plausibility check needs, so the rates
are coarse and never used to convert); a currency not in the table is checked for being positive and below
`MAX_AMOUNT` (what the column holds) only.
Viewing times: not in the past, at most `VIEWING_HORIZON` ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Literal

import phonenumbers
from email_validator import EmailNotValidError, EmailSyntaxError, validate_email

from agent.core.nlu.intents import Intent, detect_intents

RejectionCode = Literal[
    "phone_invalid",
    "email_invalid",
    "budget_not_number",
    "budget_not_positive",
    "budget_too_small",
    "budget_too_large",
]
TimeProblem = Literal["past", "too_far", "no_such_time"]

MAX_PHONE_INPUT = 40
"""Longer text is not one phone number (and phonenumbers is not handed a novel)."""
MAX_EMAIL_CHARS = 254
"""The longest address SMTP carries (RFC 5321 path limit)."""
MAX_AMOUNT = Decimal("1e13")
"""Above what the budget columns (numeric(16, 2)) hold."""
MIN_BUDGET_USD = Decimal(10)
"""Less than this (in US dollars) pays for no home, even per month: a slip ("5" for 5 million) to ask about."""
MAX_BUDGET_USD = Decimal(1_000_000_000)
"""No home costs more than a billion dollars: a larger budget is a typo or a probe."""
USD_RATES: dict[str, Decimal] = {
    code: Decimal(rate)
    for code, rate in {
        "USD": "1",
        "EUR": "0.9",
        "GBP": "0.8",
        "CHF": "0.9",
        "AED": "3.7",
        "SAR": "3.8",
        "QAR": "3.6",
        "KWD": "0.3",
        "BHD": "0.38",
        "OMR": "0.38",
        "JOD": "0.7",
        "EGP": "50",
        "TRY": "40",
        "RUB": "90",
        "KZT": "500",
        "UAH": "41",
        "GEL": "2.7",
        "AMD": "390",
        "IRR": "1000000",
        "IDR": "16000",
        "THB": "35",
        "MYR": "4.5",
        "SGD": "1.35",
        "VND": "25000",
        "PHP": "57",
        "INR": "85",
        "CNY": "7.2",
        "HKD": "7.8",
        "JPY": "150",
        "KRW": "1400",
        "AUD": "1.5",
        "CAD": "1.4",
        "NZD": "1.7",
        "ILS": "3.7",
    }.items()
}
"""Rough units of each currency per US dollar, for the plausibility bounds only (never to convert a price)."""
VIEWING_HORIZON = timedelta(days=365)
"""How far ahead a viewing may be booked; a later date (year 9999) is answered, not searched."""


class FieldRejected(ValueError):
    """A value a lead's record cannot take; `code` says which rule, for the sentence the lead reads."""

    def __init__(self, code: RejectionCode, message: str) -> None:
        super().__init__(message)
        self.code: RejectionCode = code


# --- Contact ---------------------------------------------------------------------------------------------


def valid_phone(raw: object, region: str | None) -> str:
    """E.164 of a number valid for its region: written locally (in `region`, the agency's country) or with
    its country code. Anything else (too short, "+1 555 0100", letters, 40 digits) is rejected."""
    text = str(raw or "").strip()
    if not text or len(text) > MAX_PHONE_INPUT:
        raise FieldRejected("phone_invalid", "not a phone number")
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise FieldRejected("phone_invalid", str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise FieldRejected("phone_invalid", "not a valid number for its region")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def valid_email(raw: object, *, lower: bool = False) -> str:
    """The address, syntax-checked and normalised (no DNS lookup): the domain lower-cased, the local part as
    written unless `lower`."""
    candidate = str(raw or "").strip()
    if len(candidate) > MAX_EMAIL_CHARS:
        raise FieldRejected("email_invalid", f"an e-mail address has at most {MAX_EMAIL_CHARS} characters")
    try:
        normalized = validate_email(candidate, check_deliverability=False).normalized
    except (EmailNotValidError, EmailSyntaxError) as exc:
        raise FieldRejected("email_invalid", str(exc)) from None
    return normalized.lower() if lower else normalized


def replaces(current: str | None, new: str) -> bool:
    """A new value that would overwrite a different one the lead gave before: the lead confirms it first."""
    return bool(current) and current != new


def confirms_replacement(answer: str) -> bool:
    """The lead's answer to "Shall I replace …?" is a yes ("yes", "да", "بله", "نعم", "sure"...); anything else,
    a no or another subject, keeps what they gave before."""
    intents = detect_intents(answer)
    return Intent.AFFIRM in intents and Intent.DENY not in intents


# --- Budget ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetBounds:
    low: Decimal
    high: Decimal


def budget_bounds(currency: str | None) -> BudgetBounds:
    """The plausible budget range in `currency`; only positive and below the column's limit when unknown."""
    rate = USD_RATES.get((currency or "").upper())
    if rate is None:
        return BudgetBounds(Decimal("0.01"), MAX_AMOUNT)
    return BudgetBounds(MIN_BUDGET_USD * rate, min(MAX_BUDGET_USD * rate, MAX_AMOUNT))


def valid_budget(value: object, currency: str | None) -> Decimal:
    """A budget amount as kept (two decimals), if it is a plausible one in `currency`."""
    if isinstance(value, bool):
        raise FieldRejected("budget_not_number", "not a number")
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        raise FieldRejected("budget_not_number", "not a number") from None
    if not amount.is_finite():
        raise FieldRejected("budget_not_number", "not a number")
    if amount <= 0:
        raise FieldRejected("budget_not_positive", "must be more than zero")
    bounds = budget_bounds(currency)
    if amount >= bounds.high:
        raise FieldRejected("budget_too_large", f"more than {bounds.high:.0f} is not a budget")
    if amount < bounds.low:
        raise FieldRejected("budget_too_small", f"less than {bounds.low:.0f} is not a budget")
    return amount.quantize(Decimal("0.01"))


# --- Record numbers --------------------------------------------------------------------------------------

MAX_RECORD_ID = 2**63 - 1
"""The largest id a bigint column holds."""


def record_id(value: object) -> int | None:
    """A listing number as the database can look it up, or None: 10^30, -1 or "abc" name no listing (and
    must never reach a query, which would fail the turn's transaction)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 < number <= MAX_RECORD_ID else None


# --- Viewing times ---------------------------------------------------------------------------------------


def viewing_time_problem(moment: datetime, now: datetime) -> TimeProblem | None:
    """Why a wanted moment (or the end of a wanted day) cannot be booked at all, if it cannot."""
    if moment < now:
        return "past"
    if moment - now > VIEWING_HORIZON:
        return "too_far"
    return None
