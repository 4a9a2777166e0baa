"""English: won and lost deals, their reasons, in the team bot, the dashboard and after a viewing."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # the client card's buttons and the reason picker (bot.outcomes)
    "btn_won": "🏆 Won",
    "btn_lost": "✖️ Lost",
    "btn_reopen": "↩️ Reopen",
    "btn_yes": "✅ Yes, record it",
    "btn_other_reason": "Another reason",
    "btn_no_reason": "No reason",
    "btn_cancel": "Cancel",
    "btn_add_note": "📝 Add a note",
    "btn_mark_won": "🏆 Mark the deal won",
    "choose_reason.won": "🏆 {name}: won. What was it?",
    "choose_reason.lost": "✖️ {name}: lost. Why?",
    "confirm.won": "Mark {name} as won ({reason})?",
    "confirm.lost": "Mark {name} as lost ({reason})?",
    "which_client": "Which client do you mean?",
    "unknown_client": "I can't find a client called “{name}” among yours. Open “My clients” and use the card's buttons.",
    "recorded.won": "🏆 {name}: won{reason}. Follow-ups stopped: {sends} planned message(s) cancelled, {tasks} task(s) closed.",
    "recorded.lost": "✖️ {name}: lost{reason}. Follow-ups stopped: {sends} planned message(s) cancelled, {tasks} task(s) closed.",
    "reason_in_line": " ({reason})",
    "reopened": "↩️ {name} is open again ({status}).",
    "not_closed": "{name} is neither won nor lost.",
    "not_yours": "Only the client's rep or an admin of the agency can record how the deal ended.",
    "cancelled": "OK, nothing recorded.",
    "bad_reason": "That reason is not in your agency's list; pick one of the buttons.",
    # after a viewing where the lead made an offer (agent.services.calendars.conversation)
    "offer_made": "{lead} made an offer. When the deal is signed, mark it won with one tap.",
    # the names of the outcomes and of the default reason codes
    "outcome.won": "won",
    "outcome.lost": "lost",
    "reason.bought": "bought",
    "reason.signed": "rented / signed",
    "reason.price": "price",
    "reason.mismatch": "location or property mismatch",
    "reason.financing": "financing",
    "reason.other_agency": "chose another agency",
    "reason.no_response": "stopped responding",
    "reason.timing": "timing / postponed",
    "reason.other": "other",
    # the dashboard's lead page (agent/web/templates/leads/_outcome.html)
    "web_title": "Deal outcome",
    "web_current": "{outcome} on {when}",
    "web_open": "The deal is still open.",
    "web_outcome": "Outcome",
    "web_reason": "Reason",
    "web_no_reason": "no reason given",
    "web_note": "Note (optional)",
    "web_save": "Record the outcome",
    "web_reopen": "Reopen the deal",
    "web_done": "Outcome saved; the lead's follow-ups are stopped.",
    "web_reopened": "The deal is open again.",
}
