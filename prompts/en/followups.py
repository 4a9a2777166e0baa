"""English follow-up texts (at most 160 characters once filled: agent.core.policies.followup_text), outreach and e-mail lines."""

from __future__ import annotations

from typing import Final

# {hi}: the greeting; {wish}: what the lead asked for; {match}: a real listing's title.
TEXTS: Final[dict[str, str]] = {
    "check_in": "{hi}, still looking for {wish}? I can send fresh options or book a viewing.",
    "ghost": "{hi}, any news on your search for {wish}? Reply when it suits you.",
    "listings": "{hi}, did any of the options for {wish} catch your eye? I can book a viewing.",
    "viewing": "{hi}, would you like to see {wish} in person? Tell me a day that suits you.",
    "match": "{hi}, a new listing matches your search for {wish}: {match}. Want details?",
    # when we know nothing of what the lead wants: an honest question instead of a made-up wish
    "generic": "{hi}, just checking in. What kind of property are you looking for? I'm happy to help.",
    "hello_named": "Hi {name}",
    "hello": "Hi",
    # Ghost Protocol, only when the catalog really has a listing that fits ({match})
    "ghost_match": "{hi}, my colleague found a property that fits what you wanted ({wish}): {match}. When can you talk?",
    # outreach: the first message to a prospect, and the line that ends its e-mail
    "outreach_opener": "Hi {name}, I'm {rep} from {agency}. You mentioned: “{context}”. I can put together suitable options and answer any questions. When would suit you for a quick chat?",
    "outreach_opener_no_context": "Hi {name}, I'm {rep} from {agency}. I'd be glad to help with your property search. What are you looking for?",
    "outreach_email_link": "Write to us on Telegram: {link}",
    # the subject of a follow-up e-mail, before the agency's name
    "email_subject": "Your property search",
}
