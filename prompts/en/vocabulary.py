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
    # a listing whose title is in another language: "3-bedroom villa in Canggu — “Вилла у океана”"
    "descriptor": "{bedrooms} {kind} in {place}",
    "descriptor_plain": "{kind} in {place}",
    "quoted": "“{title}”",
    # a listing's amenities (agent.core.policies.amenities)
    "amenity.pool": "pool",
    "amenity.shared_pool": "shared pool",
    "amenity.plunge_pool": "plunge pool",
    "amenity.infinity_pool": "infinity pool",
    "amenity.garden": "garden",
    "amenity.parking": "parking",
    "amenity.garage": "garage",
    "amenity.air_conditioning": "air conditioning",
    "amenity.kitchen": "kitchen",
    "amenity.wifi": "wifi",
    "amenity.cleaning_service": "cleaning service",
    "amenity.housekeeping": "housekeeping",
    "amenity.security": "24/7 security",
    "amenity.staff_room": "staff room",
    "amenity.gym": "gym",
    "amenity.spa": "spa",
    "amenity.sauna": "sauna",
    "amenity.jacuzzi": "jacuzzi",
    "amenity.rooftop": "rooftop terrace",
    "amenity.terrace": "terrace",
    "amenity.balcony": "balcony",
    "amenity.elevator": "elevator",
    "amenity.laundry": "laundry",
    "amenity.washing_machine": "washing machine",
    "amenity.dishwasher": "dishwasher",
    "amenity.bbq": "barbecue",
    "amenity.playground": "playground",
    "amenity.concierge": "concierge",
    "amenity.cinema": "home cinema",
    "amenity.restaurant": "restaurant",
    "amenity.yoga_deck": "yoga deck",
    "amenity.board_storage": "surfboard storage",
    "amenity.storage": "storage room",
    "amenity.rental_management": "rental management",
    "amenity.ocean_view": "ocean view",
    "amenity.rice_field_view": "rice field view",
    "amenity.jungle_view": "jungle view",
    "amenity.river_view": "river view",
    "amenity.mountain_view": "mountain view",
    "amenity.city_view": "city view",
    "amenity.road_access": "road access",
    "amenity.electricity": "electricity",
    "amenity.water": "water supply",
    "amenity.commercial_zoning": "commercial zoning",
}


def bedrooms(n: int) -> str:
    return f"{n}-bedroom"


def units_left(n: int) -> str:
    return "Only 1 unit left" if n == 1 else f"Only {n} units left"


def recent_bookings(n: int) -> str:
    return f"{n} viewings booked in the last 7 days"
