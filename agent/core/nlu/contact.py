"""Contact details a lead volunteers: phone (E.164), email (normalised), and a name when clearly given."""

from __future__ import annotations

import re
import unicodedata
from itertools import takewhile

import phonenumbers
from email_validator import EmailNotValidError, EmailSyntaxError, validate_email

from agent.core.nlu.language import Lang
from agent.core.nlu.lexicon import SCAN_LIMIT
from agent.core.nlu.text import normalize, to_ascii_digits

_INTERNATIONAL_00 = re.compile(r"(?<![\d+])00(?=[1-9]\d{6,})")
_PHONE_LIKE = re.compile(r"(?<![\d.,])\+?\d[\d \-().]{6,18}\d(?![\d.,])")
# Where a number written without a country code most likely comes from, by the lead's language,
# when it is not a number of the agency's own country.
_LANGUAGE_REGIONS: dict[str, str] = {"ru": "RU", "fa": "IR"}
_EMAIL_CANDIDATE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_MAX_EMAIL_CANDIDATES = 5
MAX_EMAIL_CHARS = 254
"""The longest address SMTP carries (RFC 5321 path limit)."""


def extract_phone(text: str, default_region: str | None = None) -> str | None:
    """The first valid phone number as E.164 ("+79991234567"), or None.

    default_region (ISO 3166 alpha-2, e.g. "ID") reads numbers written without a country code.
    """
    sample = to_ascii_digits(unicodedata.normalize("NFKC", text[:SCAN_LIMIT]))
    sample = _INTERNATIONAL_00.sub("+", sample)
    region = default_region.upper() if default_region else None
    for match in phonenumbers.PhoneNumberMatcher(sample, region, leniency=phonenumbers.Leniency.VALID):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def phone_in(text: str, region: str | None = None, language: Lang | None = None) -> str | None:
    """The phone number a message gives, or None: E.164 when it is valid for `region` (the agency's country)
    or for where the lead's language is spoken; else a run of 8-15 digits as written, to be refused."""
    found = extract_phone(text, region)
    if found is None and language in _LANGUAGE_REGIONS:
        found = extract_phone(text, _LANGUAGE_REGIONS[language])
    if found is None and (raw := _PHONE_LIKE.search(normalize(text))):
        digits = re.sub(r"\D", "", raw.group())
        if 8 <= len(digits) <= 15 and not re.fullmatch(r"(19|20)\d{6}", digits):
            found = raw.group().strip()
    return found


def extract_email(text: str) -> str | None:
    """The first deliverable-looking email address, normalised (domain lower-cased), or None."""
    for candidate in _EMAIL_CANDIDATE.findall(text[:SCAN_LIMIT])[:_MAX_EMAIL_CANDIDATES]:
        try:
            return normalize_email(candidate.strip(".-'"))
        except EmailNotValidError:
            continue
    return None


def normalize_email(address: str, *, lower: bool = False) -> str:
    """The address, syntax-checked and normalised (no DNS lookups): the domain lower-cased, the local part as
    written, unless `lower` (the team compares its logins lower-cased). Raises EmailNotValidError."""
    candidate = address.strip()
    if len(candidate) > MAX_EMAIL_CHARS:
        raise EmailSyntaxError(f"an e-mail address has at most {MAX_EMAIL_CHARS} characters")
    normalized = validate_email(candidate, check_deliverability=False).normalized
    return normalized.lower() if lower else normalized


_NAME_WORD = r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*"
_NAME = rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
_END = r"(?=\s*(?:[,.!?;:)\n]|$|and\b|и\b|from\b|из\b|here\b))"
# Always unambiguous: "my name is", "меня зовут", "اسم من ... است", "اسمي".
_EXPLICIT: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b(?:my\s+name\s+is|my\s+name's|name\s*:)\s+{_NAME}", re.IGNORECASE),
    re.compile(rf"(?:меня\s+зовут|мо[её]\s+имя|зовут\s+меня|имя\s*:)\s+{_NAME}", re.IGNORECASE),
    re.compile(rf"(?:اسم\s+من|نام\s+من|اسمم|اسم\s+بنده|نام\s+بنده)\s+{_NAME}"),
    re.compile(rf"(?:اسمي|إسمي|اسمى|انا\s+اسمي|أنا\s+اسمي)\s+(?:هو\s+|هي\s+)?{_NAME}"),
)
# "I'm X" / "Я X" only at the start of a message, capitalised, and followed by a clause break.
_INTRODUCTIONS: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        rf"^(?:(?i:hi|hello|hey|good\s+\w+)[,!.]?\s+)?(?i:i'm|i’m|i\s+am|this\s+is)\s+"
        rf"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?){_END}"
    ),
    "ru": re.compile(
        rf"^(?:(?i:привет|здравствуйте|добрый\s+\w+)[,!.]?\s+)?(?i:я)\s+"
        rf"(?P<name>[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?){_END}"
    ),
}
_NOT_NAMES = frozenset(
    "a an the not so very just also still here there looking interested ready fine good ok okay sure sorry "
    "glad happy from in at on with going trying thinking planning buying renting new back available busy "
    "хочу ищу ищем интересуюсь готов готова тоже здесь просто не из с по в на "
    "دنبال علاقه مند هم هستم خیلی یک فقط از در با است "
    "هو هي من في عن ابحث أبحث اريد أريد مهتم وابحث وأبحث واريد وأريد وانا وأنا ونبحث ونريد وعندي ولدي".split()
)
_CLAUSE_BREAK = re.compile(
    r"\s+(?:and|but|i|и|а|но|я|و|ولی|اما|لكن|وأنا|وانا)\s+.*$|\s+(?:است|هستم|هست)(?:\s+.*)?$", re.IGNORECASE
)


def _is_name_word(word: str) -> bool:
    return word.casefold() not in _NOT_NAMES


def _tidy_name(raw: str) -> str | None:
    """Keep what is plausibly a name: capitalised words, or one lower-case word, or two in Arabic script."""
    words = _CLAUSE_BREAK.sub("", raw).strip(" '’-").split()
    if not words or not _is_name_word(words[0]):
        return None
    if words[0][0].isupper():
        kept = list(takewhile(lambda w: w[0].isupper() and _is_name_word(w), words))
    elif words[0][0].islower():
        kept = [words[0][0].upper() + words[0][1:]]
    else:  # Arabic script has no letter case
        kept = list(takewhile(_is_name_word, words))[:2]
    name = " ".join(kept[:3])
    return name if len(name) <= 60 else None


def extract_name(text: str, lang: Lang | None = None) -> str | None:
    """The lead's name when they state it ("my name is Anna", "меня зовут Анна", "اسمي أحمد"), else None.

    Deliberately conservative: a wrong name in a greeting is worse than asking for it.
    """
    sample = re.sub(r"[^\S\n]+", " ", unicodedata.normalize("NFKC", text[:SCAN_LIMIT])).strip()
    if lang is None:
        introductions = list(_INTRODUCTIONS.values())
    else:
        introductions = [_INTRODUCTIONS[lang]] if lang in _INTRODUCTIONS else []
    for pattern in (*_EXPLICIT, *introductions):
        if match := pattern.search(sample):
            name = _tidy_name(match.group("name"))
            if name:
                return name
    return None
