"""Russian words for what a lead asked for, and the counted phrases (bedrooms, units left, viewings booked)."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "property_type.villa": "вилла",
    "property_type.apartment": "квартира",
    "property_type.townhouse": "таунхаус",
    "property_type.house": "дом",
    "property_type.land": "участок",
    "transaction.sale": "покупка",
    "transaction.rent": "аренда",
    # what a lead who named no kind of property is looking for
    "any_property": "недвижимость",
    "list_separator": ", ",
    # between the parts of a wish in a follow-up: "вилла, покупка, 3 спальни, Canggu, до 1.2M USD"
    "wish_separator": ", ",
    "in_place": "{place}",
    "budget_up_to": "до {amount}",
    "budget_from": "от {amount}",
}


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form after a number: 1 спальня, 2 спальни, 5 спален, 21 спальня."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def bedrooms(n: int) -> str:
    return f"{n} {plural(n, 'спальня', 'спальни', 'спален')}"


def units_left(n: int) -> str:
    if n == 1:
        return "Остался последний свободный вариант"
    return f"Осталось всего {n} {plural(n, 'свободный вариант', 'свободных варианта', 'свободных вариантов')}"


def recent_bookings(n: int) -> str:
    return f"{n} {plural(n, 'просмотр', 'просмотра', 'просмотров')} забронировано за последние 7 дней"
