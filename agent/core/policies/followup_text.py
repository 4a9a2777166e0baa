"""What a follow-up may say: only what the lead told us, at most 160 characters, in their language.

Used by the agent's `draft_follow_up` tool and by the follow-up jobs. Nothing is invented: no
"my colleague found the property you wanted" unless the caller passes a real match. The words are
in prompts/ (prompts.followups writes the text); here are the facts, the purposes and the limits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.models import Lead

MAX_CHARS = 160
MAX_NAME_CHARS = 24
MAX_MATCH_CHARS = 60


class Purpose(StrEnum):
    CHECK_IN = "check_in"
    """A friendly "still looking?" after a pause."""
    GHOST = "ghost"
    """The Ghost Protocol nudge after the lead went quiet."""
    LISTINGS = "listings"
    """After listings were shown: did any fit?"""
    VIEWING = "viewing"
    """Invite to book a viewing."""
    MATCH = "match"
    """A real new match exists (the caller passes its title)."""


@dataclass(frozen=True)
class FollowUpFacts:
    """What the lead asked for, as stored on the lead."""

    language: str = "en"
    name: str | None = None
    property_type: str | None = None
    transaction: str | None = None
    location: str | None = None
    bedrooms: int | None = None
    budget_min: Decimal | float | None = None
    budget_max: Decimal | float | None = None
    currency: str | None = None

    @classmethod
    def of(cls, lead: Lead) -> FollowUpFacts:
        """The facts a stored lead gives the text builder."""
        return cls(
            language=lead.language,
            name=lead.name,
            property_type=lead.property_type,
            transaction=lead.transaction,
            location=lead.location,
            bedrooms=lead.bedrooms,
            budget_min=lead.budget_min,
            budget_max=lead.budget_max,
            currency=lead.budget_currency,
        )


def knows_wish(facts: FollowUpFacts) -> bool:
    return any(
        value is not None and value != ""
        for value in (facts.property_type, facts.location, facts.bedrooms, facts.budget_max, facts.budget_min)
    )


def purpose_of(purpose: str, match: str | None) -> Purpose:
    """Unknown purposes read as a check-in; MATCH without a real `match` title also falls back to it."""
    try:
        chosen = Purpose(purpose)
    except ValueError:
        return Purpose.CHECK_IN
    return Purpose.CHECK_IN if chosen is Purpose.MATCH and not match else chosen


def greeting_name(name: str | None) -> str:
    """The name to greet with: a long one shortened to its first word (at most MAX_NAME_CHARS)."""
    name = (name or "").strip()
    return name.split()[0][:MAX_NAME_CHARS] if len(name) > MAX_NAME_CHARS else name


def fit_details(render: Callable[[list[str]], str], details: list[str]) -> str:
    """`render(details)`, dropping details from the end (budget, then location...) until it fits MAX_CHARS.

    The first detail always stays; a text still too long is cut with "…".
    """
    while True:
        text = render(details)
        if len(text) <= MAX_CHARS or len(details) == 1:
            return fit(text)
        details = details[:-1]


def fit(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"
