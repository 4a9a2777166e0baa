"""A lead's privacy rights: everything stored about them exported, their personal data erased on request.

- `export`: the lead's rows and conversation checkpoints as one JSON document (`realty leads export`);
- `erase`: anonymise the lead everywhere, delete its checkpoint threads, audited (`realty leads erase`);
- `requests`: the lead asks in the chat, an admin confirms in the team bot, the lead is told;
- `checkpoints`: the lead's LangGraph threads.
"""

from agent.services.privacy.checkpoints import delete_threads, lead_threads, thread_state
from agent.services.privacy.erase import ERASE_ACTION, Eraser, ErasureReport, erase_lead, erased_at
from agent.services.privacy.export import export_lead
from agent.services.privacy.requests import (
    ERASURE_ACTION,
    REQUEST_ACTION,
    Card,
    Decision,
    Outcome,
    cards_due,
    decide,
    mark_carded,
    request_erasure,
)

__all__ = [
    "ERASE_ACTION",
    "ERASURE_ACTION",
    "REQUEST_ACTION",
    "Card",
    "Decision",
    "Eraser",
    "ErasureReport",
    "Outcome",
    "cards_due",
    "decide",
    "delete_threads",
    "erase_lead",
    "erased_at",
    "export_lead",
    "lead_threads",
    "mark_carded",
    "request_erasure",
    "thread_state",
]
