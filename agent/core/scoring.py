"""Deterministic lead scoring: a 0-100 score, a temperature and a reason for every point.

The seed formula is untouched: engagement (40) + qualification (40) + recency (20) = 100.
The CRM signals (urgency, specific questions, source quality, time of inquiry) form an intent bonus
of at most 15 points that only fills headroom: bonus = min(raw bonus, 15, 100 - seed score), handed out
in that order. With no such signals the seed numbers come out exactly, the score never leaves 0..100,
and the factors' points always add up to the score. Each factor says why (`Why`); prompts.scoring words
it in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

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


class Note(StrEnum):
    """Why a factor was awarded fewer points than it earned."""

    CAPPED = "capped"
    BONUS_LIMIT = "bonus_limit"


@dataclass(frozen=True)
class Why:
    """What a factor's reason states; prompts.scoring words it in the reader's language.

    `statement` names the statement ("qr_scans", "field_known", "recency_1", "source", "hour_off", ...);
    `count` is the events counted, `hour` the local hour of the inquiry, `source` the source (its
    SOURCE_QUALITY key when rated, else as stored). A counted factor shows its sum: `each` points per event
    make `earned`, and `note` says why fewer were awarded.
    """

    statement: str
    count: int | None = None
    hour: int | None = None
    source: str | None = None
    each: int | None = None
    earned: int | None = None
    note: Note | None = None


@dataclass(frozen=True)
class ScoreFactor:
    key: str
    points: int
    max_points: int
    why: Why


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


def score_lead(signals: LeadSignals, now: datetime) -> LeadScore:
    """Score a lead at `now` (aware); every factor says why it earned its points."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    factors: list[ScoreFactor] = [
        _count_factor(FactorKey.QR_SCANS, signals.qr_scan_count, QR_SCAN_POINTS, QR_SCAN_MAX),
        _count_factor(FactorKey.CATALOG_VIEWS, signals.catalog_views, CATALOG_VIEW_POINTS, CATALOG_VIEW_MAX),
        _count_factor(FactorKey.MESSAGES, signals.message_count, MESSAGE_POINTS, MESSAGE_MAX),
        _voice_factor(signals.voice_message_count),
    ]
    for key, known in signals.qualification_fields().items():
        points = QUALIFICATION_POINTS[key]
        factors.append(
            _factor(key, points if known else 0, points, Why("field_known" if known else "field_unknown"))
        )
    points, band = recency_points(signals.last_interaction_at, now)
    statement = "recency_none" if band is None else f"recency_{band}"
    factors.append(_factor(FactorKey.RECENCY, points, RECENCY_MAX, Why(statement)))

    room = min(INTENT_BONUS_CAP, MAX_SCORE - sum(factor.points for factor in factors))
    for key, count, each, cap in (
        (FactorKey.URGENCY, signals.urgency_mentions, URGENCY_POINTS, URGENCY_MAX),
        (FactorKey.SPECIFIC_QUESTIONS, signals.specific_questions, QUESTION_POINTS, QUESTION_MAX),
    ):
        factor = _count_factor(key, count, each, cap, room=room)
        room -= factor.points
        factors.append(factor)
    factor = _source_factor(signals.source, room)
    room -= factor.points
    factors.append(factor)
    factors.append(_inquiry_time_factor(signals.inquiry_local_hour, room))

    score = sum(factor.points for factor in factors)
    return LeadScore(
        score=score,
        temperature=temperature_for(score),
        factors=tuple(factors),
        confidence=confidence_for(signals),
    )


def _factor(key: FactorKey, points: int, max_points: int, why: Why, room: int | None = None) -> ScoreFactor:
    """A factor whose points may be trimmed to the intent bonus still available (`room`)."""
    awarded = points if room is None else min(points, room)
    if awarded < points:
        why = replace(why, note=Note.BONUS_LIMIT)
    return ScoreFactor(key, awarded, max_points, why)


def _count_factor(key: FactorKey, count: int, each: int, cap: int, room: int | None = None) -> ScoreFactor:
    product = count * each
    awarded = min(product, cap) if room is None else min(product, cap, room)
    note = None if awarded == product else Note.CAPPED if awarded == cap else Note.BONUS_LIMIT
    return ScoreFactor(key, awarded, cap, Why(key.value, count=count, each=each, earned=product, note=note))


def _voice_factor(count: int) -> ScoreFactor:
    if count == 0:
        return _factor(FactorKey.VOICE, 0, VOICE_BONUS, Why("voice_no"))
    return _factor(FactorKey.VOICE, VOICE_BONUS, VOICE_BONUS, Why("voice_yes", count=count))


def _source_factor(source: str | None, room: int) -> ScoreFactor:
    key = source_key(source)
    if key is not None:
        return _factor(FactorKey.SOURCE, SOURCE_QUALITY[key], SOURCE_MAX, Why("source", source=key), room)
    why = Why("source_unrated", source=source.strip()) if source else Why("source_unknown")
    return _factor(FactorKey.SOURCE, 0, SOURCE_MAX, why)


def _inquiry_time_factor(hour: int | None, room: int) -> ScoreFactor:
    if hour is None:
        return _factor(FactorKey.INQUIRY_TIME, 0, BUSINESS_HOURS_POINTS, Why("hour_unknown"))
    during = hour in BUSINESS_HOURS
    why = Why("hour_business" if during else "hour_off", hour=hour)
    points = BUSINESS_HOURS_POINTS if during else 0
    return _factor(FactorKey.INQUIRY_TIME, points, BUSINESS_HOURS_POINTS, why, room)
