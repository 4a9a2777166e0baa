"""The time a lead asks to view at, as a person would hear it: a change keeps what it did not change.

"Make it 4pm" moves the time and keeps the day; "no, the 5th instead" moves the day and keeps the time;
"a bit later" moves to the next free time offered. A time that cannot be booked (gone, too far ahead, or
no time at all, like 25:00) is named, never silently replaced. Pure: no clock, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from agent.core.policies.field_rules import VIEWING_HORIZON, TimeProblem, viewing_time_problem

BOOKING_HORIZON = VIEWING_HORIZON
"""How far ahead a viewing may be booked (the field rules' window): a later date is answered, not searched."""
LATER = timedelta(hours=1)
""""A bit later" with no later time offered: this much after the proposal."""

__all__ = ["BOOKING_HORIZON", "TimeProblem", "is_day", "problem_of", "shifted", "with_day", "with_time"]


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
    return viewing_time_problem(moment, now)
