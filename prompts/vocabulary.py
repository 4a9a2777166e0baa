"""The words for what a lead asked for, in the reader's language: what they want, their budget, bedrooms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, Final, Protocol, cast

from babel.numbers import format_compact_decimal, format_decimal

from agent.core.nlu.language import detect_language
from agent.core.policies.amenities import AMENITIES, amenity_key, normalized
from agent.core.policies.vocabulary import LANGUAGES, compact_amount
from prompts.catalogue import area_module, language_code, named, templates, text


class Counting(Protocol):
    """The counted phrases of a language (prompts/<lang>/vocabulary.py), whose grammar a template cannot carry."""

    def bedrooms(self, n: int) -> str: ...

    def units_left(self, n: int) -> str: ...

    def recent_bookings(self, n: int) -> str: ...


def counting(language: str | None) -> Counting:
    return cast(Counting, area_module(language, "vocabulary"))


def word(language: str | None, key: str, /, **values: object) -> str:
    return text(language, "vocabulary", key, **values)


def property_type_name(language: str | None, property_type: str | None) -> str | None:
    """ "villa" -> "вилла"; None for a type without a name."""
    return named(language, "vocabulary", "property_type", property_type)


def transaction_name(language: str | None, transaction: str | None) -> str | None:
    """ "sale" -> "to buy"; None for an unknown transaction."""
    return named(language, "vocabulary", "transaction", transaction)


LIST_SEPARATOR: Final[dict[str, str]] = {code: word(code, "list_separator") for code in LANGUAGES}
""" ", " or "، ", per language."""


def amount_phrase(amount: Decimal | float | int, language: str | None) -> str:
    """A price, short, in the reader's locale (Babel): "425K", "425 тыс.", "425 هزار", "1.25 مليون"."""
    phrase = format_compact_decimal(
        float(amount), locale=language_code(language), fraction_digits=2, numbering_system="latn"
    )
    return phrase.replace("\xa0", " ")  # a plain space, as the rest of the reply (and anyone quoting it) has


def number_phrase(value: Decimal | float | int, language: str | None) -> str:
    """A plain number in the reader's locale (Babel): "1,000", "1 000", "3,5"."""
    return format_decimal(value, locale=language_code(language), numbering_system="latn").replace("\xa0", " ")


@cache
def _amenity_aliases() -> dict[str, str]:
    """Every language's word for an amenity -> its key, so a catalog in any of them is understood."""
    return {
        normalized(template): key
        for code in LANGUAGES
        for key in AMENITIES
        if (template := templates(code, "vocabulary").get(f"amenity.{key}"))
    }


def amenity_name(amenity: str, language: str | None) -> str:
    """A catalog's amenity in the reader's language ("shared pool" -> "общий бассейн"); one we have no
    word for is kept as the catalog wrote it."""
    key = amenity_key(amenity, _amenity_aliases())
    return (named(language, "vocabulary", "amenity", key) if key else None) or amenity.strip()


def amenities_phrase(amenities: Iterable[str], language: str | None, limit: int = 8) -> str:
    """ "pool, garden, parking" in the reader's language and list separator, each amenity once."""
    names = list(dict.fromkeys(amenity_name(str(a), language) for a in amenities if str(a).strip()))
    return word(language, "list_separator").join(names[:limit])


def listing_descriptor(listing: Mapping[str, Any], language: str | None) -> str:
    """What a listing is, in the reader's words, for a title in another language: "3-bedroom villa in Canggu"."""
    lang = language_code(language)
    kind = property_type_name(lang, listing.get("property_type")) or word(lang, "any_property")
    place = str(listing.get("location") or "").strip()
    bedrooms = listing.get("bedrooms")
    if bedrooms and place:
        phrase = word(
            lang, "descriptor", kind=kind, bedrooms=bedrooms_phrase(int(bedrooms), lang), place=place
        )
    elif place:
        phrase = word(lang, "descriptor_plain", kind=kind, place=place)
    else:
        phrase = kind
    return phrase[:1].upper() + phrase[1:]


def quoted(title: str, language: str | None) -> str:
    """A title as a name inside a sentence of the reader's language: “…” or «…»."""
    return word(language, "quoted", title=title)


def title_in_language(listing: Mapping[str, Any], language: str | None) -> bool:
    """Whether the listing's title (as the card carries it) is written in the reader's language: the card's
    `title_language` when it says, else what the title reads as."""
    lang = language_code(language)
    title = str(listing.get("title") or "")
    stated = listing.get("title_language")
    if stated:
        return language_code(str(stated), default="") == lang
    return not title.strip() or detect_language(title) == lang  # a Latin-script title reads as English


def listing_reference(listing: Mapping[str, Any], language: str | None) -> str:
    """A listing named inside a sentence: its title, quoted when it is in another language than the reader's."""
    title = str(listing.get("title") or "")
    return title if title_in_language(listing, language) else quoted(title, language)


def listing_name(listing: Mapping[str, Any], language: str | None) -> str:
    """How a reply names a listing: its title, or for a title in another language a descriptor in the
    reader's language before it: "3-bedroom villa in Canggu — «Вилла с видом на рисовые поля»"."""
    title = str(listing.get("title") or "")
    if title_in_language(listing, language):
        return title
    return f"{listing_descriptor(listing, language)} — {quoted(title, language)}"


def bedrooms_phrase(n: int, language: str) -> str:
    """ "3-bedroom", "3 спальни", "3 خوابه", "3 غرف نوم"."""
    return counting(language).bedrooms(n)


def budget_phrase(
    budget_min: Decimal | float | None,
    budget_max: Decimal | float | None,
    currency: str | None,
    language: str,
    *,
    localized: bool = False,
) -> str | None:
    """ "up to 1.2M AED", "from 300K USD", "300K–500K USD" in the reader's language; None when unknown.

    `localized` writes the amounts in the reader's locale ("до 500 тыс. USD"), as a lead reads them.
    """
    unit = f" {currency}" if currency else ""

    def amount(value: Decimal | float) -> str:
        return amount_phrase(value, language) if localized else compact_amount(value)

    if budget_min is not None and budget_max is not None and budget_min != budget_max and budget_min > 0:
        return f"{amount(budget_min)}–{amount(budget_max)}{unit}"
    if budget_max is not None:
        return word(language, "budget_up_to", amount=f"{amount(budget_max)}{unit}")
    if budget_min is not None:
        return word(language, "budget_from", amount=f"{amount(budget_min)}{unit}")
    return None


def describe_goal(
    transaction: str | None, property_type: str | None, location: str | None, language: str
) -> str | None:
    """What the lead wants, human readable: "to buy · villa · Canggu"; None when nothing is known."""
    lang = language_code(language)
    parts = [
        transaction_name(lang, transaction) or transaction,
        property_type_name(lang, property_type) or property_type,
        location,
    ]
    known = [part for part in parts if part]
    return " · ".join(known) if known else None


def wish_phrase(
    language: str,
    *,
    property_type: str | None = None,
    transaction: str | None = None,
    bedrooms: int | None = None,
    location: str | None = None,
    budget: str | None = None,
) -> str | None:
    """What the lead just told us, as a phrase of their language: "a 3-bedroom villa to buy in Canggu, up
    to 600K USD", "вилла, покупка, 3 спальни, Canggu, до 600 тыс. USD"; None when nothing is given."""
    lang = language_code(language)
    kind = property_type_name(lang, property_type) or property_type
    deal = transaction_name(lang, transaction)
    rooms = bedrooms_phrase(bedrooms, lang) if bedrooms else None
    parts: list[str] = []
    if lang == "en" and (kind or deal or rooms):
        head = " ".join(part for part in (rooms, kind or word(lang, "any_property")) if part)
        head = f"{'an' if head[0] in 'aeiou' else 'a'} {head}"
        parts.append(f"{head} {deal}" if deal else head)
    else:
        parts += [part for part in (kind, deal, rooms) if part]
    if location:
        parts.append(word(lang, "in_place", place=location))
    separator = word(lang, "wish_separator")
    phrase = separator.join(parts)
    if budget:
        phrase = f"{phrase}{word(lang, 'list_separator')}{budget}" if phrase else budget
    return phrase or None
