"""Listing slots in free text: rooms, property type, buy or rent, how they pay, pets, furniture, timeline.

Every parser takes the raw message and returns None when the slot is not mentioned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from agent.core.nlu.lexicon import AR_PREFIX, EITHER_OR, LEFT, RIGHT, SCAN_LIMIT, key, rx
from agent.core.nlu.timeline import parse_timeline
from agent.core.nlu.typos import fix_typos
from storage.enums import PaymentMethod, PropertyType, Transaction

__all__ = [
    "PaymentMethod",
    "PropertyType",
    "Transaction",
    "parse_bare_count",
    "parse_bathrooms",
    "parse_bedrooms",
    "parse_furnished",
    "parse_payment_method",
    "parse_pets",
    "parse_property_type",
    "parse_property_types",
    "parse_timeline",
    "parse_transaction",
]

_MAX_ROOMS = 20
_COUNT_WORDS: dict[str, int] = {
    word: value
    for value, words in {
        1: "one single один одна одну одной یک یه واحد واحدة",
        2: "two double два две двумя دو اثنين اثنتين اثنان اثنتان",
        3: "three три тремя سه ثلاث ثلاثة",
        4: "four четыре четырьмя چهار اربع اربعة أربع أربعة",
        5: "five пять пятью پنج خمس خمسة",
        6: "six шесть شش ست ستة",
        7: "seven семь هفت سبع سبعة",
        8: "eight восемь هشت ثمان ثمانية",
    }.items()
    for word in key(words).split()
}
# Arabic glues "with" onto the number: "بثلاث غرف" = with three rooms.
_COUNT = rf"(?<![\d.,])\d{{1,2}}(?![\d.,]\d)|{LEFT}(?:ب)?(?:{'|'.join(sorted(_COUNT_WORDS, key=len, reverse=True))}){RIGHT}"
# "2-3 bedrooms": the lower bound is what the search must satisfy.
_RANGE = rf"(?:(?P<low>{_COUNT})\s*(?:-|–|to|or|или|до|یا|تا|او|الی)\s*)?"

_BEDROOM_PATTERNS: tuple[re.Pattern[str], ...] = (
    rx(_RANGE + rf"(?P<n>{_COUNT})\s*\+?\s*-?\s*(?:bed(?:room)?s?|br|bdr|bd|bhk|b/r){RIGHT}"),
    rx(rf"{LEFT}bedrooms?\s*[:=-]?\s*(?P<n>\d{{1,2}}){RIGHT}"),
    rx(
        _RANGE
        + rf"(?P<n>{_COUNT})\s*-?\s*(?:х|x)?\s*-?\s*(?:спальн\w*|спален|комнатн\w*|комнат\w*|комн\.?){RIGHT}"
    ),
    rx(rf"(?<![\d.,])(?P<n>\d)(?:\s?-\s?)?к{RIGHT}"),  # "3-к", "3к"; "3 к морю" is a preposition
    rx(rf"{LEFT}(?:спальн\w*|спален)\s*[:=-]?\s*(?P<n>\d{{1,2}}){RIGHT}"),
    rx(_RANGE + rf"(?P<n>{_COUNT})\s*(?:تا\s*)?(?:اتاق\s*خواب\w*|خوابه|خواب){RIGHT}"),
    rx(_RANGE + rf"(?P<n>{_COUNT})\s*(?:غرف|غرفة|غرفه|غرف\s*نوم|غرفة\s*نوم)(?:\s*(?:نوم|للنوم))?{RIGHT}"),
    rx(rf"{LEFT}(?:غرف|غرفة)\s*(?:ال)?نوم\s*[:=-]?\s*(?P<n>\d{{1,2}}){RIGHT}"),
    # English "an apartment with 4 rooms": leads who say rooms mean bedrooms (last, so "bedrooms" wins).
    rx(_RANGE + rf"(?P<n>{_COUNT})\s*-?\s*rooms?{RIGHT}"),
)
_BEDROOM_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (rx(rf"{LEFT}(?:studio|studios|студи\w*|استودیو|استوديو|سوئیت){RIGHT}"), 0),
    (rx(rf"{LEFT}(?:однокомнатн\w*|однушк\w*|1-?комнатн\w*){RIGHT}"), 1),
    (rx(rf"{LEFT}(?:двухкомнатн\w*|двушк\w*|двухспаленн\w*){RIGHT}"), 2),
    (rx(rf"{LEFT}(?:тр[её]хкомнатн\w*|тр[её]шк\w*|тр[её]хспаленн\w*){RIGHT}"), 3),
    (rx(rf"{LEFT}(?:четыр[её]хкомнатн\w*|четыр[её]хспаленн\w*){RIGHT}"), 4),
    (rx(rf"{LEFT}(?:пятикомнатн\w*|пятиспаленн\w*){RIGHT}"), 5),
    (rx(rf"{LEFT}{AR_PREFIX}(?:غرفتين|غرفتان)(?:\s*نوم)?{RIGHT}"), 2),
    # The dual before its noun drops its ending: "بغرفتي نوم" = with two bedrooms ("غرفتي" alone is "my room").
    (rx(rf"{LEFT}{AR_PREFIX}(?:غرفتي|غرفتا)\s*(?:ال)?نوم{RIGHT}"), 2),
    (rx(rf"{LEFT}(?:غرفة\s*نوم\s*واحدة|غرفة\s*وصالة|غرفة\s*و\s*صالة){RIGHT}"), 1),
)
_BATHROOM_PATTERNS: tuple[re.Pattern[str], ...] = (
    rx(rf"(?P<n>{_COUNT})\s*\+?\s*-?\s*(?:bath(?:room)?s?|ba|wc|toilets?|restrooms?){RIGHT}"),
    rx(rf"{LEFT}bathrooms?\s*[:=-]?\s*(?P<n>\d{{1,2}}){RIGHT}"),
    rx(rf"(?P<n>{_COUNT})\s*-?\s*(?:х|x)?\s*(?:санузл\w*|ванн\w*|с/у|туалет\w*){RIGHT}"),
    rx(rf"(?P<n>{_COUNT})\s*(?:تا\s*)?(?:سرویس(?:\s*بهداشتی)?|حمام|دستشویی){RIGHT}"),
    rx(rf"(?P<n>{_COUNT})\s*(?:حمام\w*|دورات?\s*میاه|دورة\s*میاه){RIGHT}"),
)
_BATHROOM_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (rx(rf"{LEFT}{AR_PREFIX}(?:حمامين|حمامان){RIGHT}"), 2),
)


def _count(match: re.Match[str]) -> int | None:
    raw = match.group("low") if "low" in match.groupdict() and match.group("low") else match.group("n")
    value = int(raw) if raw.isdigit() else _COUNT_WORDS.get(raw, _COUNT_WORDS.get(raw.removeprefix("ب")))
    return value if value is not None and value <= _MAX_ROOMS else None


def _first_count(
    text: str, patterns: tuple[re.Pattern[str], ...], words: tuple[tuple[re.Pattern[str], int], ...]
) -> int | None:
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = _count(match)
            if value is not None:
                found.append((match.start(), value))
                break
    for pattern, value in words:
        if word := pattern.search(text):
            found.append((word.start(), value))
    return min(found)[1] if found else None


def _folded(text: str) -> str:
    """key() with the domain's common misspellings put right ("vila", "bedrom")."""
    return fix_typos(key(text))


def parse_bedrooms(text: str) -> int | None:
    """Bedrooms asked for: "3 bedrooms", "3BR", "3-к", "трёхкомнатная", "۳ خوابه", "3 غرف نوم"; studio is 0.

    Russian "N-комнатная" is taken as N bedrooms, which is how leads mean it for villas.
    """
    return _first_count(_folded(text), _BEDROOM_PATTERNS, _BEDROOM_WORDS)


# A message that is only a count, as the answer to "how many bedrooms?" ("Just two.", "At least 2",
# "I think 3 should do the job", "I have a large family and need three", "1 will be fine").
_BARE_COUNT = rx(
    rf"^\W*(?:(?:i think|i guess|maybe|ok|okay|well|hmm)[,\s]+)?(?:[\w' ,]{{0,40}}?\b(?:need|want)\s+)?"
    rf"(?:(?:just|only|at least|minimum|about|around)\s+)?(?P<n>{_COUNT})"
    rf"(?:\s+(?:should do(?: the job)?|will do|would do|will be fine|is fine|is enough|please))?\W*$"
)


def parse_bare_count(text: str) -> int | None:
    """The count a message consists of ("Just two.", "I think 3 should do the job"), 1 to 6; else None."""
    found = _BARE_COUNT.match(_folded(text)[:120])
    if found is None:
        return None
    word = found.group("n").lstrip("ب")
    value = int(word) if word.isdigit() else _COUNT_WORDS.get(word)
    return value if value is not None and 1 <= value <= 6 else None


def parse_bathrooms(text: str) -> int | None:
    """Bathrooms asked for: "2 bathrooms", "2 санузла", "۲ سرویس", "حمامين"."""
    return _first_count(_folded(text), _BATHROOM_PATTERNS, _BATHROOM_WORDS)


# A negation just before a keyword ("not buying", "без мебели", "بدون حيوان", "لا أريد") flips or drops it.
_NEGATED = rx(
    r"(?:\bnot|\bno|n't|\bwithout|\bбез|\bне|\bнет|\bبدون|\bغیر|\bغير|\bلا|\bنه|\bبی)\b\s*(?:\w+\s+){0,2}$"
)
# "when I land in Bali" is the verb.
_LAND_VERB = rx(r"\b(?:i|we|i'll|we'll|when|after|once|until|will|plane|flight)\s+$")
Label = TypeVar("Label", bound=str)


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATED.search(text[max(0, start - 20) : start]))


def _earliest(text: str, table: Mapping[Label, re.Pattern[str]]) -> Label | None:
    """The label whose keyword comes first in the text, skipping negated mentions and the verb "land"."""
    best: tuple[int, Label] | None = None
    for label, pattern in table.items():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 20) : match.start()]
            if _negated(text, match.start()) or (match.group() == "land" and _LAND_VERB.search(before)):
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), label)
            break
    return best[1] if best else None


_PROPERTY_TYPES: dict[PropertyType, re.Pattern[str]] = {
    PropertyType.VILLA: rx(
        rf"{LEFT}(?:villas?|вилл\w*|ویلا\w*|{AR_PREFIX}(?:فيلا|فيلات|فلة|فله|فلل|ويلا)){RIGHT}"
    ),
    PropertyType.TOWNHOUSE: rx(
        rf"{LEFT}(?:town\s*houses?|townhomes?|duplex\w*|таунхаус\w*|дуплекс\w*|تاون\s*هاوس|دوبلکس|{AR_PREFIX}دوبلكس){RIGHT}"
    ),
    PropertyType.APARTMENT: rx(
        rf"{LEFT}(?:apartments?|apts?|flats?|condos?|condominiums?|penthouses?|studios?|lofts?|квартир\w*|"
        rf"апартамент\w*|апарт|студи\w*|пентхаус\w*|однушк\w*|двушк\w*|тр[её]шк\w*|лофт\w*|آپارتمان\w*|سوئیت|"
        rf"استودیو|پنت\s*هاوس|{AR_PREFIX}(?:شقة|شقه|شقق|شققا|شقتين|شقتان|استوديو|بنتهاوس|بنت\s*هاوس)){RIGHT}"
    ),
    PropertyType.HOUSE: rx(
        rf"{LEFT}(?:houses?|cottages?|bungalows?|joglo|дом|дома|доме|домом|домик\w*|коттедж\w*|бунгало|"
        rf"خانه(?!\s*ویلا)|خونه|منزل|کلبه|{AR_PREFIX}(?:بيت|منزل|بيوت|منازل)){RIGHT}"
    ),
    PropertyType.LAND: rx(
        rf"{LEFT}(?:land|plots?|parcel|участ(?:ок|ка|ке|ки|ков|ком)|земл(?:я|ю|и|е|ей)|земельн\w*|زمین|"
        rf"{AR_PREFIX}(?:ارض|اراضي|قطعة\s*ارض)){RIGHT}"
    ),
}


# "inside the house", "my house", "house rules", "guest house": a house that is not the home the lead wants.
_HOUSE = rx(r"^(?:houses?|home)$")
_HOUSE_NOT_WANTED_BEFORE = rx(
    r"(?:\b(?:inside|in|into|around|at|outside|near|of|from|to|through|across|about|behind|for)\s+"
    r"(?:the|my|our|your|his|her|their|this|that)\s+|\b(?:my|our|your|his|her|their)\s+(?:own\s+|current\s+|old\s+)?|"
    r"\b(?:guest|tree|green|light|ware|boat|coffee|opera|full|open|club|farm|dog|bath|power|glass|court|work|"
    r"mad|ice|bird|hen|play|doll|steak|ale|pent)\s*-?\s*)$"
)
_HOUSE_NOT_WANTED_AFTER = rx(
    r"^\s*(?:rules?|hold\w*|keep\w*|work|chores?|part(?:y|ies)|warming|sitt\w*|mates?|music|wine|plants?|"
    r"arrest|guests?|calls?|special|style|band|number|cleaning|move|tour)\b"
)


def _excluded(text: str, start: int, end: int, label: str) -> bool:
    if label != PropertyType.HOUSE or not _HOUSE.match(text[start:end]):
        return False
    return bool(
        _HOUSE_NOT_WANTED_BEFORE.search(text[max(0, start - 30) : start])
        or _HOUSE_NOT_WANTED_AFTER.match(text[end : end + 30])
    )


def _mentions(text: str, table: Mapping[Label, re.Pattern[str]]) -> list[tuple[int, int, Label]]:
    """Every mention of a label, in order: (start, end, label), without negated ones and a house not wanted."""
    found: list[tuple[int, int, Label]] = []
    for label, pattern in table.items():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 20) : match.start()]
            if (
                _negated(text, match.start())
                or _excluded(text, match.start(), match.end(), label)
                or (match.group() == "land" and _LAND_VERB.search(before))
            ):
                continue
            found.append((match.start(), match.end(), label))
    return sorted(found)


def parse_property_types(text: str) -> list[PropertyType]:
    """The property types asked for, in order: "house or villa" gives both, "a villa" one, none gives [].

    A second type counts only when named as an alternative to the first ("villa or house", "villa, house"), so
    "I sell my flat to buy a villa" stays a villa.
    """
    folded = _folded(text)
    types: list[PropertyType] = []
    last_end = -1
    for start, end, label in _mentions(folded, _PROPERTY_TYPES):
        if not types:
            types.append(label)
        elif EITHER_OR.match(folded[last_end:start]):
            if label not in types:
                types.append(label)
        else:
            continue
        last_end = end
    return types


def parse_property_type(text: str) -> PropertyType | None:
    """villa | apartment | townhouse | house | land, whichever is named first ("inside the house" is no wish)."""
    types = parse_property_types(text)
    return types[0] if types else None


_RENT_OUT = rx(
    r"\brent(?:ing)?\s+(?:it\s+)?out\b|\brental\s+(?:income|yield|returns?)\b|\broi\b|\byield\b|"
    r"\bсда(?:ва\w*|ть|м|ча\w*)\b|доходност\w*|окупаемост\w*|اجاره\s*(?:دادن|بدم|بدهم|بدیم)|عائد\w*|تاجیره"
)
_TRANSACTIONS: dict[Transaction, re.Pattern[str]] = {
    Transaction.SALE: rx(
        rf"{LEFT}(?:buy\w*|purchas\w*|invest\w*|for\s+sale|freehold|leasehold|ownership|"
        rf"куп(?:ить|лю|им|ил\w*|ка|ки|ке|ку|ать)|покуп\w*|приобре\w*|инвест\w*|в\s+собственность|фрихолд|лизхолд|"
        rf"خرید\w*|بخر\w*|خریداری|سرمایه\s*گذاری|{AR_PREFIX}(?:شراء|اشتري|نشتري|بيع|تملك|امتلاک|استثمار\w*)){RIGHT}"
    ),
    Transaction.RENT: rx(
        rf"{LEFT}(?:rent|rental|rentals|renting|lease|leasing|to\s+let|снять|сниму|снимем|снимать|аренд\w*|"
        rf"съ[её]м\w*|внаем|внаём|в\s+наём|в\s+наем|اجاره\w*|رهن|کرایه\w*|"
        rf"{AR_PREFIX}(?:ايجار|استئجار|استاجر|نستاجر|اجار)){RIGHT}"
    ),
}


def parse_transaction(text: str) -> Transaction | None:
    """sale (buy, invest, купить, خرید, شراء) or rent (снять, اجاره, إيجار); buy-to-let counts as sale."""
    folded = _folded(text)
    if _RENT_OUT.search(folded):
        return Transaction.SALE
    return _earliest(folded, _TRANSACTIONS)


# Arabic "كاش" folds into Persian "کاش" ("I wish"), so it is looked up in the raw text.
_ARABIC_CASH = "كاش"
_PAYMENT_METHODS: dict[PaymentMethod, re.Pattern[str]] = {
    PaymentMethod.CRYPTO: rx(
        rf"{LEFT}(?:crypto\w*|bitcoin\w*|btc|usdt|tether|eth|ethereum|stablecoins?|крипт\w*|биткоин\w*|"
        rf"биткойн\w*|юсдт|тезер\w*|رمز\s*ارز\w*|ارز\s*دیجیتال|کریپتو|بیت\s*کوین|تتر|"
        rf"{AR_PREFIX}(?:عملات?\s*رقمية|عملات?\s*مشفرة|كريبتو|بيتكوين|تيثر)){RIGHT}"
    ),
    PaymentMethod.INSTALLMENTS: rx(
        rf"{LEFT}(?:instal+ments?|payment\s+plan|pay\s+in\s+parts|in\s+parts|staged\s+payments?|"
        rf"payment\s+schedule|рассрочк\w*|частями|поэтапн\w*\s+оплат\w*|اقساط\w*|قسطی|قسط\w*|"
        rf"{AR_PREFIX}(?:تقسيط|خطة\s*دفع|خطة\s*سداد|دفعات)){RIGHT}"
    ),
    PaymentMethod.MORTGAGE: rx(
        rf"{LEFT}(?:mortgage\w*|home\s+loan|bank\s+loan|loan|financing|ипотек\w*|кредит\w*|وام\w*|تسهیلات|"
        rf"رهن\s*عقاري|{AR_PREFIX}(?:تمويل\w*|قرض\w*)){RIGHT}"
    ),
    PaymentMethod.BANK_TRANSFER: rx(
        rf"{LEFT}(?:bank\s+transfers?|wire(?:\s+transfers?)?|bank\s+wire|swift|transfer\s+(?:to|from)\s+(?:the\s+)?"
        rf"(?:bank|account)|банковск\w*\s+перевод\w*|перевод\w*\s+(?:на\s+сч[её]т|с\s+сч[её]та|через\s+банк)|"
        rf"безнал\w*|по\s+безналу|свифт\w*|انتقال\s*بانکی|حواله\s*بانکی|حواله|کارت\s*به\s*کارت|واریز\s*بانکی|"
        rf"{AR_PREFIX}(?:تحويل\s*بنکی|حواله\s*بنکیه|تحويل\s*مصرفی)){RIGHT}"
    ),
    PaymentMethod.CASH: rx(
        rf"{LEFT}(?:cash|pay\s+in\s+full|full\s+payment|наличн\w*|налом|наличк\w*|кэш\w*|кеш\w*|"
        rf"полная\s+оплата|сразу\s+всю\s+сумму|نقد\w*|{AR_PREFIX}(?:نقدا|نقدي|دفع\s*كامل|كامل\s*المبلغ)){RIGHT}"
    ),
}


def parse_payment_method(text: str) -> PaymentMethod | None:
    """cash | mortgage | installments | crypto | bank_transfer, whichever is named first and not negated."""
    method = _earliest(_folded(text), _PAYMENT_METHODS)
    if method is None and _ARABIC_CASH in text[:SCAN_LIMIT]:
        return PaymentMethod.CASH
    return method


_NO_PETS = rx(
    r"\bno\s+(?:pets?|animals?|dogs?|cats?)\b|\bpet[- ]?free\b|(?:don't|do\s+not|dont)\s+have\s+(?:any\s+)?(?:pets?|animals?)|"
    r"без\s+(?:животных|питомцев|собак\w*|кош\w*)|нет\s+(?:животных|питомцев)|(?:животных|питомцев)\s+нет|"
    r"(?:حیوان\w*|سگ|گربه)\s*(?:خانگی\s*)?ندار\w*|بدون\s*حیوان|"
    r"بدون\s*حيوان\w*|(?:لا|ما)\s*(?:يوجد|توجد|عندي|عندنا|لدي|لدينا|املک)\s*(?:اي\s*)?حيوان\w*|ليس\s*(?:لدي|لدينا)\s*حيوان\w*"
)
_PETS = rx(
    rf"{LEFT}(?:pets?|dogs?|puppy|puppies|cats?|kittens?|pet[- ]?friendly|animals?|собак\w*|собачк\w*|п[её]с|"
    rf"щен\w*|кошк\w*|кошеч\w*|кот|кота|котом|коты|котик\w*|животн\w*|питом\w*|سگ|گربه|حیوان\w*|پت|"
    rf"{AR_PREFIX}(?:كلب|كلاب|قطة|قطط|حيوان\w*)){RIGHT}"
)


def parse_pets(text: str) -> bool | None:
    """True when the lead has (or asks about) pets, False when they say they have none."""
    folded = key(text)
    if _NO_PETS.search(folded):
        return False
    match = _PETS.search(folded)
    if match is None:
        return None
    return not _negated(folded, match.start())


_UNFURNISHED = rx(
    r"\bunfurnished\b|\bnon[- ]?furnished\b|\bnot\s+furnished\b|\bwithout\s+furniture\b|\bno\s+furniture\b|"
    r"без\s+мебели|немеблирован\w*|не\s+меблирован\w*|بدون\s*(?:مبل\w*|اثاث\w*)|غیر\s*مبله|"
    r"غير\s*مفروش\w*|(?:furniture|мебель)\s+(?:is\s+)?(?:not\s+needed|не\s+нужна)|مبله\s*(?:نمی|نه)"
)
_FURNISHED = rx(
    rf"{LEFT}(?:furnished|fully\s+furnished|semi[- ]?furnished|with\s+furniture|с\s+мебелью|меблирован\w*|"
    rf"мебел\w*|مبله|مبلمان|با\s*مبل|مفروش\w*|مع\s*(?:ال)?اثاث){RIGHT}"
)


def parse_furnished(text: str) -> bool | None:
    """True for furnished, False for unfurnished, None when furniture is not mentioned."""
    folded = _folded(text)
    if _UNFURNISHED.search(folded):
        return False
    match = _FURNISHED.search(folded)
    if match is None:
        return None
    return not _negated(folded, match.start())
