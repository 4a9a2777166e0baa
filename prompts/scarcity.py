"""Honest scarcity lines in the lead's language, only from what the data says (agent.core.policies.scarcity)."""

from __future__ import annotations

from agent.core.policies.scarcity import ListingDemand, ScarcityKind, scarcity_of
from prompts.vocabulary import counting


def scarcity_statement(demand: ListingDemand, language: str) -> str | None:
    """A true, short scarcity line in the lead's language, or None when the data shows no scarcity."""
    fact = scarcity_of(demand)
    if fact is None:
        return None
    phrases = counting(language)
    if fact.kind is ScarcityKind.UNITS_LEFT:
        return phrases.units_left(fact.count)
    return phrases.recent_bookings(fact.count)
