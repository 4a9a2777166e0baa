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
    # a listing whose title is in another language: "ویلا ۳ خوابه در Canggu — «Quiet pool villa»"
    "descriptor": "{kind} {bedrooms} در {place}",
    "descriptor_plain": "{kind} در {place}",
    "quoted": "«{title}»",
    # a listing's amenities (agent.core.policies.amenities)
    "amenity.pool": "استخر",
    "amenity.shared_pool": "استخر مشترک",
    "amenity.plunge_pool": "استخر کوچک",
    "amenity.infinity_pool": "استخر اینفینیتی",
    "amenity.garden": "باغ",
    "amenity.parking": "پارکینگ",
    "amenity.garage": "گاراژ",
    "amenity.air_conditioning": "تهویه مطبوع",
    "amenity.kitchen": "آشپزخانه",
    "amenity.wifi": "اینترنت وای‌فای",
    "amenity.cleaning_service": "خدمات نظافت",
    "amenity.housekeeping": "خدمات خانه‌داری",
    "amenity.security": "نگهبانی شبانه‌روزی",
    "amenity.staff_room": "اتاق خدمه",
    "amenity.gym": "باشگاه ورزشی",
    "amenity.spa": "اسپا",
    "amenity.sauna": "سونا",
    "amenity.jacuzzi": "جکوزی",
    "amenity.rooftop": "تراس پشت‌بام",
    "amenity.terrace": "تراس",
    "amenity.balcony": "بالکن",
    "amenity.elevator": "آسانسور",
    "amenity.laundry": "رختشوی‌خانه",
    "amenity.washing_machine": "ماشین لباسشویی",
    "amenity.dishwasher": "ماشین ظرفشویی",
    "amenity.bbq": "باربیکیو",
    "amenity.playground": "زمین بازی کودکان",
    "amenity.concierge": "کانسیرج",
    "amenity.cinema": "سینمای خانگی",
    "amenity.restaurant": "رستوران",
    "amenity.yoga_deck": "سکوی یوگا",
    "amenity.board_storage": "انبار تخته موج‌سواری",
    "amenity.storage": "انباری",
    "amenity.rental_management": "مدیریت اجاره",
    "amenity.ocean_view": "چشم‌انداز اقیانوس",
    "amenity.rice_field_view": "چشم‌انداز شالیزار",
    "amenity.jungle_view": "چشم‌انداز جنگل",
    "amenity.river_view": "چشم‌انداز رودخانه",
    "amenity.mountain_view": "چشم‌انداز کوهستان",
    "amenity.city_view": "چشم‌انداز شهر",
    "amenity.road_access": "دسترسی جاده‌ای",
    "amenity.electricity": "برق",
    "amenity.water": "آب لوله‌کشی",
    "amenity.commercial_zoning": "کاربری تجاری",
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
