"""How a deal can end: won or lost, each with a short list of reason codes (the agency's own, or these)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

OutcomeKind = Literal["won", "lost"]
OUTCOMES: tuple[OutcomeKind, ...] = ("won", "lost")

DEFAULT_REASONS: dict[OutcomeKind, tuple[str, ...]] = {
    "won": ("bought", "signed"),
    "lost": ("price", "mismatch", "financing", "other_agency", "no_response", "timing", "other"),
}
"""The reason codes an agency has until it sets its own (Tenant.outcome_reasons)."""

OUTCOME_BUTTON = "outcome"
"""The `do` of the team bot's outcome buttons (served by bot.outcomes)."""


def reasons_in(stored: Mapping[str, Sequence[str]] | None) -> dict[OutcomeKind, tuple[str, ...]]:
    """An agency's reason codes per outcome from its stored lists; the defaults for an outcome without one."""
    stored = stored or {}
    return {
        outcome: tuple(str(code) for code in stored.get(outcome) or ()) or DEFAULT_REASONS[outcome]
        for outcome in OUTCOMES
    }
