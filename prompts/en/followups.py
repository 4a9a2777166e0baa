"""English follow-up texts, at most 160 characters once filled (agent.core.policies.followup_text)."""

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
}
