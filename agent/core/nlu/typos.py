"""Common misspellings of the domain's words ("vila", "apartmnet", "bedrom"), put right before the slots are read.

Only Latin and Cyrillic words of four letters or more are considered, each against a short lexicon of the words
the slot parsers look for; a word is replaced only when rapidfuzz finds it close to one lexicon word (one edit for
short words, with the same first letter). Words the lexicon has, and everything else, are left as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

_LEXICON: tuple[str, ...] = tuple(
    (
        "villa villas apartment apartments apartament bedroom bedrooms bathroom bathrooms townhouse townhouses "
        "penthouse penthouses bungalow bungalows cottage cottages condominium furnished unfurnished mortgage "
        "installments installment freehold leasehold "
        "вилла виллу виллы вилле квартира квартиру квартиры квартире апартаменты апартаменты таунхаус "
        "спальня спальни спален спальнями ипотека ипотеку рассрочка рассрочку меблированная меблированную"
    ).split()
)
_KNOWN = frozenset(_LEXICON)
_WORD = re.compile(r"(?<![^\W\d_])[a-zа-яё]{4,}(?![^\W\d_])")
_SHORT = 5
"""Words up to this long may differ from a lexicon word by one edit only."""
_LONG_CUTOFF = 85.0
"""rapidfuzz ratio (0-100) a longer word needs to count as a misspelling of a lexicon word."""


def _correction(word: str) -> str | None:
    if word in _KNOWN:
        return None
    if len(word) <= _SHORT:
        for candidate in _LEXICON:
            if (
                candidate[0] == word[0]
                and len(candidate) >= _SHORT
                and Levenshtein.distance(word, candidate, score_cutoff=1) <= 1
            ):
                return candidate
        return None
    found = process.extractOne(word, _LEXICON, scorer=fuzz.ratio, score_cutoff=_LONG_CUTOFF)
    if found is None or found[0][0] != word[0]:
        return None
    return str(found[0])


@lru_cache(maxsize=512)
def fix_typos(folded: str) -> str:
    """The folded (key()) text with misspelt domain words replaced by the word meant."""

    def replace(match: re.Match[str]) -> str:
        return _correction(match.group()) or match.group()

    return _WORD.sub(replace, folded)
