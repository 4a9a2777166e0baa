"""Free slots from working hours, Google busy blocks and booked viewings, across zones and DST changes."""

from __future__ import annotations

import random
import time as clock_time
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from agent.core.availability import Interval, RepHours, free_slots, merge
from prompts.calendar import format_when

LA = ZoneInfo("America/Los_Angeles")
MOSCOW = ZoneInfo("Europe/Moscow")
MAKASSAR = ZoneInfo("Asia/Makassar")
HOUR = timedelta(hours=1)
WEEKDAYS_9_TO_18 = {day: ["09:00", "18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}

# Los Angeles springs forward on Sunday 8 March 2026 at 02:00; Moscow and Makassar keep their offsets.
DST_WEEK = Interval(datetime(2026, 3, 5, tzinfo=LA), datetime(2026, 3, 12, tzinfo=LA))
"""Thursday 5 to Wednesday 11 March on the Los Angeles clock."""


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def first_slot_per_day(slots: list[Interval], zone: ZoneInfo) -> dict[str, datetime]:
    firsts: dict[str, datetime] = {}
    for slot in slots:
        firsts.setdefault(slot.start.astimezone(zone).date().isoformat(), slot.start)
    return firsts


def test_a_los_angeles_rep_keeps_9am_across_the_dst_change() -> None:
    hours = RepHours.of(WEEKDAYS_9_TO_18, LA)
    slots = free_slots(hours=hours, window=DST_WEEK, busy=[], duration=HOUR, step=timedelta(minutes=30))

    firsts = first_slot_per_day(slots, LA)
    assert list(firsts) == ["2026-03-05", "2026-03-06", "2026-03-09", "2026-03-10", "2026-03-11"]
    assert {start.astimezone(LA).time() for start in firsts.values()} == {time(9)}
    # The same 09:00 is a different instant before and after the change...
    assert firsts["2026-03-06"] == utc(2026, 3, 6, 17) and firsts["2026-03-09"] == utc(2026, 3, 9, 16)
    # ...and the last viewing still ends at 18:00 on the rep's clock.
    assert max(s.end for s in slots if s.start.astimezone(LA).date().day == 9).astimezone(LA).time() == time(
        18
    )


def test_the_lead_and_the_rep_each_read_their_own_clock() -> None:
    hours = RepHours.of(WEEKDAYS_9_TO_18, LA)
    firsts = first_slot_per_day(free_slots(hours=hours, window=DST_WEEK, busy=[], duration=HOUR), LA)
    before, after = firsts["2026-03-06"], firsts["2026-03-09"]

    assert format_when(before, LA, "en") == "Fri 6 Mar, 09:00 (America/Los_Angeles)"
    assert format_when(after, LA, "en") == "Mon 9 Mar, 09:00 (America/Los_Angeles)"
    # A lead in Moscow sees the rep's morning one hour earlier after LA's change.
    assert format_when(before, MOSCOW, "ru") == "пт, 6 мар., 20:00 (Europe/Moscow)"
    assert format_when(after, MOSCOW, "ru") == "пн, 9 мар., 19:00 (Europe/Moscow)"
    # A lead in Makassar reads it on the next calendar day, also shifted by the change.
    assert format_when(before, MAKASSAR, "en") == "Sat 7 Mar, 01:00 (Asia/Makassar)"
    assert format_when(after, MAKASSAR, "en") == "Tue 10 Mar, 00:00 (Asia/Makassar)"


def test_a_moscow_rep_is_unmoved_while_los_angeles_changes() -> None:
    hours = RepHours.of({"thu": ["10:00", "19:00"], "mon": ["10:00", "19:00"]}, MOSCOW)
    week = Interval(datetime(2026, 3, 5, tzinfo=MOSCOW), datetime(2026, 3, 12, tzinfo=MOSCOW))
    firsts = first_slot_per_day(free_slots(hours=hours, window=week, busy=[], duration=HOUR), MOSCOW)
    assert set(firsts.values()) == {utc(2026, 3, 5, 7), utc(2026, 3, 9, 7)}
    assert [format_when(s, LA, "en") for s in sorted(firsts.values())] == [
        "Wed 4 Mar, 23:00 (America/Los_Angeles)",
        "Mon 9 Mar, 00:00 (America/Los_Angeles)",
    ]


def test_the_skipped_hour_is_never_offered() -> None:
    hours = RepHours.of({"sun": ["01:00", "04:00"]}, LA)
    window = Interval(utc(2026, 3, 8), utc(2026, 3, 9))
    slots = free_slots(hours=hours, window=window, busy=[], duration=HOUR, step=timedelta(minutes=30))

    local = [s.start.astimezone(LA).strftime("%H:%M %Z") for s in slots]
    assert local == ["01:00 PST", "01:30 PST", "03:00 PDT"]  # 01:00-04:00 that day lasts two real hours
    assert all(s.end - s.start == HOUR for s in slots)


def test_empty_hours_mean_the_booking_default() -> None:
    hours = RepHours.of({}, MAKASSAR)
    saturday = Interval(datetime(2026, 3, 7, tzinfo=MAKASSAR), datetime(2026, 3, 8, tzinfo=MAKASSAR))
    slots = free_slots(hours=hours, window=saturday, busy=[], duration=HOUR, step=HOUR)
    assert [f"{s.start.astimezone(MAKASSAR):%H:%M}" for s in slots][0::8] == ["09:00", "17:00"]


def test_the_repeated_hour_counts_once_per_occurrence() -> None:
    # Los Angeles falls back on Sunday 1 November 2026: 01:00-02:00 happens twice.
    hours = RepHours.of({"sun": ["00:00", "03:00"]}, LA)
    window = Interval(utc(2026, 11, 1), utc(2026, 11, 2, 12))
    slots = free_slots(hours=hours, window=window, busy=[], duration=HOUR, step=HOUR)
    assert len(slots) == 4  # 00:00 PDT, 01:00 PDT, 01:00 PST, 02:00 PST: four real hours
    assert slots[-1].end.astimezone(LA).time() == time(3)


def test_busy_blocks_viewings_and_a_travel_buffer_are_all_avoided() -> None:
    hours = RepHours.of({"tue": ["09:00", "13:00"]}, MAKASSAR)
    window = Interval(utc(2026, 3, 10), utc(2026, 3, 11))
    google_busy = [Interval(utc(2026, 3, 10, 2, 10), utc(2026, 3, 10, 2, 40))]  # 10:10-10:40 local
    viewings = [Interval(utc(2026, 3, 10, 3, 30), utc(2026, 3, 10, 4, 0))]  # 11:30-12:00 local
    slots = free_slots(
        hours=hours,
        window=window,
        busy=google_busy + viewings,
        duration=timedelta(minutes=45),
        step=timedelta(minutes=15),
        buffer=timedelta(minutes=15),
    )
    local = [f"{s.start.astimezone(MAKASSAR):%H:%M}" for s in slots]
    # 09:00-09:55 free before the Google block (with 15 min buffer), 10:55-11:15 between, after 12:15.
    assert local == ["09:00", "12:15"]


def test_minimum_notice_and_wall_clock_alignment() -> None:
    hours = RepHours.of({"tue": ["09:00", "12:00"]}, MAKASSAR)
    window = Interval(utc(2026, 3, 10), utc(2026, 3, 11))
    slots = free_slots(
        hours=hours,
        window=window,
        busy=[],
        duration=HOUR,
        step=timedelta(minutes=30),
        not_before=utc(2026, 3, 10, 1, 7),  # 09:07 local
    )
    assert [f"{s.start.astimezone(MAKASSAR):%H:%M}" for s in slots] == ["09:30", "10:00", "10:30", "11:00"]


def test_a_nepal_rep_gets_slots_on_their_own_quarter_hours() -> None:
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    hours = RepHours.of({"tue": ["10:00", "12:00"]}, kathmandu)
    slots = free_slots(
        hours=hours,
        window=Interval(utc(2026, 3, 9), utc(2026, 3, 11)),
        busy=[],
        duration=HOUR,
        step=HOUR,
    )
    assert [f"{s.start.astimezone(kathmandu):%H:%M}" for s in slots] == ["10:00", "11:00"]
    assert all(s.start.minute % 15 == 0 for s in slots)


def _random_busy(rng: random.Random, start: datetime, days: int, count: int) -> list[Interval]:
    blocks = []
    for _ in range(count):
        begin = start + timedelta(minutes=rng.randrange(0, days * 24 * 60, 5))
        blocks.append(Interval(begin, begin + timedelta(minutes=rng.choice((15, 30, 45, 60, 90, 120)))))
    return blocks


def _brute_force(
    hours: RepHours, window: Interval, busy: list[Interval], duration: timedelta
) -> list[Interval]:
    """Every quarter hour of the window, checked one by one against every busy block."""
    spans = hours.spans(window.start, window.end)
    result = []
    cursor = window.start
    while cursor + duration <= window.end:
        slot = Interval(cursor, cursor + duration)
        inside = any(span.start <= slot.start and slot.end <= span.end for span in spans)
        on_grid = cursor.astimezone(hours.zone).minute % 15 == 0
        if inside and on_grid and not any(slot.overlaps(block) for block in busy):
            result.append(slot)
        cursor += timedelta(minutes=15)
    return result


def test_500_busy_blocks_over_30_days_match_a_brute_force_check_quickly() -> None:
    rng = random.Random(7)
    start = utc(2026, 3, 1)
    window = Interval(start, start + timedelta(days=30))
    busy = _random_busy(rng, start, 30, 500)
    hours = RepHours.of(WEEKDAYS_9_TO_18, LA)

    began = clock_time.perf_counter()
    slots = free_slots(hours=hours, window=window, busy=busy, duration=HOUR)
    elapsed = clock_time.perf_counter() - began

    assert slots == _brute_force(hours, window, busy, HOUR)
    assert slots and elapsed < 0.25


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(0, 40),
    zone=st.sampled_from(["America/Los_Angeles", "Europe/Moscow", "Asia/Makassar", "Europe/London"]),
)
def test_free_slots_never_overlap_busy_time_and_never_leave_working_hours(
    seed: int, count: int, zone: str
) -> None:
    rng = random.Random(seed)
    start = utc(2026, 3, 5)
    window = Interval(start, start + timedelta(days=4))
    busy = _random_busy(rng, start, 4, count)
    hours = RepHours.of(WEEKDAYS_9_TO_18 | {"sun": ["01:00", "04:00"]}, ZoneInfo(zone))
    assert free_slots(hours=hours, window=window, busy=busy, duration=HOUR) == _brute_force(
        hours, window, busy, HOUR
    )


def test_merge_joins_touching_and_overlapping_blocks() -> None:
    a = Interval(utc(2026, 3, 1, 9), utc(2026, 3, 1, 10))
    b = Interval(utc(2026, 3, 1, 10), utc(2026, 3, 1, 11))
    c = Interval(utc(2026, 3, 1, 10, 30), utc(2026, 3, 1, 10, 45))
    d = Interval(utc(2026, 3, 1, 12), utc(2026, 3, 1, 13))
    assert merge([d, c, b, a]) == [Interval(a.start, b.end), d]
