"""The time a lead asks to view at, as a person would hear it: a change keeps what it did not change.

"Make it 4pm" moves the time and keeps the day; "no, the 5th instead" moves the day and keeps the time;
"a bit later" moves to the next free time offered. A time that cannot be booked (gone, too far ahead, or
no time at all, like 25:00) is named, never silently replaced. Pure: no clock, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Literal

from agent.core.nlu.lexicon import key, rx

BOOKING_HORIZON = timedelta(days=365)
"""How far ahead a viewing may be booked; a later date (year 9999) is answered, not searched."""
LATER = timedelta(hours=1)
""""A bit later" with no later time offered: this much after the proposal."""

TimeProblem = Literal["past", "too_far", "no_such_time"]

# A clock time that does not exist: "25:00", "at 25", "в 26 часов", "ساعت ۲۵". key() folds the digits.
_IMPOSSIBLE_CLOCK = re.compile(
    r"(?<![\d.,:])(?P<said>(?:2[4-9]|[3-9]\d):[0-5]\d|(?:[01]?\d|2[0-3]):[6-9]\d)(?!\d)"
    r"|(?:\bat|\bв|\bк|ساعت|الساعة|الساعه)\s+(?P<hour>2[5-9]|[3-9]\d)(?![\d.,:])"
)
_LATER = rx(
    r"(?<!\w)(?:(?:a\s+)?(?:bit|little|tad)\s+later|later(?:\s+(?:that|in\s+the)\s+day|\s+on\s+that\s+day)?\s*(?:please|pls)?\s*[.!?]*$|"
    r"(?:a\s+)?(?:bit|little)\s+after|попозже|позже|чуть\s+позже|دیرتر|یکم\s+دیرتر|کمی\s+دیرتر|"
    r"(?:بعد|متاخر|اتاخر)\s*(?:قلیلا|شوی|شویة|بقلیل))(?!\w)"
)
_EARLIER = rx(
    r"(?<!\w)(?:(?:a\s+)?(?:bit|little|tad)\s+earlier|earlier(?:\s+(?:that|in\s+the)\s+day)?\s*(?:please|pls)?\s*[.!?]*$|"
    r"пораньше|чуть\s+раньше|زودتر|یکم\s+زودتر|کمی\s+زودتر|ابکر|مبکرا\s*(?:قلیلا|بقلیل)?)(?!\w)"
)


def impossible_clock(text: str) -> str | None:
    """The clock time the lead wrote that no day has ("25:00", "at 26"), as written; None when there is none."""
    match = _IMPOSSIBLE_CLOCK.search(key(text))
    if match is None:
        return None
    return match.group("said") or f"{match.group('hour')}:00"


def shift_of(text: str) -> int:
    """+1 for "a bit later", -1 for "a bit earlier", 0 otherwise."""
    folded = key(text)
    if _LATER.search(folded):
        return 1
    if _EARLIER.search(folded):
        return -1
    return 0


def is_day(when: str | None) -> bool:
    """An ISO date without a time ("2026-03-07"): a day the lead chose, not yet a time."""
    return bool(when) and len(str(when)) == 10


def with_time(base: str, said: str) -> str:
    """The day of `base` (a date or a local ISO time) at the wall time of `said` ("make it 4pm")."""
    clock = datetime.fromisoformat(said)
    day = date.fromisoformat(base[:10])
    if is_day(base):
        return datetime.combine(day, clock.time()).isoformat(timespec="minutes")
    moment = datetime.fromisoformat(base)
    return moment.replace(hour=clock.hour, minute=clock.minute).isoformat(timespec="minutes")


def with_day(base: str, day: str) -> str:
    """`day` at the wall time of `base` ("no, the 5th instead"); just the day when `base` had no time."""
    if is_day(base):
        return day
    moment = datetime.fromisoformat(base)
    return moment.replace(year=int(day[:4]), month=int(day[5:7]), day=int(day[8:10])).isoformat(
        timespec="minutes"
    )


def shifted(proposal: str, offered: Sequence[str], direction: int) -> str:
    """The time "a bit later" (or earlier) than `proposal`: the nearest offered one that way, else an hour."""
    current = datetime.fromisoformat(proposal)
    others = sorted(datetime.fromisoformat(option) for option in offered)
    if direction > 0:
        later = [option for option in others if option > current]
        moved = later[0] if later else current + LATER
    else:
        earlier = [option for option in others if option < current]
        moved = earlier[-1] if earlier else current - LATER
    return moved.isoformat(timespec="minutes")


def problem_of(moment: datetime, now: datetime) -> TimeProblem | None:
    """Why a wanted moment (or the start of a wanted day) cannot be booked at all, if it cannot."""
    if moment < now:
        return "past"
    if moment - now > BOOKING_HORIZON:
        return "too_far"
    return None
