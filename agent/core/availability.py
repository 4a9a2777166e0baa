"""Free viewing slots: a rep's working hours minus Google busy blocks and booked viewings. Pure, no clock.

Working hours are read by `agent.core.policies.slots` (one parser, one default for booking and rescheduling)
and turned into instants one local day at a time through zoneinfo, so a DST change moves the UTC
instants and never the rep's 09:00; a window opening inside the skipped hour opens when the clock resumes.
Busy time is exact intervals: Google's blocks are not rounded to our 15-minute grid. Slot starts are
aligned to the step on the rep's wall clock (09:00, 09:30, ...); every zone's offset is a multiple of
15 minutes, so they also line up with the 15-minute `viewing_blocks`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agent.core.policies.slots import WorkingHours, parse_working_hours


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
class RepHours:
    """A rep's working hours (as `agent.core.policies.slots` reads them) on the rep's own clock."""

    hours: WorkingHours
    zone: ZoneInfo

    @classmethod
    def of(cls, setting: Mapping[str, object] | None, zone: ZoneInfo) -> RepHours:
        """From the rep's `working_hours` setting; empty means the default hours. InvalidWorkingHours if unreadable."""
        return cls(parse_working_hours(setting), zone)

    def spans(self, start: datetime, end: datetime) -> list[Interval]:
        """The working spans that meet [start, end), clipped to it, in time order."""
        result: list[Interval] = []
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            for opens, closes in self.hours.on(day):
                span_start, span_end = _instant(day, opens, self.zone), _instant(day, closes, self.zone)
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
    hours: RepHours,
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
    spans = hours.spans(start, window.end)
    taken = merge((b for b in busy if b.end > start - buffer and b.start < window.end + buffer), pad=buffer)
    slots: list[Slot] = []
    for free in subtract(spans, taken):
        cursor = _align(free.start, step, hours.zone)
        while cursor + duration <= free.end:
            slots.append(Slot(cursor, cursor + duration))
            if limit is not None and len(slots) >= limit:
                return slots
            cursor += step
    return slots


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
