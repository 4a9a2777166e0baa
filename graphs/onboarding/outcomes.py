"""The client card's outcome row: "Won" / "Lost", or "Reopen" once the deal is closed (served by bot.outcomes)."""

from __future__ import annotations

from agent.services.team.outcome_effects import OUTCOME_STATUSES
from agent.services.team.outcomes import BUTTON_ACTION
from graphs.onboarding.replies import button
from graphs.onboarding.state import Button
from prompts.outcomes import say


def outcome_row(language: str, lead_id: str, status: str) -> list[Button]:
    """Buttons whose presses the team bot serves outside the conversation (`"do": "outcome"`)."""
    lead = int(lead_id)
    if status in OUTCOME_STATUSES:
        return [button(say(language, "btn_reopen"), do=BUTTON_ACTION, step="reopen", lead=lead)]
    return [
        button(say(language, "btn_won"), do=BUTTON_ACTION, step="start", lead=lead, outcome="won"),
        button(say(language, "btn_lost"), do=BUTTON_ACTION, step="start", lead=lead, outcome="lost"),
    ]
