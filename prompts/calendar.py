"""What the calendar features say to reps and leads, in the four languages the agent speaks (en, ru, fa, ar).

Times are always shown on the reader's own wall clock with the zone named, so a lead in Moscow and a rep
in Bali read the same viewing as their own 10:00 and 15:00. Days and times are written by Babel in the
language's locale ("Sat 7 Mar", "сб, 7 мар.", "شنبه ۷ مارس"), never as "Sat 07.03".
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, get_datetime_format

from prompts.catalogue import area_module, text

_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
"""The digits of the numbering systems Babel names but does not write (it formats dates in Latin digits)."""


@cache
def _locale(language: str | None) -> Locale:
    return Locale.parse(area_module(language, "calendar").LOCALE)


@cache
def _digits(language: str | None) -> dict[int, int]:
    native = _DIGITS.get(_locale(language).default_numbering_system)
    return str.maketrans("0123456789", native) if native else {}


def day_label(day: date | datetime, language: str | None) -> str:
    """ "Sat 7 Mar", "сб, 7 мар.", "شنبه ۷ مارس": a day in the language's locale."""
    moment = day if isinstance(day, datetime) else datetime.combine(day, time(12))
    return format_skeleton("MMMEd", moment, locale=_locale(language)).translate(_digits(language))


def time_label(moment: datetime | time, language: str | None) -> str:
    """ "16:30" (in the language's digits)."""
    at = moment if isinstance(moment, datetime) else datetime.combine(date(2000, 1, 3), moment)
    return format_skeleton("Hm", at, locale=_locale(language)).translate(_digits(language))


def moment_label(moment: datetime, language: str | None) -> str:
    """ "Sat 7 Mar, 16:30" on the moment's own wall clock, in the language's locale."""
    pattern = get_datetime_format("medium", locale=_locale(language))
    return (
        str(pattern).replace("{1}", day_label(moment, language)).replace("{0}", time_label(moment, language))
    )


def format_when(instant: datetime, zone: ZoneInfo, language: str) -> str:
    """ "Tue 10 Mar, 10:00 (America/Los_Angeles)" on the reader's clock, in their language."""
    return f"{moment_label(instant.astimezone(zone), language)} ({zone.key})"


def say(key: str, language: str | None, /, **values: object) -> str:
    """The calendar text `key` in `language` (English when missing), with `{placeholders}` filled."""
    return text(language, "calendar", key, **values)
