"""What the conversion model reads of a lead: the base score's signals plus the CRM specification's signals.

Leakage we avoid (the label is `won`/`lost`, recorded at `outcome_at`):
- nothing derived from the status, its reason or note, the stored score, or who took the lead over;
- no recency: "last message N hours before now" at the label time says more about when the rep clicked
  "won" than about the lead (the base score, compared on the hold-out, is read at the lead's last message);
- interactions and viewings are counted only before `outcome_at` (the loader filters them), so a thank-you
  after signing or a rep's "signed" note never counts;
- the base signals (messages, voice, urgency, specific questions, QR scans, catalog views, phone known, last
  message) are taken back to `outcome_at` (agent.core.conversion.as_of, which also says what cannot be).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from agent.core.scoring import BUSINESS_HOURS, SOURCE_QUALITY, LeadSignals, Why, source_key

VIEWING_OUTCOMES = ("attended", "interested", "not_interested", "no_show", "made_offer")
"""What the viewing-outcome question records (`viewings.outcome`); 'made_offer' arrives with issue 15."""

URGENCY_CAP = 5
QUESTIONS_CAP = 10
PRICE_RATIO_CAP = 3.0


@dataclass(frozen=True)
class Touch:
    """One timeline entry as the features read it: when, which way, what kind, how many words."""

    at: datetime
    inbound: bool
    kind: str
    words: int = 0


@dataclass(frozen=True)
class Replies:
    """How the lead answers us: the median minutes from our message to their next one, and follow-ups answered."""

    median_minutes: float | None = None
    follow_up_replies: int = 0
    words_per_message: float = 0.0


def replies_of(touches: Iterable[Touch]) -> Replies:
    """Reply delays read off a time-ordered timeline: each inbound message after one or more of ours counts once."""
    delays: list[float] = []
    follow_up_replies = 0
    waiting_since: datetime | None = None
    waiting_on_follow_up = False
    words: list[int] = []
    for touch in sorted(touches, key=lambda t: t.at):
        if touch.inbound:
            if touch.kind in ("message", "voice"):
                words.append(touch.words)
            if waiting_since is not None:
                delays.append(max((touch.at - waiting_since).total_seconds() / 60, 0.0))
                follow_up_replies += waiting_on_follow_up
            waiting_since, waiting_on_follow_up = None, False
        else:
            if waiting_since is None:
                waiting_since = touch.at
            waiting_on_follow_up = waiting_on_follow_up or touch.kind == "follow_up"
    return Replies(
        median_minutes=statistics.median(delays) if delays else None,
        follow_up_replies=follow_up_replies,
        words_per_message=sum(words) / len(words) if words else 0.0,
    )


@dataclass(frozen=True)
class ConversionFacts:
    """Everything the model reads of one lead (see the module's docstring for what is left out, and why)."""

    signals: LeadSignals
    inquiry_weekday: int | None = None
    """Local weekday of the first message, Monday 0."""
    replies: Replies = field(default_factory=Replies)
    viewings: int = 0
    """Viewings booked (cancelled ones left out)."""
    viewing_outcomes: frozenset[str] = frozenset()
    price_to_budget: float | None = None
    """Mean price of the listings shown over the lead's top budget (same currency), when both are known."""


@dataclass(frozen=True)
class Feature:
    name: str
    group: str
    """Features of one group add up to one reason ("source", "viewings", ...)."""


def _features() -> tuple[Feature, ...]:
    counted = ("qr_scans", "catalog_views", "messages", "voice")
    known = ("phone", "budget", "transaction_type", "property_type", "location", "payment_method")
    return (
        *(Feature(name, name) for name in counted),
        *(Feature(name, name) for name in known),
        Feature("urgency", "urgency"),
        Feature("specific_questions", "specific_questions"),
        *(Feature(f"source_{key}", "source") for key in SOURCE_QUALITY),
        Feature("source_other", "source"),
        Feature("inquiry_hour_known", "inquiry_time"),
        Feature("inquiry_business_hours", "inquiry_time"),
        Feature("inquiry_weekend", "inquiry_time"),
        Feature("replied", "reply_speed"),
        Feature("reply_minutes_log", "reply_speed"),
        Feature("follow_up_replies", "follow_up_replies"),
        Feature("words_per_message_log", "message_length"),
        Feature("viewing_booked", "viewings"),
        *(Feature(f"viewing_{outcome}", "viewings") for outcome in VIEWING_OUTCOMES),
        Feature("price_known", "price_to_budget"),
        Feature("price_to_budget", "price_to_budget"),
    )


FEATURES: tuple[Feature, ...] = _features()
FEATURE_NAMES: tuple[str, ...] = tuple(feature.name for feature in FEATURES)


def feature_values(facts: ConversionFacts) -> list[float]:
    """The model's inputs for a lead, in FEATURE_NAMES order (counts on a log scale, flags 0/1)."""
    s = facts.signals
    source = source_key(s.source)
    hour = s.inquiry_local_hour
    reply = facts.replies
    outcomes = facts.viewing_outcomes
    ratio = facts.price_to_budget
    values = [
        math.log1p(s.qr_scan_count),
        math.log1p(s.catalog_views),
        math.log1p(s.message_count),
        float(s.voice_message_count > 0),
        *(float(known) for known in s.qualification_fields().values()),
        float(min(s.urgency_mentions, URGENCY_CAP)),
        float(min(s.specific_questions, QUESTIONS_CAP)),
        *(float(source == key) for key in SOURCE_QUALITY),
        float(bool(s.source) and source is None),
        float(hour is not None),
        float(hour is not None and hour in BUSINESS_HOURS),
        float(facts.inquiry_weekday is not None and facts.inquiry_weekday >= 5),
        float(reply.median_minutes is not None),
        math.log1p(reply.median_minutes) if reply.median_minutes is not None else 0.0,
        math.log1p(reply.follow_up_replies),
        math.log1p(reply.words_per_message),
        float(facts.viewings > 0),
        *(float(outcome in outcomes) for outcome in VIEWING_OUTCOMES),
        float(ratio is not None),
        min(ratio, PRICE_RATIO_CAP) if ratio is not None else 0.0,
    ]
    return values


def group_why(group: str, facts: ConversionFacts) -> Why:
    """What a factor group states about this lead (worded by prompts.conversion), from the lead's own values."""
    s = facts.signals
    counts = {
        "qr_scans": s.qr_scan_count,
        "catalog_views": s.catalog_views,
        "messages": s.message_count,
        "urgency": s.urgency_mentions,
        "specific_questions": s.specific_questions,
    }
    if group in counts:
        return Why(group, count=counts[group])
    fields = {key.value: known for key, known in s.qualification_fields().items()}
    if group in fields:
        return Why("field_known" if fields[group] else "field_unknown")
    if group == "voice":
        return Why("voice_yes", count=s.voice_message_count) if s.voice_message_count else Why("voice_no")
    if group == "source":
        key = source_key(s.source)
        if key is not None:
            return Why("source", source=key)
        return Why("source_unrated", source=s.source.strip()) if s.source else Why("source_unknown")
    if group == "inquiry_time":
        hour = s.inquiry_local_hour
        if hour is None:
            return Why("hour_unknown")
        if facts.inquiry_weekday is not None and facts.inquiry_weekday >= 5:
            return Why("hour_weekend", hour=hour)
        return Why("hour_business" if hour in BUSINESS_HOURS else "hour_off", hour=hour)
    if group == "reply_speed":
        minutes = facts.replies.median_minutes
        return Why("reply_none") if minutes is None else Why("reply_minutes", count=round(minutes))
    if group == "follow_up_replies":
        return Why("follow_up_replies", count=facts.replies.follow_up_replies)
    if group == "message_length":
        return Why("words_per_message", count=round(facts.replies.words_per_message))
    if group == "viewings":
        for outcome in ("made_offer", "interested", "not_interested", "no_show", "attended"):
            if outcome in facts.viewing_outcomes:
                return Why(f"viewing_{outcome}")
        return Why("viewing_booked" if facts.viewings else "viewing_none", count=facts.viewings)
    if group == "price_to_budget":
        ratio = facts.price_to_budget
        return Why("price_unknown") if ratio is None else Why("price_to_budget", count=round(ratio * 100))
    raise ValueError(f"unknown factor group {group!r}")
