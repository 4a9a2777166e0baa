"""The languages the agent speaks, and how amounts are shortened; the words themselves live in prompts/."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from agent.core.nlu.language import LANGUAGES, language_of

__all__ = ["LANGUAGES", "compact_amount", "language_of", "listing_text"]


def compact_amount(amount: Decimal | float | int) -> str:
    """1200000 -> "1.2M", 450000 -> "450K", 2500 -> "2,500": short enough for a 160-character message."""
    value = float(amount)
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if value >= size and (value >= 10 * size or value % (size / 10) == 0):
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"


def listing_text(
    original: str,
    original_language: str | None,
    translations: Mapping[str, Any] | None,
    reader: str,
    field: str,
) -> tuple[str, str]:
    """A listing's `field` ("title", "description") for a reader of `reader`'s language, and the language it
    is in: the catalog's translation into that language when it has one, else the original."""
    texts = (translations or {}).get(reader)
    value = texts.get(field) if isinstance(texts, Mapping) else None
    if isinstance(value, str) and value.strip():
        return value, reader
    return original, language_of(original_language, default=original_language or "en")
