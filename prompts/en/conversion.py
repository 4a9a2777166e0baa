"""English: the learned conversion likelihood and its reasons (agent.core.conversion, prompts.conversion)."""

from __future__ import annotations

from typing import Final

# The base score's statements (prompts/en/scoring.py) word the factors they share; these word the rest.
TEXTS: Final[dict[str, str]] = {
    "likely": "{percent} likely to convert",
    "model": "model of {date}, AUC {auc}",
    "line": "Score {score} {badge} · {likely} ({model})",
    "for": "For converting",
    "against": "Against converting",
    "factor": "{statement} ({weight})",
    "reasons": "{label}: {reasons}",
    "voice_yes": "Voice messages sent: {n}",
    "hour_weekend": "Inquiry on a weekend, between {hh}:00 and {hh}:59 local time",
    "reply_none": "Has not replied to us yet",
    "reply_minutes": "Replies to us in about {n} min",
    "follow_up_replies": "Follow-ups answered: {n}",
    "words_per_message": "About {n} words per message",
    "viewing_none": "No viewing yet",
    "viewing_booked": "Viewings booked: {n}",
    "viewing_attended": "Came to a viewing",
    "viewing_interested": "Interested after a viewing",
    "viewing_not_interested": "Not interested after a viewing",
    "viewing_no_show": "Did not come to a viewing",
    "viewing_made_offer": "Made an offer after a viewing",
    "price_unknown": "Listings shown not comparable with the budget",
    "price_to_budget": "Listings shown cost {n}% of the budget",
}
