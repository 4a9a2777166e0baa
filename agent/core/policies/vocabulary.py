"""The words policies use for what a lead asked for, in the four languages the agent speaks."""

from __future__ import annotations

from decimal import Decimal

LANGUAGES = ("en", "ru", "fa", "ar")

PROPERTY_TYPE_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "villa": "villa",
        "apartment": "apartment",
        "townhouse": "townhouse",
        "house": "house",
        "land": "plot",
    },
    "ru": {
        "villa": "вилла",
        "apartment": "квартира",
        "townhouse": "таунхаус",
        "house": "дом",
        "land": "участок",
    },
    "fa": {
        "villa": "ویلا",
        "apartment": "آپارتمان",
        "townhouse": "تاون‌هاوس",
        "house": "خانه",
        "land": "زمین",
    },
    "ar": {"villa": "فيلا", "apartment": "شقة", "townhouse": "تاون هاوس", "house": "منزل", "land": "أرض"},
}

TRANSACTION_NAMES: dict[str, dict[str, str]] = {
    "en": {"sale": "to buy", "rent": "to rent"},
    "ru": {"sale": "покупка", "rent": "аренда"},
    "fa": {"sale": "خرید", "rent": "اجاره"},
    "ar": {"sale": "شراء", "rent": "إيجار"},
}

# What a lead who knows nothing else is looking for: "a home" / "недвижимость".
ANY_PROPERTY: dict[str, str] = {"en": "a home", "ru": "недвижимость", "fa": "ملک", "ar": "عقار"}

LIST_SEPARATOR: dict[str, str] = {"en": ", ", "ru": ", ", "fa": "، ", "ar": "، "}


def language_of(language: str | None) -> str:
    """One of LANGUAGES: a supported code (or its region variant, "ru-RU"), else English."""
    code = (language or "en").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """Russian noun form after a number: 1 спальня, 2 спальни, 5 спален, 21 спальня."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def bedrooms_phrase(n: int, language: str) -> str:
    lang = language_of(language)
    if lang == "ru":
        return f"{n} {ru_plural(n, 'спальня', 'спальни', 'спален')}"
    if lang == "fa":
        return f"{n} خوابه"
    if lang == "ar":
        if n == 1:
            return "غرفة نوم واحدة"
        if n == 2:
            return "غرفتا نوم"
        return f"{n} غرف نوم" if 3 <= n <= 10 else f"{n} غرفة نوم"
    return f"{n}-bedroom"


def compact_amount(amount: Decimal | float | int) -> str:
    """1200000 -> "1.2M", 450000 -> "450K", 2500 -> "2,500": short enough for a 160-character message."""
    value = float(amount)
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if value >= size and (value >= 10 * size or value % (size / 10) == 0):
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"


def budget_phrase(
    budget_min: Decimal | float | None,
    budget_max: Decimal | float | None,
    currency: str | None,
    language: str,
) -> str | None:
    """ "up to 1.2M AED", "from 300K USD", "300K–500K USD" in the reader's language; None when unknown."""
    lang = language_of(language)
    unit = f" {currency}" if currency else ""
    up_to = {"en": "up to", "ru": "до", "fa": "تا", "ar": "حتى"}[lang]
    from_ = {"en": "from", "ru": "от", "fa": "از", "ar": "من"}[lang]
    if budget_min is not None and budget_max is not None and budget_min != budget_max and budget_min > 0:
        return f"{compact_amount(budget_min)}–{compact_amount(budget_max)}{unit}"
    if budget_max is not None:
        return f"{up_to} {compact_amount(budget_max)}{unit}"
    if budget_min is not None:
        return f"{from_} {compact_amount(budget_min)}{unit}"
    return None
