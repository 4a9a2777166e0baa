"""A hot-lead alert's stored JSON, with what the lead wants, their budget and the score's reasons in the team's language."""

from __future__ import annotations

from agent.core.policies.alerts import AlertFacts, AlertKind, alert_record
from prompts.scoring import reason
from prompts.vocabulary import budget_phrase, describe_goal


def alert_payload(
    kind: AlertKind, facts: AlertFacts, team_language: str, detail: str | None = None
) -> dict[str, object]:
    """The JSON stored with the alert; texts are in the team's language, the lead's language is a field."""
    return alert_record(
        kind,
        facts,
        goal=describe_goal(facts.transaction, facts.property_type, facts.location, team_language),
        budget=budget_phrase(facts.budget_min, facts.budget_max, facts.currency, team_language),
        explain=lambda factor: reason(factor, team_language),
        detail=detail,
    )
