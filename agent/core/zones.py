"""Time zones by IANA name: the one way a stored zone name ("Asia/Makassar") becomes a ZoneInfo."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)


def known_zone(name: str | None) -> ZoneInfo | None:
    """The zone called `name`, or None when there is no such zone (or no name)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_of(*names: str | None) -> ZoneInfo:
    """The first of `names` that is a real zone (a lead's, then its tenant's...), else UTC; never fails.

    A name that is no zone is skipped and logged: stored data is wrong, the message still goes out.
    """
    for name in names:
        zone = known_zone(name)
        if zone is not None:
            return zone
        if name:
            log.warning("unknown time zone %r, skipped", name)
    return ZoneInfo("UTC")
