"""Insights on a lead: what the lead said they want, their urgency, objections and open questions, and the next
best action, composed from recorded facts only (pure: no I/O). `agent.services.insights` gathers the facts and
stores the result; `prompts.insights` words it in the reader's language."""

from agent.core.insights.compose import compose
from agent.core.insights.model import (
    ActionKind,
    ActionReason,
    Insight,
    NextAction,
    Objection,
    OpenQuestion,
    Touchpoint,
    Wants,
)
from agent.core.insights.snapshot import LeadSnapshot, ListingRef, ViewingState

__all__ = [
    "ActionKind",
    "ActionReason",
    "Insight",
    "LeadSnapshot",
    "ListingRef",
    "NextAction",
    "Objection",
    "OpenQuestion",
    "Touchpoint",
    "ViewingState",
    "Wants",
    "compose",
]
