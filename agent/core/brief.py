"""The turn brief: what the sales graph tells the model at each step, and what the model tells it back.

The graph's state holds the facts of the turn (`TurnFacts`); a phase node hands them to the model layer
as a `TurnBrief`. A language model reads them rendered as text in its system prompt; the offline model
reads the brief itself. Everything in here comes from the database or from tool results, never from
the model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, get_args

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

ASKED_KEY = "realty_asked"
"""On a reply: what it asked the lead for (location, budget, listing, phone, time...), for reading the answer."""


class ListingCard(TypedDict, total=False):
    """One listing as `search_properties` returned it (only tool results fill these)."""

    id: int
    title: str
    """In the lead's language when the catalog has it there, else as the catalog wrote it."""
    title_language: str
    """The language `title` is written in."""
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
    """An ISO local time, or a day ("2026-03-09") to propose a time on."""
    tentative: bool
    """`when` is only proposed (the lead changed a proposal: "make it 4pm"): ask before booking it."""
    said_time: str | None
    """A clock time the lead wrote that no day has ("25:00"), to say so."""


class TurnFacts(TypedDict, total=False):
    """What the graph knows when the model steps: the sales graph's state holds these, among its own fields."""

    language: str

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
    focus_candidates: list[dict[str, Any]]
    """[{"id", "title"}]: the listings a reference fits equally; the reply asks which (buttons "listing:<id>")."""
    pending_asks: list[str]
    """The facts asked about while the listing was unclear, answered once the lead picks one."""
    viewing_request: ViewingRequest | None
    phone_asked: bool
    """We asked for a phone number for the pending viewing. Asked once: if the lead declines or ignores it,
    the booking goes ahead without, and the confirmation says the agent will reach them in this chat."""
    asked: str | None
    """What the last reply asked the lead for (location, budget, listing, phone, time...)."""
    asked_before: list[str]
    """What the recent replies asked for, oldest first (bounded), so a question the lead ignores is not nagged."""

    pending_contact: dict[str, str] | None
    """{"phone" or "email": new value}: a valid value that would replace a different one the lead gave, asked
    about ("Shall I replace …?") and kept here, never in the lead's row, until the lead's yes."""
    contact_change: dict[str, str] | None
    """This turn's answer to that question: {"field", "value", "outcome": "replaced" | "kept"}."""

    # The current turn.
    reading: dict[str, Any]
    """The lead's message read by NLU (agent.core.reading.Reading as a dict)."""
    turn: int


@dataclass(frozen=True)
class TurnBrief:
    """What one model step is told: the phase it runs in, and the facts of the turn."""

    phase: Phase
    facts: TurnFacts


def slot_options(result: Mapping[str, Any], label: Callable[[str], str]) -> list[tuple[str, str]]:
    """(label, ISO value) of the free slots a booking tool offered; `label` says a time in the lead's language."""
    options: list[tuple[str, str]] = []
    for option in (result.get("options") or [])[:6]:
        value = (
            str(option.get("starts_at") or option.get("value") or "")
            if isinstance(option, Mapping)
            else str(option)
        )
        options.append((label(value), value))
    return options
