"""Planning tool calls: which of the bound tools the offline model calls next, and with what arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.adapters.offline.understanding import Turn
from agent.core.lead_tools import LeadTool
from agent.core.nlu.intents import Intent
from agent.core.policies.booking_times import is_day, with_day, with_time

MAX_LISTED = 3
"""Listings a reply presents; a search for more asks for this many beyond those already shown."""
MAX_PLANNED_STEPS = 4
"""Tool steps the model plans in one turn before it answers with what it has."""
_SEARCH_RELEVANT = frozenset(
    {
        "budget_min",
        "budget_max",
        "bedrooms",
        "bathrooms",
        "property_type",
        "property_types",
        "location",
        "locations",
        "transaction",
        "pets",
        "furnished",
    }
)

Plan = list[tuple[LeadTool, dict[str, Any]]]


def _changed_preferences(found: Mapping[str, Any], profile: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in found.items() if profile.get(name) != value}


def _kept(when: str, time_only: bool, viewing: Mapping[str, Any] | None) -> str:
    """A move of a booked viewing keeps what the lead did not change: its day ("move it to 4pm") or its time."""
    current = str((viewing or {}).get("starts_at_local") or "")
    if not current:
        return when
    if time_only:
        return with_time(current, when)
    return with_day(current, when) if is_day(when) else when


def _should_search(turn: Turn) -> bool:
    reading = turn.reading
    if turn.wants_viewing and not reading.wants_more:
        return False  # seeing what was shown comes first
    if turn.phase == "value_proposition" or reading.wants_more:
        return True
    if turn.phase in ("greeting", "qualification"):
        return False  # the phase says the basics are still missing: ask first
    if reading.has(Intent.SEARCH):
        return True
    updated = set(turn.results.get(LeadTool.PREFERENCES, {}).get("updated") or ())
    if not updated & _SEARCH_RELEVANT:
        return False
    if turn.facts.get("shown_ids"):
        return True  # the lead refined what they want: show what fits now
    if turn.bare:  # no phases: search once the basics are known
        profile = turn.profile
        return bool(profile.get("location")) and bool(profile.get("property_type") or profile.get("bedrooms"))
    return False


def plan_tool_calls(turn: Turn, available: frozenset[str]) -> Plan:
    """The tool calls for this step: independent facts first, then search or booking once they are saved."""
    reading = turn.reading
    if reading.has(Intent.INJECTION) or turn.steps >= MAX_PLANNED_STEPS:
        return []

    def can(name: LeadTool) -> bool:
        return name in available and name not in turn.called

    calls: Plan = []
    contact = {key: value for key, value in (("phone", reading.phone), ("email", reading.email)) if value}
    preferences = _changed_preferences(reading.preferences, turn.profile)
    if reading.name and reading.name != turn.profile.get("name"):
        if contact:
            contact["name"] = reading.name
        else:
            preferences["name"] = reading.name
    if preferences and can(LeadTool.PREFERENCES):
        calls.append((LeadTool.PREFERENCES, preferences))
    if contact and can(LeadTool.CONTACT):
        calls.append((LeadTool.CONTACT, contact))
    changed_viewing = bool({LeadTool.RESCHEDULE, LeadTool.CANCEL} & turn.called)
    viewing = turn.facts.get("viewing")
    if (viewing or changed_viewing) and not calls:
        # A booked viewing is moved or cancelled by its own tools (once a turn), never booked twice or handed off.
        if reading.has(Intent.CANCEL):
            return [(LeadTool.CANCEL, {})] if can(LeadTool.CANCEL) else []
        if reading.has(Intent.RESCHEDULE) or (turn.previous_asked == "reschedule" and reading.when):
            moved = {"when": _kept(reading.when, reading.time_only, viewing)} if reading.when else {}
            return [(LeadTool.RESCHEDULE, moved)] if can(LeadTool.RESCHEDULE) else []
    if reading.has(Intent.HUMAN) and can(LeadTool.HUMAN):
        calls.append((LeadTool.HUMAN, {"reason": f"asked for a person: {reading.text[:200]}"}))
    if calls:
        return calls
    request = turn.facts.get("viewing_request") or {}
    dated_visit = turn.wants_viewing and bool(request.get("when") or reading.when) and can(LeadTool.BOOK)
    if turn.facts.get("focus_candidates") and reading.listing_id is None and not dated_visit:
        return []  # the lead's words fit several listings: the reply asks which, nothing is assumed
    # A visit on a named day with the listing unclear: the booking tool asks which, with that day's free time.
    if reading.asks:
        target = reading.listing_id or turn.facts.get("focus_id")
        if target is not None and can(LeadTool.DETAILS):
            return [(LeadTool.DETAILS, {"property_id": int(target), "facts": list(reading.asks)})]
        if reading.asks == ("contact",) and can(LeadTool.DETAILS):
            return [(LeadTool.DETAILS, {"facts": ["contact"]})]  # how to reach us needs no listing
        details = turn.results.get(LeadTool.DETAILS)
        if details is not None:
            if details.get("status") == "found" and details.get("unknown") and can(LeadTool.ASK_AGENT):
                # What the data does not say goes to the lead's agent, in the lead's own words.
                question: dict[str, Any] = {"question": reading.text[:500]}
                listing = (details.get("listing") or {}).get("id")
                if listing is not None:
                    question["property_id"] = int(listing)
                return [(LeadTool.ASK_AGENT, question)]
            if not turn.wants_viewing:
                return []  # answered from the data; the reply says it
            # "Yes, that works. Is it furnished?": answered, and the viewing goes ahead below.
        if target is None and not turn.facts.get("shown_ids") and can(LeadTool.SEARCH):
            return [(LeadTool.SEARCH, {})]  # "does the first one have a pool?" before any was shown
    when = request.get("when") or reading.when
    asking_phone = not (turn.phone_known or turn.facts.get("phone_asked") or turn.bare)
    if turn.wants_viewing and can(LeadTool.BOOK) and (when or not asking_phone):
        # A viewing only on a stated or confirmed time: a day, or a changed proposal, is proposed first; so is
        # a time named before we asked for the phone (the reply asks for both at once, a yes books it).
        args: dict[str, Any] = {"property_id": turn.viewing_target}
        if when:
            args["when"] = when
        if request.get("tentative") or asking_phone:
            args["propose"] = True
        return [(LeadTool.BOOK, args)]
    if can(LeadTool.SEARCH) and _should_search(turn):
        args = {}
        if reading.wants_more:
            args["limit"] = min(10, len(turn.facts.get("shown_ids") or ()) + MAX_LISTED)
        elif reading.describes:
            args["query"] = reading.text[:200]  # filters come from the saved preferences; this ranks
        return [(LeadTool.SEARCH, args)]
    return []
