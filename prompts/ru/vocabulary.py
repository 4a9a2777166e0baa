"""Russian words for what a lead asked for, and the counted phrases (bedrooms, units left, viewings booked)."""

from __future__ import annotations

from typing import Final

from prompts.plurals import counted

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
    # a listing whose title is in another language: "Вилла, 3 спальни, Canggu — «Quiet pool villa»"
    "descriptor": "{kind}, {bedrooms}, {place}",
    "descriptor_plain": "{kind}, {place}",
    "quoted": "«{title}»",
    # a listing's amenities (agent.core.policies.amenities)
    "amenity.pool": "бассейн",
    "amenity.shared_pool": "общий бассейн",
    "amenity.plunge_pool": "небольшой бассейн",
    "amenity.infinity_pool": "бассейн инфинити",
    "amenity.garden": "сад",
    "amenity.parking": "парковка",
    "amenity.garage": "гараж",
    "amenity.air_conditioning": "кондиционер",
    "amenity.kitchen": "кухня",
    "amenity.wifi": "вайфай",
    "amenity.cleaning_service": "уборка",
    "amenity.housekeeping": "ежедневная уборка",
    "amenity.security": "охрана 24/7",
    "amenity.staff_room": "комната для персонала",
    "amenity.gym": "спортзал",
    "amenity.spa": "спа",
    "amenity.sauna": "сауна",
    "amenity.jacuzzi": "джакузи",
    "amenity.rooftop": "терраса на крыше",
    "amenity.terrace": "терраса",
    "amenity.balcony": "балкон",
    "amenity.elevator": "лифт",
    "amenity.laundry": "прачечная",
    "amenity.washing_machine": "стиральная машина",
    "amenity.dishwasher": "посудомоечная машина",
    "amenity.bbq": "мангал",
    "amenity.playground": "детская площадка",
    "amenity.concierge": "консьерж",
    "amenity.cinema": "домашний кинотеатр",
    "amenity.restaurant": "ресторан",
    "amenity.yoga_deck": "площадка для йоги",
    "amenity.board_storage": "место для досок",
    "amenity.storage": "кладовая",
    "amenity.rental_management": "управление арендой",
    "amenity.ocean_view": "вид на океан",
    "amenity.rice_field_view": "вид на рисовые поля",
    "amenity.jungle_view": "вид на джунгли",
    "amenity.river_view": "вид на реку",
    "amenity.mountain_view": "вид на горы",
    "amenity.city_view": "вид на город",
    "amenity.road_access": "подъезд к участку",
    "amenity.electricity": "электричество",
    "amenity.water": "водоснабжение",
    "amenity.commercial_zoning": "коммерческое назначение",
}


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form after a number (CLDR's rule): 1 спальня, 2 спальни, 5 спален, 21 спальня."""
    return counted(n, "ru", {"one": one, "few": few, "many": many, "other": many})


def bedrooms(n: int) -> str:
    return f"{n} {plural(n, 'спальня', 'спальни', 'спален')}"


def units_left(n: int) -> str:
    if n == 1:
        return "Остался последний свободный вариант"
    return f"Осталось всего {n} {plural(n, 'свободный вариант', 'свободных варианта', 'свободных вариантов')}"


def recent_bookings(n: int) -> str:
    return f"{n} {plural(n, 'просмотр', 'просмотра', 'просмотров')} забронировано за последние 7 дней"
