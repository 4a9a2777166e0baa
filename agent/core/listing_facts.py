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
from agent.core.nlu.listing_words import AMENITY_FACTS, BEACH_WORD, DISTANCE, FREEHOLD_PREFIXES, TENURE

_AMENITY = {
    fact: re.compile(r"(?<!\w)(?:" + "|".join(words) + r")", re.IGNORECASE)
    for fact, words in AMENITY_FACTS.items()
}
FACTS = (
    "price", "address", "size", "bedrooms", "bathrooms", "amenities", *AMENITY_FACTS, "pets", "furnished",
    "tenure", "distance", "availability", "contact", "photos", "property_type",
)  # fmt: skip
"""Every fact `answer_facts` knows; anything else asked is unknown."""

_SENTENCE = re.compile(r"[^.;!?]+")


def tenure_of(description: str) -> dict[str, Any] | None:
    """{"kind": "leasehold"|"freehold", "years": int|None} when the description states it."""
    found = TENURE.search(description or "")
    if found is None:
        return None
    word = found.group("kind").casefold()
    kind = "freehold" if word.startswith(FREEHOLD_PREFIXES) else "leasehold"
    years = found.group("years")
    return {"kind": kind, "years": int(years) if years else None}


def beach_distance(description: str) -> str | None:
    """The description's own sentence part saying how far the beach is, or None."""
    for sentence in _SENTENCE.findall(description or ""):
        beach = BEACH_WORD.search(sentence)
        distances = list(DISTANCE.finditer(sentence, 0, beach.start())) if beach else []
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
