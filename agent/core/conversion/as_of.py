"""A won or lost lead's signals as they stood at its outcome (`outcome_at`): what training reads.

The lead's counters keep growing after the outcome (a thank-you after signing, questions about the keys),
so the training features would otherwise read the label. The counters are taken back to the outcome by
taking off what the lead's recorded inbound interactions at or after `outcome_at` added, counted the way
intake counts them (agent.services.leads.intake, agent.services.leads.attribution,
agent.services.questions.ask): messages, voice, urgency and specific questions read from the texts with the
same NLU functions, QR scans, catalog views. Subtracting (rather than counting the interactions before the
outcome from zero) keeps the features equal to what a rescore reads for what happened before the outcome,
counter increments without an interaction row included.

The phone counts as known only when it was saved before the outcome (a `contact_saved` interaction), or when
nothing says when it was saved. The last interaction (the base score's recency) is the last inbound one before
the outcome. What cannot be taken back (no interaction records it): budget, transaction, property type,
location and payment method set after the outcome, a phone typed in by a rep after it, and the urgency a rep's
viewing outcome adds (agent.services.calendars.reminders) when recorded after the outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from agent.core.nlu.signals import count_specific_questions, count_urgency_mentions
from agent.core.scoring import LeadSignals

MESSAGE_TYPES = frozenset({"message", "voice", "contact"})
"""Interaction types intake counts as a message (`leads.message_count`)."""
READ_TYPES = frozenset({"message", "voice"})
"""Interaction types whose text intake reads for urgency and specific questions."""
COUNTER_OF_TYPE = {"qr_scan": "qr_scan_count", "catalog_view": "catalog_views"}


@dataclass(frozen=True)
class Inbound:
    """One inbound interaction of the lead: when, its type, its text, and (contact_saved) the fields saved."""

    at: datetime
    kind: str
    text: str | None = None
    fields: frozenset[str] = frozenset()


def as_of_outcome(
    signals: LeadSignals, outcome_at: datetime | None, inbound: Iterable[Inbound]
) -> LeadSignals:
    """The signals as they stood at `outcome_at` (unchanged for a lead without an outcome)."""
    if outcome_at is None:
        return signals
    taken = dict.fromkeys(
        (
            "message_count",
            "voice_message_count",
            "urgency_mentions",
            "specific_questions",
            "qr_scan_count",
            "catalog_views",
        ),
        0,
    )
    last_before: datetime | None = None
    phone_before = phone_after = False
    last_text_asked = False  # the latest text asked something specific (a question then is not counted again)
    for touch in sorted(inbound, key=lambda t: t.at):
        late = touch.at >= outcome_at
        if not late:
            last_before = touch.at
        if touch.kind == "contact_saved" and "phone" in touch.fields:
            phone_before, phone_after = phone_before or not late, phone_after or late
        asked = count_specific_questions(touch.text) if touch.kind == "message" and touch.text else 0
        if late:
            _take(taken, touch, last_text_asked)
        if touch.kind == "message":
            last_text_asked = asked > 0
    values = {name: max(getattr(signals, name) - count, 0) for name, count in taken.items()}
    last = signals.last_interaction_at
    if last is not None and last >= outcome_at:
        last = last_before
    return replace(
        signals,
        **values,
        has_phone=signals.has_phone and (phone_before or not phone_after),
        last_interaction_at=last,
    )


def _take(taken: dict[str, int], touch: Inbound, last_text_asked: bool) -> None:
    """Add what intake counted for this (late) interaction to `taken`."""
    if touch.kind in MESSAGE_TYPES:
        taken["message_count"] += 1
    if touch.kind == "voice":
        taken["voice_message_count"] += 1
    if touch.kind in READ_TYPES and touch.text:
        taken["urgency_mentions"] += count_urgency_mentions(touch.text)
        taken["specific_questions"] += count_specific_questions(touch.text)
    if touch.kind == "question" and not last_text_asked:
        taken["specific_questions"] += 1
    if touch.kind in COUNTER_OF_TYPE:
        taken[COUNTER_OF_TYPE[touch.kind]] += 1
