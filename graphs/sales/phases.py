"""Which sales phase a turn is in, decided on state alone, and which tools each phase may use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.core.brief import Phase
from agent.core.lead_tools import LeadTool

# fmt: off
TOOLS_BY_PHASE: dict[Phase, tuple[LeadTool, ...]] = {
    "greeting": (LeadTool.PREFERENCES, LeadTool.CONTACT, LeadTool.SEARCH, LeadTool.HUMAN, LeadTool.DETAILS),
    "qualification": (LeadTool.PREFERENCES, LeadTool.SEARCH, LeadTool.CONTACT, LeadTool.HUMAN, LeadTool.DETAILS),
    "value_proposition": (LeadTool.SEARCH, LeadTool.PREFERENCES, LeadTool.CONTACT, LeadTool.HUMAN, LeadTool.DETAILS),
    "engagement": (LeadTool.SEARCH, LeadTool.PREFERENCES, LeadTool.CONTACT, LeadTool.BOOK, LeadTool.SCORE, LeadTool.HUMAN, LeadTool.DETAILS),
    "contact_capture": (LeadTool.CONTACT, LeadTool.PREFERENCES, LeadTool.SEARCH, LeadTool.BOOK, LeadTool.HUMAN, LeadTool.DETAILS),
    "booking": (LeadTool.BOOK, LeadTool.RESCHEDULE, LeadTool.CANCEL, LeadTool.CONTACT, LeadTool.PREFERENCES, LeadTool.SEARCH, LeadTool.HUMAN, LeadTool.DETAILS),
    "handoff": (LeadTool.HUMAN, LeadTool.BOOK, LeadTool.RESCHEDULE, LeadTool.CANCEL, LeadTool.CONTACT, LeadTool.PREFERENCES, LeadTool.SEARCH, LeadTool.SCORE, LeadTool.FOLLOW_UP, LeadTool.DETAILS),
}
"""A phase's tools: what the model is offered there, and all the tool node will run for it."""
# fmt: on
TOOLS_BY_PHASE = {phase: (*tools, LeadTool.ASK_AGENT) for phase, tools in TOOLS_BY_PHASE.items()}

STATUS_VIEWING = "viewing_scheduled"
STATUS_HANDED_OFF = "handed_off"


def is_qualified(profile: Mapping[str, Any]) -> bool:
    """Enough to search: where, plus one of what, how much, how big, or buy/rent."""
    has_budget = profile.get("budget_max") is not None or profile.get("budget_min") is not None
    what = profile.get("property_type") or profile.get("bedrooms") is not None or has_budget
    return bool(profile.get("location")) and bool(what or profile.get("transaction"))


def knows_anything(profile: Mapping[str, Any]) -> bool:
    fields = ("location", "property_type", "transaction", "budget_max", "budget_min", "bedrooms")
    return any(profile.get(name) not in (None, "") for name in fields)


def phase_for(state: Mapping[str, Any]) -> Phase:
    """The phase of the conversation now.

    Handoff once a person was asked for or a viewing is booked (a new viewing request reopens booking);
    booking needs a viewing request and a phone number, or one request for the number already made;
    before listings are shown: greeting on a bare hello, value proposition once qualified (or asked to
    search), qualification otherwise; after them, engagement.
    """
    profile: Mapping[str, Any] = state.get("profile") or {}
    reading: Mapping[str, Any] = state.get("reading") or {}
    intents = set(reading.get("intents") or ())
    status = profile.get("status")
    if state.get("viewing_request"):
        return "booking" if state.get("phone_known") or state.get("phone_asked") else "contact_capture"
    if state.get("human_requested") or status == STATUS_HANDED_OFF:
        return "handoff"
    if state.get("viewing") or status == STATUS_VIEWING:
        return "handoff"
    if state.get("shown_ids"):
        return "engagement"
    asked_to_search = "search" in intents or reading.get("wants_more")
    somewhere = (
        profile.get("location")
        or profile.get("budget_max") is not None
        or profile.get("budget_min") is not None
    )
    if is_qualified(profile) or (asked_to_search and (somewhere or (state.get("turn") or 0) >= 3)):
        return "value_proposition"
    if not knows_anything(profile) and not reading.get("preferences") and (state.get("turn") or 0) <= 1:
        return "greeting"
    return "qualification"
