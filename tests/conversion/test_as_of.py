"""A won or lost lead's base signals taken back to its outcome: what its interactions from then on added is off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent.core.conversion.as_of import Inbound, as_of_outcome
from agent.core.scoring import LeadSignals

OUTCOME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BEFORE, AFTER = OUTCOME - timedelta(days=1), OUTCOME + timedelta(days=1)


def test_a_lead_without_an_outcome_is_read_as_it_is() -> None:
    signals = LeadSignals(message_count=4, last_interaction_at=AFTER)
    assert as_of_outcome(signals, None, [Inbound(AFTER, "message", "urgent")]) is signals


def test_a_phone_saved_only_after_the_outcome_is_not_known_at_it() -> None:
    signals = LeadSignals(message_count=2, has_phone=True, last_interaction_at=AFTER)
    late_phone = [
        Inbound(BEFORE, "message", "hi"),
        Inbound(AFTER, "contact_saved", fields=frozenset({"phone"})),
    ]
    at_outcome = as_of_outcome(signals, OUTCOME, late_phone)
    assert (at_outcome.has_phone, at_outcome.message_count, at_outcome.last_interaction_at) == (
        False,
        2,
        BEFORE,
    )

    early_phone = [Inbound(BEFORE, "contact_saved", fields=frozenset({"phone"})), *late_phone]
    assert as_of_outcome(signals, OUTCOME, early_phone).has_phone
    assert as_of_outcome(signals, OUTCOME, []).has_phone  # nothing says when it was saved: kept


def test_late_messages_questions_and_scans_are_taken_off_as_intake_counted_them() -> None:
    signals = LeadSignals(
        message_count=5,
        voice_message_count=1,
        urgency_mentions=2,
        specific_questions=3,
        qr_scan_count=1,
        catalog_views=2,
        last_interaction_at=AFTER,
    )
    late = [
        Inbound(AFTER, "message", "urgent: what is the price?"),  # a message, urgency and a question
        Inbound(
            AFTER + timedelta(minutes=1), "question", "what is the price?"
        ),  # counted with the text already
        Inbound(AFTER + timedelta(minutes=2), "voice"),
        Inbound(AFTER + timedelta(minutes=3), "qr_scan"),
        Inbound(AFTER + timedelta(minutes=4), "button"),
    ]
    at_outcome = as_of_outcome(signals, OUTCOME, [Inbound(BEFORE, "catalog_view"), *late])
    assert (
        at_outcome.message_count,
        at_outcome.voice_message_count,
        at_outcome.urgency_mentions,
        at_outcome.specific_questions,
        at_outcome.qr_scan_count,
        at_outcome.catalog_views,
        at_outcome.last_interaction_at,
    ) == (3, 0, 1, 2, 0, 2, BEFORE)
