"""When the team hears about a lead, and what the alert records. prompts.alerts words it; the team bot delivers it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from agent.core.scoring import Note, ScoreFactor, Why, is_burning_transition

ALERT_CHANNEL = "lead_alerts"
"""PostgreSQL NOTIFY channel; the payload is the alert id."""

TOP_FACTORS = 3


class AlertKind(StrEnum):
    PHONE_CAPTURED = "phone_captured"
    """The lead gave a phone number for the first time."""
    BURNING = "burning"
    """The lead's score crossed into burning for the first time."""
    HANDOFF = "handoff"
    """The lead asked for a person."""
    LIKELY = "likely"
    """The learned conversion likelihood rose across the agency's threshold (agent.services.conversion)."""


def phone_alert_due(had_phone: bool, has_phone: bool) -> bool:
    """A lead's first phone number is the hot-lead moment of the sales features."""
    return has_phone and not had_phone


def burning_alert_due(old_score: int | None, new_score: int) -> bool:
    """Crossing into burning is news; staying burning is not."""
    return is_burning_transition(old_score, new_score)


@dataclass(frozen=True)
class AlertFacts:
    """What an alert tells the team about one lead."""

    lead_id: int
    name: str | None
    phone: str | None
    language: str
    transaction: str | None
    property_type: str | None
    location: str | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    currency: str | None
    score: int
    temperature: str
    factors: Iterable[ScoreFactor]


def alert_record(
    kind: AlertKind,
    facts: AlertFacts,
    *,
    goal: str | None,
    budget: str | None,
    explain: Callable[[ScoreFactor], str],
    detail: str | None = None,
) -> dict[str, object]:
    """The JSON stored with the alert: `goal`, `budget` and the reasons (`explain`) in the team's language,
    and the top factors themselves, for the team bot to word in each reader's (`recorded_factors`)."""
    earning = sorted((f for f in facts.factors if f.points > 0), key=lambda f: -f.points)[:TOP_FACTORS]
    payload: dict[str, object] = {
        "kind": kind.value,
        "lead_id": facts.lead_id,
        "name": facts.name,
        "phone": facts.phone,
        "language": facts.language,
        "goal": goal,
        "budget": budget,
        "score": facts.score,
        "temperature": facts.temperature,
        "top_factors": [explain(f) for f in earning],
        "factors": [_factor_record(f) for f in earning],
    }
    if detail:
        payload["detail"] = detail
    return payload


def _factor_record(factor: ScoreFactor) -> dict[str, object]:
    why = {name: value for name, value in asdict(factor.why).items() if value is not None}
    return {"key": factor.key, "points": factor.points, "max_points": factor.max_points, "why": why}


def recorded_factors(payload: Mapping[str, object]) -> list[ScoreFactor] | None:
    """The top factors an alert was raised with; None when it recorded none (raised before they were kept)."""
    records = payload.get("factors")
    if not isinstance(records, list):
        return None
    try:
        return [_factor_of(record) for record in records]
    except (KeyError, TypeError, ValueError):
        return None


def _factor_of(record: Mapping[str, Any]) -> ScoreFactor:
    why = dict(record["why"])
    if why.get("note") is not None:
        why["note"] = Note(why["note"])
    return ScoreFactor(str(record["key"]), int(record["points"]), int(record["max_points"]), Why(**why))
