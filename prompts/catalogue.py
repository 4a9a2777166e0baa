"""The catalogue: every text a lead, a rep or an admin reads, per language and per area.

A language is a package (`prompts/en/`, `prompts/ru/`, ...) with one module per area (`Area`). Each
area module holds `TEXTS`, a flat dict of key -> template with `{placeholders}` (the sales area calls it
`REPLIES`); the names of enum values are keyed `<kind>.<value>` ("rep_status.pending"). Counted phrases
whose grammar a template cannot carry (Russian and Arabic plurals) are small functions in the vocabulary
module. tests/platform/test_prompts.py checks that every key exists in every language and that placeholders
agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Literal, get_args

from agent.core.policies.vocabulary import LANGUAGES, language_of

Area = Literal[
    "sales",
    "team",
    "cards",
    "calendar",
    "followups",
    "vocabulary",
    "scoring",
    "privacy",
    "web",
    "web_leads",
    "web_admin",
    "web_analytics",
    "web_agenda",
    "web_integrations",
    "outcomes",
    "takeover",
    "insights",
    "conversion",
]
AREAS: tuple[Area, ...] = get_args(Area)
FALLBACK = "en"

language_code = language_of
"""One of LANGUAGES: "ru-RU" -> "ru"; anything unknown -> "en"."""

__all__ = [
    "AREAS",
    "FALLBACK",
    "LANGUAGES",
    "Area",
    "area_module",
    "language_code",
    "named",
    "templates",
    "text",
]


def area_module(language: str | None, area: Area) -> ModuleType:
    """The module of one area in a language (English for an unknown language)."""
    return _module(language_code(language), area)


@cache
def _module(code: str, area: Area) -> ModuleType:
    return import_module(f"prompts.{code}.{area}")


def templates(language: str | None, area: Area) -> Mapping[str, str]:
    """The texts of one area in a language, key -> template."""
    module = area_module(language, area)
    table: Mapping[str, str] = module.REPLIES if area == "sales" else module.TEXTS
    return table


def text(language: str | None, area: Area, key: str, /, **values: object) -> str:
    """The text `key` of an area in `language`, `{placeholders}` filled; English when the language lacks it."""
    template = templates(language, area).get(key) or templates(FALLBACK, area)[key]
    return template.format(**values)


def named(language: str | None, area: Area, kind: str, value: str | None, /) -> str | None:
    """The word for an enum value ("rep_status", "pending") in `language`; None when it has no name."""
    if not value:
        return None
    key = f"{kind}.{value}"
    return templates(language, area).get(key) or templates(FALLBACK, area).get(key)
