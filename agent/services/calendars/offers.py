"""After a viewing where the lead made an offer: the rep is offered to mark the deal won in one tap.

The buttons carry the team bot's outcome action (served by bot.outcomes, which checks the rep's authority and
records through agent.services.team.outcomes): one per won reason of the agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent.core.outcomes import OUTCOME_BUTTON, reasons_in
from agent.services.calendars.service import lead_name
from prompts.outcomes import reason_name, say
from storage.models import Lead, Tenant


@dataclass(frozen=True)
class OfferPrompt:
    text: str
    buttons: list[list[dict[str, Any]]]


def offer_made(language: str, lead: Lead, tenant: Tenant | None) -> OfferPrompt:
    """The note under "made an offer" and a "won: <reason>" button per won reason of the agency."""
    reasons = reasons_in(tenant.outcome_reasons if tenant is not None else None)["won"]
    mark = say(language, "btn_mark_won")
    buttons = [
        [
            {
                "label": f"{mark}: {reason_name(language, code)}"[:60],
                "action": {
                    "do": OUTCOME_BUTTON,
                    "step": "record",
                    "lead": lead.id,
                    "outcome": "won",
                    "reason": code,
                },
            }
        ]
        for code in reasons
    ]
    return OfferPrompt(say(language, "offer_made", lead=lead_name(lead)), buttons)
