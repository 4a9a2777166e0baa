"""Contact details a lead volunteers: phone (E.164), email (normalised), and a name when clearly given."""

from __future__ import annotations

import re
import unicodedata
from itertools import takewhile

import phonenumbers
from email_validator import EmailNotValidError, EmailSyntaxError, validate_email

from agent.core.nlu.language import Lang
from agent.core.nlu.lexicon import SCAN_LIMIT
from agent.core.nlu.text import to_ascii_digits

_INTERNATIONAL_00 = re.compile(r"(?<![\d+])00(?=[1-9]\d{6,})")
# Where a number written without a country code most likely comes from, by the lead's language,
# when it is not a number of the agency's own country.
_LANGUAGE_REGIONS: dict[str, str] = {"ru": "RU", "fa": "IR", "ar": "AE"}
# Dates, clock times and listing numbers are blanked out before looking for a phone number.
_NOT_A_PHONE = re.compile(
    r"(?<!\d)(?<!\d[ -])(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2(?:\d{4}|\d{2}))(?!\d)|"
    r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?|"
    r"(?:#|№)\s*\d+|(?i:\b(?:listing|property|object|unit|lot|ref|id|объект\w*|лот|آگهی|ملک|عقار|اعلان|إعلان)"
    r"\s*(?:no\.?|number|nr\.?|номер|شماره|رقم)?\s*[:#№]?\s*)\d+"
)
# Money around a number ("up to 1500000 IDR per month", "budget 250000000"): a budget, never a phone.
_MONEY_BEFORE = re.compile(
    r"(?i:[$€£₽¥₹฿]|\b(?:usd|eur|idr|rp|aed|rub|gbp|budget|price|cost|pay|up\s+to|under|below|over|above|"
    r"from|max(?:imum)?|min(?:imum)?|around|about)|бюджет\w*|цен\w*|до|от|بودجه|قیمت|تا|ميزانية|سعر|حتى)"
    r"\s*[:=~]?\s*$"
)
_MONEY_AFTER = re.compile(
    r"^\s*(?i:[$€£₽¥₹฿%]|[kmк]\b|(?:usd|eur|idr|rp|aed|rub|gbp|sgd|aud|rupiah|dollars?|euros?|bucks|"
    r"per\b|a\s+month|a\s+year|monthly|yearly|thousand|million|billion)\b|"
    r"руб\w*|долл\w*|евро|тыс\w*|млн|в\s+месяц|تومان|ریال|دلار|هزار|میلیون|درهم|دولار|روبية|مليون|ألف)"
)
# Words that say the digits that follow are meant as a phone number, valid or not ("my number is 12345").
_PHONE_CUE = re.compile(
    r"(?i:\b(?:phone|tel|telephone|mobile|cell|whatsapp|wa|my\s+number|number\s+is|call\s+me\s+(?:on|at)|"
    r"reach\s+me\s+(?:on|at))\b|телефон\w*|(?:мой|наш)\s+номер|номер\s+(?:телефона|мобильного)|моб\w*|ватсап|"
    r"вотсап|тел\.?|"
    r"تلفن|شماره|موبایل|همراه|هاتف\w*|جوال\w*|رقمي|موبايل|واتس\w*)"
    r"[^\d+]{0,12}(?P<raw>\+?\d[\d \-().]{3,18}\d)"
)
# A sentence in quotes is someone else's words ('my friend wrote "mail bob@x.com for details"'): a phone or an
# e-mail in it is not the lead's. A quote holding only the address or number is the lead's own ("anna@x.com").
_QUOTED = re.compile(r'"[^"\n]{1,400}"|“[^”\n]{1,400}”|«[^»\n]{1,400}»|„[^“”\n]{1,400}[“”]')
_EMAIL_CANDIDATE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_MAX_EMAIL_CANDIDATES = 5
MAX_EMAIL_CHARS = 254
"""The longest address SMTP carries (RFC 5321 path limit)."""


def without_quoted_sentences(text: str) -> str:
    """The text with every quoted sentence blanked (same length), so what someone else wrote is not read as the
    lead's own contact details; a quote holding only an address or a number stays."""

    def blank(match: re.Match[str]) -> str:
        words = [w for w in match.group()[1:-1].split() if "@" not in w and any(c.isalpha() for c in w)]
        return " " * len(match.group()) if words else match.group()

    return _QUOTED.sub(blank, text)


def _phone_sample(text: str) -> str:
    """The text as the matcher reads it: ASCII digits, "00" as "+", dates, listing numbers and quoted sentences
    blanked."""
    sample = to_ascii_digits(unicodedata.normalize("NFKC", without_quoted_sentences(text[:SCAN_LIMIT])))
    sample = _INTERNATIONAL_00.sub("+", sample)
    return _NOT_A_PHONE.sub(lambda m: " " * len(m.group()), sample)


def _is_money(sample: str, start: int, end: int) -> bool:
    if sample[start] == "+":
        return False
    return bool(_MONEY_BEFORE.search(sample[max(0, start - 24) : start]) or _MONEY_AFTER.match(sample[end:]))


def _matches(sample: str, region: str | None) -> str | None:
    region = region.upper() if region else None
    for match in phonenumbers.PhoneNumberMatcher(sample, region, leniency=phonenumbers.Leniency.VALID):
        if not _is_money(sample, match.start, match.end):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def extract_phone(text: str, default_region: str | None = None) -> str | None:
    """The first valid phone number as E.164 ("+79991234567"), or None; a budget, a date, a time or a
    listing number is never one.

    default_region (ISO 3166 alpha-2, e.g. "ID") reads numbers written without a country code.
    """
    return _matches(_phone_sample(text), default_region)


def phone_in(text: str, region: str | None = None, language: Lang | None = None) -> str | None:
    """The phone number a message gives, or None: E.164 when it is valid for `region` (the agency's country)
    or for where the lead's language is spoken; else, when the lead says it is their number ("my number is
    12345") or writes it with a "+", the digits as written, to be refused with a clear message."""
    sample = _phone_sample(text)
    found = _matches(sample, region)
    if found is None and language in _LANGUAGE_REGIONS:
        found = _matches(sample, _LANGUAGE_REGIONS[language])
    if found is None and (cued := _PHONE_CUE.search(sample)):
        raw = cued.group("raw")
        if not _is_money(sample, cued.start("raw"), cued.end("raw")):
            found = raw.strip()
    if found is None and (plus := re.search(r"(?<![\w+])\+\d[\d \-().]{5,18}\d", sample)):
        found = plus.group().strip()  # "+12 345": meant as an international number
    return found


def extract_email(text: str) -> str | None:
    """The first deliverable-looking email address, normalised (domain lower-cased), or None; one inside a quoted
    sentence is someone else's."""
    sample = without_quoted_sentences(text[:SCAN_LIMIT])
    for candidate in _EMAIL_CANDIDATE.findall(sample)[:_MAX_EMAIL_CANDIDATES]:
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
# "I'm X" / "This is X" / "Я X" only at the start of a message and followed by a clause break. A name typed in
# lower case is taken only after a greeting ("hi, i'm tom"), with nothing but a clause break after it, and when it
# is no common word ("hi, i'm new" is not a name).
_GREETING_EN = r"(?:(?i:hi|hello|hey|hiya|good\s+\w+)(?:\s+there)?[,!.]?\s+)?"
_INTRODUCTIONS: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        rf"^{_GREETING_EN}(?i:i'm|i’m|i\s+am|this\s+is)\s+"
        rf"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?){_END}"
    ),
    "ru": re.compile(
        rf"^(?:(?i:привет|здравствуйте|добрый\s+\w+)[,!.]?\s+)?(?i:я|это)\s+"
        rf"(?P<name>[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?){_END}"
    ),
}
_LOWER_INTRODUCTIONS: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        r"^(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening|day))(?:\s+there)?[,!.]?\s+"
        r"(?:i'm|i’m|i\s+am|this\s+is|my\s+name's)\s+(?P<name>[a-z]{2,20})\s*(?:[,.!;]|$)(?!\s*[a-z])",
        re.IGNORECASE,
    ),
    "ru": re.compile(
        r"^(?:привет|здравствуйте|добрый\s+(?:день|вечер)|доброе\s+утро)[,!.]?\s+я\s+(?P<name>[а-яё]{2,20})"
        r"\s*(?:[,.!;]|$)(?!\s*[а-яё])",
        re.IGNORECASE,
    ),
}
# Words that follow "I'm" and are not names, beyond _NOT_NAMES: states, plans, places, property words.
_NOT_LOWER_NAMES = frozenset(
    "alone married single retired done sure late early tired excited curious confused lost open flexible free "
    "okay alright well sick hungry vegan local foreign english russian french german american british "
    "great perfect nice cool cheap wrong right away pregnant serious busy sorry glad happy lucky late "
    "italian dutch australian canadian iranian arab indian chinese here there home out in on off up down "
    "buyer seller investor agent owner tenant landlord client customer student developer realtor broker "
    "villa house apartment flat studio land rent renting buy buying budget ready yes no hi hello "
    "я ищу хочу тут здесь дома готов готова клиент покупатель инвестор".split()
)
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
    lower = list(_LOWER_INTRODUCTIONS.values()) if lang is None else [_LOWER_INTRODUCTIONS.get(lang)]
    for lower_pattern in lower:
        if lower_pattern is not None and (match := lower_pattern.search(sample)):
            word = match.group("name").casefold()
            if _is_name_word(word) and word not in _NOT_LOWER_NAMES and not _looks_inflected(word):
                return word[0].upper() + word[1:]
    return None


def _looks_inflected(word: str) -> bool:
    """A verb or adverb ("looking", "moved", "finally"), not a name."""
    return word.endswith(("ing", "ed", "ly", "ful", "ous", "ive", "able")) or len(word) < 3
