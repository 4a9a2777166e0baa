"""Arabic words for what a lead asked for, and the counted phrases (bedrooms, units left, viewings booked)."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "property_type.villa": "فيلا",
    "property_type.apartment": "شقة",
    "property_type.townhouse": "تاون هاوس",
    "property_type.house": "منزل",
    "property_type.land": "أرض",
    "transaction.sale": "شراء",
    "transaction.rent": "إيجار",
    # what a lead who named no kind of property is looking for
    "any_property": "عقار",
    "list_separator": "، ",
    # between the parts of a wish in a follow-up
    "wish_separator": "، ",
    "in_place": "{place}",
    "budget_up_to": "حتى {amount}",
    "budget_from": "من {amount}",
}


def bedrooms(n: int) -> str:
    if n == 1:
        return "غرفة نوم واحدة"
    if n == 2:
        return "غرفتا نوم"
    return f"{n} غرف نوم" if 3 <= n <= 10 else f"{n} غرفة نوم"


def units_left(n: int) -> str:
    if n == 1:
        return "تبقّت وحدة واحدة فقط"
    return "تبقّت وحدتان فقط" if n == 2 else f"تبقّت {n} وحدات فقط"


def recent_bookings(n: int) -> str:
    noun = "معاينتان" if n == 2 else ("معاينات" if 3 <= n <= 10 else "معاينة")
    count = "" if n == 2 else f"{n} "
    return f"تم حجز {count}{noun} خلال آخر 7 أيام"
