"""When a lead means to buy or move, as a short English phrase: "asap", "within 3 months", "next year"."""

from __future__ import annotations

import re

from agent.core.nlu.lexicon import LEFT, RIGHT, key, rx, terms

_NO_RUSH = rx(
    r"\bno\s+rush\b|\bno\s+hurry\b|\bnot\s+in\s+a\s+(?:rush|hurry)\b|\bnot\s+urgent\b|\bjust\s+(?:looking|browsing)\b|"
    r"\bbrowsing\b|не\s+спеш\w*|не\s+срочно|без\s+спешки|просто\s+смотр\w*|пока\s+(?:просто\s+)?смотр\w*|"
    r"присматрива\w*|عجله\s*ندار\w*|فقط\s*(?:دارم\s*)?(?:نگاه|میبینم)|فوری\s*نیست|"
    r"(?:لست|مش|غير)\s*مستعجل\w*|لا\s*عجلة|مجرد\s*استطلاع|فقط\s*اتفرج|بتفرج"
)
_ASAP = rx(
    r"\basap\b|\bas\s+soon\s+as\s+possible\b|\burgent\w*|\bright\s+away\b|\bimmediately\b|\bstraight\s+away\b|"
    r"срочно|как\s+можно\s+(?:скорее|быстрее|раньше)|немедленно|прямо\s+сейчас|"
    r"فوری|فورا|هر\s*چه\s*(?:سریعتر|سریع\s*تر|زودتر|زود\s*تر)|در\s*اسرع\s*وقت|"
    r"عاجل\w*|في\s*اسرع\s*وقت|باسرع\s*وقت|مستعجل\w*"
)
# A unit word is recognised by its stem: "months", "месяца", "ماه", "أشهر".
_UNIT_STEMS: dict[str, tuple[str, ...]] = {
    "days": terms("day|дн|ден|روز|یوم|ایام"),
    "weeks": terms("week|недел|هفته|اسبوع|اسابیع"),
    "months": terms("month|мес|ماه|شهر|شهور|اشهر"),
    "years": terms("year|год|лет|سال|سنة|سنوات|سنین|عام|اعوام"),
}
# Arabic duals: خلال شهرين = within two months.
_DUALS = {
    "یومین": (2, "days"),
    "اسبوعین": (2, "weeks"),
    "شهرین": (2, "months"),
    "سنتین": (2, "years"),
    "عامین": (2, "years"),
}
_AMOUNT_WORDS: dict[str, int] = {
    key(word): value
    for value, words in {
        1: "a|an|one|один|одну|одного|یک|یه|واحد",
        2: "two|couple|a couple|пару|два|две|دو|اثنين",
        3: "three|few|a few|три|несколько|سه|چند|ثلاث|ثلاثة",
        4: "four|четыре|چهار|اربع|اربعة",
        5: "five|пять|پنج|خمس|خمسة",
        6: "six|шесть|شش|ست|ستة",
        9: "nine|девять",
        12: "twelve|двенадцать",
    }.items()
    for word in terms(words)
}
_AMOUNT = r"\d{1,2}|" + "|".join(
    re.escape(word).replace(r"\ ", r"\s+") for word in sorted(_AMOUNT_WORDS, key=len, reverse=True)
)
_UNIT = (
    r"days?|weeks?|months?|years?|дн\w*|день|недел\w*|месяц\w*|мес|год\w*|лет|روز|هفته|ماه|سال|"
    r"یوم|ایام|اسبوع|اسابیع|شهر|شهور|اشهر|سنة|سنوات|سنین|عام|اعوام"
)
# Only with a "by then" preposition: "for 6 months" or "на 6 месяцев" is a rental term, not a timeline.
_WITHIN = rx(
    LEFT
    + r"(?P<prep>within|in|in\s+the\s+next|during\s+the\s+next|over\s+the\s+next|the\s+next|next|"
    + r"в\s+течение|в\s+ближайшие|через|ظرف|طی|تا|در|خلال|فی\s*غضون|بعد)\s+"
    + r"(?:(?:the|about|around|примерно|около)\s+)?"
    + rf"(?:(?P<low>{_AMOUNT})\s*(?:-|–|to|или|تا|او)\s*)?(?P<n>{_AMOUNT})?\s*(?:of\s+)?(?P<unit>{_UNIT})"
    + RIGHT
)
# Prepositions that mean "within one" on their own: "через месяц", "خلال شهر"; "در ماه" is "per month".
_SINGULAR_PREPOSITIONS = frozenset({"within", "в течение", "через", "ظرف", "خلال", "فی غضون", "بعد"})
_FROM_NOW = rx(rf"(?<![\w.])(?P<n>{_AMOUNT})\s*(?P<unit>{_UNIT})\s*(?:from\s+now|دیگه|دیگر|اینده){RIGHT}")
_DUAL_WITHIN = rx(rf"{LEFT}(?:خلال|فی\s*غضون|بعد)\s*(?P<dual>{'|'.join(_DUALS)}){RIGHT}")
_HALF_YEAR = rx(
    r"(?:within|in|через|в\s+течение|ظرف|طی|تا|در|خلال|فی\s*غضون|بعد)\s+"
    r"(?:half\s+a\s+year|полгода|полугода|пол\s+года|نیم\s*سال|نصف\s*سنة)"
)

_RELATIVE: tuple[tuple[re.Pattern[str], str], ...] = (
    (rx(r"\bthis\s+week\b|на\s+этой\s+неделе|همین\s*هفته|این\s*هفته|هذا\s*الاسبوع"), "this week"),
    (
        rx(
            r"\bnext\s+week\b|на\s+следующей\s+неделе|هفته\s*(?:بعد|اینده|دیگه)|الاسبوع\s*(?:القادم|المقبل|الجای)"
        ),
        "next week",
    ),
    (rx(r"\bthis\s+month\b|в\s+этом\s+месяце|همین\s*ماه|این\s*ماه|هذا\s*الشهر"), "this month"),
    (
        rx(
            r"\bnext\s+month\b|в\s+следующем\s+месяце|ماه\s*(?:بعد|اینده|دیگه)|الشهر\s*(?:القادم|المقبل|الجای)"
        ),
        "next month",
    ),
    (
        rx(
            r"\bthis\s+year\b|\bby\s+(?:the\s+)?end\s+of\s+(?:the\s+)?year\b|в\s+этом\s+году|до\s+конца\s+года|امسال|"
            r"تا\s*اخر\s*سال|هذا\s*العام|هذه\s*السنة|العام\s*الحالی|قبل\s*نهایة\s*السنة"
        ),
        "this year",
    ),
    (
        rx(
            r"\bnext\s+year\b|в\s+следующем\s+году|سال\s*(?:بعد|اینده|دیگه)|العام\s*(?:القادم|المقبل)|"
            r"السنة\s*(?:القادمة|المقبلة)"
        ),
        "next year",
    ),
)
_MONTHS: dict[str, str] = {}
for _name, _forms in {
    "January": "january jan январ ژانویه يناير كانون_الثاني دی",
    "February": "february feb феврал فوریه فبراير شباط بهمن",
    "March": "march mar март مارس آذار اسفند",
    "April": "april apr апрел آوریل ابريل أبريل نيسان فروردین",
    "May": "may ма مايو أيار اردیبهشت",
    "June": "june jun июн ژوئن يونيو حزيران خرداد",
    "July": "july jul июл ژوئیه يوليو تموز تیر",
    "August": "august aug август اوت أغسطس اغسطس آب مرداد",
    "September": "september sep sept сентябр سپتامبر سبتمبر أيلول شهریور",
    "October": "october oct октябр اکتبر أكتوبر اكتوبر تشرين_الأول مهر",
    "November": "november nov ноябр نوامبر نوفمبر تشرين_الثاني آبان",
    "December": "december dec декабр دسامبر ديسمبر كانون_الأول آذر",
}.items():
    for _form in _forms.split():
        _MONTHS[key(_form.replace("_", " "))] = _name
# Persian solar months (دی, بهمن...) are reported by the Gregorian month they mostly overlap.
_RU_MONTH_ENDINGS = r"(?:ь|я|е|ю|а|у|й)?"
_MONTH_ALT = "|".join(re.escape(m).replace(r"\ ", r"\s*") for m in sorted(_MONTHS, key=len, reverse=True))
_BY_MONTH = rx(
    LEFT
    + r"(?P<prep>in|by|before|until|till|around|early|mid|late|end\s+of|в|к|до|с|در|تا|برای|اوایل|اواسط|اواخر|"
    + r"فی|قبل|بحلول|حتی)\s+(?:(?:the\s+)?(?:end|beginning|start)\s+of\s+|(?:شهر|ماه)\s+)?"
    + rf"(?P<month>{_MONTH_ALT}){_RU_MONTH_ENDINGS}"
    + RIGHT
)
_BY_PREPOSITIONS = frozenset({"by", "before", "until", "till", "к", "до", "تا", "قبل", "بحلول", "حتی"})


def _amount(raw: str | None) -> int:
    if not raw:
        return 1
    return int(raw) if raw.isdigit() else _AMOUNT_WORDS.get(re.sub(r"\s+", " ", raw), 1)


def _unit(raw: str) -> str:
    return next((unit for unit, stems in _UNIT_STEMS.items() if raw.startswith(stems)), "months")


def _within(n: int, unit: str) -> str:
    return f"within {n} {unit[:-1] if n == 1 else unit}"


_SEASONS: dict[str, str] = {}
for _name, _forms in {
    "spring": "spring весн بهار ربيع",
    "summer": "summer лет تابستان صيف",
    "autumn": "autumn fall осен پاییز خريف",
    "winter": "winter зим زمستان شتاء",
}.items():
    for _form in _forms.split():
        _SEASONS[key(_form)] = _name
_NEXT_YEAR = (
    r"next\s+year|следующего\s+года|будущего\s+года|سال\s*(?:بعد|اینده|دیگه|دیگر)|"
    r"(?:العام|السنه)\s*(?:القادم|المقبل|القادمه|المقبله)"
)
_NEXT = r"next|следующ\w*|будущ\w*|اینده|بعد|دیگه|القادم|المقبل|الجای"
# "next spring", "in the summer", "весной", "следующей весной", "بهار سال بعد", "الربيع القادم".
_SEASON = rx(
    rf"{LEFT}(?:(?P<lead>next|this|in\s+the|in|by|by\s+the|(?:by\s+)?(?:the\s+)?end\s+of(?:\s+the)?|early|late|around|в\s+след\w*|этой|этим|этом|"
    rf"следующ\w*|будущ\w*|к|до|در|تا|برای|اوایل|اواخر|فی|فی\s+فصل|قبل|بحلول)\s+)?"
    rf"(?:ال)?(?P<season>spring|summer|autumn|fall|winter|весн\w*|лет\w*|осен\w*|зим\w*|بهار|تابستان|پاییز|زمستان|"
    rf"ربیع|صیف|خریف|شتاء){RIGHT}(?P<after>\s*(?:سال\s*)?(?:{_NEXT}))?(?P<year>\s+(?:of\s+)?(?:{_NEXT_YEAR}))?"
)
_RU_SEASON_ADVERB = rx(r"^(?:весной|летом|осенью|зимой)$")
_THEN_NEXT_YEAR = rx(rf"^[\s,]*(?:of\s+)?(?:{_NEXT_YEAR})")
# Small talk about a month or a season ("what's the weather like in January?") is no timeline.
_SMALL_TALK = rx(
    r"\b(?:weather|rain\w*|sunny|humid\w*|temperature\w*|climate|hot|cold|warm|festivals?|holidays?|"
    r"tourists?|crowded|surf\s+season|dry\s+season|wet\s+season)\b|погод\w*|дожд\w*|жарк\w*|жара|холодн\w*|"
    r"температур\w*|климат\w*|туристов|(?<![^\W\d_])هوا(?![^\W\d_])|باران\w*|بارون\w*|دما|"
    r"طقس|الطقس|امطار|مطر|حراره|مناخ|الجو"
)
_SENTENCES = re.compile(r"(?<=[.!?;\n])\s*")


def _season(match: re.Match[str]) -> str | None:
    word = match.group("season")
    season = next((name for form, name in _SEASONS.items() if word.startswith(form)), None)
    if season is None or (word.startswith("лет") and word not in ("летом", "лета", "лету")):
        return None  # "лет" is also "years"
    lead = re.sub(r"\s+", " ", match.group("lead") or "")
    if not lead and not match.group("after") and not _RU_SEASON_ADVERB.match(word):
        return None  # a bare "spring" may be a hot spring; "весной" is an adverb of time on its own
    if match.group("year") or match.group("after") or re.match(rf"(?:{_NEXT})", lead):
        return f"next {season}"
    if lead in ("this", "этой", "этим", "этом"):
        return f"this {season}"
    if lead in ("by", "by the", "к", "до", "تا", "قبل", "بحلول") or "end of" in lead:
        return f"by {season}"
    return f"in {season}"


def _month(folded: str) -> str | None:
    match = _BY_MONTH.search(folded)
    month = _MONTHS.get(re.sub(r"\s+", " ", match.group("month"))) if match else None
    if match is None or month is None:
        return None
    prep = "by" if match.group("prep") in _BY_PREPOSITIONS else "in"
    if _THEN_NEXT_YEAR.match(folded[match.end() :]):
        return f"{prep} {month} next year"  # "in March next year", "в марте следующего года"
    return f"{prep} {month}"


def _timeline(folded: str) -> str | None:
    if _NO_RUSH.search(folded):
        return "no rush"
    if _ASAP.search(folded):
        return "asap"
    if match := _DUAL_WITHIN.search(folded):
        n, unit = _DUALS[match.group("dual")]
        return _within(n, unit)
    if _HALF_YEAR.search(folded):
        return _within(6, "months")
    for match in _WITHIN.finditer(folded):
        if match.group("n") or re.sub(r"\s+", " ", match.group("prep")) in _SINGULAR_PREPOSITIONS:
            n = max(_amount(match.group("low")), _amount(match.group("n")))
            return _within(n, _unit(match.group("unit")))
    if match := _FROM_NOW.search(folded):
        return _within(_amount(match.group("n")), _unit(match.group("unit")))
    for season_match in _SEASON.finditer(folded):
        if season := _season(season_match):
            return season
    if (month := _month(folded)) and " next year" in month:
        return month
    for pattern, label in _RELATIVE:
        if pattern.search(folded):
            return label
    return month


def parse_timeline(text: str) -> str | None:
    """A normalised timeline: "asap", "no rush", "within 3 months", "next month", "by March", "next spring",
    "in March next year"... A sentence of small talk ("what's the weather like in January?") gives none."""
    for sentence in _SENTENCES.split(key(text)):
        if sentence.strip() and not _SMALL_TALK.search(sentence):
            if found := _timeline(sentence):
                return found
    return None
