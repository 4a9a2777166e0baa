"""The internal calendar's arithmetic: working hours in a zone -> free viewing slots, DST-safe.

Working hours are wall-clock times in the rep's zone. A wall time that does not exist (the spring-
forward gap) is never offered; an ambiguous one (the autumn fall-back) means its first occurrence.
A slot is free when none of the BLOCK_MINUTES blocks it overlaps is taken.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.models.viewing import BLOCK_MINUTES

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
VIEWING_MINUTES = 60
SLOT_STEP_MINUTES = 30
MIN_NOTICE = timedelta(hours=1)
"""A slot starting sooner than this cannot be offered: someone has to get there."""
SEARCH_DAYS = 14
OPTIONS = 3
OPTION_SPACING = timedelta(hours=2)
"""Offered options lie at least this far apart, so a lead gets a real choice, not 10:00/10:30/11:00."""

Window = tuple[time, time]


class InvalidWorkingHours(ValueError):
    """A rep's working hours could not be read; the message says which entry."""


@dataclass(frozen=True)
class WorkingHours:
    """Wall-clock windows per weekday (0 = Monday)."""

    windows: Mapping[int, tuple[Window, ...]]

    def on(self, day: date) -> tuple[Window, ...]:
        return self.windows.get(day.weekday(), ())


DEFAULT_WORKING_HOURS = WorkingHours({weekday: ((time(9), time(18)),) for weekday in range(6)})
"""Monday to Saturday, 09:00-18:00."""


def parse_working_hours(raw: Mapping[str, object] | None) -> WorkingHours:
    """Read `{"mon": ["09:00", "18:00"], "sat": [["10:00", "13:00"], ["14:00", "16:00"]]}`.

    Empty or missing means DEFAULT_WORKING_HOURS; a day left out is a day off.
    """
    if not raw:
        return DEFAULT_WORKING_HOURS
    windows: dict[int, tuple[Window, ...]] = {}
    for key, value in raw.items():
        day = key.strip().lower()[:3]
        if day not in DAYS:
            raise InvalidWorkingHours(f"unknown day {key!r}; use mon..sun")
        pairs = value if isinstance(value, list) and value and isinstance(value[0], list) else [value]
        parsed: list[Window] = []
        for pair in pairs:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise InvalidWorkingHours(f"{key}: expected [start, end], got {pair!r}")
            try:
                start, end = time.fromisoformat(str(pair[0])), time.fromisoformat(str(pair[1]))
            except ValueError as exc:
                raise InvalidWorkingHours(f"{key}: {exc}") from None
            if end <= start:
                raise InvalidWorkingHours(f"{key}: {pair[0]} is not before {pair[1]}")
            parsed.append((start, end))
        windows[DAYS.index(day)] = tuple(sorted(parsed))
    return WorkingHours(windows)


def zoned(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The aware datetime of a wall time on a day, or None when that wall time does not exist (DST gap)."""
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of two ambiguous times
    round_trip = local.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local


def slot_starts(
    hours: WorkingHours,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    *,
    minutes: int = VIEWING_MINUTES,
    step_minutes: int = SLOT_STEP_MINUTES,
) -> Iterator[datetime]:
    """Every slot start (UTC) in [start, end) whose whole viewing lies inside a working window.

    Wall times are stepped in the zone, so a working day keeps its local hours across DST changes;
    the viewing's real length is checked in absolute time, so no slot straddles the gap.
    """
    duration = timedelta(minutes=minutes)
    step = timedelta(minutes=step_minutes)
    day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    while day <= last_day:
        for window_start, window_end in hours.on(day):
            closing = zoned(day, window_end, zone) or _after_gap(day, window_end, zone)
            wall = datetime.combine(day, window_start)
            while wall + duration <= datetime.combine(day, window_end):
                local = zoned(day, wall.time(), zone)
                if local is not None:
                    utc = local.astimezone(UTC)
                    if start <= utc < end and utc + duration <= closing.astimezone(UTC):
                        yield utc
                wall += step
                if wall.date() != day:
                    break
        day += timedelta(days=1)


def within_hours(
    hours: WorkingHours, zone: ZoneInfo, starts_at: datetime, minutes: int = VIEWING_MINUTES
) -> bool:
    """Does a viewing starting then fit wholly inside one working window of that local day?"""
    local = starts_at.astimezone(zone)
    ends = starts_at + timedelta(minutes=minutes)
    for window_start, window_end in hours.on(local.date()):
        opening = zoned(local.date(), window_start, zone) or _after_gap(local.date(), window_start, zone)
        closing = zoned(local.date(), window_end, zone) or _after_gap(local.date(), window_end, zone)
        if opening <= starts_at and ends <= closing:
            return True
    return False


def blocks_of(starts_at: datetime, minutes: int = VIEWING_MINUTES) -> list[datetime]:
    """The BLOCK_MINUTES blocks (UTC, aligned to the epoch) a viewing overlaps."""
    size = timedelta(minutes=BLOCK_MINUTES)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    first = epoch + ((starts_at.astimezone(UTC) - epoch) // size) * size
    ends = starts_at + timedelta(minutes=minutes)
    blocks = []
    block = first
    while block < ends:
        blocks.append(block)
        block += size
    return blocks


def is_free(starts_at: datetime, busy_blocks: set[datetime], minutes: int = VIEWING_MINUTES) -> bool:
    return not any(block in busy_blocks for block in blocks_of(starts_at, minutes))


def earliest_start(now: datetime) -> datetime:
    """The first slot that may be offered: MIN_NOTICE from now."""
    return now.astimezone(UTC) + MIN_NOTICE


def free_slots(
    hours: WorkingHours,
    zone: ZoneInfo,
    busy_blocks: set[datetime],
    start: datetime,
    end: datetime,
    *,
    minutes: int = VIEWING_MINUTES,
) -> list[datetime]:
    """Free slot starts (UTC) in [start, end); callers start no earlier than `earliest_start(now)`."""
    return [
        slot
        for slot in slot_starts(hours, zone, start, end, minutes=minutes)
        if is_free(slot, busy_blocks, minutes)
    ]


def pick_options(
    free: Sequence[datetime],
    *,
    near: datetime | None = None,
    count: int = OPTIONS,
    spacing: timedelta = OPTION_SPACING,
) -> list[datetime]:
    """Up to `count` slots, nearest to `near` (or earliest), at least `spacing` apart, in time order."""
    ordered = sorted(free, key=lambda slot: (abs(slot - near), slot)) if near is not None else sorted(free)
    chosen: list[datetime] = []
    for slot in ordered:
        if all(abs(slot - other) >= spacing for other in chosen):
            chosen.append(slot)
            if len(chosen) == count:
                break
    return sorted(chosen)


def _after_gap(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall time inside the DST gap, read with the offset from before the gap (PEP 495, fold=0)."""
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone)
