"""What a text says about a lead's wishes beyond amounts: how they pay, the property types, a timeline, a bedroom
count and small numbers in words, read with the NLU's own parsers (en, ru, fa, ar), so that a model's summary can
be checked against the facts it was given (`agent.core.insights.grounding`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agent.core.nlu.lexicon import LEFT, RIGHT, key, rx
from agent.core.nlu.slots import (
    parse_bedrooms,
    parse_payment_method,
    parse_property_types,
    parse_timeline,
)

# The parsers name the first value of a text; a summary lists several ("cash or a mortgage"), so each clause is
# read on its own too.
_CLAUSES = rx(r"[.!?;:,،؛·\n]+|\s(?:and|or|but|also|и|или|либо|а|но|یا|و|اما|أو|او|لكن|ولكن)\s")

# Small numbers written as words (2-9; "one" is also "a" in Persian and Arabic, and "ست" is also "lady").
_NUMBER_WORDS: dict[str, int] = {
    word: value
    for value, words in {
        2: "two два две двое دو اثنين اثنتين اثنان اثنتان",
        3: "three три трое سه ثلاث ثلاثة",
        4: "four четыре четверо چهار اربع اربعة",
        5: "five пять пятеро پنج خمس خمسة",
        6: "six шесть шестеро شش ستة",
        7: "seven семь هفت سبع سبعة",
        8: "eight восемь هشت ثمان ثمانية",
        9: "nine девять تسع تسعة",  # Persian "نه" is also "no"
    }.items()
    for word in key(words).split()
}
_NUMBER_WORD = rx(rf"{LEFT}(?:ب|و)?(?P<word>{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))}){RIGHT}")


@dataclass
class Claims:
    """Wishes named in some texts, as the NLU normalises them ("cash", "villa", "by March", 3)."""

    payments: set[str] = field(default_factory=set)
    property_types: set[str] = field(default_factory=set)
    timelines: set[str] = field(default_factory=set)
    bedrooms: set[int] = field(default_factory=set)
    number_words: set[int] = field(default_factory=set)


def clauses(text: str) -> list[str]:
    return [text, *(part for part in _CLAUSES.split(key(text)) if part.strip())]


def number_words_in(text: str) -> set[int]:
    """Small numbers written in words: "three" -> 3, "три" -> 3, "سه" -> 3, "بثلاث" -> 3."""
    return {_NUMBER_WORDS[match.group("word")] for match in _NUMBER_WORD.finditer(key(text))}


def claims_in(texts: Iterable[str]) -> Claims:
    """Every payment method, property type, timeline and bedroom count the texts name, clause by clause."""
    found = Claims()
    for text in texts:
        found.number_words |= number_words_in(text)
        for part in clauses(text):
            if (method := parse_payment_method(part)) is not None:
                found.payments.add(str(method))
            found.property_types |= {str(kind) for kind in parse_property_types(part)}
            if (timeline := parse_timeline(part)) is not None:
                found.timelines.add(timeline)
            if (bedrooms := parse_bedrooms(part)) is not None:
                found.bedrooms.add(bedrooms)
    return found
