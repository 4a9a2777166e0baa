"""Which listing the lead is talking about: a reference resolved against what was shown and the catalog.

Pure. `Reference` is what one message points at; `focus_after` decides the listing in focus for the turn from it,
the listings shown and the focus before, and never assumes: a reference that fits several listings gives
candidates to ask about, not the first of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agent.core.listing_names import CatalogNames, find_place, listings_in_place, named_listings
from agent.core.nlu.lexicon import key
from agent.core.nlu.listing_words import BIGGER, CHEAPER, DEARER, LAST, ONE_IN, SMALLER


@dataclass(frozen=True)
class Reference:
    """What a message points at: one listing, several that fit equally, or an ordinal beyond those shown."""

    listing_id: int | None = None
    candidates: tuple[int, ...] = ()
    ordinal: int | None = None
    """The position the lead named ("the fifth one"), when no listing shown is at it."""
    named: bool = False
    """The lead named the listing by its own words (title, street, place), not by position."""
    place: str | None = None
    place_area: str | None = None


def _by_order(text: str, cards: Sequence[Mapping[str, Any]]) -> int | None:
    """ "the cheaper one", "the biggest", "the last one" among the listings shown."""
    if len(cards) < 2:
        return None
    folded = key(text)
    for pattern, field, pick in (
        (CHEAPER, "price", min),
        (DEARER, "price", max),
        (BIGGER, "size_m2", max),
        (SMALLER, "size_m2", min),
    ):
        if pattern.search(folded):
            known = [card for card in cards if _number(card.get(field)) is not None]
            if len(known) < 2:
                return None
            best = pick(_number(card.get(field)) or 0.0 for card in known)
            chosen = [card for card in known if _number(card.get(field)) == best]
            return int(chosen[0]["id"]) if len(chosen) == 1 else None
    if LAST.search(folded):
        return int(cards[-1]["id"])
    return None


def _best_titled(folded: str, ids: Sequence[int], names: CatalogNames | None) -> list[int]:
    """Of `ids`, the ones sharing the most title words with the text (all of them when none shares any)."""
    if names is None or len(ids) < 2:
        return list(ids)
    words = set(folded.split())
    overlap = {i: len(words & set(names.folded_titles.get(i, "").split())) for i in ids}
    best = max(overlap.values())
    return [i for i in ids if overlap[i] == best] if best else list(ids)


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _in_place(card: Mapping[str, Any], place: str, names: CatalogNames | None) -> bool:
    listing_id = int(card.get("id", -1))
    if names is not None and place in names.listing_places.get(listing_id, ()):
        return True
    wanted = key(place)
    return any(wanted in key(str(card.get(f) or "")) for f in ("title", "address", "location"))


def refer(
    text: str,
    cards: Sequence[Mapping[str, Any]],
    positional: int | None,
    names: CatalogNames | None,
    *,
    areas: Sequence[str] = (),
    ordinal: int | None = None,
    referring: bool = False,
) -> Reference:
    """The listing(s) `text` points at, given the position-or-title reference among those shown (`positional`)."""
    place = find_place(text, names)
    place_name, place_area = (place.name, place.area) if place else (None, None)
    if positional is not None:
        # A whole title of the catalog beats a word shared with a listing shown: "Cypress Glen", not the
        # "Cypress House Apartments" on screen.
        folded_text = key(text)
        titled = [
            listing_id
            for listing_id in named_listings(text, names, referring=referring)
            if names is not None and names.folded_titles.get(listing_id, "\0") in folded_text
        ]
        if len(titled) == 1 and titled[0] != positional:
            return Reference(listing_id=titled[0], named=True, place=place_name, place_area=place_area)
        return Reference(listing_id=positional, place=place_name, place_area=place_area)
    if (relative := _by_order(text, cards)) is not None:
        return Reference(listing_id=relative, place=place_name, place_area=place_area)
    folded = key(text)
    pointed_place = place_name or next((area for area in areas if key(area) in folded), None)
    if pointed_place and (ONE_IN.search(folded) or (referring and place_name)):
        # "the one in Berawa"; "visit the Jungle villa in Sayan": the listings there, the title's words deciding
        shown = [int(card["id"]) for card in cards if _in_place(card, pointed_place, names)]
        ids = _best_titled(
            folded, shown or (listings_in_place(pointed_place, names) if place_name else []), names
        )
        if len(ids) == 1:
            return Reference(listing_id=ids[0], named=True, place=place_name, place_area=place_area)
        if len(ids) > 1:
            return Reference(candidates=tuple(ids[:4]), named=True, place=place_name, place_area=place_area)
    named = named_listings(text, names, referring=referring)
    if len(named) == 1:
        return Reference(listing_id=named[0], named=True, place=place_name, place_area=place_area)
    if len(named) > 1:
        return Reference(candidates=named, named=True, place=place_name, place_area=place_area)
    if ordinal is not None and ordinal > len(cards):
        return Reference(ordinal=ordinal, place=place_name, place_area=place_area)
    return Reference(place=place_name, place_area=place_area)


@dataclass(frozen=True)
class Focus:
    listing_id: int | None
    candidates: tuple[int, ...] = ()
    """Listings the lead may mean (ask which); empty when the focus is clear or nothing is pointed at."""


def focus_after(
    *,
    listing_id: int | None,
    candidates: Sequence[int],
    ordinal: int | None,
    deictic: bool,
    wants_focus: bool,
    shown: Sequence[Mapping[str, Any]],
    before: int | None,
) -> Focus:
    """The listing in focus after a message: the one it names; else, when the message needs one (`wants_focus`:
    "is it furnished?", "that one sounds nice"), the focus before or the only listing shown; several shown, none
    in focus and the message points at one of them (`deictic`), or a name that fits several: candidates to ask
    about."""
    if listing_id is not None:
        return Focus(listing_id)
    if candidates:
        return Focus(before, tuple(candidates))
    shown_ids = [int(card["id"]) for card in shown if "id" in card]
    if ordinal is not None and shown_ids:
        return Focus(before, tuple(shown_ids))
    if not wants_focus:
        return Focus(before)
    if before is not None:
        return Focus(before)
    if len(shown_ids) == 1:
        return Focus(shown_ids[0])
    if len(shown_ids) > 1 and deictic:
        return Focus(None, tuple(shown_ids[:4]))
    return Focus(None)
