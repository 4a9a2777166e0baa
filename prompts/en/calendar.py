"""English texts of the calendar features: connecting Google Calendar, viewings, reminders, a rep's changes."""

from __future__ import annotations

from typing import Final

LOCALE: Final = "en_GB"
"""The Babel locale viewing dates and times are written in (day, month and digits of this language)."""

TEXTS: Final[dict[str, str]] = {
    # Connecting Google Calendar (team bot, to the rep)
    "connect_prompt": (
        "Let's connect your Google Calendar so viewings land on it.\n\n"
        "1. Open this link and sign in with your {domain} account:\n"
        "{url}\n"
        "2. Allow access. Your browser then shows an address starting with {redirect} (the page "
        "itself may not load; that is expected).\n"
        "3. Copy that whole address and send it to me.\n\n"
        "The link works for {minutes} minutes."
    ),
    "connect_prompt_callback": (
        "Let's connect your Google Calendar so viewings land on it.\n\n"
        "Open this link, sign in with your {domain} account and allow access:\n"
        "{url}\n\n"
        "I will confirm here as soon as it is done. The link works for {minutes} minutes."
    ),
    "connected": "Calendar connected ✓ ({account}). New viewings will appear in it.",
    "calendar_status_connected": "Calendar: connected ✓ ({account})",
    "calendar_status_internal": "Calendar: internal (Google Calendar not connected)",
    "calendar_status_unchecked": "Calendar: {account}, could not be checked right now",
    "link_expired": "That authorization link has expired. Here is a fresh one.",
    "no_pending_link": 'I have no calendar link waiting for you. Say "connect calendar" and I will send one.',
    "wrong_domain": (
        "{email} is not a {domain} account. Please sign in with your corporate account and send "
        "me the new address."
    ),
    "denied": "Google says access was not allowed. Open the link again and press Allow.",
    "missing_permissions": "Some calendar permissions were left unticked. Open the link again and allow all of them.",
    "code_rejected": "Google did not accept that code (it may be used or too old). Here is a fresh link.",
    "not_a_code": (
        "That does not look like the address from Google. Copy the whole address from the "
        "browser bar after you allowed access."
    ),
    "google_unavailable": "Google is not answering right now. Please send the same address again in a few minutes.",
    "google_not_configured": (
        "Google Calendar is not set up for this team yet, so your viewings use the internal calendar."
    ),
    "reconnect_needed": (
        "Your Google Calendar access has expired or was revoked. Until you reconnect, viewings "
        'go to the internal calendar. Say "connect calendar" to reconnect.'
    ),
    # Viewings (lead bot to the lead, team bot to the rep)
    "event_summary": "Viewing: {title} — {lead}",
    "a_property": "a property",
    "booked_lead": "Your viewing is booked: {title}, {when}, with {rep}.{link}",
    "booked_rep": "New viewing: {title}, {when}, with {lead}.{link}",
    "moved_lead": "Your viewing is moved: {title}, now {when}.{link}",
    "moved_rep": "Viewing moved: {title} with {lead}, now {when}.{link}",
    "cancelled_lead": "Your viewing ({title}, {when}) is cancelled. Write any time to pick a new one.",
    "cancelled_rep": "Viewing cancelled: {title} with {lead}, {when}.",
    "meeting_link": ("\nVideo call: {url}"),
    "invitation_caption": "Add it to your calendar",
    # Reminders
    "reminder_lead_24h": "Reminder: your viewing of {title} is tomorrow, {when}, with {rep}.{where}{link}",
    "reminder_lead_1h": "Your viewing of {title} starts in an hour, {when}.{where}{link} See you soon!",
    "reminder_rep_24h": "Tomorrow: viewing of {title} with {lead} ({phone}), {when}.{where}{link}",
    "reminder_rep_1h": "In an hour: viewing of {title} with {lead} ({phone}), {when}.{where}{link}",
    "where": ("\nAddress: {address}"),
    "outcome_question": (
        "How did the viewing of {title} with {lead} go ({when})? Reply: attended, interested, "
        "made an offer, not interested or no-show."
    ),
    "outcome_recorded": "Thanks, noted for {lead}: {outcome}.",
    "outcome_attended": "attended",
    "outcome_interested": "interested",
    "outcome_not_interested": "not interested",
    "outcome_no_show": "no-show",
    "outcome_made_offer": "made an offer",
    # A rep moves or cancels a viewing from the team bot
    "rep_viewing_none": "You have no upcoming viewings to change.",
    "rep_viewing_which": "Which viewing?",
    "rep_viewing_choice": "{when}, {lead}",
    "rep_viewing_refused": "This viewing is not assigned to you, so I can't change it.",
    "rep_viewing_gone": "That viewing is no longer upcoming.",
    "rep_viewing_options": "That time is not free. Free times for the viewing with {lead}:",
    "rep_viewing_pick_time": "When should the viewing with {lead} be? Reply with a time, or pick one:",
    "rep_viewing_no_free_time": "You have no other free time in the next two weeks.",
    "rep_viewing_cancel_confirm": "Cancel the viewing of {title} with {lead}, {when}? The client will be told.",
    "button_reschedule": "Reschedule",
    "button_cancel": "Cancel",
    "button_cancel_confirm": "Yes, cancel it",
    # A viewing the lead cannot have (book_viewing, reschedule_viewing, cancel_viewing)
    "unavailable.no_rep": "No agent can host viewings right now. I can pass your request to the team.",
    "unavailable.no_free_slot": "There are no free viewing times in the next two weeks.",
    "unavailable.listing_unavailable": "That listing is not available for a viewing.",
    # Booking as a person would (book_viewing's proposals, days off, times that cannot be booked)
    "proposal": "{when} works for a viewing of {title}. Shall I book it?",
    "proposal_more": "I also have {times}.",
    "day_off": "Our agent doesn't hold viewings on {day}. The nearest days are {days}: which suits you?",
    "invalid.past": "That time has already passed. Which day and time would suit you?",
    "invalid.too_far": "I can book viewings up to a year ahead. Which date within that would suit you?",
    "invalid.no_such_time": "There is no such time on the clock ({said}). What time would suit you?",
    "needs_listing": "Which listing would you like to see?",
    "needs_listing_open": "Which listing would you like to see? Tell me its name, or what you're looking for and I'll show you some.",
    "no_phone_contact": "Our agent will contact you here in this chat.",
    "proposal_phone": "And what's the best phone number for our agent to reach you?",
    "choice_yes": "✅ {when}",
    "times_on_day": "{day}: {times}",
    "lead_viewing_none": "There is no upcoming viewing to change.",
    "lead_viewing_no_free_time": "Your agent has no other free time in the next two weeks.",
    # The page the rep's browser shows after Google's consent screen (bot.calendar)
    "page_title": "Calendar",
    "page_connected": "Calendar connected ✓",
    "page_not_connected": "Calendar not connected",
    "page_no_state": "This address is missing its state.",
    "page_unknown_link": "This link is unknown or already used. Ask the bot for a new one.",
    "page_close_tab": "You can close this tab and go back to Telegram.",
}
