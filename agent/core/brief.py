"""The turn brief: what the sales graph tells the model at every step.

The system prompt says it in words for a language model; the same facts ride along as data on the
system message (`additional_kwargs["realty_brief"]`, which OpenAI-compatible clients do not send) so the
offline model can read them without parsing prose. Everything in here comes from the database or from
tool results, never from the model.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict, get_args

from langchain_core.messages import BaseMessage, SystemMessage

Phase = Literal[
    "greeting",
    "qualification",
    "value_proposition",
    "engagement",
    "contact_capture",
    "booking",
    "handoff",
]
PHASES: tuple[Phase, ...] = get_args(Phase)

BRIEF_KEY = "realty_brief"


class ListingCard(TypedDict, total=False):
    """One listing as `search_properties` returned it (only tool results fill these)."""

    id: int
    title: str
    property_type: str
    transaction: str
    price: float | int | str
    currency: str
    price_period: str | None
    bedrooms: int | None
    bathrooms: float | int | str | None
    size_m2: float | int | str | None
    location: str
    address: str | None
    amenities: list[str]
    units_available: int
    scarcity: str | None
    pets_allowed: bool | None
    furnished: bool | None


class ViewingRequest(TypedDict, total=False):
    """The lead asked to see a listing; kept until a viewing is booked or the lead drops it."""

    property_id: int | None
    when: str | None


class TurnBrief(TypedDict, total=False):
    phase: Phase
    language: str
    tenant_name: str
    region: str
    areas: list[str]
    profile: dict[str, Any]
    missing: list[str]
    phone_known: bool
    listings: list[ListingCard]
    shown_ids: list[int]
    new_ids: list[int]
    focus_id: int | None
    viewing_request: ViewingRequest | None
    viewing: dict[str, Any] | None
    human_requested: bool
    phone_asked: bool
    asked: str | None
    asked_before: list[str]
    turn: int
    now: str
    time_zone: str
    reading: dict[str, Any]


def brief_of(messages: list[BaseMessage]) -> TurnBrief:
    """The brief carried by the first system message, or an empty one (a bare agent has none)."""
    for message in messages:
        if isinstance(message, SystemMessage):
            brief = message.additional_kwargs.get(BRIEF_KEY)
            if isinstance(brief, dict):
                return brief  # type: ignore[return-value]
    return {}
