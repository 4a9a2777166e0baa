"""Free viewing slots: a rep's working hours minus Google busy blocks and booked viewings. Pure, no clock.

Every instant is an aware datetime; working hours are wall-clock times in the rep's zone and are turned
into instants one local day at a time through zoneinfo, so a DST change moves the UTC instants and never
the rep's 09:00. Slot starts are aligned to the step on the rep's wall clock (09:00, 09:15, ...); every
zone's offset is a multiple of 15 minutes, so they also line up with the 15-minute `viewing_blocks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_WORKING_HOURS: dict[str, list[str]] = {
    "mon": ["09:00", "18:00"],
    "tue": ["09:00", "18:00"],
    "wed": ["09:00", "18:00"],
    "thu": ["09:00", "18:00"],
    "fri": ["09:00", "18:00"],
    "sat": ["10:00", "15:00"],
}
"""Hours of a rep who set none: weekdays, and Saturday mornings when many buyers can come."""

_DAY_ALIASES = {name: index for index, name in enumerate(WEEKDAYS)} | {
    full: index
    for index, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}


class WorkingHoursInvalid(ValueError):
    """A working-hours setting that cannot be read; the message names the bad part."""


def zone_named(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """The zone called `name`, or `fallback` when it is unset or unknown."""
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time [start, end) between two aware instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("interval bounds must be timezone-aware")

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def local(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Start and end on the wall clock of `zone` (the lead's, the rep's...)."""
        return self.start.astimezone(zone), self.end.astimezone(zone)


Slot = Interval
"""A bookable viewing time."""


@dataclass(frozen=True)
class WorkingHours:
    """When a rep takes viewings: per weekday (0 = Monday) a few wall-clock spans in the rep's zone."""

    zone: ZoneInfo
    days: Mapping[int, tuple[tuple[time, time | None], ...]]
    """`None` as an end means midnight at the end of the day; an end before the start runs past midnight."""

    @classmethod
    def from_setting(cls, setting: Mapping[str, object] | None, zone: ZoneInfo) -> WorkingHours:
        """Read `{"mon": ["09:00", "18:00"], "sat": [["10:00", "13:00"], ["14:00", "16:00"]], "sun": []}`.

        An empty or missing setting means DEFAULT_WORKING_HOURS; a day left out of a setting is a day off.
        """
        raw = setting or DEFAULT_WORKING_HOURS
        days: dict[int, tuple[tuple[time, time | None], ...]] = {}
        for key, value in raw.items():
            day = _DAY_ALIASES.get(str(key).strip().lower())
            if day is None:
                raise WorkingHoursInvalid(f"unknown weekday {key!r}: use mon, tue, wed, thu, fri, sat, sun")
            days[day] = tuple(_spans(key, value))
        return cls(zone=zone, days=days)

    def spans(self, start: datetime, end: datetime) -> list[Interval]:
        """The working spans that meet [start, end), clipped to it, in time order."""
        first = start.astimezone(self.zone).date() - timedelta(days=1)  # yesterday's overnight span
        last = end.astimezone(self.zone).date()
        result: list[Interval] = []
        day = first
        while day <= last:
            for opens, closes in self.days.get(day.weekday(), ()):
                span_start = _instant(day, opens, self.zone)
                if closes is None:
                    span_end = _instant(day + timedelta(days=1), time(0), self.zone)
                elif closes <= opens:
                    span_end = _instant(day + timedelta(days=1), closes, self.zone)
                else:
                    span_end = _instant(day, closes, self.zone)
                clipped_start, clipped_end = max(span_start, start), min(span_end, end)
                if clipped_start < clipped_end:
                    result.append(Interval(clipped_start, clipped_end))
            day += timedelta(days=1)
        return merge(result)


def merge(intervals: Iterable[Interval], pad: timedelta = timedelta(0)) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time (each widened by `pad` on both sides)."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        start, end = interval.start - pad, interval.end + pad
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, end)
        else:
            merged.append(Interval(start, end))
    return merged


def subtract(spans: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """`spans` minus `busy`; both sorted and non-overlapping (as `merge` returns them)."""
    free: list[Interval] = []
    index = 0
    for span in spans:
        cursor = span.start
        while index < len(busy) and busy[index].end <= cursor:
            index += 1
        probe = index
        while probe < len(busy) and busy[probe].start < span.end:
            if busy[probe].start > cursor:
                free.append(Interval(cursor, busy[probe].start))
            cursor = max(cursor, busy[probe].end)
            probe += 1
        if cursor < span.end:
            free.append(Interval(cursor, span.end))
    return free


def free_slots(
    *,
    working_hours: WorkingHours,
    window: Interval,
    busy: Iterable[Interval],
    duration: timedelta,
    step: timedelta = timedelta(minutes=15),
    buffer: timedelta = timedelta(0),
    not_before: datetime | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """Every viewing of `duration` inside `window` that fits the rep's hours and clashes with nothing.

    `busy` is everything that already takes the rep's time (Google busy blocks, booked viewings), in any
    order, overlapping or not; `buffer` keeps that much room before and after each of them (travel time).
    Starts fall on multiples of `step` on the rep's wall clock, at or after `not_before` (the minimum notice).
    """
    if duration <= timedelta(0) or step <= timedelta(0):
        raise ValueError("duration and step must be positive")
    start = window.start if not_before is None else max(window.start, not_before)
    if start >= window.end:
        return []
    spans = working_hours.spans(start, window.end)
    taken = merge((b for b in busy if b.end > start - buffer and b.start < window.end + buffer), pad=buffer)
    slots: list[Slot] = []
    for free in subtract(spans, taken):
        cursor = _align(free.start, step, working_hours.zone)
        while cursor + duration <= free.end:
            slots.append(Slot(cursor, cursor + duration))
            if limit is not None and len(slots) >= limit:
                return slots
            cursor += step
    return slots


def spread(slots: Sequence[Slot], count: int, zone: ZoneInfo) -> list[Slot]:
    """Up to `count` slots to offer: the earliest of each day first (in `zone`), then the next ones."""
    chosen: list[Slot] = []
    seen_days: set[date] = set()
    for slot in slots:
        day = slot.start.astimezone(zone).date()
        if day not in seen_days:
            seen_days.add(day)
            chosen.append(slot)
            if len(chosen) == count:
                return chosen
    for slot in slots:
        if slot not in chosen:
            chosen.append(slot)
            if len(chosen) == count:
                break
    return sorted(chosen)


def _spans(key: object, value: object) -> list[tuple[time, time | None]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise WorkingHoursInvalid(f'{key}: expected ["09:00", "18:00"] or a list of such pairs')
    if len(value) == 2 and all(isinstance(part, str) for part in value):
        value = [value]
    spans: list[tuple[time, time | None]] = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise WorkingHoursInvalid(f"{key}: {pair!r} is not a [start, end] pair")
        opens, closes = _clock(key, pair[0]), _clock(key, pair[1])
        if opens is None:
            raise WorkingHoursInvalid(f"{key}: a day cannot start at 24:00")
        if closes == opens:
            raise WorkingHoursInvalid(f"{key}: {pair[0]}-{pair[1]} is empty")
        spans.append((opens, closes))
    return spans


def _clock(key: object, text: object) -> time | None:
    """ "09:30" -> 09:30; "24:00" -> None (end of day)."""
    if not isinstance(text, str):
        raise WorkingHoursInvalid(f"{key}: {text!r} is not a HH:MM time")
    if text.strip() == "24:00":
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError as exc:
        raise WorkingHoursInvalid(f"{key}: {text!r} is not a HH:MM time") from exc


def _instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time; a time skipped by a DST jump moves forward by the jump."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _align(instant: datetime, step: timedelta, zone: ZoneInfo) -> datetime:
    """The first instant at or after `instant` that falls on a multiple of `step` on `zone`'s wall clock."""
    local = instant.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    since_midnight = local.replace(tzinfo=None) - midnight.replace(tzinfo=None)  # wall-clock distance
    remainder = since_midnight % step
    if remainder == timedelta(0):
        return instant.astimezone(UTC)
    return (instant + (step - remainder)).astimezone(UTC)
