"""English words for what a lead asked for, and the counted phrases (bedrooms, units left, viewings booked)."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "property_type.villa": "villa",
    "property_type.apartment": "apartment",
    "property_type.townhouse": "townhouse",
    "property_type.house": "house",
    "property_type.land": "plot",
    "transaction.sale": "to buy",
    "transaction.rent": "to rent",
    # what a lead who named no kind of property is looking for (English puts "a"/"an" before it)
    "any_property": "home",
    "list_separator": ", ",
    # between the parts of a wish in a follow-up: "a 3-bedroom villa to buy in Canggu up to 1.2M USD"
    "wish_separator": " ",
    "in_place": "in {place}",
    "budget_up_to": "up to {amount}",
    "budget_from": "from {amount}",
}


def bedrooms(n: int) -> str:
    return f"{n}-bedroom"


def units_left(n: int) -> str:
    return "Only 1 unit left" if n == 1 else f"Only {n} units left"


def recent_bookings(n: int) -> str:
    return f"{n} viewings booked in the last 7 days"
