"""The catalog's own vocabulary: listing names and the places inside its areas, and finding them in a message.

Pure: built from plain rows (id, title, location, address, description) that the catalog service reads, and
matched with rapidfuzz. A place (Berawa, Pererenan, Batu Bolong) is learnt from the addresses ("Jl. Raya Semat,
Berawa, Canggu"), the titles ("... in Batu Bolong") and the descriptions ("... to Berawa beach"); it belongs
to the area its listings are in.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz, process

from agent.core.nlu.gazetteer import BUILTIN_ALIASES, Gazetteer
from agent.core.nlu.lexicon import key
from agent.core.nlu.listing_words import BEACH_PLACE, GENERIC_WORDS, STREET_PREFIX, TITLE_PLACE

MAX_CANDIDATES = 4
"""Listings offered as buttons when a name fits several."""
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Place:
    name: str
    area: str


@dataclass
class CatalogNames:
    """What a tenant's catalog calls its listings and places; built once per catalog version."""

    areas: tuple[str, ...] = ()
    titles: dict[int, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    """Place name -> the area it lies in."""
    listing_places: dict[int, frozenset[str]] = field(default_factory=dict)
    """The places each listing is in or next to."""
    tokens: dict[str, frozenset[int]] = field(default_factory=dict)
    """Distinctive words of titles and streets -> the listings that have them."""
    folded_titles: dict[int, str] = field(default_factory=dict)

    @cached_property
    def place_gazetteer(self) -> Gazetteer:
        builtin = {name: spellings for name, spellings in BUILTIN_ALIASES.items() if name in self.places}
        return Gazetteer(self.places, aliases=builtin)

    @cached_property
    def vocabulary(self) -> list[str]:
        return sorted(self.tokens)

    def title(self, listing_id: int) -> str:
        return self.titles.get(listing_id, "")


def _street_and_places(address: str, area: str) -> tuple[list[str], list[str]]:
    """The street's own words and the places of an address ("Jl. Raya Semat, Berawa, Canggu")."""
    parts = [part.strip() for part in (address or "").split(",") if part.strip()]
    streets: list[str] = []
    places: list[str] = []
    for index, part in enumerate(parts):
        if key(part) == key(area):
            continue
        name = STREET_PREFIX.sub("", part).strip()
        if not name or key(name) == key(area):
            continue
        if index == 0 and name != part:
            streets.append(name)  # "Jl. Batu Bolong": a street, and often the place it runs through
            if len(name.split()) <= 2 and not any(ch.isdigit() for ch in name):
                places.append(name)
        elif not part.lower().startswith(("gg", "gang")):
            places.append(name)
    return streets, places


def build_catalog_names(rows: Iterable[Mapping[str, Any]]) -> CatalogNames:
    """The vocabulary of a catalog from its rows (dicts with id, title, location, address, description)."""
    rows = list(rows)
    areas = tuple(sorted({str(row.get("location") or "").strip() for row in rows} - {""}))
    area_keys = {key(area) for area in areas}
    place_areas: dict[str, Counter[str]] = defaultdict(Counter)
    listing_places: dict[int, set[str]] = defaultdict(set)
    words_of: dict[int, set[str]] = {}
    titles: dict[int, str] = {}
    for row in rows:
        listing_id, area = int(row["id"]), str(row.get("location") or "")
        title = str(row.get("title") or "")
        titles[listing_id] = title
        streets, named = _street_and_places(str(row.get("address") or ""), area)
        if found := TITLE_PLACE.search(title.strip()):
            named.append(found.group(1).strip())
        named += [m.group(1).strip() for m in BEACH_PLACE.finditer(str(row.get("description") or ""))]
        for place in named:
            if key(place) in area_keys or key(place) in GENERIC_WORDS or len(place) < 4:
                continue
            place_areas[place][area] += 1
            listing_places[listing_id].add(place)
        words = set(_WORD.findall(key(title)))
        for street in streets:
            words |= set(_WORD.findall(key(street)))
        words_of[listing_id] = words
    places = {place: counts.most_common(1)[0][0] for place, counts in place_areas.items()}
    place_words = {word for place in places for word in _WORD.findall(key(place))}
    area_names = Gazetteer(areas, aliases=BUILTIN_ALIASES)
    place_names = Gazetteer(places, aliases=BUILTIN_ALIASES)
    frequency: Counter[str] = Counter(word for words in words_of.values() for word in words)
    common = max(2, len(rows) // 50)
    tokens: dict[str, set[int]] = defaultdict(set)
    for listing_id, words in words_of.items():
        for word in words:
            if (
                len(word) >= 4
                and word not in GENERIC_WORDS
                and word not in area_keys
                and word not in place_words
                and frequency[word] <= common
                and area_names.match(word) is None
                and place_names.match(word) is None
            ):
                tokens[word].add(listing_id)
    return CatalogNames(
        areas=areas,
        titles=titles,
        places=places,
        listing_places={listing_id: frozenset(names) for listing_id, names in listing_places.items()},
        tokens={word: frozenset(ids) for word, ids in tokens.items()},
        folded_titles={listing_id: key(title) for listing_id, title in titles.items()},
    )


def find_place(text: str, names: CatalogNames | None) -> Place | None:
    """The place inside an area that the text names ("in Berawa", "в Переренане"), with its area."""
    if names is None or not names.places:
        return None
    found = names.place_gazetteer.match(text)
    return Place(found, names.places[found]) if found else None


def _close_token(word: str, names: CatalogNames) -> str | None:
    if word in names.tokens:
        return word
    if len(word) < 5:
        return None
    match = process.extractOne(word, names.vocabulary, scorer=fuzz.ratio, score_cutoff=86)
    return str(match[0]) if match else None


def named_listings(text: str, names: CatalogNames | None, *, referring: bool = False) -> tuple[int, ...]:
    """The catalog's listings the text names by title (whole or in part, with typos) or street, best first.

    One id: the lead named it. Several: the name fits each of them as well (ask which). A single distinctive
    word counts when it is written as a name (capitalised) or the message refers to a listing (`referring`).
    """
    if names is None or not names.titles:
        return ()
    folded = key(text)
    scores: dict[int, float] = defaultdict(float)
    if len(folded) >= 12:
        for _title, score, listing_id in process.extract(
            folded,
            names.folded_titles,
            scorer=fuzz.partial_ratio,
            score_cutoff=92,
            limit=MAX_CANDIDATES + 1,
        ):
            title_words = _WORD.findall(str(_title))
            if len(title_words) >= 4 and len(str(_title)) <= len(folded) + 4:
                scores[int(listing_id)] += 10 + score / 100
    capitalised = {key(m.group()) for m in re.finditer(r"\b[A-Z][a-z]{3,}", text)}
    matched: dict[int, set[str]] = defaultdict(set)
    for word in set(_WORD.findall(folded)):
        if len(word) < 4 or word in GENERIC_WORDS:
            continue
        token = _close_token(word, names)
        if token is None:
            continue
        for listing_id in names.tokens[token]:
            matched[listing_id].add(word)
    for listing_id, words in matched.items():
        if len(words) >= 2 or referring or words & capitalised:
            scores[listing_id] += len(words)
    if not scores:
        return ()
    best = max(scores.values())
    top = [listing_id for listing_id, score in sorted(scores.items(), key=lambda s: -s[1]) if score >= best]
    return tuple(top[:MAX_CANDIDATES])


def listings_in_place(
    place: str, names: CatalogNames | None, among: Iterable[int] | None = None
) -> list[int]:
    """The listings in or next to `place` (of `among`, when given), in catalog order."""
    if names is None:
        return []
    pool = list(among) if among is not None else list(names.titles)
    return [listing_id for listing_id in pool if place in names.listing_places.get(listing_id, ())]


def titles_of(
    ids: Sequence[int], names: CatalogNames | None, cards: Sequence[Mapping[str, Any]] = ()
) -> list[dict[str, Any]]:
    """[{"id", "title"}] for candidates: from the listings shown, else from the catalog."""
    shown = {int(card["id"]): str(card.get("title") or "") for card in cards if "id" in card}
    return [
        {"id": listing_id, "title": shown.get(listing_id) or (names.title(listing_id) if names else "")}
        for listing_id in ids
    ]
