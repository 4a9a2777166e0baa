"""The words of won/lost deals: a text of the `outcomes` area, and the name of an outcome or a reason code."""

from __future__ import annotations

from prompts.catalogue import named, text


def say(language: str | None, key: str, /, **values: object) -> str:
    """The `outcomes` text `key` in `language`, `{placeholders}` filled."""
    return text(language, "outcomes", key, **values)


def reason_name(language: str | None, code: str | None) -> str:
    """A reason code in words: a default code's name, else an agency's own code as written ("site_visit" ->
    "site visit"); empty for none."""
    if not code:
        return ""
    return named(language, "outcomes", "reason", code) or code.replace("_", " ")


def outcome_name(language: str | None, outcome: str) -> str:
    return named(language, "outcomes", "outcome", outcome) or outcome
