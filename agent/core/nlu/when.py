"""A proposed viewing time in free text: "tomorrow at 3pm", "в пятницу", "فردا ساعت ۳", "غدا الساعة ٣".

Conversational day words, weekdays, clock times and parts of the day are read here, the same way in all
four languages; calendar dates ("5 марта", "March 5", "15/03") go to dateparser. A bare hour from 1 to 7
means afternoon (nobody books a viewing at 3 a.m.), and a day without a time lands at DEFAULT_HOUR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from agent.core.nlu.language import Lang
from agent.core.nlu.lexicon import DATE_MONTHS, LEFT, RIGHT, key, rx, terms

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

DEFAULT_HOUR = 10
_LATEST_AMBIGUOUS_PM_HOUR = 7


@dataclass(frozen=True, slots=True)
class When:
    """A resolved moment, and whether the lead actually said a date and a time."""

    at: datetime
    has_date: bool
    has_time: bool


# Greetings carry day parts ("good morning", "صبح بخیر") that say nothing about the appointment.
_GREETINGS = rx(
    r"good\s+(?:morning|afternoon|evening|night)|доброе\s+утро|добрый\s+(?:день|вечер)|доброй\s+ночи|"
    r"صبح\s*بخیر|عصر\s*بخیر|شب\s*بخیر|روز\s*بخیر|صباح\s*الخير|مساء\s*الخير|تصبح\s*على\s*خير"
)
# Sign-offs name a day that is not an appointment: "that's all for today", "на сегодня всё".
_SIGN_OFFS = rx(
    r"\b(?:all|it|everything|enough|done)\s+(?:i\s+need\s+|i\s+needed\s+)?for\s+(?:today|tonight)\b|"
    r"на\s+сегодня\s+(?:всё|все|хватит)|برای\s*امروز\s*(?:کافیه|بسه)|(?:هذا\s*)?كل\s*شيء\s*(?:لليوم|اليوم)"
)
_RELATIVE_DAYS: tuple[tuple[re.Pattern[str], int], ...] = (
    (rx(r"\bday\s+after\s+tomorrow\b|послезавтра|پس\s*فردا|بعد\s*غد|بعد\s*بكرة|بعد\s*بكره"), 2),
    (rx(r"\btomorrow\b|\btmrw?\b|завтра|فردا|غدا|غدًا|\bبكرة|\bبكره|\bبكرا"), 1),
    (rx(r"\btoday\b|\btonight\b|сегодня|امروز|امشب|اليوم|الليلة"), 0),
)
_IN_DAYS = rx(
    r"\bin\s+(?P<n1>\d{1,2}|a|one|two|three)\s+days?\b|через\s+(?P<n2>\d{1,2})?\s*(?:дн(?:я|ей)|день)|"
    r"(?P<n3>\d{1,2})\s*روز\s*(?:دیگه|دیگر|بعد)|بعد\s*(?P<n4>\d{1,2})\s*(?:ايام|يوم)|بعد\s*يومين(?P<two>)"
)
_IN_HOURS = rx(
    r"\bin\s+(?P<n1>\d{1,2}|an|one|two|three)\s+hours?\b|через\s+(?P<n2>\d{1,2})?\s*час\w*|"
    r"(?P<n3>\d{1,2})\s*ساعت\s*(?:دیگه|دیگر|بعد)|بعد\s*(?P<n4>\d{1,2})\s*ساعات?|بعد\s*ساعتين(?P<two>)|بعد\s*ساعة(?P<one>)"
)
_SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
_NEXT_WEEK = rx(
    r"\bnext\s+week\b|на\s+следующей\s+неделе|следующ\w+\s+недел\w*|هفته\s*(?:بعد|آینده|دیگه)|"
    r"(?:الاسبوع|الأسبوع)\s*(?:القادم|المقبل|الجاي)"
)
_WEEKEND = rx(r"\bweekend\b|выходн\w*|آخر\s*هفته|ویکند|عطلة\s*نهاية\s*الاسبوع|الويكند|نهاية\s*الاسبوع")
_WEEKDAYS: tuple[tuple[re.Pattern[str], int], ...] = (
    (rx(rf"{LEFT}(?:monday|понедельник\w*|دو\s*شنبه|(?:يوم\s*)?الاثنين|(?:يوم\s*)?الإثنين){RIGHT}"), 0),
    (rx(rf"{LEFT}(?:tuesday|tues|вторник\w*|سه\s*شنبه|(?:يوم\s*)?الثلاثاء){RIGHT}"), 1),
    (rx(rf"{LEFT}(?:wednesday|сред[аеуы]|چهار\s*شنبه|(?:يوم\s*)?الأربعاء){RIGHT}"), 2),
    (rx(rf"{LEFT}(?:thursday|thurs|четверг\w*|پنج\s*شنبه|(?:يوم\s*)?الخميس){RIGHT}"), 3),
    (rx(rf"{LEFT}(?:friday|fri|пятниц\w*|جمعه|(?:يوم\s*)?الجمعة){RIGHT}"), 4),
    (
        rx(
            rf"{LEFT}(?:saturday|суббот\w*|(?<!یک\s)(?<!دو\s)(?<!سه\s)(?<!چهار\s)(?<!پنج\s)شنبه|(?:يوم\s*)?السبت){RIGHT}"
        ),
        5,
    ),
    (rx(rf"{LEFT}(?:sunday|воскресень\w*|یک\s*شنبه|(?:يوم\s*)?الأحد){RIGHT}"), 6),
)

# Parts of the day: the hour they default to, and whether they turn "3" into 15:00.
_DAY_PARTS: tuple[tuple[re.Pattern[str], int, bool], ...] = (
    (rx(r"\bafternoon\b|после\s+обеда|بعد\s*از\s*ظهر|بعدازظهر|عصر|بعد\s*الظهر|العصر|عصرا"), 15, True),
    (rx(r"\bevening\b|вечер(?:ом|а)\b|مساء|المساء|مساءا|(?<=\d\s)م\b|(?<=\d)م\b"), 18, True),
    (rx(r"\btonight\b|\bnight\b|ночью|\bشب\b|امشب|الليلة|ليلا|الليل"), 19, True),
    (rx(r"\bnoon\b|\bmidday\b|\blunch\w*|в\s+обед|\bобед\b|днём|днем|\bظهر\b|ظهرا|الظهر"), 12, True),
    (
        rx(r"\bmorning\b|утр(?:ом|а|о)\b|\bصبح\b|صباحا|صباح|الصباح|(?<=\d\s)ص\b|(?<=\d)ص\b"),
        DEFAULT_HOUR,
        False,
    ),
)

_HOUR_WORDS: dict[str, int] = {
    key(word): hour
    for hour, words in enumerate(
        (
            "one|час|یک|الواحدة",
            "two|два|دو|الثانية",
            "three|три|سه|الثالثة",
            "four|четыре|چهار|الرابعة",
            "five|пять|پنج|الخامسة",
            "six|шесть|شش|السادسة",
            "seven|семь|هفت|السابعة",
            "eight|восемь|هشت|الثامنة",
            "nine|девять|نه|التاسعة",
            "ten|десять|ده|العاشرة",
            "eleven|одиннадцать|یازده|الحادية عشرة",
            "twelve|двенадцать|دوازده|الثانية عشرة",
        ),
        start=1,
    )
    for word in terms(words)
}
_HOUR_WORD = "|".join(sorted((re.escape(w) for w in _HOUR_WORDS), key=len, reverse=True))
_AMPM = r"(?P<ampm>am|pm|a\.m\.?|p\.m\.?|صباحا|صباح|مساء|مساءا|ص|م)"
# Russian says "в 3 дня" / "в 9 утра"; only trusted after a preposition, since "2 дня" is also "2 days".
_MERIDIEM = r"(?P<ampm>am|pm|a\.m\.?|p\.m\.?|утра|дня|вечера|ночи|صباحا|صباح|مساء|مساءا|ص|م)"
_AM_WORDS = frozenset(key(word) for word in terms("am|a.m.|a.m|утра|صباحا|صباح|ص"))
_PM_WORDS = frozenset(key(word) for word in terms("pm|p.m.|p.m|дня|вечера|مساء|مساءا|م"))
_CLOCK_PATTERNS: tuple[re.Pattern[str], ...] = (
    rx(rf"(?<![\d.,])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?!\d)\s*{_MERIDIEM}?(?![^\W\d_])"),
    rx(rf"(?<![\d.,:])(?P<h>\d{{1,2}})\s*{_AMPM}(?![^\W\d_])"),
    rx(
        rf"(?:\bat|\baround|\bby|\bв|\bк|\bоколо|\bساعت|الساعة|الساعه|ساعة)\s+"
        rf"(?:(?P<h>\d{{1,2}})(?:[.:](?P<m>\d{{2}}))?|(?P<w>{_HOUR_WORD}))(?![\d.,]\d)"
        rf"(?:\s*(?:o'?clock|час\w*|ч\b))?(?:\s*{_MERIDIEM}(?![^\W\d_]))?(?P<half>\s*(?:و\s*نیم|و\s*النصف|والنصف|و\s*نص))?"
    ),
)
_AFTER_CLOCK_NOT_TIME = rx(
    r"^\s*(?:%|k\b|m\b|млн|тыс|bed|br\b|спал|комн|خواب|غرف|میلیون|ملیون|ميليون|دلار|دولار|\$)"
)

_DATE_SPAN = rx(
    rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th|-?го|-?е)?\s*(?:of\s+)?(?:{DATE_MONTHS}){RIGHT}(?:\s*,?\s*\d{{4}})?|"
    rf"{LEFT}(?:{DATE_MONTHS})\s*\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*\d{{4}})?|"
    r"(?<![\d.])\d{4}-\d{2}-\d{2}(?!\d)|(?<![\d.])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/])|"
    r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{2,4}(?![\d.])"
)
# "the 4th", "on the 10th", "the 8th of this month": a day of the month. Not "the 2nd one" or "the 3rd floor".
_DAY_OF_MONTH = rx(
    r"(?:\bon\s+(?:the\s+)?|\bthe\s+)(?P<day>\d{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:one|ones|option|listing|property|place|villa|apartment|flat|house|home|unit|floor|bed\w*|bath\w*|room))"
    r"(?:\s+of\s+(?P<which>this|the|next)\s+month)?"
)
_HAS_YEAR = re.compile(r"\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}")


@cache
def _date_parser(lang: Lang) -> DateDataParser:
    from dateparser.date import DateDataParser

    languages: list[str] = [lang] if lang == "en" else [lang, "en"]
    return DateDataParser(languages=languages, settings={"RETURN_AS_TIMEZONE_AWARE": False})


def _calendar_date(span: str, lang: Lang, today: date) -> date | None:
    """A calendar date via dateparser; without a written year, the next such date from `today`."""
    try:
        parsed = _date_parser(lang).get_date_data(span).date_obj
    except Exception:  # dateparser raises assorted errors on odd input; a date it cannot read is no date
        return None
    if parsed is None:
        return None
    if _HAS_YEAR.search(span):
        return parsed.date()
    for year in (today.year, today.year + 1):
        try:
            candidate = parsed.date().replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate >= today:
            return candidate
    return None


def _day_of_month(match: re.Match[str], today: date) -> date | None:
    """The named day this month, or next month when it has passed (or when the lead says "next month")."""
    day = int(match.group("day"))
    next_month = match.group("which") == "next" or (match.group("which") is None and day < today.day)
    month, year = (
        (today.month % 12 + 1, today.year + today.month // 12) if next_month else (today.month, today.year)
    )
    try:
        return date(year, month, day)
    except ValueError:  # "the 31st" of a 30-day month
        return None


def _day(folded: str, lang: Lang, local_now: datetime) -> date | None:
    today = local_now.date()
    if span := _DATE_SPAN.search(folded):
        if found := _calendar_date(span.group(), lang, today):
            return found
    if ordinal := _DAY_OF_MONTH.search(folded):
        return _day_of_month(ordinal, today)
    for pattern, offset in _RELATIVE_DAYS:
        if pattern.search(folded):
            return today + timedelta(days=offset)
    if match := _IN_DAYS.search(folded):
        raw = next(
            (g for g in (match.group("n1"), match.group("n2"), match.group("n3"), match.group("n4")) if g),
            None,
        )
        days = (
            2
            if match.group("two") is not None
            else int(raw)
            if raw and raw.isdigit()
            else _SMALL_NUMBERS.get(raw or "", 1)
        )
        return today + timedelta(days=days)
    next_week = bool(_NEXT_WEEK.search(folded))
    weekday = next((wd for pattern, wd in _WEEKDAYS if pattern.search(folded)), None)
    if weekday is None and _WEEKEND.search(folded):
        weekday = 5
    if weekday is not None:
        ahead = (weekday - today.weekday()) % 7 or 7
        if next_week:
            ahead = weekday - today.weekday() + 7
        return today + timedelta(days=ahead)
    if next_week:
        return today + timedelta(days=7 - today.weekday())
    return None


def _meridiem(word: str, hour: int) -> str:
    if word in _AM_WORDS:
        return "am"
    if word in _PM_WORDS:
        return "pm"
    if word == "ночи":  # "в 2 ночи" is 02:00, "в 11 ночи" is 23:00
        return "pm" if hour >= 9 else "am"
    return ""


@dataclass(frozen=True, slots=True)
class _Clock:
    hour: int
    minute: int
    meridiem_known: bool


def _clock(folded: str) -> _Clock | None:
    part = next(((hour, pm) for pattern, hour, pm in _DAY_PARTS if pattern.search(folded)), None)
    for pattern in _CLOCK_PATTERNS:
        for match in pattern.finditer(folded):
            if _AFTER_CLOCK_NOT_TIME.search(folded[match.end() : match.end() + 12]):
                continue
            groups = match.groupdict()
            hour = int(groups["h"]) if groups.get("h") else _HOUR_WORDS.get(groups.get("w") or "", -1)
            minute = int(groups["m"]) if groups.get("m") else 30 if groups.get("half") else 0
            if not (0 <= hour <= 24 and 0 <= minute <= 59):
                continue
            ampm = _meridiem((groups.get("ampm") or "").strip(), hour)
            known = bool(ampm) or hour == 0 or hour > 12 or part is not None
            afternoon_part = part is not None and part[1]
            if hour < 12 and (ampm == "pm" or (not ampm and afternoon_part)):
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            elif not known and 1 <= hour <= _LATEST_AMBIGUOUS_PM_HOUR:
                hour += 12
            return _Clock(hour % 24, minute, known)
    if part is not None:
        return _Clock(part[0], 0, True)
    return None


def _relative_hours(folded: str) -> int | None:
    match = _IN_HOURS.search(folded)
    if match is None:
        return None
    if match.group("two") is not None:
        return 2
    if match.group("one") is not None:
        return 1
    raw = next(
        (g for g in (match.group("n1"), match.group("n2"), match.group("n3"), match.group("n4")) if g), None
    )
    return int(raw) if raw and raw.isdigit() else _SMALL_NUMBERS.get(raw or "", 1)


def parse_when_detail(text: str, lang: Lang, tz: str, now: datetime) -> When | None:
    """Like parse_when, and says whether a date and a time were actually given."""
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    folded = _SIGN_OFFS.sub(" ", _GREETINGS.sub(" ", key(text)))
    if (hours := _relative_hours(folded)) is not None:
        at = (local_now + timedelta(hours=hours)).replace(second=0, microsecond=0)
        return When(at, has_date=True, has_time=True)
    day = _day(folded, lang, local_now)
    clock = _clock(folded)
    if day is None and clock is None:
        return None
    hour, minute = (clock.hour, clock.minute) if clock else (DEFAULT_HOUR, 0)
    at = datetime.combine(day or local_now.date(), time(hour, minute), tzinfo=zone)
    if at <= local_now and clock is not None:
        if not clock.meridiem_known and hour < 12 and at + timedelta(hours=12) > local_now:
            at += timedelta(hours=12)  # "today at 9" said at 10:00 means 21:00
        elif day is None:
            at += timedelta(days=1)  # "at 3pm" said after 3pm means tomorrow
    return When(at, has_date=day is not None, has_time=clock is not None)


def parse_when(text: str, lang: Lang, tz: str, now: datetime) -> datetime | None:
    """The moment the lead proposes, as an aware datetime in `tz`, or None if they named no day or time."""
    found = parse_when_detail(text, lang, tz, now)
    return found.at if found else None
