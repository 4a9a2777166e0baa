"""A text read piece by piece: its clauses, and the small numbers it writes in words (en, ru, fa, ar). The slot
parsers name the first value of a text; a model's summary lists several ("cash or a mortgage"), so
`agent.core.insights.claims` reads each clause on its own too."""

from __future__ import annotations

from agent.core.nlu.lexicon import LEFT, RIGHT, key, rx

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


def clauses(text: str) -> list[str]:
    """The whole text, then each clause between punctuation and "and"/"or" (folded as the parsers read it)."""
    return [text, *(part for part in _CLAUSES.split(key(text)) if part.strip())]


def number_words_in(text: str) -> set[int]:
    """Small numbers written in words: "three" -> 3, "три" -> 3, "سه" -> 3, "بثلاث" -> 3."""
    return {_NUMBER_WORDS[match.group("word")] for match in _NUMBER_WORD.finditer(key(text))}
