"""The words of listings and of questions about them: amenities, tenure, beach distances, "the cheaper one",
street prefixes and the words of titles that name no listing (agent.core.listing_facts, listing_focus and
listing_names read messages and catalogs with them)."""

from __future__ import annotations

import re

from agent.core.nlu.lexicon import rx

AMENITY_FACTS: dict[str, tuple[str, ...]] = {
    "pool": (r"pool", r"бассейн\w*", r"استخر", r"مسبح"),
    "parking": (r"parking", r"car ?port", r"парковк\w*", r"پارکینگ", r"موقف"),
    "garage": (r"garage", r"гараж\w*", r"گاراژ", r"مرآب", r"كراج"),
    "laundry": (
        r"laundry",
        r"washing machine",
        r"washer",
        r"стиральн\w*",
        r"прачечн\w*",
        r"ماشین لباسشویی",
        r"غسالة",
    ),
    "gym": (r"gym", r"fitness", r"тренаж\w*", r"спортзал\w*", r"باشگاه", r"صالة رياضية", r"جيم"),
    "garden": (r"garden", r"lawn", r"сад\w*", r"باغ", r"حديقة"),
    "wifi": (r"wi-?fi", r"internet", r"интернет", r"вайфай", r"اینترنت", r"انترنت"),
    "air_conditioning": (r"air ?con\w*", r"a/?c", r"кондиционер\w*", r"کولر", r"تكييف"),
    "security": (r"security", r"охран\w*", r"نگهبان", r"حراسة", r"أمن"),
    "balcony": (r"balcony", r"terrace", r"балкон\w*", r"террас\w*", r"بالکن", r"تراس", r"شرفة"),
    "kitchen": (r"kitchen\w*", r"кухн\w*", r"آشپزخانه", r"مطبخ"),
}
"""Amenities a lead asks about, by the words for them in a listing's amenities and description."""

TENURE = re.compile(
    r"(?P<kind>freehold|leasehold|фрихолд\w*|лизхолд\w*|ليزهولد|فريهولد|اجاره بلندمدت)"
    r"(?:[^.\d]{0,20}?(?P<years>\d{1,3})\s*(?:years?|yrs?|лет|года|год|سال|سنة|عام(?:ا)?))?",
    re.IGNORECASE,
)

# "five minutes by scooter to Berawa beach", "a five-minute walk from Petitenget beach", "200 m from Sanur's
# calm beach", "steps from the beach", "в 300 метрах от пляжа", "семь минут до пляжа".
FREEHOLD_PREFIXES = ("free", "фри", "فري")
"""How TENURE's word for freehold starts, in each language."""

DISTANCE = re.compile(
    r"(?:\b[\w-]+[- ])?(?:minutes?|min)\b|\b\d[\d,.]*\s?(?:m|km|metres|meters)\b|\bsteps\b|walking distance|"
    r"(?:\b\w+ )?минут\w*|\d+\s?(?:метр\w*|м|км)\b|\d+\s?(?:متر|کیلومتر|دقیقه|دقائق|كم)",
    re.IGNORECASE,
)

BEACH_WORD = re.compile(r"(?i:beach|пляж\w*|ساحل|شاطئ|الشاطئ)(?: [A-ZА-Я][\w-]+){0,2}")

CHEAPER = rx(
    r"(?<!\w)(?:cheap(?:er|est)|less expensive|lower price|most affordable|дешевле|подешевле|самая дешевая|самый дешевый|"
    r"самую дешевую|ارزون\w*|ارزان\w*|الأرخص|الارخص|أرخص|ارخص)(?!\w)"
)

DEARER = rx(
    r"(?<!\w)(?:more expensive|most expensive|pricier|priciest|дороже|подороже|گرون\w*|گران\w*|الأغلى|الاغلى|أغلى|اغلى)(?!\w)"
)

BIGGER = rx(
    r"(?<!\w)(?:bigger|biggest|larger|largest|побольше|больше по площади|самая большая|самый большой|بزرگ\w*|الأكبر|الاكبر|أكبر)(?!\w)"
)

SMALLER = rx(
    r"(?<!\w)(?:smaller|smallest|поменьше|самая маленькая|самый маленький|کوچک\w*|الأصغر|الاصغر|أصغر)(?!\w)"
)

LAST = rx(r"(?<!\w)(?:the last(?: one)?|last one|последн\w*|آخری|الأخير\w*|الاخير\w*)(?!\w)")

# "the one in Berawa", "the villa near Echo Beach", "та, что в Переренане", "اونی که تو چانگو", "التي في".
ONE_IN = rx(
    r"(?<!\w)(?:the (?:one|villa|apartment|flat|house|townhouse|place|property|studio|land|plot|listing)s?|that one|this one|"
    r"та|тот|ту|которая|который|что|اونی|همونی|همان|آنکه|التي|الذي|اللي)\s*,?\s*(?:که\s+)?(?:in|at|on|near|by|в|на|у|возле|"
    r"рядом с|در|توی|تو|نزدیک|في|فى|قرب|بجانب)\s"
)

# Street prefixes of addresses (Indonesian, and the usual English ones): not part of a place's name.
STREET_PREFIX = re.compile(
    r"^(?:(?:jl|jln|jalan|gg|gang|st|street|rd|road|ave|avenue)\.?\s+)+(?:(?:raya|pantai|danau|tukad)\s+)?",
    re.IGNORECASE,
)

# "… in Batu Bolong", "… near Echo Beach": a proper name at the end of a title.
TITLE_PLACE = re.compile(r"\b(?:in|near|at)\s+((?:[A-Z][\w'-]+\s?){1,3})$")

# "… to Berawa beach", "… from Batu Bolong beach": a place named by its beach in a description.
BEACH_PLACE = re.compile(r"\b((?:[A-Z][a-z'-]+\s){1,2})beach\b")

# Words of titles that name no particular listing ("Park Vista Apartments": "vista" does).
GENERIC_WORDS = frozenset(
    (
        "apartment apartments homes home villas villa village gardens garden court place house houses manor "
        "terrace terraces towers tower square plaza lodge senior housing residence residences suites studio "
        "studios condos estates estate commons common first second third fourth fifth great perfect lovely "
        "beautiful modern luxury townhouse townhomes townhouses property properties building center centre street "
        "avenue road with for near from rent sale monthly yearly bedroom bedrooms bedroomed view views pool "
        "ocean land family quiet the and shared private large small big new near beach walk river jungle "
        "field fields rice complex community gated boutique investment loft resort commercial retreat "
        "ocean-view sold reserved apartamento вилла виллы апартаменты таунхаус земля дом "
        "видом видом рядом спальнями спальни бассейном семейная двумя тремя четырьмя пятью среди рядом вид виде пляжа океана моря полей поля рисовых рисовые"
    ).split()
)
