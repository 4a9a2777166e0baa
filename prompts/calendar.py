"""What the calendar features say to reps and leads, in the four languages the agent speaks (en, ru, fa, ar).

Times are always shown on the reader's own wall clock with the zone named, so a lead in Moscow and a rep
in Bali read the same viewing as their own 10:00 and 15:00.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from prompts.catalogue import area_module, text


def format_when(instant: datetime, zone: ZoneInfo, language: str) -> str:
    """ "Tue 10 Mar, 10:00 (America/Los_Angeles)" on the reader's clock, in their language."""
    local = instant.astimezone(zone)
    weekday = area_module(language, "sales").WEEKDAYS[local.weekday()]
    month = area_module(language, "calendar").MONTHS[local.month - 1]
    return f"{weekday} {local.day} {month}, {local:%H:%M} ({zone.key})"


def say(key: str, language: str | None, /, **values: object) -> str:
    """The calendar text `key` in `language` (English when missing), with `{placeholders}` filled."""
    return text(language, "calendar", key, **values)
