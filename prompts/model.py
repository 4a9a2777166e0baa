"""What only the model reads, beside the system prompt in the lead's language: always in English.

The lead's profile lines (graphs.sales.prompting fills them into the system prompt's `{profile}`) and what
a refused or failed tool call returns to the model (graphs.sales.nodes.tool_calls).
"""

from __future__ import annotations

from typing import Final

PROFILE_LINES: Final[dict[str, str]] = {
    "name": "- name: {name}",
    "wants": "- wants: {goal}",
    "budget": "- budget: {budget}",
    "detail": "- {field}: {value}",
    "phone_known": "- phone: known",
    "phone_missing": "- phone: not given yet",
    "viewing_booked": "- viewing booked: {title} {when}",
    "viewing_wanted": "- wants a viewing of listing #{listing} {when}",
    "person_asked": "- asked for a person: yes",
    "still_unknown": "- still unknown: {missing}",
    "contact_pending": "- asked the lead whether to replace their {field} (yes/no): their answer settles it by itself",
    "contact_replaced": "- the lead said yes: their {field} is now {value}; tell them it is updated",
    "contact_kept": "- the lead did not confirm the new {field}: {value} stays; tell them so in a few words",
}
NO_LISTINGS: Final = "none yet"
"""The system prompt's `{listings}` before any was shown."""

TOOL_REFUSED: Final = "{name} is not available now; answer the lead instead"
"""A tool the current phase does not offer."""
TOOL_FAILED: Final = "the tool failed; apologise briefly and continue without it"

TRANSLATE_ANSWER: Final = (
    "Translate the real-estate agent's message below into {language}. Keep names, numbers, prices and "
    "addresses as they are. Reply with the translation only."
)
"""How a rep's answer to a lead's question is put into the lead's language (agent.services.questions.relay)."""
