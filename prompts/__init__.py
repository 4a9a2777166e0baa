"""The texts a lead, a rep or an admin reads, in the four languages the agent speaks (en, ru, fa, ar).

One package per language, one module per area (see `prompts.catalogue`): `sales` (the system and phase
prompts, the offline model's reply templates, and what the lead bot says itself), `team` (the team bot),
`cards` (what the team bot sends on its own: alerts, drafts to approve, prospects), `calendar` (calendar
messages), `followups` (follow-up and outreach texts), `vocabulary` (the words for what a lead asked for)
and `scoring` (why a lead scored its points). `text()` fetches and fills one; the modules beside this one
render the texts that need a little grammar (`vocabulary`, `followups`, `scarcity`, `calendar`, `alerts`,
`scoring`). Placeholders are filled where the texts are used. `prompts.model` holds what only the model
reads, in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from prompts.catalogue import LANGUAGES, area_module, language_code, named, text

__all__ = ["LANGUAGES", "LanguagePack", "language_code", "named", "pack", "reply", "text"]


@dataclass(frozen=True)
class LanguagePack:
    code: str
    name: str
    system: str
    phases: dict[str, str]
    replies: dict[str, str]

    def moment(self, when: datetime | str) -> str:
        """A viewing time for the lead on its own wall clock, in this language's locale: "Fri 2 Jan, 11:00"."""
        from prompts.calendar import moment_label

        if isinstance(when, str):
            try:
                moment = datetime.fromisoformat(when)
            except ValueError:
                return when
        else:
            moment = when
        return moment_label(moment, self.code)

    def reply(self, key: str, **values: object) -> str:
        """A reply template filled in; English when this language lacks the key."""
        return text(self.code, "sales", key, **values)


@cache
def pack(language: str | None) -> LanguagePack:
    """The sales prompts of a language (English for an unknown code)."""
    module = area_module(language, "sales")
    phases = {
        name.removesuffix("_PROMPT").lower(): value
        for name, value in vars(module).items()
        if name.endswith("_PROMPT") and name != "SYSTEM_PROMPT"
    }
    return LanguagePack(
        code=language_code(language),
        name=module.LANGUAGE_NAME,
        system=module.SYSTEM_PROMPT,
        phases=phases,
        replies=module.REPLIES,
    )


def reply(language: str | None, key: str, **values: object) -> str:
    return pack(language).reply(key, **values)
