"""What is recorded about a lead at one moment: the input of the insight composition."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from agent.core.insights.model import OpenQuestion, Touchpoint, Wants


class ViewingState(StrEnum):
    NONE = "none"
    """No viewing on record."""
    UPCOMING = "upcoming"
    """A scheduled viewing still ahead."""
    DONE = "done"
    """A viewing took place (or its time passed) and none is ahead."""
    CANCELLED = "cancelled"
    """The only viewings on record were cancelled or missed."""


@dataclass(frozen=True)
class ListingRef:
    """A listing of the agency that fits the lead's stored preferences."""

    id: int
    title: str


@dataclass(frozen=True)
class LeadSnapshot:
    lead_id: int
    status: str
    temperature: str
    score: int
    opted_out: bool
    has_phone: bool
    time_zone: str
    wants: Wants = field(default_factory=Wants)
    """What the lead's profile records they want, as stored."""
    last_inbound_at: datetime | None = None
    last_outbound_at: datetime | None = None
    last_contact_at: datetime | None = None
    """The last time someone reached out to the lead on their own (a follow-up, a rep's relay), not a reply."""
    taken_over: bool = False
    open_questions: tuple[OpenQuestion, ...] = ()
    touchpoints: tuple[Touchpoint, ...] = ()
    """What the lead said (chat, voice, replies to follow-ups) and the reps' notes, oldest first."""
    unshown_listing: ListingRef | None = None
    shown_listings: int = 0
    viewing: ViewingState = ViewingState.NONE
