"""The sales graph's state: a bounded window of messages plus the facts the phase routers decide on.

The full transcript lives in `lead_interactions`; the checkpoint keeps only what the next turns need,
so it stays the same size however long the conversation runs.
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from agent.core.brief import ListingCard, Phase, ViewingRequest


class SalesInput(TypedDict, total=False):
    """What a caller passes for one turn: the lead's new message, and the language it is written in."""

    messages: list[AnyMessage]
    language: str


class SalesState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    """The recent conversation (a window of whole turns), including tool calls and results."""

    language: str
    phase: Phase
    """The phase the last model step ran in."""

    # Known at the start of the turn (database) and updated from tool results during it.
    tenant_name: str
    region: str
    areas: list[str]
    now: str
    """The clock at the start of the turn, ISO with the tenant's offset."""
    time_zone: str
    profile: dict[str, Any]
    missing: list[str]
    phone_known: bool
    human_requested: bool
    viewing: dict[str, Any] | None

    # What the conversation has shown and asked for.
    listings: list[ListingCard]
    """The listings most recently shown (at most a handful), as search_properties returned them."""
    shown_ids: list[int]
    new_ids: list[int]
    """Listings this turn's search showed for the first time."""
    focus_id: int | None
    """The listing the lead is talking about."""
    viewing_request: ViewingRequest | None
    phone_asked: bool
    offered_times: list[str]
    """The free slots book_viewing offered last (ISO), so "yes" can take the first."""
    asked: str | None
    """What the last reply asked the lead for (location, budget, listing, phone, time...)."""
    asked_before: list[str]
    """What the recent replies asked for, oldest first (bounded), so a question the lead ignores is not nagged."""
    lead_stamp: str
    """Which lead this thread belongs to (id and creation time), to notice a reused id."""
    """We asked for a phone number for the pending viewing; asked once, the booking goes ahead without."""

    # The current turn.
    reading: dict[str, Any]
    """The lead's message read by NLU (agent.core.reading.Reading as a dict)."""
    turn: int
    steps: int
    """Model steps taken this turn (bounded)."""
    choices: list[dict[str, str]]
