"""English: a person taking a lead's conversation over from the AI, and handing it back."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # buttons (team bot)
    "btn_take_over": "🙋 Take over",
    "btn_hand_back": "🤖 Hand back",
    # taking over
    "taken": "🙋 You are talking to {lead} in person now; the AI stays quiet. Their messages come here: reply to "
    "one (or just write, while {lead} is the only client you talk to) and the lead bot sends your words. "
    "Tap Hand back when you are done.",
    "already_yours": "You are already talking to {lead}.",
    "taken_from_rep": "🙋 {person} has taken over the conversation with your client {lead}.",
    "taken_from_you": "🙋 {person} has taken over the conversation with {lead}; their messages go to {person} now.",
    "refused_not_yours": "{lead} is not your client: only their rep or an admin can take the conversation over.",
    "refused_busy": "{person} is already talking to {lead}.",
    "lead_gone": "That client is no longer there.",
    # handing back
    "handed_back": "🤖 {lead} is back with the AI, which knows what you said.",
    "handed_back_to_you": "🤖 {person} handed {lead} back to the AI.",
    "not_taken": "Nobody has taken {lead} over: the AI is talking to them.",
    "refused_hand_back": "Only {person}, who is talking to {lead}, or an admin can hand the conversation back.",
    "nothing_to_hand_back": "You are not talking to any client in person.",
    # the lead's messages, forwarded to the person
    "forward_text": "💬 {lead}: {text}",
    "forward_voice": "🎤 {lead} (voice): {text}",
    "forward_voice_empty": "🎤 {lead} sent a voice message (no transcript).",
    "forward_contact": "📞 {lead} shared a phone number: {text}",
    "forward_button": "🔘 {lead} pressed: {text}",
    "forward_start": "▶️ {lead} pressed Start again.",
    "forward_hint": "↩️ Reply to this message to answer {lead}.",
    # the person's words, relayed to the lead
    "sent": "✉️ Sent to {lead}.",
    "not_sent": "⚠️ Not delivered to {lead}: they may have blocked the bot.",
    "maybe_sent": "⚠️ Telegram did not confirm it reached {lead}; check before sending it again.",
    "throttled": "⏳ Telegram asks us to slow down: send it again in a minute.",
    "no_channel": "{lead} cannot be written to: they have no chat with the agency's lead bot.",
    "not_talking": "You are not talking to {lead} now: tap Take over first.",
    "several_threads": "You are talking to several clients: reply to one of their forwarded messages so I know "
    "whom your words are for.",
    # finding the client a free-text "I'll take Tom" names
    "confirm_take": "Take over the conversation with {lead}? Tap the button to confirm.",
    "refused_no_chat": "I can't reach you in the team bot yet: open it and press Start, then take {lead} over; otherwise {lead}'s messages would have nowhere to go.",
    "unreachable_handed_back": "🤖 {person} can't be reached in the team bot, so {lead} is back with the AI, which answers them again.",
    "timeline_unreachable": "Handed back to the AI: {person} could not be reached in the team bot",
    "which_one": "Several clients match “{name}”: which one?",
    "no_match": "I found no client called “{name}” among yours.",
    # the lead's timeline
    "timeline_taken": "{person} took the conversation over from the AI.",
    "timeline_handed_back": "{person} handed the conversation back to the AI.",
    "someone": "a colleague",
    # the web dashboard
    "web_talking": "🙋 {person} is talking to this lead; the AI does not answer them.",
    "web_hint": "While you talk, the AI does not answer this lead; their messages go to you in the team bot, "
    "and what you reply there is sent to them.",
    "web_take_over": "Take over",
    "web_hand_back": "Hand back to the AI",
}
