"""English texts of the team bot: registration, admins, the CRM, statuses. `{placeholders}` are filled by the nodes."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # registration
    "greet_new": (
        "Hi! I'm the sales team bot: reps register here, get hot-lead alerts and manage their clients "
        "right in Telegram.\n\nWould you like to register as a sales representative?"
    ),
    "declined": "All right. If you change your mind, just message me.",
    "ask_name": "Great! What's your name? Please write your first and last name.",
    "bad_name": "That doesn't look like a name. Please write your first and last name, e.g. John Smith.",
    "ask_email": "Nice to meet you, {first}!\n\nWhat's your corporate e-mail? It must be at {domains}.",
    "ask_email_any": "Nice to meet you, {first}!\n\nWhat's your work e-mail?",
    "email_invalid": "That doesn't look like an e-mail address. Please write it in full, e.g. {example}.",
    "email_domain": "Sorry, only corporate addresses at {domains} are accepted. Please write your work e-mail.",
    "email_taken": "This address is already used by another rep. Please use another one, or contact an admin if it's a mistake.",
    "confirm": "Please check:\n\nName: {name}\nE-mail: {email}\n\nSend the application?",
    "confirm_unclear": 'Reply "yes" to send the application, or "edit" to change the details.',
    "submitted": (
        "Thank you! Your application has been sent to an admin.\n\n"
        "I'll let you know once it's reviewed. If you want to cancel it, just tell me."
    ),
    "too_many": "You've sent several applications today. Please try again tomorrow or contact an admin.",
    "closed": "Registration isn't open yet: the agency hasn't been set up. Please contact an admin.",
    # a pending applicant
    "pending_status": (
        "Your application is being reviewed.\n\nName: {name}\nE-mail: {email}\n\n"
        "I'll message you as soon as an admin decides. To withdraw it, just say so."
    ),
    "withdrawn": "Your application has been withdrawn. If you want to come back, just message me.",
    # a registered rep
    "status_card": "Hi, {first}!\n\nYour status: {status}\nE-mail: {email}\nCalendar: {calendar}\n\nHow can I help?",
    "suspended_note": "Your access has been suspended by an admin. If this is a mistake, please contact an admin.",
    "ask_unregister": "Are you sure you want to leave the system?\n\nThis will cancel your registration.",
    "unregistered": "Done, your registration has been cancelled.\n\nIf you want to come back, just message me again.",
    "kept": "All right, nothing has changed.",
    "ask_new_email": "Please write your new corporate e-mail (at {domains}).",
    "ask_new_email_any": "Please write your new work e-mail.",
    "email_updated": "Done, your e-mail is now {email}.",
    "email_updated_calendar": "Done, your e-mail is now {email}.\n\nYour calendar was linked to the old address, so it needs to be connected again.",
    "cancelled": "OK, cancelled.",
    # admins
    "application_card": (
        "📝 New registration request!\n\nName: {name}\nE-mail: {email}\nTelegram: {telegram}\nAgency: {tenant}\n\n"
        'Approve or reject? Reply to this message (e.g. "approve" or "reject, not our employee") or tap a button.'
    ),
    "admin_approved": "✅ {name} has been approved as a rep.",
    "admin_rejected": "❌ {name}'s application has been rejected.",
    "admin_rejected_reason": "❌ {name}'s application has been rejected. Reason: {reason}",
    "already_decided": "{name}'s application has already been decided (status: {status}).",
    "not_admin": "Only admins can do that. The attempt has been logged.",
    "decide_how": 'Reply to the card with "approve" or "reject" (a reason may follow: "reject, not our employee").',
    "which_application": "Which application do you mean? Reply to its card or choose:",
    "no_pending": "There are no pending applications.",
    "pending_list": "Pending applications ({count}):\n\n{lines}",
    "active_list": "Active reps ({count}):\n\n{lines}",
    "no_active": "There are no active reps yet.",
    "admin_menu": (
        "You're an admin. I can:\n"
        "• show pending applications;\n"
        "• show active reps;\n"
        '• suspend, restore or remove a rep ("suspend John Smith");\n'
        '• make a rep an admin ("make john@… admin").\n\n'
        "To approve or reject an application, reply to its card."
    ),
    "who_is_it": "Who exactly? Write the rep's name, @username or e-mail.",
    "nobody_found": 'I couldn\'t find a rep "{query}". Check the name, @username or e-mail.',
    "which_rep": "Several reps match. Choose one:",
    "confirm_suspend": "Suspend {name} ({email})?",
    "confirm_remove": "Remove {name} ({email}) from the system?",
    "confirm_restore": "Restore access for {name} ({email})?",
    "confirm_promote": "Make {name} ({email}) an admin?",
    "done_suspend": "⏸ {name} has been suspended.",
    "done_remove": "🗑 {name} has been removed.",
    "done_restore": "▶️ {name}'s access has been restored.",
    "done_promote": "⭐ {name} is now an admin.",
    "cannot_change": "Couldn't do it: {name}'s status is \"{status}\".",
    "rep_left_notice": "ℹ️ {name} ({email}) {what}.",
    "left_withdrew": "withdrew their application",
    "left_unregistered": "left the system",
    # to the rep, after an admin decided
    "rep_approved": "Great news! Your application has been approved — welcome to the team! 🎉",
    "rep_rejected": "Sorry, your application was not approved.",
    "rep_rejected_reason": "Sorry, your application was not approved. Reason: {reason}",
    "rep_rejected_tail": "\n\nIf this is a mistake, please contact an admin.",
    "rep_suspended": "Your access has been suspended by an admin.",
    "rep_removed": "An admin has removed you from the system. If this is a mistake, please contact them.",
    "rep_restored": "Your access has been restored. Welcome back!",
    "rep_promoted": "You're now a team admin ⭐",
    # the rep's CRM
    "no_clients": "You have no clients yet. I'll show them here as soon as you do.",
    "clients_header": "👥 Your clients ({count}):",
    "today_header": "📅 Today:",
    "overdue_header": "⏰ Overdue:",
    "clients_hint": "Tap a client to open their card.",
    "client_card": "{badge} {name}\nScore: {score} · {temperature}\nStatus: {status}",
    "phone_line": "📞 {phone}",
    "no_phone": "📞 no phone yet",
    "opted_out_line": "🔕 Opted out: they asked us to stop writing. Do not call; answer only if they write again.",
    "notes_line": "📝 {notes}",
    "not_active_rep": "Clients are available to active reps.",
    "not_your_client": "This client isn't assigned to you.",
    "marked_hot": "🌶️ {name} is marked as a hot client.",
    "ask_note": "Write a note about {name}.",
    "note_saved": "📝 Note saved.",
    "choose_status": "New status for {name}:",
    "status_changed": "{name}'s status: {status}.",
    "ask_followup": 'When should I remind you about {name}? Choose or write, e.g. "tomorrow at 11:00".',
    "bad_time": 'I didn\'t get the time. Write, e.g., "tomorrow at 11:00" or "in 2 hours".',
    "followup_saved": '⏰ Done: {when} — {name}. It will show up in "My clients".',
    # buttons
    "btn_register": "Yes, register",
    "btn_no": "No, thanks",
    "btn_send": "Send",
    "btn_edit": "Edit",
    "btn_withdraw": "Withdraw application",
    "btn_clients": "👥 My clients",
    "btn_calendar": "📅 Connect calendar",
    "btn_update_email": "✉️ Update e-mail",
    "btn_unregister": "🚪 Leave the system",
    "btn_unregister_yes": "Yes, leave",
    "btn_stay": "No, stay",
    "btn_approve": "✅ Approve",
    "btn_reject": "❌ Reject",
    "btn_pending": "📝 Applications",
    "btn_active": "👥 Reps",
    "btn_yes": "Yes",
    "btn_cancel": "Cancel",
    "or": "or",
    "btn_hot": "🌶️ Hot",
    "btn_note": "📝 Note",
    "btn_status": "🔄 Status",
    "btn_followup": "⏰ Remind me",
    "btn_back": "⬅️ Back to list",
    "btn_in_hour": "In an hour",
    "btn_tomorrow": "Tomorrow 10:00",
    "btn_in_3_days": "In 3 days",
    # set_admin and the adapter
    "set_admin_ok": 'Done: hot-lead alerts of "{tenant}" will come to this chat.',
    "set_admin_private": "Send /set_admin in your team's group, and hot-lead alerts will go there.",
    "set_admin_which": "You run several agencies. Name one: /set_admin <code> ({slugs}).",
    "set_admin_refused": "Only an admin can choose the alert chat. The attempt has been logged.",
    "rate_limited": "Too many messages in a row. Please wait a moment.",
    "button_expired": "This button has expired. Send me anything and I'll show the current options.",
    "error": "Something went wrong. Please try again a bit later — the error has been reported.",
    "unsupported": "I understand text and buttons. Please write in words.",
    # names of statuses and temperatures
    "rep_status.pending": "pending review",
    "rep_status.active": "active rep",
    "rep_status.suspended": "suspended",
    "rep_status.removed": "removed",
    "calendar_connected": "connected ✓",
    "calendar_not_connected": "not connected",
    "temperature.burning": "burning",
    "temperature.hot": "hot",
    "temperature.warm": "warm",
    "temperature.cold": "cold",
    "client_status.new": "new",
    "client_status.qualifying": "qualifying",
    "client_status.qualified": "qualified",
    "client_status.contact_captured": "contact captured",
    "client_status.viewing_scheduled": "viewing scheduled",
    "client_status.handed_off": "handed off",
    "client_status.converted": "converted",
    "client_status.won": "won",
    "client_status.lost": "lost",
    "client_status.unreached": "unreached",
    "client_status.contacted": "contacted",
    "client_status.in_conversation": "in conversation",
    "client_status.archived": "archived",
    # questions a lead asked that the listing data could not answer (agent.services.questions)
    "question_card": (
        "❓ Lead {lead} asks about {listing}: {question}\n\n"
        "Reply to this message with the answer, and I'll pass it on ({language})."
    ),
    "question_card_general": (
        "❓ Lead {lead} asks: {question}\n\nReply to this message with the answer, and I'll pass it on ({language})."
    ),
    "question_reminder": (
        "⏰ Lead {lead} is still waiting for your answer: {question}\n\n"
        "Reply to this message with the answer, and I'll pass it on."
    ),
    "question_relayed": "✅ Sent to {lead}.",
    "question_recorded": "✅ Noted on {lead}'s record. I can't reach them in Telegram, so please contact them directly.",
    "question_not_delivered": "⚠️ I couldn't deliver your answer to {lead} just now. Please send it again in a minute.",
    "question_already_answered": "{lead}'s question has already been answered.",
    "question_not_yours": "Only the lead's agent or an admin can answer this question. The attempt has been logged.",
    # the dashboard and API tokens (bot.dashboard)
    "dashboard_link": "Your sign-in link to the dashboard (works once, for 10 minutes; don't forward it):\n{url}",
    "dashboard_button": "Dashboard",
    "dashboard_open": "Or open the dashboard right here in Telegram:",
    "dashboard_refused": "The dashboard is for active reps and admins. If you have applied, wait until an admin approves you.",
    "api_tokens_admins_only": "Only an admin can manage API tokens.",
    "api_token_created": "New API token “{name}” ({prefix}). Copy it now: it is shown only once.\n\n{token}\n\nSend it as the header Authorization: Bearer <token>.",
    "api_tokens_none": "Your agency has no API tokens yet. Write “new API token <name>” to create one.",
    "api_tokens_head": "API tokens of {agency}:",
    "api_token_line": "{prefix}… · {name} · {state}",
    "api_token_live": "last used {used}",
    "api_token_never_used": "never used",
    "api_token_revoked_state": "revoked",
    "api_token_revoked": "API token {prefix}… (“{name}”) is revoked: it no longer opens anything.",
    "api_token_not_found": "No single live API token starts with “{prefix}”. Write “API tokens” to see them.",
}
