"""Text hygiene: make user text safe to store and show, and a folded form to match keywords against."""

from __future__ import annotations

import re
import unicodedata

# The one folding table, for matching only (never for what is stored or shown). Arabic and Persian keyboards
# produce different code points for the same letters (ي/ی, ك/ک), hamza seats and madda are often left off
# (إلغاء/الغاء, آپارتمان/اپارتمان, مسئول/مسیول), chat writes taa marbuta as heh (شقة/شقه) and Russian ё as е,
# and Persian joins word parts with a zero-width non-joiner that people also type as a space. Digits of
# every script become ASCII in normalize() (to_ascii_digits).
_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ё": "е",
        "Ё": "Е",
        "ـ": None,  # tatweel, a pure stretching character
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
        "،": ",",
        "؛": ";",
        "؟": "?",
        "\u200c": " ",  # zero-width non-joiner: "می‌خواهم" and "می خواهم" read alike
        "\u200b": None,
        "\u00ad": None,
        "\ufeff": None,
    }
)
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u06d6-\u06ed]")
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(rf"[\u200e\u200f\u061c{_BIDI_CONTROLS}]")
_CONTROL_EXCEPT_NL_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")

MAX_INPUT_CHARS = 4000
"""The longest user message the bots and a turn take; longer ones are cut (and the reply says so), so a turn's
cost does not depend on what someone pastes."""

# What clean_user_text drops: C0/C1 controls (but newline and tab), lone surrogates, the replacement
# character left by undecodable bytes, non-characters, and bidi embeddings/overrides that can make a
# message display differently from what it says. RTL letters, ZWNJ/ZWJ and LRM/RLM marks stay.
_JUNK = re.compile(
    rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff\ufdd0-\ufdef{_BIDI_CONTROLS}]"
)
# Terminal escape sequences ("\x1b[31m"): dropped whole, so their parameters do not read as "31m" (31 million).
_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_COMBINING_RUN = re.compile(
    r"([\u0300-\u036f\u0483-\u0489\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{4})[\u0300-\u036f\u0483-\u0489\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def to_ascii_digits(text: str) -> str:
    """Replace every decimal digit (Persian ۳, Arabic-Indic ٣, full-width ３...) with its ASCII digit."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.category(ch) == "Nd" else ch
        for ch in text
    )


def fold(text: str) -> str:
    """Character-level folding shared by normalize(), the keyword lexicons and the offline embedder."""
    return _ARABIC_MARKS.sub("", text.translate(_FOLD))


def normalize(text: str) -> str:
    """A form for matching: NFKC, ASCII digits, unified Arabic/Persian letters, no controls, tidy spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = to_ascii_digits(fold(text))
    text = _INVISIBLE.sub("", text)
    text = _CONTROL_EXCEPT_NL_TAB.sub(" ", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def clean_user_text(text: str, max_chars: int = MAX_INPUT_CHARS) -> tuple[str, bool]:
    """Text safe to store and show, and whether it was cut for length (the reply then says it read the beginning).

    Binary junk, NULs, lone surrogates and bidi overrides are removed, runs of stacked combining marks
    are capped, and the result is cut to max_chars. Letters of any script, RTL included, are untouched.
    Removing junk or trimming whitespace is not cutting: one bidi or control character in a short message
    is dropped without a word.
    """
    cut = False
    if len(text) > max_chars * 4:
        text, cut = text[: max_chars * 4], True
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _JUNK.sub("", _ANSI_ESCAPE.sub("", text))
    cleaned = _COMBINING_RUN.sub(r"\1", cleaned)
    cleaned = unicodedata.normalize("NFC", cleaned)
    cleaned = _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", cleaned)).strip()
    if len(cleaned) > max_chars:
        cleaned, cut = cleaned[:max_chars].rstrip(), True
    return cleaned, cut


def clean_name(text: str | None, limit: int = 200, *, plausible: bool = False) -> str | None:
    """A short text as typed (a name, an area, a timeline): spaces collapsed, cut to `limit`; None when empty.

    With `plausible`, also None for what cannot be a person's name: under two characters, an e-mail, a
    /command, or no letter at all.
    """
    if text is None:
        return None
    name = " ".join(text.split())[:limit]
    if plausible and (
        len(name) < 2 or "@" in name or name.startswith("/") or not any(c.isalpha() for c in name)
    ):
        return None
    return name or None


def is_meaningful(text: str) -> bool:
    """True when the text has at least one letter or digit (not only emoji, punctuation or space)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in normalize(text))
