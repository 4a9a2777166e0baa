"""A listing's facts as the data states them, and the answers to a lead's questions, never a guess.

Pure: the structured fields come in as plain data, the description as text. From the description only what
it says in so many words is taken: the tenure ("Leasehold 27 years", "Фрихолд"), how far the beach is ("five
minutes by scooter to Berawa beach", "в 300 метрах от пляжа"), and the amenities it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from agent.core.nlu.lexicon import key

AMENITY_FACTS: dict[str, tuple[str, ...]] = {
    "pool": (r"pool", r"бассейн\w*", r"استخر", r"مسبح"),
    "parking": (r"parking", r"car ?port", r"парковк\w*", r"پارکینگ", r"موقف"),
    "garage": (r"garage", r"гараж\w*", r"گاراژ", r"مرآب", r"كراج"),
    "laundry": (
        r"laundry",
        r"washing machine",
        r"washer",
        r"стиральн\w*",
        r"прачечн\w*",
        r"ماشین لباسشویی",
        r"غسالة",
    ),
    "gym": (r"gym", r"fitness", r"тренаж\w*", r"спортзал\w*", r"باشگاه", r"صالة رياضية", r"جيم"),
    "garden": (r"garden", r"lawn", r"сад\w*", r"باغ", r"حديقة"),
    "wifi": (r"wi-?fi", r"internet", r"интернет", r"вайфай", r"اینترنت", r"انترنت"),
    "air_conditioning": (r"air ?con\w*", r"a/?c", r"кондиционер\w*", r"کولر", r"تكييف"),
    "security": (r"security", r"охран\w*", r"نگهبان", r"حراسة", r"أمن"),
    "balcony": (r"balcony", r"terrace", r"балкон\w*", r"террас\w*", r"بالکن", r"تراس", r"شرفة"),
    "kitchen": (r"kitchen\w*", r"кухн\w*", r"آشپزخانه", r"مطبخ"),
}
"""Amenities a lead asks about, by the words for them in a listing's amenities and description."""
_AMENITY = {
    fact: re.compile(r"(?<!\w)(?:" + "|".join(words) + r")", re.IGNORECASE)
    for fact, words in AMENITY_FACTS.items()
}
FACTS = (
    "price", "address", "size", "bedrooms", "bathrooms", "amenities", *AMENITY_FACTS, "pets", "furnished",
    "tenure", "distance", "availability", "contact", "photos", "property_type",
)  # fmt: skip
"""Every fact `answer_facts` knows; anything else asked is unknown."""

_TENURE = re.compile(
    r"(?P<kind>freehold|leasehold|фрихолд\w*|лизхолд\w*|ليزهولد|فريهولد|اجاره بلندمدت)"
    r"(?:[^.\d]{0,20}?(?P<years>\d{1,3})\s*(?:years?|yrs?|лет|года|год|سال|سنة|عام(?:ا)?))?",
    re.IGNORECASE,
)
# "five minutes by scooter to Berawa beach", "a five-minute walk from Petitenget beach", "200 m from Sanur's
# calm beach", "steps from the beach", "в 300 метрах от пляжа", "семь минут до пляжа".
_DISTANCE = re.compile(
    r"(?:\b[\w-]+[- ])?(?:minutes?|min)\b|\b\d[\d,.]*\s?(?:m|km|metres|meters)\b|\bsteps\b|walking distance|"
    r"(?:\b\w+ )?минут\w*|\d+\s?(?:метр\w*|м|км)\b|\d+\s?(?:متر|کیلومتر|دقیقه|دقائق|كم)",
    re.IGNORECASE,
)
_BEACH_WORD = re.compile(r"(?i:beach|пляж\w*|ساحل|شاطئ|الشاطئ)(?: [A-ZА-Я][\w-]+){0,2}")
_SENTENCE = re.compile(r"[^.;!?]+")


def tenure_of(description: str) -> dict[str, Any] | None:
    """{"kind": "leasehold"|"freehold", "years": int|None} when the description states it."""
    found = _TENURE.search(description or "")
    if found is None:
        return None
    word = found.group("kind").casefold()
    kind = "freehold" if word.startswith(("free", "фри", "فري")) else "leasehold"
    years = found.group("years")
    return {"kind": kind, "years": int(years) if years else None}


def beach_distance(description: str) -> str | None:
    """The description's own sentence part saying how far the beach is, or None."""
    for sentence in _SENTENCE.findall(description or ""):
        beach = _BEACH_WORD.search(sentence)
        distances = list(_DISTANCE.finditer(sentence, 0, beach.start())) if beach else []
        if beach and distances:
            distance = distances[-1]
            return sentence[distance.start() : beach.end()].strip(" ,")
    return None


def amenity_present(fact: str, amenities: Sequence[str], description: str) -> bool | None:
    """True when the amenities or the description name it; None when the data does not say (never False)."""
    pattern = _AMENITY.get(fact)
    if pattern is None:
        return None
    if any(pattern.search(str(item)) for item in amenities) or pattern.search(description or ""):
        return True
    return None


def answer_facts(details: Mapping[str, Any], asked: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """(answers, unknown): each asked fact the listing's data answers, and the ones it does not."""
    answers: dict[str, Any] = {}
    unknown: list[str] = []
    amenities = [str(a) for a in details.get("amenities") or ()]
    description = str(details.get("description") or "")
    for fact in dict.fromkeys(asked):
        value: Any = None
        if fact == "price" and details.get("price") is not None:
            value = {k: details.get(k) for k in ("price", "currency", "price_period")}
        elif fact == "address":
            value = details.get("address") or details.get("location")
        elif fact == "size":
            value = details.get("size_m2")
        elif fact in ("bedrooms", "bathrooms", "property_type"):
            value = details.get(fact)
        elif fact == "amenities":
            value = amenities or None
        elif fact in AMENITY_FACTS:
            value = amenity_present(fact, amenities, description)
        elif fact == "pets":
            value = details.get("pets_allowed")
        elif fact == "furnished":
            value = details.get("furnished")
        elif fact == "tenure":
            value = details.get("tenure")
        elif fact == "distance":
            value = details.get("beach_distance")
        elif fact == "availability":
            value = {"status": details.get("status"), "units_available": details.get("units_available")}
        elif fact == "contact":
            value = details.get("contact")
        elif fact == "photos":
            value = list(details.get("photos") or ()) or None
        if value is None or value == "":
            unknown.append(fact)
        else:
            answers[fact] = value
    return answers, unknown


def mentions(text: str, fact: str) -> bool:
    """Whether `text` names the amenity `fact` (used to read the lead's own words)."""
    pattern = _AMENITY.get(fact)
    return bool(pattern and pattern.search(key(text)))
