"""Prompts and reply templates of the sales agent, one module per language (en, ru, fa, ar).

Each language module holds SYSTEM_PROMPT, one <PHASE>_PROMPT per sales phase, LANGUAGE_NAME and REPLIES
(the offline model's templates). Placeholders are filled where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import import_module

LANGUAGES = ("en", "ru", "fa", "ar")


@dataclass(frozen=True)
class LanguagePack:
    code: str
    name: str
    system: str
    phases: dict[str, str]
    replies: dict[str, str]
    weekdays: tuple[str, ...]

    def moment(self, when: datetime | str) -> str:
        """A viewing time for the lead: "Fri 02.01 11:00" with the weekday in this language."""
        if isinstance(when, str):
            try:
                moment = datetime.fromisoformat(when)
            except ValueError:
                return when
        else:
            moment = when
        return f"{self.weekdays[moment.weekday()]} {moment:%d.%m %H:%M}"

    def reply(self, key: str, **values: object) -> str:
        """A reply template filled in; English when this language lacks the key."""
        template = self.replies.get(key) or pack("en").replies[key]
        return template.format(**values)


def language_code(language: str | None) -> str:
    """One of LANGUAGES: "ru-RU" -> "ru"; anything unknown -> "en"."""
    code = (language or "en").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "en"


@cache
def pack(language: str | None) -> LanguagePack:
    """The prompts of a language (English for an unknown code)."""
    code = language_code(language)
    module = import_module(f"prompts.{code}")
    phases = {
        name.removesuffix("_PROMPT").lower(): value
        for name, value in vars(module).items()
        if name.endswith("_PROMPT") and name != "SYSTEM_PROMPT"
    }
    return LanguagePack(
        code=code,
        name=module.LANGUAGE_NAME,
        system=module.SYSTEM_PROMPT,
        phases=phases,
        replies=module.REPLIES,
        weekdays=module.WEEKDAYS,
    )


def reply(language: str | None, key: str, **values: object) -> str:
    return pack(language).reply(key, **values)
