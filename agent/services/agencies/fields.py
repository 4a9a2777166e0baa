"""Each agency setting an operator types, checked and normalised; a bad value raises one line saying what to do."""

from __future__ import annotations

import re
import zoneinfo
from datetime import time
from functools import cache

from agent.core.nlu.language import LANGUAGES

MEETING_PROVIDERS = ("zoom", "google_meet", "none")
CLEAR = ("", "none", "-")
"""What an operator types to clear an optional setting."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_QUIET_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class AgencyFieldError(ValueError):
    """A value an agency cannot take; the message says what to type instead."""


@cache
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def time_zone(value: str) -> str:
    """An IANA zone name in its canonical spelling ("asia/makassar" -> "Asia/Makassar")."""
    zones = _zones()
    found = zones.get(value.strip().lower())
    if found:
        return found
    from rapidfuzz import process

    close = process.extractOne(value.strip(), list(zones.values()), score_cutoff=70)
    hint = f"did you mean {close[0]}? " if close else ""
    raise AgencyFieldError(
        f"unknown time zone {value!r}: {hint}use an IANA name such as Asia/Makassar or UTC"
    )


@cache
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def currency(value: str) -> str:
    """An ISO 4217 code, upper-cased."""
    code = value.strip().upper()
    if code not in _currencies():
        raise AgencyFieldError(f"unknown currency {value!r}: use an ISO 4217 code such as USD, EUR, IDR")
    return code


def language(value: str) -> str:
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise AgencyFieldError(f"unsupported language {value!r}: use one of {', '.join(LANGUAGES)}")
    return code


def country(value: str) -> str:
    """A phone region (ISO 3166 alpha-2, as phonenumbers knows them): how local numbers are read."""
    import phonenumbers

    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise AgencyFieldError(f"unknown country code {value!r}: use two letters such as ID, RU, US")
    return code


def email_domain(value: str) -> str | None:
    """A corporate e-mail domain ("@Agency.com" -> "agency.com"); None clears it."""
    cleaned = value.strip().lower().lstrip("@")
    if cleaned in CLEAR:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(f"rep@{cleaned}", check_deliverability=False).domain.lower()
    except EmailNotValidError:
        raise AgencyFieldError(
            f"{value!r} is not an e-mail domain: type the part after @, e.g. agency.com"
        ) from None


def quiet_hours(value: str) -> tuple[time, time]:
    """ "21:00-08:00" -> (21:00, 08:00): no follow-up is sent to leads between the two, in the agency's zone."""
    match = _QUIET_HOURS.match(value)
    hours = [int(part) for part in match.groups()] if match else []
    if not match or hours[0] > 23 or hours[2] > 23 or hours[1] > 59 or hours[3] > 59:
        raise AgencyFieldError(f"quiet hours {value!r}: use HH:MM-HH:MM, e.g. 21:00-08:00")
    start, end = time(hours[0], hours[1]), time(hours[2], hours[3])
    if start == end:
        raise AgencyFieldError("quiet hours must start and end at different times (e.g. 21:00-08:00)")
    return start, end


def ghost_delay(value: str) -> int | None:
    """Minutes of silence before the Ghost Protocol nudge; None means the GHOST_AFTER_MINUTES setting."""
    if value.strip().lower() in CLEAR:
        return None
    if not value.strip().isdigit() or not 1 <= int(value) <= 60 * 24 * 30:
        raise AgencyFieldError(f"ghost delay {value!r}: a whole number of minutes from 1 to 43200, or none")
    return int(value)


def alert_chat(value: str) -> int | None:
    """The Telegram chat where hot-lead alerts go (a group's id is negative); None clears it."""
    if value.strip().lower() in CLEAR:
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise AgencyFieldError(
            f"alert chat {value!r}: a Telegram chat id such as -1001234567890 (or none); "
            "an admin can also type /set_admin in the group"
        ) from None


def meeting_provider(value: str) -> str:
    cleaned = value.strip().lower().replace("-", "_")
    if cleaned not in MEETING_PROVIDERS:
        raise AgencyFieldError(f"meeting provider {value!r}: use one of {', '.join(MEETING_PROVIDERS)}")
    return cleaned


def exchange_rate(value: str) -> tuple[str, float]:
    """ "EUR=1.08" -> ("EUR", 1.08): one euro is 1.08 of the agency's currency."""
    code, sep, amount = value.partition("=")
    try:
        rate = float(amount)
    except ValueError:
        rate = 0.0
    if not sep or not rate > 0 or rate == float("inf"):
        raise AgencyFieldError(
            f"exchange rate {value!r}: use CODE=RATE, e.g. EUR=1.08 (one EUR is 1.08 of the agency's currency)"
        )
    return currency(code), rate


def slug(value: str) -> str:
    cleaned = value.strip().lower()
    if not _SLUG.match(cleaned):
        raise AgencyFieldError(
            f"slug {value!r}: lowercase letters, digits and dashes, starting with a letter or digit (e.g. acme-bali)"
        )
    return cleaned


def slug_from(name: str) -> str:
    """A slug for a name ("Acme Realty, Bali" -> "acme-realty-bali"); "agency" when nothing is left."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "-".join(words)[:64].strip("-") or "agency"


def name(value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > 200:
        raise AgencyFieldError("the agency's name must be 1 to 200 characters")
    return cleaned
