"""English: a lead's request to erase their data, as the lead and the agency's admins read it."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # to the lead (the lead bot)
    "requested": "Understood. Your request to delete your personal data has gone to the agency; "
    "we will confirm here as soon as it is done.",
    "already_requested": "Your request to delete your personal data is already with the agency; "
    "we will confirm here as soon as it is done.",
    "erased": "Done: your personal data and our conversation have been deleted. "
    "If you write to us again, we will start from scratch.",
    "declined": "The agency has reviewed your request to delete your data and will contact you about it.",
    # to the admins (the team bot)
    "card": "🗑 {lead} (lead #{id}) asks to delete their personal data.\n"
    "Confirming erases their name, contacts, messages and conversation for good; counts are kept.",
    "confirm": "🗑 Erase",
    "decline": "✖️ Decline",
    "done": "✅ The data of lead #{id} is erased; they have been told.",
    "done_not_told": "✅ The data of lead #{id} is erased; they could not be told through the lead bot.",
    "declined_admin": "✖️ Request of lead #{id} declined; they have been told the agency will contact them.",
    "not_admin": "Only an admin of this agency can decide on a data deletion request.",
    "gone": "This request is no longer waiting for a decision.",
}
