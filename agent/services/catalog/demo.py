"""The demo agency: a Bali catalog (Canggu, Seminyak, Ubud, Uluwatu, Sanur) and the registry's test prospects.

Prices are in USD, rents per month, sales leasehold unless said otherwise (foreigners cannot own freehold
land in Indonesia). Listings with status reserved or sold have no unit left, honestly.
"""

from __future__ import annotations

from typing import Any

DEMO_TENANT_SLUG = "demo"
DEMO_TENANT: dict[str, Any] = {
    "name": "Bali Dream Homes",
    "slug": DEMO_TENANT_SLUG,
    "time_zone": "Asia/Makassar",
    "country_code": "ID",
    "default_currency": "USD",
    "default_language": "en",
    "corporate_email_domain": "example.com",
}

# As listed in shared/specs/rep-registry-bot.md ("Test Prospects").
DEMO_PROSPECTS: list[dict[str, Any]] = [
    {
        "id": "test_prospect_001",
        "telegram_id": "@test_buyer_alex",
        "name": "Алексей Петров",
        "context": "Интересуется виллой в Чангу, бюджет $300-500k",
        "status": "unreached",
        "email": "alex.petrov@gmail.com",
        "notes": "Видел рекламу в Instagram",
        "language": "ru",
    },
    {
        "id": "test_prospect_002",
        "telegram_id": "@test_investor_maria",
        "name": "Мария Козлова",
        "context": "Инвестор, рассматривает апартаменты для сдачи в аренду",
        "status": "unreached",
        "email": "m.kozlova@yandex.ru",
        "notes": "Рекомендация от существующего клиента",
        "language": "ru",
    },
    {
        "id": "test_prospect_003",
        "telegram_id": "@test_family_dmitry",
        "name": "Дмитрий Новиков",
        "context": "Семья с детьми, ищут дом для переезда на Бали",
        "status": "unreached",
        "email": "d.novikov@mail.ru",
        "notes": "Планирует переезд через 6 месяцев",
        "language": "ru",
    },
]


def _listing(
    external_id: str,
    title: str,
    property_type: str,
    transaction: str,
    price: int,
    location: str,
    address: str,
    description: str,
    *,
    bedrooms: int | None = None,
    bathrooms: float | None = None,
    size_m2: int | None = None,
    amenities: str = "",
    pets: bool | None = None,
    furnished: bool | None = None,
    units: int = 1,
    status: str = "available",
    language: str = "en",
    english: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """One demo listing; `english` is the (title, description) of a listing written in another language."""
    return {
        "external_id": external_id,
        "title": title,
        "description": description,
        "property_type": property_type,
        "transaction": transaction,
        "price": price,
        "currency": "USD",
        "price_period": "month" if transaction == "rent" else None,
        "bedrooms": bedrooms,
        "bathrooms": bathrooms,
        "size_m2": size_m2,
        "location": location,
        "address": address,
        "units_available": units,
        "amenities": amenities,
        "pets_allowed": pets,
        "furnished": furnished,
        "status": status,
        "language": language,
        "translations": {"en": {"title": english[0], "description": english[1]}} if english else {},
    }


DEMO_LISTINGS: list[dict[str, Any]] = [
    # Canggu
    _listing("BDH-CGU-001", "Quiet 3-bedroom pool villa in Berawa", "villa", "sale", 425_000, "Canggu",
             "Jl. Pantai Berawa, Gg. Sandat, Canggu",
             "A quiet three-bedroom villa at the end of a private lane in Berawa, five minutes by scooter to "
             "Berawa beach. 10 m saltwater pool, tropical garden, open-plan living and a closed kitchen. "
             "Leasehold 27 years, extendable.",
             bedrooms=3, bathrooms=3, size_m2=220, amenities="pool;garden;parking;air conditioning;kitchen",
             pets=True, furnished=True),
    _listing("BDH-CGU-002", "Вилла с видом на рисовые поля в Переренане", "villa", "sale", 465_000, "Canggu",
             "Jl. Pantai Pererenan, Canggu",
             "Современная вилла с тремя спальнями и видом на рисовые поля в Переренане. Бассейн 10 метров, "
             "тихая улица, семь минут до пляжа. Полностью меблирована. Лизхолд 30 лет.",
             bedrooms=3, bathrooms=3.5, size_m2=240, amenities="pool;rice field view;parking;air conditioning",
             pets=False, furnished=True, language="ru",
             english=("Villa with rice-field views in Pererenan",
                      "A modern three-bedroom villa with rice-field views in Pererenan. 10 m pool, quiet street, "
                      "seven minutes to the beach. Fully furnished. Leasehold 30 years.")),
    _listing("BDH-CGU-003", "Family 4-bedroom villa with a large garden in Batu Bolong", "villa", "sale",
             780_000, "Canggu", "Jl. Batu Bolong, Canggu",
             "Spacious family villa on 6 are with a lawn for children, a 12 m pool and a staff room. "
             "Walking distance to Batu Bolong beach, cafes and international schools. Leasehold 35 years.",
             bedrooms=4, bathrooms=4, size_m2=320, amenities="pool;garden;staff room;parking;security 24/7",
             pets=True, furnished=True),
    _listing("BDH-CGU-004", "Two-bedroom villa near Echo Beach", "villa", "sale", 295_000, "Canggu",
             "Jl. Pantai Batu Mejan, Canggu",
             "Compact two-bedroom villa three minutes from Echo Beach surf break, with a plunge pool. "
             "Reserved: a deposit has been paid.",
             bedrooms=2, bathrooms=2, size_m2=150, amenities="plunge pool;air conditioning;kitchen",
             pets=False, furnished=True, units=0, status="reserved"),
    _listing("BDH-CGU-005", "Tropical 2-bedroom villa for monthly rent in Berawa", "villa", "rent", 2_400,
             "Canggu", "Jl. Raya Semat, Berawa, Canggu",
             "Bright two-bedroom villa with a private pool and garden, weekly cleaning and fast fibre wifi "
             "included. Ten minutes to Finns Beach Club. Minimum stay three months.",
             bedrooms=2, bathrooms=2, size_m2=140, amenities="pool;garden;wifi;cleaning service;air conditioning",
             pets=False, furnished=True),
    _listing("BDH-CGU-006", "Luxury 4-bedroom ocean-view villa in Pererenan", "villa", "rent", 6_500, "Canggu",
             "Jl. Pantai Mengening, Pererenan, Canggu",
             "Architect-designed villa steps from the beach with ocean views from the rooftop, a 15 m infinity "
             "pool, gym and daily housekeeping. Ideal for families or long stays.",
             bedrooms=4, bathrooms=5, size_m2=400, amenities="infinity pool;ocean view;gym;housekeeping;rooftop",
             pets=True, furnished=True),
    _listing("BDH-CGU-007", "1-bedroom loft apartment in a boutique complex", "apartment", "sale", 165_000,
             "Canggu", "Jl. Tanah Barak, Canggu",
             "Loft-style apartment in a twelve-unit complex with a shared pool, gym and rooftop. "
             "Rental management available: an investment unit with proven occupancy. Leasehold 28 years.",
             bedrooms=1, bathrooms=1, size_m2=65, amenities="shared pool;gym;rooftop;rental management",
             pets=False, furnished=True, units=3),
    _listing("BDH-CGU-008", "Studio near the coworking spaces of Canggu", "apartment", "rent", 950, "Canggu",
             "Jl. Pantai Batu Bolong, Canggu",
             "Furnished studio with kitchenette and balcony, two minutes to coworking spaces and cafes. "
             "Shared pool, wifi and weekly cleaning included.",
             bedrooms=0, bathrooms=1, size_m2=35, amenities="shared pool;wifi;cleaning service;balcony",
             pets=False, furnished=True, units=4),
    _listing("BDH-CGU-009", "2-bedroom townhouse in a gated community, Babakan", "townhouse", "sale", 245_000,
             "Canggu", "Jl. Babakan, Canggu",
             "Two-storey townhouse in a gated community with a shared pool and 24/7 security. Quiet street, "
             "close to Canggu shortcut and supermarkets. Leasehold 30 years.",
             bedrooms=2, bathrooms=2, size_m2=110, amenities="shared pool;security 24/7;parking",
             pets=True, furnished=False, units=2),
    _listing("BDH-CGU-010", "3-bedroom townhouse with shared pool in Padonan", "townhouse", "rent", 2_100,
             "Canggu", "Jl. Padonan, Canggu",
             "Family townhouse with three bedrooms, a small private garden and access to a shared pool. "
             "Unfurnished, for yearly or monthly rent.",
             bedrooms=3, bathrooms=2.5, size_m2=150, amenities="shared pool;garden;parking",
             pets=True, furnished=False),
    _listing("BDH-CGU-011", "8 are of land with rice-field view in Tumbak Bayuh", "land", "sale", 360_000,
             "Canggu", "Tumbak Bayuh, Canggu",
             "800 m² plot with an unobstructed rice-field view, road access and electricity. Zoned for "
             "residential villas. Leasehold 30 years.",
             size_m2=800, amenities="rice field view;road access;electricity"),
    _listing("BDH-CGU-012", "Вилла с бассейном у пляжа Бату Болонг", "villa", "sale", 495_000, "Canggu",
             "Jl. Batu Bolong, Gg. Nyepi, Canggu",
             "Вилла с тремя спальнями и бассейном в 300 метрах от пляжа Бату Болонг. Тихий переулок, сад, "
             "парковка. Можно сдавать посуточно. Лизхолд 25 лет.",
             bedrooms=3, bathrooms=3, size_m2=200, amenities="pool;garden;parking;air conditioning",
             pets=False, furnished=True, language="ru",
             english=("Pool villa near Batu Bolong beach",
                      "A three-bedroom villa with a pool 300 metres from Batu Bolong beach. Quiet lane, garden, "
                      "parking. Daily rentals allowed. Leasehold 25 years.")),
    _listing("BDH-CGU-013", "3-bedroom villa in Canggu (sold)", "villa", "sale", 410_000, "Canggu",
             "Jl. Raya Canggu, Canggu",
             "Three-bedroom villa with pool, sold in October. Kept for reference on comparable prices.",
             bedrooms=3, bathrooms=3, size_m2=210, amenities="pool;garden", pets=False, furnished=True,
             units=0, status="sold"),
    # Seminyak
    _listing("BDH-SMN-001", "Walk-to-beach villa in Petitenget", "villa", "sale", 650_000, "Seminyak",
             "Jl. Petitenget, Seminyak",
             "Three-bedroom villa a five-minute walk from Petitenget beach and Seminyak's restaurants. "
             "Private pool, open living pavilion, proven holiday-rental income. Leasehold 25 years.",
             bedrooms=3, bathrooms=3, size_m2=230, amenities="pool;garden;rental management;air conditioning",
             pets=False, furnished=True),
    _listing("BDH-SMN-002", "2-bedroom villa for rent near Seminyak Square", "villa", "rent", 3_200, "Seminyak",
             "Jl. Kayu Jati, Seminyak",
             "Stylish two-bedroom villa with a private pool, minutes from Seminyak Square and the beach. "
             "Cleaning twice a week, wifi and pool service included.",
             bedrooms=2, bathrooms=2, size_m2=160, amenities="pool;wifi;cleaning service;air conditioning",
             pets=False, furnished=True),
    _listing("BDH-SMN-003", "Resort apartment near Seminyak Square", "apartment", "sale", 210_000, "Seminyak",
             "Jl. Kayu Aya, Seminyak",
             "One-bedroom apartment in a managed resort with a lagoon pool, spa and restaurant. "
             "Buy-to-let with guaranteed 7% yearly return for five years. Leasehold 30 years.",
             bedrooms=1, bathrooms=1, size_m2=58, amenities="shared pool;spa;restaurant;rental management",
             pets=False, furnished=True, units=5),
    _listing("BDH-SMN-004", "Апартаменты с двумя спальнями в Семиньяке", "apartment", "sale", 295_000,
             "Seminyak", "Jl. Drupadi, Seminyak",
             "Апартаменты с двумя спальнями в новом комплексе, 10 минут пешком до пляжа. Общий бассейн, "
             "тренажёрный зал, управляющая компания для сдачи в аренду. Хороший вариант для инвестиций.",
             bedrooms=2, bathrooms=2, size_m2=90, amenities="shared pool;gym;rental management",
             pets=False, furnished=True, units=2, language="ru",
             english=("Two-bedroom apartment in Seminyak",
                      "A two-bedroom apartment in a new complex, a 10-minute walk to the beach. Shared pool, gym,"
                      " a management company for rentals. A good investment.")),
    _listing("BDH-SMN-005", "1-bedroom apartment for monthly rent in Seminyak", "apartment", "rent", 1_500,
             "Seminyak", "Jl. Camplung Tanduk, Seminyak",
             "Furnished one-bedroom apartment with a balcony over the shared pool, close to the beach, "
             "shops and nightlife. Utilities and wifi included.",
             bedrooms=1, bathrooms=1, size_m2=55, amenities="shared pool;wifi;balcony;air conditioning",
             pets=False, furnished=True, units=3),
    _listing("BDH-SMN-006", "3-bedroom townhouse in Seminyak", "townhouse", "sale", 385_000, "Seminyak",
             "Jl. Raya Seminyak, Gg. Bima, Seminyak",
             "Three-bedroom townhouse with a private plunge pool and rooftop terrace in a quiet lane behind "
             "Jalan Raya Seminyak. Leasehold 27 years.",
             bedrooms=3, bathrooms=3, size_m2=170, amenities="plunge pool;rooftop;parking",
             pets=True, furnished=True),
    _listing("BDH-SMN-007", "2-bedroom townhouse for rent in Seminyak", "townhouse", "rent", 2_300, "Seminyak",
             "Jl. Sari Dewi, Seminyak",
             "Two-bedroom townhouse in a compound of six with a shared pool and garden. Furnished, "
             "monthly cleaning included.",
             bedrooms=2, bathrooms=2, size_m2=120, amenities="shared pool;garden;cleaning service",
             pets=False, furnished=True),
    _listing("BDH-SMN-008", "Commercial land on Jalan Kayu Aya", "land", "sale", 475_000, "Seminyak",
             "Jl. Kayu Aya, Seminyak",
             "5 are (500 m²) of commercial-zoned land on Seminyak's restaurant street, suited to a boutique "
             "hotel or retail. Leasehold 30 years.",
             size_m2=500, amenities="commercial zoning;road access;electricity"),
    _listing("BDH-SMN-009", "Роскошная вилла с пятью спальнями в Семиньяке", "villa", "sale", 1_250_000,
             "Seminyak", "Jl. Laksmana, Seminyak",
             "Роскошная вилла с пятью спальнями, бассейном 18 метров и кинозалом, пять минут до пляжа. "
             "Охрана 24/7, персонал, парковка на три машины. Фрихолд через индонезийскую компанию (PT PMA).",
             bedrooms=5, bathrooms=6, size_m2=520, amenities="pool;cinema;security 24/7;staff room;parking",
             pets=True, furnished=True, language="ru",
             english=("Luxury five-bedroom villa in Seminyak",
                      "A luxury five-bedroom villa with an 18 m pool and a cinema room, five minutes to the "
                      "beach. Security 24/7, staff, parking for three cars. Freehold through an Indonesian "
                      "company (PT PMA).")),
    # Ubud
    _listing("BDH-UBD-001", "Jungle villa with river view in Sayan", "villa", "sale", 245_000, "Ubud",
             "Jl. Raya Sayan, Ubud",
             "Two-bedroom wooden villa on the edge of the Ayung river valley, surrounded by jungle. "
             "Plunge pool, yoga deck, very quiet. Leasehold 25 years.",
             bedrooms=2, bathrooms=2, size_m2=130, amenities="plunge pool;jungle view;yoga deck",
             pets=True, furnished=True),
    _listing("BDH-UBD-002", "Вилла среди рисовых полей в Пенестанане", "villa", "sale", 385_000, "Ubud",
             "Penestanan Kelod, Ubud",
             "Вилла с тремя спальнями среди рисовых полей Пенестанана, 10 минут до центра Убуда. "
             "Бассейн, сад, тишина и вид на рисовые террасы. Лизхолд 28 лет.",
             bedrooms=3, bathrooms=3, size_m2=210, amenities="pool;garden;rice field view",
             pets=True, furnished=True, language="ru",
             english=("Villa among the rice fields of Penestanan",
                      "A three-bedroom villa among the rice fields of Penestanan, 10 minutes to Ubud centre. "
                      "Pool, garden, quiet and a view of the rice terraces. Leasehold 28 years.")),
    _listing("BDH-UBD-003", "Quiet 2-bedroom villa in Tegallalang", "villa", "rent", 1_800, "Ubud",
             "Tegallalang, Ubud",
             "Peaceful two-bedroom villa overlooking the Tegallalang rice terraces, with a private pool. "
             "Fifteen minutes to Ubud centre. Gardener and pool service included.",
             bedrooms=2, bathrooms=2, size_m2=150, amenities="pool;rice field view;garden",
             pets=False, furnished=True),
    _listing("BDH-UBD-004", "1-bedroom retreat villa for rent near Ubud centre", "villa", "rent", 1_100, "Ubud",
             "Jl. Bisma, Ubud",
             "One-bedroom villa with an outdoor bathtub and jungle view, walking distance to Ubud market "
             "and yoga studios. Pets welcome.",
             bedrooms=1, bathrooms=1, size_m2=70, amenities="jungle view;garden;wifi",
             pets=True, furnished=True),
    _listing("BDH-UBD-005", "1-bedroom apartment in Ubud", "apartment", "rent", 850, "Ubud",
             "Jl. Sukma, Ubud",
             "Simple furnished apartment with a balcony over the garden, in a small complex with a shared "
             "pool. Ten minutes' walk to Ubud Palace.",
             bedrooms=1, bathrooms=1, size_m2=45, amenities="shared pool;garden;wifi",
             pets=False, furnished=True, units=2),
    _listing("BDH-UBD-006", "10 are of land with rice-field view in Keliki", "land", "sale", 180_000, "Ubud",
             "Keliki, Ubud",
             "1,000 m² plot facing the rice fields north of Ubud, with road access. Ideal for a private "
             "villa or small retreat. Leasehold 30 years.",
             size_m2=1000, amenities="rice field view;road access"),
    _listing("BDH-UBD-007", "Jungle land near the Ayung river", "land", "sale", 290_000, "Ubud",
             "Kedewatan, Ubud",
             "20 are (2,000 m²) of sloping jungle land above the Ayung river, close to luxury resorts. "
             "Electricity and water at the boundary. Leasehold 30 years.",
             size_m2=2000, amenities="jungle view;river view;electricity;water"),
    _listing("BDH-UBD-008", "2-bedroom townhouse in Ubud", "townhouse", "sale", 175_000, "Ubud",
             "Jl. Raya Pengosekan, Ubud",
             "New two-bedroom townhouse in a complex of eight with a shared pool, near the Monkey Forest. "
             "Leasehold 25 years.",
             bedrooms=2, bathrooms=2, size_m2=100, amenities="shared pool;parking",
             pets=False, furnished=False, units=3),
    _listing("BDH-UBD-009", "Семейная вилла с бассейном в джунглях Убуда", "villa", "sale", 560_000, "Ubud",
             "Jl. Raya Lodtunduh, Ubud",
             "Семейная вилла с четырьмя спальнями в джунглях, бассейн, большой сад и комната для персонала. "
             "Рядом международная школа. Лизхолд 30 лет.",
             bedrooms=4, bathrooms=4, size_m2=300, amenities="pool;garden;jungle view;staff room",
             pets=True, furnished=True, language="ru",
             english=("Family pool villa in the Ubud jungle",
                      "A four-bedroom family villa in the jungle with a pool, a large garden and a staff room. An"
                      " international school nearby. Leasehold 30 years.")),
    _listing("BDH-UBD-010", "1-bedroom investment apartment in Ubud", "apartment", "sale", 120_000, "Ubud",
             "Jl. Raya Andong, Ubud",
             "One-bedroom apartment in a boutique complex run as a hotel: buy-to-let with rental management. "
             "Leasehold 25 years.",
             bedrooms=1, bathrooms=1, size_m2=48, amenities="shared pool;rental management;restaurant",
             pets=False, furnished=True, units=4),
    # Uluwatu
    _listing("BDH-ULW-001", "Clifftop villa with ocean view in Bingin", "villa", "sale", 690_000, "Uluwatu",
             "Jl. Pantai Bingin, Pecatu, Uluwatu",
             "Three-bedroom villa on the cliff above Bingin beach with panoramic ocean views, an infinity "
             "pool and sunset terrace. Leasehold 30 years.",
             bedrooms=3, bathrooms=3, size_m2=250, amenities="infinity pool;ocean view;terrace;parking",
             pets=False, furnished=True),
    _listing("BDH-ULW-002", "Вилла у океана рядом с Паданг-Паданг", "villa", "sale", 340_000, "Uluwatu",
             "Jl. Labuansait, Pecatu, Uluwatu",
             "Вилла у океана с двумя спальнями, пять минут до пляжа Паданг-Паданг и лучших серф-спотов. "
             "Бассейн, вид на океан с террасы. Лизхолд 25 лет.",
             bedrooms=2, bathrooms=2, size_m2=140, amenities="pool;ocean view;terrace",
             pets=False, furnished=True, language="ru",
             english=("Ocean villa near Padang Padang",
                      "A two-bedroom villa by the ocean, five minutes to Padang Padang beach and the best surf "
                      "spots. Pool, ocean view from the terrace. Leasehold 25 years.")),
    _listing("BDH-ULW-003", "Ocean-view 3-bedroom villa for rent in Pecatu", "villa", "rent", 4_200, "Uluwatu",
             "Pecatu Indah, Uluwatu",
             "Modern three-bedroom villa with ocean view, pool and garden, in a gated resort estate with "
             "golf course. Housekeeping included.",
             bedrooms=3, bathrooms=3, size_m2=260, amenities="pool;ocean view;garden;security 24/7;housekeeping",
             pets=False, furnished=True),
    _listing("BDH-ULW-004", "Surfer's 2-bedroom villa for rent near Uluwatu temple", "villa", "rent", 2_600,
             "Uluwatu", "Jl. Raya Uluwatu, Uluwatu",
             "Two-bedroom villa with a pool and board storage, ten minutes to Uluwatu and Suluban surf breaks.",
             bedrooms=2, bathrooms=2, size_m2=140, amenities="pool;board storage;wifi",
             pets=True, furnished=True),
    _listing("BDH-ULW-005", "Ocean-view land in Bingin", "land", "sale", 420_000, "Uluwatu",
             "Bingin, Pecatu, Uluwatu",
             "6 are (600 m²) with a clear ocean view, 400 m from Bingin beach. Leasehold 30 years.",
             size_m2=600, amenities="ocean view;road access;electricity"),
    _listing("BDH-ULW-006", "15 are of land in Ungasan", "land", "sale", 390_000, "Uluwatu",
             "Ungasan, Uluwatu",
             "1,500 m² flat plot in Ungasan near the clifftop beach clubs, suitable for two villas. "
             "Leasehold 30 years.",
             size_m2=1500, amenities="road access;electricity;water"),
    _listing("BDH-ULW-007", "1-bedroom apartment in a surf resort", "apartment", "sale", 195_000, "Uluwatu",
             "Jl. Pantai Suluban, Uluwatu",
             "One-bedroom apartment in a surf resort with a shared infinity pool and restaurant, "
             "managed for holiday rentals. Leasehold 25 years.",
             bedrooms=1, bathrooms=1, size_m2=60, amenities="shared pool;ocean view;rental management",
             pets=False, furnished=True, units=2),
    _listing("BDH-ULW-008", "2-bedroom townhouse for rent in Uluwatu", "townhouse", "rent", 1_900, "Uluwatu",
             "Jl. Goa Gong, Jimbaran, Uluwatu",
             "Two-bedroom townhouse with a small private pool, on the way to Uluwatu beaches.",
             bedrooms=2, bathrooms=2, size_m2=110, amenities="plunge pool;parking",
             pets=False, furnished=True),
    _listing("BDH-ULW-009", "Вилла с четырьмя спальнями и видом на океан в Улувату", "villa", "sale", 950_000,
             "Uluwatu", "Jl. Melasti, Ungasan, Uluwatu",
             "Вилла с четырьмя спальнями на скале с видом на океан, бассейн-инфинити, спортзал, "
             "охрана 24/7. Спуск к пляжу Меласти. Лизхолд 30 лет.",
             bedrooms=4, bathrooms=5, size_m2=380, amenities="infinity pool;ocean view;gym;security 24/7",
             pets=False, furnished=True, language="ru",
             english=("Four-bedroom ocean-view villa in Uluwatu",
                      "A four-bedroom clifftop villa with an ocean view, infinity pool, gym, security 24/7. A "
                      "path down to Melasti beach. Leasehold 30 years.")),
    # Sanur
    _listing("BDH-SNR-001", "Beachside family villa in Sanur", "villa", "sale", 520_000, "Sanur",
             "Jl. Danau Tamblingan, Sanur",
             "Three-bedroom family villa 200 m from Sanur's calm beach and promenade. Large garden, pool, "
             "close to international schools. Leasehold 30 years.",
             bedrooms=3, bathrooms=3, size_m2=260, amenities="pool;garden;parking;air conditioning",
             pets=True, furnished=True),
    _listing("BDH-SNR-002", "Семейная вилла в Сануре рядом со школой", "villa", "rent", 3_000, "Sanur",
             "Jl. Danau Poso, Sanur",
             "Семейная вилла с тремя спальнями и бассейном, пять минут до международной школы и тихого "
             "пляжа Санура. Сад, парковка, уборка два раза в неделю.",
             bedrooms=3, bathrooms=3, size_m2=240, amenities="pool;garden;parking;cleaning service",
             pets=True, furnished=True, language="ru",
             english=("Family villa in Sanur near the school",
                      "A three-bedroom family villa with a pool, five minutes to the international school and "
                      "Sanur's quiet beach. Garden, parking, cleaning twice a week.")),
    _listing("BDH-SNR-003", "2-bedroom apartment for rent in Sanur", "apartment", "rent", 1_400, "Sanur",
             "Jl. Bypass Ngurah Rai, Sanur",
             "Two-bedroom apartment with a shared pool and gym, ten minutes to the beach. Furnished.",
             bedrooms=2, bathrooms=2, size_m2=85, amenities="shared pool;gym;parking",
             pets=False, furnished=True, units=2),
    _listing("BDH-SNR-004", "2-bedroom apartment near Sanur beach", "apartment", "sale", 230_000, "Sanur",
             "Jl. Pantai Sindhu, Sanur",
             "Two-bedroom apartment in a quiet complex near Sindhu beach, with a shared pool. "
             "Leasehold 30 years.",
             bedrooms=2, bathrooms=2, size_m2=88, amenities="shared pool;garden",
             pets=False, furnished=True, units=3),
    _listing("BDH-SNR-005", "Таунхаус с тремя спальнями в Сануре", "townhouse", "sale", 295_000, "Sanur",
             "Jl. Tukad Balian, Sanur",
             "Таунхаус с тремя спальнями в закрытом комплексе с общим бассейном и охраной. Тихий район, "
             "рядом школа и супермаркеты. Лизхолд 30 лет.",
             bedrooms=3, bathrooms=2.5, size_m2=160, amenities="shared pool;security 24/7;parking",
             pets=True, furnished=False, units=2, language="ru",
             english=("Three-bedroom townhouse in Sanur",
                      "A three-bedroom townhouse in a gated complex with a shared pool and security. A quiet area"
                      " near a school and supermarkets. Leasehold 30 years.")),
    _listing("BDH-SNR-006", "2-bedroom townhouse for rent in Sanur", "townhouse", "rent", 1_600, "Sanur",
             "Jl. Mertasari, Sanur",
             "Two-bedroom townhouse with a garden, five minutes to Mertasari beach. Unfurnished, long-term.",
             bedrooms=2, bathrooms=2, size_m2=115, amenities="garden;parking",
             pets=True, furnished=False),
    _listing("BDH-SNR-007", "4 are of land in Sanur", "land", "sale", 260_000, "Sanur",
             "Jl. Tirta Nadi, Sanur",
             "400 m² residential plot in a quiet street of Sanur, 600 m to the beach. Leasehold 30 years.",
             size_m2=400, amenities="road access;electricity;water"),
    _listing("BDH-SNR-008", "Pet-friendly 2-bedroom villa in Sanur", "villa", "sale", 310_000, "Sanur",
             "Jl. Pungutan, Sanur",
             "Two-bedroom villa with a fenced garden for dogs, a pool and a covered terrace, close to the "
             "beach path. Leasehold 25 years.",
             bedrooms=2, bathrooms=2, size_m2=160, amenities="pool;garden;terrace",
             pets=True, furnished=True),
]  # fmt: skip
