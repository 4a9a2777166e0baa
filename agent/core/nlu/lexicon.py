"""Helpers to build keyword patterns that match the folded, case-folded form of a message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.core.nlu.text import fold, normalize

# Parsers look at most this many characters: a lead's message is short, a pasted document is not
# something to mine for slots, and it keeps every parser fast on hostile input.
SCAN_LIMIT = 5000

# Word edges by letters, not by \w, so that "400k" splits into a number and a multiplier.
LEFT = r"(?<![^\W\d_])"
RIGHT = r"(?![^\W\d_])"
# Arabic glues conjunctions, prepositions and the article to the next word: و ف ب ل ال.
AR_PREFIX = r"(?:و|ف)?(?:ب|ل|ک)?(?:ال|ل)?"
# Month names as a date is written with them ("March 11th", "11 марта"): dates for the viewing, never money.
DATE_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"ژانویه|فوریه|مارس|آوریل|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر|"
    r"يناير|فبراير|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر"
)


def terms(spec: str) -> tuple[str, ...]:
    """Split a "|"-separated word list ("half a million|полмиллиона|نیم میلیون"); phrases keep their spaces."""
    return tuple(term.strip() for term in spec.split("|") if term.strip())


def key(text: str) -> str:
    """The form every matcher works on: normalized, case-folded, cut to SCAN_LIMIT."""
    return normalize(text[:SCAN_LIMIT]).casefold()


def flat_key(text: str) -> str:
    """key() on one line: every run of spaces and newlines is one space, so a phrase matches across lines."""
    return " ".join(key(text).split())


def alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words or phrases, longest first; spaces match any spacing."""
    keys = sorted({normalize(word).casefold() for word in words}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s*") for word in keys) + ")"


def rx(source: str) -> re.Pattern[str]:
    """Compile a hand-written pattern, folding its Arabic-script letters the way normalize() does."""
    return re.compile(fold(source), re.IGNORECASE)


EITHER_OR = rx(
    r"^\s*(?:,|/|\bor\b|\band\b|\bили\b|\bлибо\b|\bи\b|یا|\bو\b|او|,\s*or\b|,\s*или\b)?\s*"
    r"(?:(?:a|an|the|maybe|perhaps|even|possibly|also|in|может|возможно|даже|в|شاید|ربما|حتی|در|في)\s+)*$"
)
"""What stands between two values named as alternatives: "house or villa", "Canggu, Seminyak", "вилла или дом"."""
