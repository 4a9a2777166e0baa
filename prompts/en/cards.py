"""English: the cards the team bot sends on its own: hot-lead alerts, follow-up drafts to approve, new prospects."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # a hot-lead alert (bot.alerts): its title per alert kind, its labels, the names of the lead's language
    "title.phone_captured": "🔥 Hot lead: shared a phone number!",
    "title.burning": "🔥 A lead is burning!",
    "title.handoff": "🙋 A lead asks for a person!",
    "title.likely": "📈 A lead is likely to convert!",
    "title.other": "🔔 Important lead",
    "opted_out_title": "🔕 This lead opted out: do not call or write",
    "opted_out_note": "They asked us to stop writing; no follow-ups go to them. Answer only if they write again.",
    "no_name": "no name",
    "wants": "Wants",
    "budget": "Budget",
    "lead_language": "Lead's language",
    "score": "Score",
    "why": "Why",
    "assigned": "Rep",
    "unassigned": "not assigned",
    "client_card": "📇 Client card",
    "language.en": "English",
    "language.ru": "Russian",
    "language.fa": "Persian",
    "language.ar": "Arabic",
    # a follow-up draft that waits for the rep's approval (bot.approvals)
    "approval_card": "✍️ Follow-up draft for {name} — send it?\n\n{text}",
    "approval_approve": "✅ Approve",
    "approval_reject": "❌ Reject",
    "approval_approved": "✅ It goes out to {name}.",
    "approval_rejected": "❌ The draft for {name} is rejected; it will not be sent.",
    "approval_not_yours": "Only this client's rep can decide.",
    "approval_gone": "This draft is no longer waiting for a decision.",
    "approval_no_name": "the client",
    # a new prospect for the rep (agent.services.jobs.outreach)
    "prospect_card": "📇 New prospect for you: {name} ({handle})\nLooking for: {context}\nNotes: {notes}\nE-mail: {email}\n\nSuggested opener:\n{opener}\n\nLink for the client (attributes them to you): {link}",
    "prospect_no_link": "— (the lead bot has no username)",
}
