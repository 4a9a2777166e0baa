"""What one model step sees: the brief rendered as the phase's system prompt, and the last few turns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, SystemMessage, ToolMessage

from agent.core.brief import ListingCard, TurnBrief, TurnFacts
from graphs.sales.messages import turn_starts
from prompts import pack
from prompts.vocabulary import budget_phrase, describe_goal

SENT_TURNS = 4
"""Whole turns of conversation sent to the model (the profile block carries what came before)."""
MAX_LISTED = 6
OLD_RESULT_CHARS = 240


def _profile_block(facts: TurnFacts) -> str:
    profile: Mapping[str, Any] = facts.get("profile") or {}
    language = "en"
    lines: list[str] = []
    if profile.get("name"):
        lines.append(f"- name: {profile['name']}")
    goal = describe_goal(
        profile.get("transaction"), profile.get("property_type"), profile.get("location"), language
    )
    if goal:
        lines.append(f"- wants: {goal}")
    budget = budget_phrase(
        profile.get("budget_min"), profile.get("budget_max"), profile.get("currency"), language
    )
    if budget:
        lines.append(f"- budget: {budget}")
    for field in ("bedrooms", "bathrooms", "payment_method", "timeline", "pets", "furnished"):
        if profile.get(field) is not None and profile.get(field) != "":
            lines.append(f"- {field}: {profile[field]}")
    lines.append(f"- phone: {'known' if facts.get('phone_known') else 'not given yet'}")
    viewing = facts.get("viewing")
    if viewing:
        lines.append(
            f"- viewing booked: {viewing.get('property_title', '')} {viewing.get('starts_at_local', '')}".rstrip()
        )
    request = facts.get("viewing_request")
    if request:
        lines.append(
            f"- wants a viewing of listing #{request.get('property_id') or '?'} {request.get('when') or ''}".rstrip()
        )
    if facts.get("human_requested"):
        lines.append("- asked for a person: yes")
    missing = [m for m in facts.get("missing") or () if m not in ("phone", "name")]
    if missing:
        lines.append(f"- still unknown: {', '.join(missing)}")
    return "\n".join(lines)


def _listing_line(card: ListingCard) -> str:
    listing: Mapping[str, Any] = card
    facts = [
        f"{listing.get('price')} {listing.get('currency', '')}{'/' + str(listing['price_period']) if listing.get('price_period') else ''}"
    ]
    for key, label in (("bedrooms", "bd"), ("bathrooms", "ba"), ("size_m2", "m2")):
        if listing.get(key):
            facts.append(f"{listing[key]} {label}")
    for key in ("location", "scarcity"):
        if listing.get(key):
            facts.append(str(listing[key]))
    for key in ("furnished", "pets_allowed"):
        if listing.get(key) is not None:
            facts.append(f"{key}: {'yes' if listing[key] else 'no'}")
    return f"#{listing.get('id')} {listing.get('title', '')} ({'; '.join(facts)})"


def _listings_block(listings: Sequence[ListingCard]) -> str:
    if not listings:
        return "none yet"
    return "\n" + "\n".join(f"  {_listing_line(listing)}" for listing in listings[:MAX_LISTED])


def system_message(brief: TurnBrief) -> SystemMessage:
    """The phase's system prompt in the lead's language: the brief's facts, said in words."""
    facts = brief.facts
    p = pack(facts.get("language"))
    missing = [m for m in facts.get("missing") or () if m not in ("phone", "name")]
    text = p.system.format(
        tenant_name=facts.get("tenant_name") or "",
        profile=_profile_block(facts),
        areas=", ".join(facts.get("areas") or ()) or "—",
        listings=_listings_block(facts.get("listings") or ()),
        phase=brief.phase,
        phase_prompt=p.phases[brief.phase].format(missing=", ".join(missing) or "—"),
    )
    return SystemMessage(content=text)


def recent_turns(messages: Sequence[AnyMessage], turns: int = SENT_TURNS) -> list[AnyMessage]:
    """The messages of the last `turns` turns, cut at a lead's message so tool calls keep their results.

    Tool results of earlier turns are shortened: the system prompt already lists the listings shown,
    and a search result is most of a turn's size.
    """
    starts = turn_starts(messages)
    if not starts:
        return list(messages)
    first = starts[-turns] if len(starts) >= turns else starts[0]
    current = starts[-1]
    kept: list[AnyMessage] = []
    for index in range(first, len(messages)):
        message = messages[index]
        if (
            index < current
            and isinstance(message, ToolMessage)
            and len(str(message.content)) > OLD_RESULT_CHARS
        ):
            message = message.model_copy(update={"content": str(message.content)[:OLD_RESULT_CHARS] + "…"})
        kept.append(message)
    return kept
