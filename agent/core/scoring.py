"""Deterministic lead scoring: a 0-100 score, a temperature and a reason for every point.

The seed formula is untouched: engagement (40) + qualification (40) + recency (20) = 100.
The CRM signals (urgency, specific questions, source quality, time of inquiry) form an intent bonus
of at most 15 points that only fills headroom: bonus = min(raw bonus, 15, 100 - seed score), handed out
in that order. With no such signals the seed numbers come out exactly, the score never leaves 0..100,
and the factors' points always add up to the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from agent.core.nlu.language import language_of

MAX_SCORE = 100


class Temperature(StrEnum):
    BURNING = "burning"
    HOT = "hot"
    WARM = "warm"
    COLD = "cold"


TEMPERATURE_BADGES: dict[Temperature, str] = {
    Temperature.BURNING: "🔥",
    Temperature.HOT: "🌶️",
    Temperature.WARM: "☀️",
    Temperature.COLD: "❄️",
}

# Lowest score of each temperature, hottest first.
TEMPERATURE_THRESHOLDS: tuple[tuple[int, Temperature], ...] = (
    (70, Temperature.BURNING),
    (50, Temperature.HOT),
    (25, Temperature.WARM),
)


def temperature_for(score: int) -> Temperature:
    """Burning from 70, hot from 50, warm from 25, cold below."""
    for threshold, temperature in TEMPERATURE_THRESHOLDS:
        if score >= threshold:
            return temperature
    return Temperature.COLD


def is_burning_transition(old_score: int | None, new_score: int) -> bool:
    """True when a lead becomes burning now: it was not burning (or had no score) and now is."""
    was_burning = old_score is not None and temperature_for(old_score) is Temperature.BURNING
    return not was_burning and temperature_for(new_score) is Temperature.BURNING


class FactorKey(StrEnum):
    QR_SCANS = "qr_scans"
    CATALOG_VIEWS = "catalog_views"
    MESSAGES = "messages"
    VOICE = "voice"
    PHONE = "phone"
    BUDGET = "budget"
    TRANSACTION_TYPE = "transaction_type"
    PROPERTY_TYPE = "property_type"
    LOCATION = "location"
    PAYMENT_METHOD = "payment_method"
    RECENCY = "recency"
    URGENCY = "urgency"
    SPECIFIC_QUESTIONS = "specific_questions"
    SOURCE = "source"
    INQUIRY_TIME = "inquiry_time"


# Engagement (max 40): points per event and the cap of each counter.
QR_SCAN_POINTS, QR_SCAN_MAX = 3, 15
CATALOG_VIEW_POINTS, CATALOG_VIEW_MAX = 2, 10
MESSAGE_POINTS, MESSAGE_MAX = 1, 10
VOICE_BONUS = 5

# Qualification (max 40): points for each known field.
QUALIFICATION_POINTS: dict[FactorKey, int] = {
    FactorKey.PHONE: 10,
    FactorKey.BUDGET: 10,
    FactorKey.TRANSACTION_TYPE: 5,
    FactorKey.PROPERTY_TYPE: 5,
    FactorKey.LOCATION: 5,
    FactorKey.PAYMENT_METHOD: 5,
}

# Recency (max 20): an interaction younger than the limit earns the points; 72 hours or older earns 0.
RECENCY_MAX = 20
RECENCY_BANDS: tuple[tuple[timedelta, int], ...] = (
    (timedelta(hours=1), 20),
    (timedelta(hours=6), 15),
    (timedelta(hours=24), 10),
    (timedelta(hours=72), 5),
)

# Intent bonus (CRM signals): each factor's own cap, then the cap of the bonus as a whole.
INTENT_BONUS_CAP = 15
URGENCY_POINTS, URGENCY_MAX = 4, 8
QUESTION_POINTS, QUESTION_MAX = 2, 6
BUSINESS_HOURS = range(9, 19)  # local hours 09:00-18:59
BUSINESS_HOURS_POINTS = 2

# Source quality: a referral arrives with trust, an expo QR scan with an in-person visit,
# website and catalog leads sought us out, ads are the coldest known source; unknown earns nothing.
SOURCE_QUALITY: dict[str, int] = {
    "referral": 5,
    "expo_qr": 4,
    "website": 3,
    "catalog": 3,
    "ads": 1,
}
SOURCE_MAX = max(SOURCE_QUALITY.values())
SOURCE_ALIASES: dict[str, str] = {
    "expo": "expo_qr",
    "qr": "expo_qr",
    "web": "website",
    "ad": "ads",
    "facebook_ads": "ads",
    "instagram_ads": "ads",
    "google_ads": "ads",
}


def source_key(source: str | None) -> str | None:
    """The SOURCE_QUALITY key for a source as stored ("Expo QR" -> "expo_qr"), or None if unrated."""
    if not source:
        return None
    key = re.sub(r"[\s\-]+", "_", source.strip().lower())
    key = SOURCE_ALIASES.get(key, key)
    return key if key in SOURCE_QUALITY else None


@dataclass(frozen=True)
class LeadSignals:
    """What we know about a lead. `message_count` counts every inbound message, voice ones included."""

    qr_scan_count: int = 0
    catalog_views: int = 0
    message_count: int = 0
    voice_message_count: int = 0
    has_phone: bool = False
    has_budget: bool = False
    has_transaction_type: bool = False
    has_property_type: bool = False
    has_location: bool = False
    has_payment_method: bool = False
    last_interaction_at: datetime | None = None
    urgency_mentions: int = 0
    specific_questions: int = 0
    inquiry_local_hour: int | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        counters = (
            self.qr_scan_count,
            self.catalog_views,
            self.message_count,
            self.voice_message_count,
            self.urgency_mentions,
            self.specific_questions,
        )
        if min(counters) < 0:
            raise ValueError("lead signal counters cannot be negative")
        if self.last_interaction_at is not None and self.last_interaction_at.tzinfo is None:
            raise ValueError("last_interaction_at must be timezone-aware")
        if self.inquiry_local_hour is not None and not 0 <= self.inquiry_local_hour <= 23:
            raise ValueError("inquiry_local_hour must be 0..23")

    def qualification_fields(self) -> dict[FactorKey, bool]:
        return {
            FactorKey.PHONE: self.has_phone,
            FactorKey.BUDGET: self.has_budget,
            FactorKey.TRANSACTION_TYPE: self.has_transaction_type,
            FactorKey.PROPERTY_TYPE: self.has_property_type,
            FactorKey.LOCATION: self.has_location,
            FactorKey.PAYMENT_METHOD: self.has_payment_method,
        }

    def has_history(self) -> bool:
        events = self.qr_scan_count + self.catalog_views + self.message_count + self.voice_message_count
        return events > 0 or self.last_interaction_at is not None


@dataclass(frozen=True)
class ScoreFactor:
    key: str
    points: int
    max_points: int
    reason: str


@dataclass(frozen=True)
class LeadScore:
    score: int
    temperature: Temperature
    factors: tuple[ScoreFactor, ...]
    confidence: float

    @property
    def badge(self) -> str:
        return TEMPERATURE_BADGES[self.temperature]

    def top_factors(self, n: int = 3) -> tuple[ScoreFactor, ...]:
        """The n factors that earned the most points (ties keep their order); zero-point factors left out."""
        earning = [factor for factor in self.factors if factor.points > 0]
        return tuple(sorted(earning, key=lambda factor: -factor.points)[:n])


# Confidence: how much we know, not how good the lead is. 80% comes from the share of the six
# qualification fields that are known, 20% from having any engagement history at all.
CONFIDENCE_FIELDS_WEIGHT = 0.8
CONFIDENCE_HISTORY_WEIGHT = 0.2


def confidence_for(signals: LeadSignals) -> float:
    fields = signals.qualification_fields()
    known_share = sum(fields.values()) / len(fields)
    history = 1.0 if signals.has_history() else 0.0
    return round(CONFIDENCE_FIELDS_WEIGHT * known_share + CONFIDENCE_HISTORY_WEIGHT * history, 2)


def recency_points(last_interaction_at: datetime | None, now: datetime) -> tuple[int, int | None]:
    """Points for the last interaction and its band index (None: never; len(RECENCY_BANDS): too old)."""
    if last_interaction_at is None:
        return 0, None
    age = max(now - last_interaction_at, timedelta(0))  # a clock a little ahead of ours is "just now"
    for band, (limit, points) in enumerate(RECENCY_BANDS):
        if age < limit:
            return points, band
    return 0, len(RECENCY_BANDS)


def score_lead(signals: LeadSignals, now: datetime, language: str = "en") -> LeadScore:
    """Score a lead at `now` (aware), explaining every factor in `language` (en, ru, fa, ar; else en)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    text = _TEXTS[language_of(language)]
    factors: list[ScoreFactor] = [
        _count_factor(FactorKey.QR_SCANS, signals.qr_scan_count, QR_SCAN_POINTS, QR_SCAN_MAX, text),
        _count_factor(
            FactorKey.CATALOG_VIEWS, signals.catalog_views, CATALOG_VIEW_POINTS, CATALOG_VIEW_MAX, text
        ),
        _count_factor(FactorKey.MESSAGES, signals.message_count, MESSAGE_POINTS, MESSAGE_MAX, text),
        _voice_factor(signals.voice_message_count, text),
    ]
    for key, known in signals.qualification_fields().items():
        statement = text["field_known" if known else "field_unknown"].format(field=text[key])
        points = QUALIFICATION_POINTS[key]
        factors.append(_factor(key, points if known else 0, points, statement, text))
    points, band = recency_points(signals.last_interaction_at, now)
    statement = text["recency_none" if band is None else f"recency_{band}"]
    factors.append(_factor(FactorKey.RECENCY, points, RECENCY_MAX, statement, text))

    room = min(INTENT_BONUS_CAP, MAX_SCORE - sum(factor.points for factor in factors))
    for key, count, each, cap in (
        (FactorKey.URGENCY, signals.urgency_mentions, URGENCY_POINTS, URGENCY_MAX),
        (FactorKey.SPECIFIC_QUESTIONS, signals.specific_questions, QUESTION_POINTS, QUESTION_MAX),
    ):
        factor = _count_factor(key, count, each, cap, text, room=room)
        room -= factor.points
        factors.append(factor)
    factor = _source_factor(signals.source, text, room)
    room -= factor.points
    factors.append(factor)
    factors.append(_inquiry_time_factor(signals.inquiry_local_hour, text, room))

    score = sum(factor.points for factor in factors)
    return LeadScore(
        score=score,
        temperature=temperature_for(score),
        factors=tuple(factors),
        confidence=confidence_for(signals),
    )


def _factor(
    key: FactorKey,
    points: int,
    max_points: int,
    statement: str,
    text: dict[str, str],
    room: int | None = None,
) -> ScoreFactor:
    """A factor whose points may be trimmed to the intent bonus still available (`room`)."""
    awarded = points if room is None else min(points, room)
    reason = f"{statement} — {text['tally'].format(points=awarded, max=max_points)}"
    if awarded < points:
        reason += f" ({text['bonus_limit']})"
    return ScoreFactor(key, awarded, max_points, reason)


def _count_factor(
    key: FactorKey, count: int, each: int, cap: int, text: dict[str, str], room: int | None = None
) -> ScoreFactor:
    product = count * each
    awarded = min(product, cap) if room is None else min(product, cap, room)
    statement = text[key].format(n=count, s="" if count == 1 else "s")
    tally = text["tally"].format(points=awarded, max=cap)
    if awarded == product:
        return ScoreFactor(key, awarded, cap, f"{statement} × {each} = {tally}")
    note = text["capped"] if awarded == cap else text["bonus_limit"]
    return ScoreFactor(key, awarded, cap, f"{statement} × {each} = {product} — {tally} ({note})")


def _voice_factor(count: int, text: dict[str, str]) -> ScoreFactor:
    if count == 0:
        return _factor(FactorKey.VOICE, 0, VOICE_BONUS, text["voice_no"], text)
    statement = text["voice_yes"].format(n=count, s="" if count == 1 else "s")
    return _factor(FactorKey.VOICE, VOICE_BONUS, VOICE_BONUS, statement, text)


def _source_factor(source: str | None, text: dict[str, str], room: int) -> ScoreFactor:
    key = source_key(source)
    if key is not None:
        statement = text["source"].format(name=text[f"source_{key}"])
        return _factor(FactorKey.SOURCE, SOURCE_QUALITY[key], SOURCE_MAX, statement, text, room)
    statement = text["source_unrated"].format(name=source.strip()) if source else text["source_unknown"]
    return _factor(FactorKey.SOURCE, 0, SOURCE_MAX, statement, text)


def _inquiry_time_factor(hour: int | None, text: dict[str, str], room: int) -> ScoreFactor:
    if hour is None:
        return _factor(FactorKey.INQUIRY_TIME, 0, BUSINESS_HOURS_POINTS, text["hour_unknown"], text)
    during = hour in BUSINESS_HOURS
    statement = text["hour_business" if during else "hour_off"].format(hh=f"{hour:02d}")
    points = BUSINESS_HOURS_POINTS if during else 0
    return _factor(FactorKey.INQUIRY_TIME, points, BUSINESS_HOURS_POINTS, statement, text, room)


# --- Reasons in the reader's language ----------------------------------------------------------------

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "tally": "{points} of {max}",
        "capped": "capped",
        "bonus_limit": "bonus limit",
        "qr_scans": "{n} QR scan{s}",
        "catalog_views": "{n} catalog view{s}",
        "messages": "{n} message{s}",
        "voice_yes": "{n} voice message{s}, a one-time bonus",
        "voice_no": "No voice message yet",
        "field_known": "{field} known",
        "field_unknown": "{field} not known yet",
        "phone": "Phone number",
        "budget": "Budget",
        "transaction_type": "Transaction type",
        "property_type": "Property type",
        "location": "Preferred location",
        "payment_method": "Payment method",
        "recency_none": "No interaction recorded yet",
        "recency_0": "Last interaction less than 1 hour ago",
        "recency_1": "Last interaction 1–6 hours ago",
        "recency_2": "Last interaction 6–24 hours ago",
        "recency_3": "Last interaction 1–3 days ago",
        "recency_4": "Last interaction 3 or more days ago",
        "urgency": "{n} urgency mention{s}",
        "specific_questions": "{n} specific question{s}",
        "source": "Source: {name}",
        "source_unknown": "Source unknown",
        "source_unrated": "Source “{name}” is not rated",
        "source_referral": "referral",
        "source_expo_qr": "expo QR code",
        "source_website": "website",
        "source_catalog": "catalog",
        "source_ads": "ads",
        "hour_business": "Inquiry between {hh}:00 and {hh}:59 local time, within business hours",
        "hour_off": "Inquiry between {hh}:00 and {hh}:59 local time, outside business hours",
        "hour_unknown": "Inquiry time unknown",
    },
    "ru": {
        "tally": "{points} из {max}",
        "capped": "предел",
        "bonus_limit": "предел бонуса",
        "qr_scans": "Сканирования QR: {n}",
        "catalog_views": "Просмотры каталога: {n}",
        "messages": "Сообщения: {n}",
        "voice_yes": "Голосовые сообщения: {n}, разовый бонус",
        "voice_no": "Голосовых сообщений пока нет",
        "field_known": "{field} известен",
        "field_unknown": "{field} пока неизвестен",
        "phone": "Телефон",
        "budget": "Бюджет",
        "transaction_type": "Тип сделки",
        "property_type": "Тип объекта",
        "location": "Район",
        "payment_method": "Способ оплаты",
        "recency_none": "Контактов пока не было",
        "recency_0": "Последний контакт менее часа назад",
        "recency_1": "Последний контакт 1–6 часов назад",
        "recency_2": "Последний контакт 6–24 часа назад",
        "recency_3": "Последний контакт 1–3 дня назад",
        "recency_4": "Последний контакт 3 и более дней назад",
        "urgency": "Упоминания срочности: {n}",
        "specific_questions": "Конкретные вопросы: {n}",
        "source": "Источник: {name}",
        "source_unknown": "Источник неизвестен",
        "source_unrated": "Источник «{name}» без оценки",
        "source_referral": "рекомендация",
        "source_expo_qr": "QR-код на выставке",
        "source_website": "сайт",
        "source_catalog": "каталог",
        "source_ads": "реклама",
        "hour_business": "Обращение между {hh}:00 и {hh}:59 по местному времени, в рабочие часы",
        "hour_off": "Обращение между {hh}:00 и {hh}:59 по местному времени, в нерабочее время",
        "hour_unknown": "Время обращения неизвестно",
    },
    "fa": {
        "tally": "{points} از {max}",
        "capped": "سقف",
        "bonus_limit": "سقف امتیاز اضافه",
        "qr_scans": "اسکن QR: {n}",
        "catalog_views": "مشاهده کاتالوگ: {n}",
        "messages": "پیام‌ها: {n}",
        "voice_yes": "پیام صوتی: {n}، امتیاز یک‌باره",
        "voice_no": "هنوز پیام صوتی نفرستاده",
        "field_known": "{field} مشخص است",
        "field_unknown": "{field} هنوز مشخص نیست",
        "phone": "شماره تلفن",
        "budget": "بودجه",
        "transaction_type": "نوع معامله",
        "property_type": "نوع ملک",
        "location": "منطقه مورد نظر",
        "payment_method": "روش پرداخت",
        "recency_none": "هنوز تعاملی ثبت نشده",
        "recency_0": "آخرین تعامل کمتر از 1 ساعت پیش",
        "recency_1": "آخرین تعامل 1 تا 6 ساعت پیش",
        "recency_2": "آخرین تعامل 6 تا 24 ساعت پیش",
        "recency_3": "آخرین تعامل 1 تا 3 روز پیش",
        "recency_4": "آخرین تعامل 3 روز پیش یا قدیمی‌تر",
        "urgency": "اشاره به فوریت: {n}",
        "specific_questions": "سؤال‌های مشخص: {n}",
        "source": "منبع: {name}",
        "source_unknown": "منبع نامشخص",
        "source_unrated": "منبع «{name}» رتبه‌بندی نشده",
        "source_referral": "معرفی",
        "source_expo_qr": "کد QR نمایشگاه",
        "source_website": "وب‌سایت",
        "source_catalog": "کاتالوگ",
        "source_ads": "تبلیغات",
        "hour_business": "درخواست بین {hh}:00 و {hh}:59 به وقت محلی، در ساعات کاری",
        "hour_off": "درخواست بین {hh}:00 و {hh}:59 به وقت محلی، خارج از ساعات کاری",
        "hour_unknown": "زمان درخواست نامشخص",
    },
    "ar": {
        "tally": "{points} من {max}",
        "capped": "الحد الأقصى",
        "bonus_limit": "حد المكافأة",
        "qr_scans": "مسح رمز QR: {n}",
        "catalog_views": "مشاهدات الكتالوج: {n}",
        "messages": "الرسائل: {n}",
        "voice_yes": "رسائل صوتية: {n}، مكافأة لمرة واحدة",
        "voice_no": "لا توجد رسالة صوتية بعد",
        "field_known": "تم تحديد {field}",
        "field_unknown": "لم يتم تحديد {field} بعد",
        "phone": "رقم الهاتف",
        "budget": "الميزانية",
        "transaction_type": "نوع الصفقة",
        "property_type": "نوع العقار",
        "location": "الموقع المفضل",
        "payment_method": "طريقة الدفع",
        "recency_none": "لا يوجد تفاعل مسجل بعد",
        "recency_0": "آخر تفاعل قبل أقل من ساعة",
        "recency_1": "آخر تفاعل قبل 1–6 ساعات",
        "recency_2": "آخر تفاعل قبل 6–24 ساعة",
        "recency_3": "آخر تفاعل قبل 1–3 أيام",
        "recency_4": "آخر تفاعل قبل 3 أيام أو أكثر",
        "urgency": "إشارات الاستعجال: {n}",
        "specific_questions": "أسئلة محددة: {n}",
        "source": "المصدر: {name}",
        "source_unknown": "المصدر غير معروف",
        "source_unrated": "المصدر «{name}» غير مصنف",
        "source_referral": "إحالة",
        "source_expo_qr": "رمز QR في المعرض",
        "source_website": "الموقع الإلكتروني",
        "source_catalog": "الكتالوج",
        "source_ads": "الإعلانات",
        "hour_business": "استفسار بين {hh}:00 و{hh}:59 بالتوقيت المحلي، ضمن ساعات العمل",
        "hour_off": "استفسار بين {hh}:00 و{hh}:59 بالتوقيت المحلي، خارج ساعات العمل",
        "hour_unknown": "وقت الاستفسار غير معروف",
    },
}
