"""What one model step sees: the brief rendered as the phase's system prompt, and the last few turns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AnyMessage, SystemMessage, ToolMessage

from agent.core.brief import ListingCard, TurnBrief, TurnFacts
from graphs.sales.messages import turn_starts
from prompts import pack
from prompts.model import NO_LISTINGS, PROFILE_LINES
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
        lines.append(PROFILE_LINES["name"].format(name=profile["name"]))
    goal = describe_goal(
        profile.get("transaction"), profile.get("property_type"), profile.get("location"), language
    )
    if goal:
        lines.append(PROFILE_LINES["wants"].format(goal=goal))
    budget = budget_phrase(
        profile.get("budget_min"), profile.get("budget_max"), profile.get("currency"), language
    )
    if budget:
        lines.append(PROFILE_LINES["budget"].format(budget=budget))
    for field in ("bedrooms", "bathrooms", "payment_method", "timeline", "pets", "furnished"):
        if profile.get(field) is not None and profile.get(field) != "":
            lines.append(PROFILE_LINES["detail"].format(field=field, value=profile[field]))
    lines.append(PROFILE_LINES["phone_known" if facts.get("phone_known") else "phone_missing"])
    viewing = facts.get("viewing")
    if viewing:
        booked = PROFILE_LINES["viewing_booked"].format(
            title=viewing.get("property_title", ""), when=viewing.get("starts_at_local", "")
        )
        lines.append(booked.rstrip())
    request = facts.get("viewing_request")
    if request:
        wanted = PROFILE_LINES["viewing_wanted"].format(
            listing=request.get("property_id") or "?", when=request.get("when") or ""
        )
        lines.append(wanted.rstrip())
    if facts.get("human_requested"):
        lines.append(PROFILE_LINES["person_asked"])
    answered = facts.get("contact_change")
    if answered:
        key = "contact_replaced" if answered.get("outcome") == "replaced" else "contact_kept"
        lines.append(PROFILE_LINES[key].format(field=answered.get("field"), value=answered.get("value")))
    for field in facts.get("pending_contact") or {}:
        lines.append(PROFILE_LINES["contact_pending"].format(field=field))
    missing = [m for m in facts.get("missing") or () if m not in ("phone", "name")]
    if missing:
        lines.append(PROFILE_LINES["still_unknown"].format(missing=", ".join(missing)))
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
        return NO_LISTINGS
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
