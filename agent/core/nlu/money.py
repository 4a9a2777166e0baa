"""Budgets in free text: "$300-500k", "до 2 млн", "۵۰۰ میلیون تومان", "مليونين درهم".

Currencies come back as ISO 4217 codes, with one exception: Iranian toman is "IRT" (a widely used
unofficial code; 1 toman = 10 rial, ISO "IRR"), because Iranians quote prices in toman and converting
would put a misleading number in front of the agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from agent.core.nlu.lexicon import DATE_MONTHS, LEFT, RIGHT, alt, key, rx, terms
from agent.core.nlu.text import fold


@dataclass(frozen=True, slots=True)
class Budget:
    """A price range; a single figure ("400k") is read as the ceiling."""

    min: Decimal | None
    max: Decimal | None
    currency: str | None
    period: str | None = None
    """"month" or "year" when the amount is a rent per period ("up to 3500 a month"), else None."""


_CURRENCIES: dict[str, tuple[str, ...]] = {
    "USD": terms(
        "$|us$|usd|usdt|dollar|dollars|bucks|доллар|доллара|долларов|долларах|долл|дол|бакс|бакса|баксов|баксы|"
        "у.е.|у.е|دلار|دولار|دولارات|دولار امريكي|دولار أمريكي|دلار امریکا"
    ),
    "EUR": terms("€|eur|euro|euros|евро|یورو|يورو"),
    "GBP": terms("£|gbp|pound|pounds|quid|фунт|фунта|фунтов|پوند|جنيه استرليني|جنيه إسترليني"),
    "RUB": terms("₽|rub|ruble|rubles|rouble|roubles|руб|руб.|рубль|рубля|рублей|рублях|روبل"),
    "AED": terms("aed|dirham|dirhams|dhs|дирхам|дирхама|дирхамов|дирхамах|درهم|دراهم|د.إ|درهم اماراتی"),
    "IDR": terms("idr|rp|rupiah|rupiahs|рупий|рупии|рупия|рупиях|روپیه|روبية|روپیه اندونزی"),
    "IRT": terms("toman|tomans|туман|туманов|تومان|تومن"),
    "IRR": terms("rial|rials|irr"),
    "SAR": terms("sar|riyal|riyals|риял|риялов|ريال سعودي|ر.س"),
    "AUD": terms("aud|a$|au$|australian dollars|австралийских долларов|دلار استرالیا|دولار أسترالي"),
    "CAD": terms("cad|c$|canadian dollars|канадских долларов|دلار کانادا|دولار كندي"),
    "SGD": terms("sgd|s$|singapore dollars|сингапурских долларов"),
    "CHF": terms("chf|swiss francs|франков|швейцарских франков"),
    "KZT": terms("kzt|tenge|₸|тенге"),
    "UAH": terms("uah|hryvnia|₴|грн|гривен|гривны|гривня"),
    "INR": terms("inr|₹|indian rupees"),
    "CNY": terms("cny|rmb|yuan|юаней|юань|юаня|یوان|يوان"),
    "THB": terms("thb|baht|฿|бат|батов"),
    "QAR": terms("qar|ريال قطري|ریال قطر"),
    "KWD": terms("kwd|دينار كويتي"),
}
# "ریال"/"ريال" alone is Iranian rial in Persian and Saudi riyal in Arabic: decided from the letters.
_RIAL = "ریال"

_MULTIPLIERS: dict[Decimal, tuple[str, ...]] = {
    Decimal(1_000): terms(
        "thousand|thousands|grand|тыс|тыс.|тысяча|тысячи|тысяч|тыщ|тыщи|هزار|ألف|آلاف|الاف"
    ),
    Decimal(500_000): terms(
        "half a million|half million|полмиллиона|пол-миллиона|пол миллиона|пол ляма|полляма|نیم میلیون|نصف مليون"
    ),
    Decimal(1_000_000): terms(
        "mln|mio|million|millions|млн|млн.|миллион|миллиона|миллионов|лям|ляма|лямов|лимон|лимона|лимонов|"
        "میلیون|ملیون|مليون|ملايين"
    ),
    Decimal(500_000_000): terms("half a billion|полмиллиарда|نیم میلیارد|نصف مليار"),
    Decimal(1_000_000_000): terms(
        "bn|bln|billion|billions|млрд|млрд.|миллиард|миллиарда|миллиардов|میلیارد|ملیارد|مليار|مليارات"
    ),
}
# Single letters glued to a number ("400k", "1.2m", "2кк"); never on their own.
_LETTER_MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1_000),
    "к": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mm": Decimal(1_000_000),
    "кк": Decimal(1_000_000),
    "b": Decimal(1_000_000_000),
}
# Arabic duals carry their own count: مليونين = two million.
_DUAL_MULTIPLIERS: dict[Decimal, tuple[str, ...]] = {
    Decimal(2_000): terms("ألفين|ألفان"),
    Decimal(2_000_000): terms("مليونين|مليونان"),
    Decimal(2_000_000_000): terms("مليارين|ملیاردین"),
}
# Only read as numbers right before a multiplier: "two million", "два миллиона", "دو میلیارد".
_NUMBER_WORDS: dict[Decimal, tuple[str, ...]] = {
    Decimal(1): terms("a|one|один|одна|یک|واحد"),
    Decimal("1.5"): terms("one and a half|полтора|полторы"),
    Decimal(2): terms("two|два|две|دو|اثنين|اثنان"),
    Decimal(3): terms("three|три|سه|ثلاث|ثلاثة"),
    Decimal(4): terms("four|четыре|چهار|أربع|أربعة"),
    Decimal(5): terms("five|пять|پنج|خمس|خمسة"),
    Decimal(6): terms("six|шесть|شش|ست|ستة"),
    Decimal(7): terms("seven|семь|هفت|سبع|سبعة"),
    Decimal(8): terms("eight|восемь|هشت|ثمان|ثمانية"),
    Decimal(9): terms("nine|девять|نه|تسع|تسعة"),
    Decimal(10): terms("ten|десять|ده|عشر|عشرة"),
}
_AND_A_HALF = terms("and a half|с половиной|و نیم|ونیم|ونصف|و نصف")

_MIN_CUES = terms(
    "from|over|above|more than|at least|minimum|min|starting from|starting at|"
    "от|больше|более|свыше|не меньше|не менее|минимум|мин|"
    "از|بیشتر از|بالای|حداقل|أكثر من|فوق|على الأقل|ابتداء من|يبدأ من"
)
_MAX_CUES = terms(
    "under|below|less than|up to|upto|max|maximum|no more than|not more than|not over|within|at most|"
    "не более|не больше|максимум|макс|не дороже|в пределах|меньше|менее|ниже|"
    "زیر|کمتر از|حداکثر|نهایتا|أقل من|لا يزيد عن|بحد أقصى|كحد أقصى|حد أقصى|أقصى|تحت"
)
# After the amount: "400k+", "от 2 млн и выше", "500 هزار به بالا"; "max" after it changes nothing.
_AFTER_MIN = terms(
    "+|and above|and up|or more|plus|min|minimum|и выше|и более|и больше|или больше|минимум|"
    "به بالا|و بیشتر|حداقل|وأكثر|و أكثر|فما فوق|أو أكثر"
)
_TO = terms("to|до|تا|إلى|الى|حتى|لغاية")
_TO_AS_MAX = frozenset(key(word) for word in terms("до|تا|إلى|حتى|لغاية"))
_BETWEEN = terms("between|между|بین|بين|ما بين")
_FROM_RANGE_ONLY = terms("من")  # Arabic "from" is Persian "I": only trusted when a range follows
_AND = terms("and|и|و")
_FILLER = terms(
    "about|around|approximately|approx|roughly|some|like|is|of|my|our|the|a budget of|~|≈|:|=|"
    "примерно|около|порядка|где-то|где то|приблизительно|это|حدود|حدودا|در حدود|تقریبا|حوالي|تقريبا|نحو|في حدود|هو"
)
_BUDGET_WORDS = terms(
    "budget|price|price range|pay|spend|afford|cost|бюджет|бюджетом|цена|стоимость|потратить|заплатить|"
    "بودجه|بودجم|قیمت|ميزانية|ميزانيتي|سعر|السعر|بسعر|مبلغ|بمبلغ|تكلفة|ادفع"
)
# Things counted or measured next to a number: "3 bedrooms", "500 m2", "2 years" are never money.
_UNITS = (
    r"bed(?:room)?s?|br|bdr|bd|bhk|bath(?:room)?s?|ba|rooms?|floors?|stor(?:e)?ys?|levels?|cars?|people|"
    r"persons?|guests?|adults?|kids?|child(?:ren)?|pax|years?|yrs?|y\.?o|months?|mos?|weeks?|days?|nights?|"
    r"hours?|hrs?|minutes?|mins?|sec|percent|sq\.?\s?m|sqm|sq\.?\s?ft|sqft|m2|m²|meters?|metres?|km|kms|"
    r"ares?|hectares?|ha|acres?|units?|villas?|apartments?|houses?|times|x|"
    r"m\s+(?:to|from|away|walk|off|of|distance)(?!\s*[$€£]?\s*\d)|"  # "500m to the beach", not "1m to 2m"
    r"спал\w*|комн\w*|санузл\w*|ванн\w*|с/у|этаж\w*|человек\w*|чел|гост\w*|взросл\w*|дет\w*|лет|года?|"
    r"месяц\w*|мес|недел\w*|дн(?:я|ей)?|день|ноч\w*|час\w*|мин(?:ут\w*)?|сек\w*|процент\w*|сот\w*|"
    r"гектар\w*|га|м2|м²|кв\.?\s?м\w*|метр\w*|м|км|раз|штук\w*|шт|вилл\w*|квартир\w*|"
    r"خوابه|خواب|اتاق\w*|سرویس|حمام\w*|طبقه|نفر|سال|ماه|هفته|روز|شب|ساعت|دقیقه|متر\w*|درصد|هکتار|واحد|ویلا|"
    r"غرف\w*|دور|طابق|طوابق|اشخاص|شخص|افراد|سنة|سنوات|سنين|عام|اعوام|شهر|شهور|اشهر|اسابيع|اسبوع|ايام|يوم|"
    r"ليال\w*|ليلة|ساعة|ساعات|دقيقة|دقائق|بالمئة|بالمائة|هكتار|مرات|وحدات|فلل|شقق"
)
# A rent's period right after the amount: "3500 a month", "$2k/mo", "3500 в месяц", "۳۵۰۰ در ماه", "3500 شهريا".
_PERIODS: dict[str, str] = {
    "month": r"(?:per|a|an|each|every)\s*(?:month|mo|mth)|(?<=/)(?:month|mo|mth)|monthly|pcm|p\.?m\.?|в\s+месяц|в\s+мес|/\s*мес\w*|"
    r"ежемесячно|помесячно|ماهانه|ماهیانه|در\s+ماه|ماهی|شهریا|فی\s+الشهر|بالشهر|کل\s+شهر",
    "year": r"(?:per|a|an|each|every)\s*(?:year|yr|annum)|(?<=/)(?:year|yr)|yearly|annually|p\.?a\.?|в\s+год|/\s*год|ежегодно|"
    r"سالانه|سالیانه|در\s+سال|سنویا|فی\s+السنه|بالسنه",
}
_UNITS_AFTER_DASH = r"-\s?(?:х|ти|ми|к|комн\w*|спал\w*)"  # "3-к", "3-х комнатная"

# Phone numbers, dates and clock times are blanked out before looking for money.
_PHONE_LIKE = re.compile(r"\+\s?\d[\d \u00a0().-]*\d|\d[\d \u00a0().-]*\d")
# "11th", "March 11", "11 марта" are days of a month.
_DATE_OR_TIME = rx(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}|\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?![^\W\d_])|"
    r"(?<![\d.,])\d{1,2}(?:st|nd|rd|th)(?![^\W\d_])|"
    rf"(?<![\d.,])\d{{1,2}}(?:-?го|-?е)?\s*(?:of\s+)?(?:{DATE_MONTHS})(?![^\W\d_])|"
    rf"(?<![^\W\d_])(?:{DATE_MONTHS})\s*\d{{1,2}}(?![\d.,]?\d|\s*(?:k|m|mln|млн|тыс)(?![^\W\d_]))"
)
_MASK = "¶"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str  # case-folded, spaces removed
    start: int
    end: int
    value: Decimal = Decimal(0)  # numbers, multipliers and number words
    code: str | None = None  # currencies


def _lookup(table: dict[Decimal, tuple[str, ...]]) -> dict[str, Decimal]:
    return {_squash(key(word)): value for value, words in table.items() for word in words}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_CURRENCY_BY_WORD = {_squash(key(w)): code for code, ws in _CURRENCIES.items() for w in ws} | {_RIAL: "?"}
_MULTIPLIER_BY_WORD = _lookup(_MULTIPLIERS)
_DUAL_BY_WORD = _lookup(_DUAL_MULTIPLIERS)
_NUMBER_BY_WORD = _lookup(_NUMBER_WORDS)
_AFTER_MIN_KEYS = frozenset(_squash(key(w)) for w in _AFTER_MIN)
_VALUE_TABLES: dict[str, dict[str, Decimal]] = {
    "MULT": _MULTIPLIER_BY_WORD,
    "LMULT": _LETTER_MULTIPLIERS,
    "DUAL": _DUAL_BY_WORD,
    "WNUM": _NUMBER_BY_WORD,
}

_TOKEN_KINDS: tuple[tuple[str, str], ...] = (
    ("MASK", _MASK),
    ("NUM", r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,']\d+)*"),
    ("DASH_UNIT", _UNITS_AFTER_DASH),
    *((f"PERIOD_{name}", LEFT + "(?:" + fold(source) + ")" + RIGHT) for name, source in _PERIODS.items()),
    ("HALF", LEFT + alt(_AND_A_HALF) + RIGHT),
    ("DUAL", LEFT + alt(w for ws in _DUAL_MULTIPLIERS.values() for w in ws) + RIGHT),
    ("MULT", LEFT + alt(w for ws in _MULTIPLIERS.values() for w in ws) + RIGHT),
    ("CUR", LEFT + alt([*(w for ws in _CURRENCIES.values() for w in ws), _RIAL]) + RIGHT),
    ("AFTER_MIN", LEFT + alt(w for w in _AFTER_MIN if len(w) > 1 and w not in _MIN_CUES) + RIGHT + r"|\+"),
    ("MIN", LEFT + alt(_MIN_CUES) + RIGHT),
    ("MAX", LEFT + alt(_MAX_CUES) + RIGHT),
    ("BETWEEN", LEFT + alt(_BETWEEN) + RIGHT),
    ("TO", LEFT + alt(_TO) + RIGHT),
    ("FROM_RANGE", LEFT + alt(_FROM_RANGE_ONLY) + RIGHT),
    ("AND", LEFT + alt(_AND) + RIGHT),
    ("BUDGET", LEFT + alt(_BUDGET_WORDS) + RIGHT),
    ("FILLER", LEFT + alt(_FILLER) + RIGHT),
    ("UNIT", LEFT + "(?:" + fold(_UNITS) + ")" + RIGHT + r"|%"),
    ("LMULT", LEFT + alt(_LETTER_MULTIPLIERS) + RIGHT),
    ("WNUM", LEFT + alt(w for ws in _NUMBER_WORDS.values() for w in ws) + RIGHT),
    ("SEP", r"[-–—]"),
    ("WORD", r"[^\W\d_]+"),
    ("SYM", r"[^\w\s]"),
)
_TOKENIZER = re.compile("|".join(f"(?P<{kind}>{source})" for kind, source in _TOKEN_KINDS), re.IGNORECASE)


def _mask_non_money(text: str) -> str:
    text = _DATE_OR_TIME.sub(_MASK, text)

    def phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        looks_like_phone = match.group().startswith("+") or (len(digits) >= 8 and not digits.endswith("000"))
        return _MASK if looks_like_phone else match.group()

    return _PHONE_LIKE.sub(phone, text)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKENIZER.finditer(_mask_non_money(text)):
        kind = match.lastgroup or "SYM"
        word = _squash(match.group())
        value: Decimal | None = Decimal(0)
        if kind == "NUM":
            value = _to_decimal(word)
        elif kind in _VALUE_TABLES:
            value = _VALUE_TABLES[kind].get(word)
        elif kind == "DASH_UNIT":
            kind = "UNIT"
        if value is None:  # not a number after all ("1.2.3"), or a spelling the tables do not know
            kind, value = "WORD", Decimal(0)
        code = _CURRENCY_BY_WORD.get(word) if kind == "CUR" else None
        tokens.append(_Token(kind, word, match.start(), match.end(), value, code))
    return tokens


def _to_decimal(raw: str, *, decimal_hint: bool = False) -> Decimal | None:
    """'450,000' -> 450000, '1,5' -> 1.5, '1.250.000' -> 1250000, '15 000 000' -> 15000000."""
    text = re.sub(r"[ \u00a0\u202f']", "", raw)
    separators = [ch for ch in text if ch in ".,"]
    if len(set(separators)) == 2:
        decimal_sep = text[max(text.rfind("."), text.rfind(","))]
        text = text.replace("," if decimal_sep == "." else ".", "").replace(decimal_sep, ".")
    elif len(separators) > 1:
        text = text.replace(separators[0], "")
    elif separators:
        whole, fraction = text.split(separators[0])
        is_thousands = len(fraction) == 3 and not decimal_hint
        text = whole + fraction if is_thousands else f"{whole}.{fraction}"
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass(frozen=True, slots=True)
class _Amount:
    number: Decimal
    multiplier: Decimal | None
    currency: str | None
    bare_multiplier: bool
    end: int  # index of the first token after the amount
    period: str | None = None

    @property
    def value(self) -> Decimal:
        return self.number * (self.multiplier or 1)


def _skip(tokens: list[_Token], i: int, kinds: tuple[str, ...] = ("FILLER",)) -> int:
    while i < len(tokens) and tokens[i].kind in kinds:
        i += 1
    return i


def _kind(tokens: list[_Token], i: int) -> str:
    return tokens[i].kind if i < len(tokens) else "END"


def _glued(tokens: list[_Token], i: int, max_gap: int) -> bool:
    return 0 < i < len(tokens) and tokens[i].start - tokens[i - 1].end <= max_gap


def _letter_gap(tokens: list[_Token], i: int, currency: str | None) -> int:
    """How far a letter multiplier may sit from its number: "400 k" yes, "5 m" (metres?) only with a currency."""
    if tokens[i].text in ("k", "к") or currency or _kind(tokens, i + 1) == "CUR":
        return 1
    return 0


def _amount(tokens: list[_Token], i: int) -> _Amount | None:
    """[currency] number [and a half] [multiplier [and a half]] [currency], or a bare/dual multiplier."""
    currency: str | None = None
    if _kind(tokens, i) == "CUR":
        currency = tokens[i].code
        i += 1
    kind = _kind(tokens, i)
    number: Decimal
    multiplier: Decimal | None = None
    bare = False
    if kind == "NUM":
        token = tokens[i]
        number, i = token.value, i + 1
        if _kind(tokens, i) == "UNIT":
            return None
        if _kind(tokens, i) in ("MULT", "LMULT", "DUAL") and ("," in token.text or "." in token.text):
            number = _to_decimal(token.text, decimal_hint=True) or number  # "1,500 млн" is 1.5 million
    elif kind == "WNUM" and _kind(tokens, _skip(tokens, i + 1, ("HALF",))) == "MULT":
        number, i = tokens[i].value, i + 1
    elif kind in ("MULT", "DUAL"):
        number, bare = Decimal(1), kind == "MULT"
    else:
        return None
    if _kind(tokens, i) == "HALF":
        number, i = number + Decimal("0.5"), i + 1
    kind = _kind(tokens, i)
    glued_letter = ""
    if kind in ("MULT", "DUAL") or (kind == "LMULT" and _glued(tokens, i, _letter_gap(tokens, i, currency))):
        glued_letter = tokens[i].text if kind == "LMULT" else ""
        multiplier, i = tokens[i].value, i + 1
        if _kind(tokens, i) == "SYM" and tokens[i].text == ".":
            i += 1
        if _kind(tokens, i) == "HALF" and multiplier is not None:
            number, i = number + Decimal("0.5"), i + 1
    if _kind(tokens, i) == "CUR":
        currency = currency or tokens[i].code
        i += 1
    if glued_letter == "к" and currency is None and number < 10:
        return None  # "3к" is a three-room flat, not 3000
    period = None
    if _kind(tokens, i) == "SYM" and tokens[i].text == "/" and _kind(tokens, i + 1).startswith("PERIOD_"):
        i += 1  # "$2k/mo"
    if _kind(tokens, i).startswith("PERIOD_"):
        period, i = _kind(tokens, i).removeprefix("PERIOD_"), i + 1
    return _Amount(number, multiplier, currency, bare, i, period)


def _join(low: _Amount, high: _Amount) -> tuple[_Amount, _Amount]:
    """Share what was said once across a range: "300-500k USD" means 300k to 500k dollars."""
    currency = low.currency or high.currency
    low_multiplier, high_multiplier = low.multiplier, high.multiplier
    if low_multiplier is None and high_multiplier is not None and low.number * high_multiplier <= high.value:
        low_multiplier = high_multiplier
    if high_multiplier is None and low_multiplier is not None and high.number * low_multiplier >= low.value:
        high_multiplier = low_multiplier
    return (
        _Amount(
            low.number, low_multiplier, currency, low.bare_multiplier, low.end, low.period or high.period
        ),
        _Amount(
            high.number, high_multiplier, currency, high.bare_multiplier, high.end, high.period or low.period
        ),
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    low: _Amount | None
    high: _Amount | None
    start: int

    @property
    def amounts(self) -> list[_Amount]:
        return [a for a in (self.low, self.high) if a is not None]


def _expression(tokens: list[_Token], i: int) -> tuple[_Candidate | None, int]:
    """One budget phrase starting at token i, and the index to continue scanning from."""
    cue = _kind(tokens, i)
    if cue == "TO" and tokens[i].text not in _TO_AS_MAX:
        cue = "WORD"
    first = _skip(tokens, i + 1) if cue in ("MIN", "MAX", "BETWEEN", "FROM_RANGE", "TO") else i
    low = _amount(tokens, first)
    if low is None:
        return None, max(first, i + 1)
    end = low.end
    separator = _kind(tokens, end)
    ranged = separator in ("SEP", "TO") or (separator == "AND" and cue == "BETWEEN")
    if ranged:
        high = _amount(tokens, _skip(tokens, end + 1))
        if high is None and _kind(tokens, _skip(tokens, end + 1)) == "NUM":
            return None, end + 1  # "2-3 bedrooms"
        if high is not None:
            low, high = _join(low, high)
            if high.value < low.value:
                low, high = high, low
            return _Candidate(low, high, i), high.end
    if cue in ("BETWEEN", "FROM_RANGE"):
        return None, first  # no range after all: read the amount again on its own
    after = tokens[end].text if end < len(tokens) else ""
    if cue == "MIN" or after in _AFTER_MIN_KEYS:
        return _Candidate(low, None, i), end + (after in _AFTER_MIN_KEYS)
    return _Candidate(None, low, i), end


_LEAST_AMOUNT = 100
"""A rent without a currency is money from this much on: "15 a month" is a count, "1500 a month" is not."""
_LEAST_BOUND = 500
"""A bare bound without a currency or a period ("up to 3500") is money from this much on ("over 100 reviews" is not)."""


def _is_money(candidate: _Candidate, tokens: list[_Token], *, assume_budget: bool) -> bool:
    amounts = candidate.amounts
    if any(a.currency for a in amounts):
        return True
    window = tokens[max(0, candidate.start - 5) : candidate.start]
    budget_cue = any(t.kind == "BUDGET" for t in window)
    if any(a.multiplier is not None and not a.bare_multiplier for a in amounts):
        return True
    if assume_budget:
        return True
    is_year = any(a.multiplier is None and 1900 <= a.number <= 2100 and a.number % 1 == 0 for a in amounts)
    plausible = all(a.value >= _LEAST_AMOUNT for a in amounts) and not any(a.bare_multiplier for a in amounts)
    if plausible and any(a.period for a in amounts):
        return True  # "up to 3500 a month": a rent in the agency's currency
    cue = tokens[candidate.start] if candidate.start < len(tokens) else None
    bound = cue is not None and (cue.kind in ("MIN", "MAX") or (cue.kind == "TO" and cue.text in _TO_AS_MAX))
    if plausible and bound and not is_year and all(a.value >= _LEAST_BOUND for a in amounts):
        return True  # "up to 3500", "от 5000": a bound on a price in the agency's currency
    if not budget_cue or any(a.bare_multiplier for a in amounts):
        return budget_cue
    directly_after_budget = bool(window) and all(
        t.kind in ("BUDGET", "FILLER", "SYM", "MIN", "MAX", "TO") for t in window[-2:]
    )
    return directly_after_budget or not is_year


def _rial_code(text: str) -> str:
    return "IRR" if any(ch in "پچژگکی" for ch in text) and not any(ch in "ةيك" for ch in text) else "SAR"


def _plain(value: Decimal) -> Decimal:
    """The amount without trailing zeros; one too long to round (10^30) as it is: the field rules refuse it."""
    try:
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    except InvalidOperation:
        return value


def parse_budget(
    text: str, default_currency: str | None = None, *, assume_budget: bool = False
) -> Budget | None:
    """The first budget mentioned, or None. Phone numbers, room counts, years and dates are not money.

    assume_budget: the bot has just asked for the budget, so a bare "500-700" counts.
    """
    tokens = _tokenize(key(text))
    i = 0
    while i < len(tokens):
        candidate, next_i = _expression(tokens, i)
        if candidate is not None and _is_money(candidate, tokens, assume_budget=assume_budget):
            currency = next((a.currency for a in candidate.amounts if a.currency), None)
            if currency == "?":
                currency = _rial_code(text[:2000])
            low = _plain(candidate.low.value) if candidate.low else None
            high = _plain(candidate.high.value) if candidate.high else None
            period = next((a.period for a in candidate.amounts if a.period), None)
            return Budget(low, high, currency or default_currency, period)
        i = max(next_i, i + 1)
    return None
