"""Honest urgency: a scarcity line only when the catalog or the bookings say so.

The sales features appended "Only 3 units left at this price!" to every recommendation. We keep the
job (tell a lead when a listing is genuinely in demand) and drop the fiction: a statement is made
only from `units_available` or from viewings of that listing actually booked in the last 7 days.

Tracking follows the seeds: each reply that carried at least one scarcity line counts as one FOMO
message (`fomo_messages_sent += 1`) and raises `urgency_score` by 1, capped at 10. The seeds' "+2 for
a hot-market message when nothing matched" is not carried over: that message was never backed by data.
The lines themselves, in the lead's language, are prompts.scarcity's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

LOW_STOCK_UNITS = 3
"""At most this many units left is worth saying."""

RECENT_BOOKINGS_WINDOW = timedelta(days=7)
BUSY_LISTING_BOOKINGS = 2
"""At least this many viewings booked in the window is worth saying."""

URGENCY_SCORE_STEP = 1
URGENCY_SCORE_MAX = 10


@dataclass(frozen=True)
class ListingDemand:
    """What the data says about one listing."""

    units_available: int
    total_units: int | None = None
    """How many units the listing had (`extra.total_units` of a project), when the feed says."""
    recent_bookings: int = 0
    """Viewings of this listing booked in the last RECENT_BOOKINGS_WINDOW, cancelled ones excluded."""


class ScarcityKind(StrEnum):
    UNITS_LEFT = "units_left"
    """Only a few units of the listing are left."""
    RECENT_BOOKINGS = "recent_bookings"
    """Several viewings of the listing were booked in the last RECENT_BOOKINGS_WINDOW."""


@dataclass(frozen=True)
class Scarcity:
    """A true scarcity fact about one listing; prompts.scarcity says it in the lead's language."""

    kind: ScarcityKind
    count: int


def scarcity_of(demand: ListingDemand) -> Scarcity | None:
    """What is worth saying about a listing's scarcity, or None when the data shows none.

    Low stock wins over demand. One unit left is only said of a multi-unit listing: every one-off
    villa has one unit, and saying so would be the fiction we are replacing.
    """
    units = demand.units_available
    multi_unit = demand.total_units is not None and demand.total_units > 1
    if 2 <= units <= LOW_STOCK_UNITS or (units == 1 and multi_unit):
        return Scarcity(ScarcityKind.UNITS_LEFT, units)
    if demand.recent_bookings >= BUSY_LISTING_BOOKINGS:
        return Scarcity(ScarcityKind.RECENT_BOOKINGS, demand.recent_bookings)
    return None


def urgency_after_scarcity(urgency_score: int) -> int:
    """The lead's urgency_score after one reply that carried a scarcity line."""
    return min(URGENCY_SCORE_MAX, urgency_score + URGENCY_SCORE_STEP)
