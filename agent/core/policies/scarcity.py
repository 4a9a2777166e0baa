"""Honest urgency: a scarcity line only when the catalog or the bookings say so.

The sales features appended "Only 3 units left at this price!" to every recommendation. We keep the
job (tell a lead when a listing is genuinely in demand) and drop the fiction: a statement is made
only from `units_available` or from viewings of that listing actually booked in the last 7 days.

Tracking follows the seeds: each reply that carried at least one scarcity line counts as one FOMO
message (`fomo_messages_sent += 1`) and raises `urgency_score` by 1, capped at 10. The seeds' "+2 for
a hot-market message when nothing matched" is not carried over: that message was never backed by data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agent.core.policies.vocabulary import language_of, ru_plural

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


def scarcity_statement(demand: ListingDemand, language: str) -> str | None:
    """A true, short scarcity line in the lead's language, or None when the data shows no scarcity.

    Low stock wins over demand. One unit left is only said of a multi-unit listing: every one-off
    villa has one unit, and saying so would be the fiction we are replacing.
    """
    units = demand.units_available
    multi_unit = demand.total_units is not None and demand.total_units > 1
    if 2 <= units <= LOW_STOCK_UNITS or (units == 1 and multi_unit):
        return _units_left(units, language_of(language))
    if demand.recent_bookings >= BUSY_LISTING_BOOKINGS:
        return _recent_bookings(demand.recent_bookings, language_of(language))
    return None


def urgency_after_scarcity(urgency_score: int) -> int:
    """The lead's urgency_score after one reply that carried a scarcity line."""
    return min(URGENCY_SCORE_MAX, urgency_score + URGENCY_SCORE_STEP)


def _units_left(n: int, lang: str) -> str:
    if lang == "ru":
        if n == 1:
            return "Остался последний свободный вариант"
        return f"Осталось всего {n} {ru_plural(n, 'свободный вариант', 'свободных варианта', 'свободных вариантов')}"
    if lang == "fa":
        return "فقط ۱ واحد باقی مانده است" if n == 1 else f"فقط {_fa_digits(n)} واحد باقی مانده است"
    if lang == "ar":
        if n == 1:
            return "تبقّت وحدة واحدة فقط"
        return "تبقّت وحدتان فقط" if n == 2 else f"تبقّت {n} وحدات فقط"
    return "Only 1 unit left" if n == 1 else f"Only {n} units left"


def _recent_bookings(n: int, lang: str) -> str:
    if lang == "ru":
        return f"{n} {ru_plural(n, 'просмотр', 'просмотра', 'просмотров')} забронировано за последние 7 дней"
    if lang == "fa":
        return f"{_fa_digits(n)} بازدید در ۷ روز گذشته رزرو شده است"
    if lang == "ar":
        noun = "معاينتان" if n == 2 else ("معاينات" if 3 <= n <= 10 else "معاينة")
        count = "" if n == 2 else f"{n} "
        return f"تم حجز {count}{noun} خلال آخر 7 أيام"
    return f"{n} viewings booked in the last 7 days"


def _fa_digits(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
