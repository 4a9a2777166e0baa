"""Arabic words for what a lead asked for, and the counted phrases (bedrooms, units left, viewings booked)."""

from __future__ import annotations

from typing import Final

from prompts.plurals import counted

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
    # a listing whose title is in another language: "فيلا في Canggu، 3 غرف نوم — «Quiet pool villa»"
    "descriptor": "{kind} في {place}، {bedrooms}",
    "descriptor_plain": "{kind} في {place}",
    "quoted": "«{title}»",
    # a listing's amenities (agent.core.policies.amenities)
    "amenity.pool": "مسبح",
    "amenity.shared_pool": "مسبح مشترك",
    "amenity.plunge_pool": "مسبح صغير",
    "amenity.infinity_pool": "مسبح لا متناهي",
    "amenity.garden": "حديقة",
    "amenity.parking": "موقف سيارات",
    "amenity.garage": "مرآب",
    "amenity.air_conditioning": "تكييف",
    "amenity.kitchen": "مطبخ",
    "amenity.wifi": "إنترنت واي فاي",
    "amenity.cleaning_service": "خدمة تنظيف",
    "amenity.housekeeping": "خدمة التدبير المنزلي",
    "amenity.security": "حراسة على مدار الساعة",
    "amenity.staff_room": "غرفة للعاملين",
    "amenity.gym": "صالة رياضية",
    "amenity.spa": "منتجع صحي",
    "amenity.sauna": "ساونا",
    "amenity.jacuzzi": "جاكوزي",
    "amenity.rooftop": "سطح مع تراس",
    "amenity.terrace": "شرفة واسعة",
    "amenity.balcony": "شرفة",
    "amenity.elevator": "مصعد",
    "amenity.laundry": "غرفة غسيل",
    "amenity.washing_machine": "غسالة",
    "amenity.dishwasher": "غسالة صحون",
    "amenity.bbq": "شواء",
    "amenity.playground": "ملعب أطفال",
    "amenity.concierge": "خدمة كونسيرج",
    "amenity.cinema": "سينما منزلية",
    "amenity.restaurant": "مطعم",
    "amenity.yoga_deck": "منصة لليوغا",
    "amenity.board_storage": "مخزن لألواح ركوب الأمواج",
    "amenity.storage": "مخزن",
    "amenity.rental_management": "إدارة التأجير",
    "amenity.ocean_view": "إطلالة على المحيط",
    "amenity.rice_field_view": "إطلالة على حقول الأرز",
    "amenity.jungle_view": "إطلالة على الغابة",
    "amenity.river_view": "إطلالة على النهر",
    "amenity.mountain_view": "إطلالة على الجبال",
    "amenity.city_view": "إطلالة على المدينة",
    "amenity.road_access": "طريق وصول",
    "amenity.electricity": "كهرباء",
    "amenity.water": "إمدادات مياه",
    "amenity.commercial_zoning": "تصنيف تجاري",
}


def bedrooms(n: int) -> str:
    """After 3 to 10 the plural, after 11 to 99 (and 100 and more) the singular; one and two have their own."""
    return counted(
        n,
        "ar",
        {"one": "غرفة نوم واحدة", "two": "غرفتا نوم", "few": f"{n} غرف نوم", "other": f"{n} غرفة نوم"},
    )


def units_left(n: int) -> str:
    return counted(
        n,
        "ar",
        {
            "one": "تبقّت وحدة واحدة فقط",
            "two": "تبقّت وحدتان فقط",
            "few": f"تبقّت {n} وحدات فقط",
            "other": f"تبقّت {n} وحدة فقط",
        },
    )


def recent_bookings(n: int) -> str:
    noun = counted(n, "ar", {"two": "معاينتان", "few": f"{n} معاينات", "other": f"{n} معاينة"})
    return f"تم حجز {noun} خلال آخر 7 أيام"
