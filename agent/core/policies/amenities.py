"""A listing's amenities as canonical keys, whatever words the catalog used ("Swimming pool", "A/C", "wi-fi").

A key names an amenity in every language (prompts/<lang>/vocabulary.py holds the word for `amenity.<key>`);
an amenity with no key is shown as the catalog wrote it. The words of each language are aliases too, so a
catalog written in Russian ("бассейн") maps to the same key (prompts.vocabulary adds them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

AMENITIES: Final[tuple[str, ...]] = (
    "pool",
    "shared_pool",
    "plunge_pool",
    "infinity_pool",
    "garden",
    "parking",
    "garage",
    "air_conditioning",
    "kitchen",
    "wifi",
    "cleaning_service",
    "housekeeping",
    "security",
    "staff_room",
    "gym",
    "spa",
    "sauna",
    "jacuzzi",
    "rooftop",
    "terrace",
    "balcony",
    "elevator",
    "laundry",
    "washing_machine",
    "dishwasher",
    "bbq",
    "playground",
    "concierge",
    "cinema",
    "restaurant",
    "yoga_deck",
    "board_storage",
    "storage",
    "rental_management",
    "ocean_view",
    "rice_field_view",
    "jungle_view",
    "river_view",
    "mountain_view",
    "city_view",
    "road_access",
    "electricity",
    "water",
    "commercial_zoning",
)
"""The amenities we have a word for in every language."""

# Other ways catalogs write them, with `_` for a space (normalized() reads both).
_ALIASES: Final[dict[str, str]] = {
    "swimming_pool": "pool",
    "private_pool": "pool",
    "private_swimming_pool": "pool",
    "communal_pool": "shared_pool",
    "shared_swimming_pool": "shared_pool",
    "common_pool": "shared_pool",
    "dipping_pool": "plunge_pool",
    "infinity_swimming_pool": "infinity_pool",
    "tropical_garden": "garden",
    "car_park": "parking",
    "parking_space": "parking",
    "parking_lot": "parking",
    "carport": "parking",
    "ac": "air_conditioning",
    "a_c": "air_conditioning",
    "aircon": "air_conditioning",
    "air_con": "air_conditioning",
    "air_conditioner": "air_conditioning",
    "climate_control": "air_conditioning",
    "wi_fi": "wifi",
    "internet": "wifi",
    "fibre_wifi": "wifi",
    "fiber_wifi": "wifi",
    "cleaning": "cleaning_service",
    "daily_housekeeping": "housekeeping",
    "security_24_7": "security",
    "24_7_security": "security",
    "24h_security": "security",
    "security_guard": "security",
    "fitness": "gym",
    "fitness_center": "gym",
    "fitness_centre": "gym",
    "hot_tub": "jacuzzi",
    "roof_terrace": "rooftop",
    "rooftop_terrace": "rooftop",
    "lift": "elevator",
    "laundry_room": "laundry",
    "washer": "washing_machine",
    "barbecue": "bbq",
    "home_cinema": "cinema",
    "surfboard_storage": "board_storage",
    "sea_view": "ocean_view",
    "rice_field_views": "rice_field_view",
    "rice_paddy_view": "rice_field_view",
    "ocean_views": "ocean_view",
    "electricity_connected": "electricity",
    "water_supply": "water",
}


def normalized(word: str) -> str:
    """Lower case, punctuation and separators as single spaces: "Security 24/7" -> "security 24 7"."""
    return " ".join(re.sub(r"[\W_]+", " ", word.casefold()).split())


_KEYS: Final[dict[str, str]] = {
    **{normalized(key): key for key in AMENITIES},
    **{normalized(alias): key for alias, key in _ALIASES.items()},
}


def amenity_key(amenity: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The canonical key of a catalog's amenity ("Swimming pool" -> "pool"); None for one we have no word for.

    `aliases` maps more normalized words to keys (the words of every language, from prompts.vocabulary).
    """
    word = normalized(amenity)
    if not word:
        return None
    for candidate in (word, word.removesuffix("s")):
        key = _KEYS.get(candidate) or (aliases or {}).get(candidate)
        if key:
            return key
    return None
