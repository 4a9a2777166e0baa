"""The languages the agent speaks, and how amounts are shortened; the words themselves live in prompts/."""

from __future__ import annotations

from decimal import Decimal

LANGUAGES = ("en", "ru", "fa", "ar")


def language_of(language: str | None) -> str:
    """One of LANGUAGES: a supported code (or its region variant, "ru-RU"), else English."""
    code = (language or "en").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def compact_amount(amount: Decimal | float | int) -> str:
    """1200000 -> "1.2M", 450000 -> "450K", 2500 -> "2,500": short enough for a 160-character message."""
    value = float(amount)
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if value >= size and (value >= 10 * size or value % (size / 10) == 0):
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"
