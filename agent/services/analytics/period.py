"""The period a report covers: the last N days on the viewer's wall clock, today included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from agent.core.zones import zone_of

PERIOD_CHOICES: tuple[int, ...] = (7, 30, 90)
DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """[start, end): from the viewer's local midnight N-1 days ago until now."""

    days: int
    start: datetime
    end: datetime


def period_ending(now: datetime, time_zone: str | None, days: int = DEFAULT_DAYS) -> Period:
    """The last `days` days ending now, starting at midnight in `time_zone` (a day is the viewer's day)."""
    zone = zone_of(time_zone)
    today = now.astimezone(zone).date()
    start = datetime.combine(today - timedelta(days=days - 1), time(0), tzinfo=zone)
    return Period(days=days, start=start, end=now)
