"""Quiet hours: no follow-up reaches a lead at night in their own time zone.

Pure functions over aware datetimes. The window is local wall-clock time (21:00–08:00 by default), read in
the lead's zone, else the tenant's, else UTC (`agent.core.zones.zone_of`), so it follows daylight-saving changes on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_START = time(21, 0)
DEFAULT_END = time(8, 0)


@dataclass(frozen=True)
class QuietHours:
    """A nightly window [start, end) in local time; it may wrap past midnight. start == end means none."""

    start: time = DEFAULT_START
    end: time = DEFAULT_END

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


def is_quiet(moment: datetime, zone: ZoneInfo, hours: QuietHours = QuietHours()) -> bool:
    """Whether `moment` falls inside the quiet window of `zone`."""
    return hours.contains(_local(moment, zone).time())


def next_send_time(moment: datetime, zone: ZoneInfo, hours: QuietHours = QuietHours()) -> datetime:
    """`moment` itself when a message may go out then, else the first instant after the window (UTC).

    The end is built on the local calendar and converted once, so a window that spans a DST change ends at
    08:00 local on either side of it; an end that falls in a DST gap resolves to the first valid instant after.
    """
    local = _local(moment, zone)
    if not hours.contains(local.time()):
        return moment
    end_day = local.date()
    if hours.start > hours.end and local.time() >= hours.start:
        end_day = end_day + timedelta(days=1)
    end = datetime.combine(end_day, hours.end, tzinfo=zone).astimezone(UTC)
    return max(end, moment.astimezone(UTC))


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("quiet hours need an aware datetime")
    return moment.astimezone(zone)
