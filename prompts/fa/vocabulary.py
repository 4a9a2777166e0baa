"""Persian words for what a lead asked for, and the counted phrases (bedrooms, units left, viewings booked)."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "property_type.villa": "ویلا",
    "property_type.apartment": "آپارتمان",
    "property_type.townhouse": "تاون‌هاوس",
    "property_type.house": "خانه",
    "property_type.land": "زمین",
    "transaction.sale": "خرید",
    "transaction.rent": "اجاره",
    # what a lead who named no kind of property is looking for
    "any_property": "ملک",
    "list_separator": "، ",
    # between the parts of a wish in a follow-up
    "wish_separator": "، ",
    "in_place": "{place}",
    "budget_up_to": "تا {amount}",
    "budget_from": "از {amount}",
}

_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def digits(n: int) -> str:
    """A number in Persian digits: 3 -> "۳"."""
    return str(n).translate(_DIGITS)


def bedrooms(n: int) -> str:
    return f"{n} خوابه"


def units_left(n: int) -> str:
    return f"فقط {digits(n)} واحد باقی مانده است"


def recent_bookings(n: int) -> str:
    return f"{digits(n)} بازدید در ۷ روز گذشته رزرو شده است"
