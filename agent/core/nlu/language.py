"""Which of our four languages a lead writes in (sticky across short or ambiguous messages), and which one
to write to someone in, from the language tag we have of them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import cache
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from lingua import LanguageDetector

Lang = Literal["en", "ru", "fa", "ar"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
"""The languages the agent speaks."""

_SAMPLE_CHARS = 1000
_NATIVE_WORD_LETTERS = 3
# URLs, emails, handles and lone surrogates (which lingua cannot even encode) say nothing about language.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+|#\w+|[\ud800-\udfff]")
# Letters only Persian uses / only Arabic uses. پ چ ژ گ never occur in Arabic words; ة almost never in
# Persian. ی ک versus ي ك is a keyboard-layout difference, so it is weaker evidence.
_STRONG_FA = frozenset("پچژگ")
_STRONG_AR = frozenset("ة")
_WEAK_FA = frozenset("کی")
_WEAK_AR = frozenset("يكى")
# A Latin-script message from a lead who wrote Russian/Persian/Arabic before switches to English only
# when it reads as English, not when it is "ok", a brand, an area name or a listing code.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "i i'm me my we you your is are am was be to for in on at of with and or the a an it this that "
    "can could do does what how when where which want need looking have has please would like will".split()
)


@cache
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.RUSSIAN, Language.PERSIAN, Language.ARABIC
    ).build()


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    code = ord(ch)
    if code < 0x250:
        return "latin"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x600 <= code < 0x780 or 0xFB50 <= code < 0xFE00 or 0xFE70 <= code < 0xFF00:
        return "arabic"
    return None


def persian_or_arabic(text: str, previous: Lang | None = None) -> Literal["fa", "ar"]:
    """Tell Persian from Arabic (same script) by lingua's confidence plus letters only one of them uses."""
    words = _NOISE.sub(" ", unicodedata.normalize("NFKC", text[:_SAMPLE_CHARS])).split()
    arabic_words = [word for word in words if any(_script(ch) == "arabic" for ch in word)]
    sample = " ".join(arabic_words)
    strong = sum(ch in _STRONG_FA for ch in sample) - sum(ch in _STRONG_AR for ch in sample)
    weak = int(any(ch in _WEAK_FA for ch in sample)) - int(any(ch in _WEAK_AR for ch in sample))
    confidences = {
        value.language.iso_code_639_1.name.lower(): value.value
        for value in _detector().compute_language_confidence_values(sample)
    }
    score = confidences.get("fa", 0.0) - confidences.get("ar", 0.0)
    score += 0.8 * max(-3, min(3, strong)) + 0.3 * weak
    if previous in ("fa", "ar") and len(arabic_words) <= 2 and abs(score) < 0.5:
        return previous  # "سلام", "بله", "ممنون" are shared or borderline: keep the conversation's language
    return "fa" if score > 0 else "ar"


def detect_language(text: str, previous: Lang | None = None) -> Lang:
    """The message's language; keeps `previous` (default "en") when the text is too short to tell."""
    fallback: Lang = previous or "en"
    sample = _NOISE.sub(" ", unicodedata.normalize("NFKC", text[:_SAMPLE_CHARS]))
    counts = {"latin": 0, "cyrillic": 0, "arabic": 0}
    for ch in sample:
        script = _script(ch)
        if script:
            counts[script] += 1
    # Russian, Persian and Arabic speakers mix in English words ("villa", "budget", "Canggu"); English speakers
    # do not write Cyrillic or Arabic script. So a real word in either outweighs any amount of Latin.
    native = max(("cyrillic", "arabic"), key=lambda name: counts[name])
    script = native if counts[native] >= _NATIVE_WORD_LETTERS else max(counts, key=lambda name: counts[name])
    if counts[script] < 2:
        return fallback
    if script == "cyrillic":
        return "ru"
    if script == "arabic":
        return persian_or_arabic(sample, previous)
    if fallback == "en":
        return "en"
    latin_words = re.findall(r"[a-z']+", sample.casefold())
    if len(latin_words) >= 3 and any(word in _ENGLISH_FUNCTION_WORDS for word in latin_words):
        return "en"
    return fallback


def language_of(
    language: str | None,
    default: str = "en",
    *,
    speaks: Collection[str] = LANGUAGES,
    russian_for: Collection[str] = (),
) -> str:
    """The language to write in, from a stored or Telegram language tag ("ru-RU", "fa_IR", "FA").

    One of `speaks` (our four by default); a tag in `russian_for` (say "uk" or "kk", whose speakers read
    Russian more readily than English) means Russian; anything else, and no tag at all, means `default`.
    """
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if code in russian_for:
        return "ru"
    return code if code in speaks else default
