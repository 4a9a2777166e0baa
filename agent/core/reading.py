"""One inbound message, read once: what it asks for, what it tells us, and which listing it points at.

Built on `agent.core.nlu` (slots, contacts, intents, dates); what is added here is conversation-specific:
button payloads, references to listings already shown ("the second one", "#2", a title), questions
about a listing's facts, and "show me more".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from agent.core.listing_facts import AMENITY_FACTS
from agent.core.listing_focus import refer
from agent.core.listing_names import CatalogNames
from agent.core.nlu.contact import extract_email, extract_name, phone_in
from agent.core.nlu.gazetteer import Gazetteer
from agent.core.nlu.intents import Intent, detect_intents
from agent.core.nlu.language import Lang
from agent.core.nlu.lexicon import key, rx
from agent.core.nlu.listing_words import GENERIC_WORDS
from agent.core.nlu.money import parse_budget
from agent.core.nlu.slots import (
    parse_bare_count,
    parse_bathrooms,
    parse_bedrooms,
    parse_furnished,
    parse_payment_method,
    parse_pets,
    parse_property_types,
    parse_timeline,
    parse_transaction,
)
from agent.core.nlu.when import parse_when_detail
from storage.enums import Transaction

# Facts a lead may ask about a listing, by the words that ask. Matched on nlu.normalize()d, casefolded text.
_FACT_WORDS: dict[str, tuple[str, ...]] = {
    "furnished": (
        r"furnish\w*",
        r"furniture",
        r"мебел\w*",
        r"меблир\w*",
        r"مبله",
        r"مبلمان",
        r"مفروش\w*",
        r"اثاث",
    ),
    "pets": (
        r"pets?",
        r"dogs?",
        r"cats?",
        r"animals?",
        r"живот\w*",
        r"собак\w*",
        r"кошк\w*",
        r"питом\w*",
        r"حیوان\w*",
        r"سگ\w{0,2}",
        r"گربه",
        r"حيوان\w*",
        r"اليف\w*",
        r"كلب",
        r"کلب",
        r"قط\w*",
    ),
    "price": (
        r"price",
        r"cost\w*",
        r"how much",
        r"rent is",
        r"цен\w*",
        r"стоимост\w*",
        r"сколько стоит",
        r"قیمت\w*",
        r"چقدر",
        r"چنده",
        r"سعر\w*",
        r"ثمن",
        r"كم سعر",
        r"کم سعر",
        r"بكم",
        r"بکم",
    ),
    "size": (
        r"size",
        r"how big",
        r"how large",
        r"какого размера",
        r"چند متر",
        r"sq\.? ?m",
        r"sqm",
        r"m2",
        r"square",
        r"площад\w*",
        r"метраж\w*",
        r"متراژ",
        r"مساح\w*",
    ),
    "bedrooms": (r"bedrooms?", r"спальн\w*", r"خواب\w*", r"غرف\w*"),
    "bathrooms": (r"bath\w*", r"санузл\w*", r"ванн\w*", r"حمام\w*", r"دستشویی"),
    "address": (
        r"address",
        r"where is it",
        r"located",
        r"адрес\w*",
        r"где (?:он|она|это|находится)",
        r"آدرس",
        r"نشانی",
        r"کجاست",
        r"عنوان\w*",
        r"این (?:يقع|تقع)",
        r"اين (?:يقع|تقع)",
    ),
    "amenities": (r"amenit\w*", r"facilit\w*", r"удобств\w*", r"امکانات\w*", r"مرافق", r"المرافق"),
    **AMENITY_FACTS,
    "tenure": (
        r"freehold",
        r"leasehold",
        r"lease",
        r"tenure",
        r"ownership",
        r"фрихолд\w*",
        r"лизхолд\w*",
        r"собственност\w*",
        r"аренд\w* земли",
        r"مالکیت",
        r"سند",
        r"لیز ?هولد",
        r"فری ?هولد",
        r"ليز ?هولد",
        r"فري ?هولد",
        r"تملك",
        r"ملكية",
        r"حق الانتفاع",
    ),
    "distance": (
        r"how far",
        r"distance",
        r"far from",
        r"close to the (?:beach|sea|ocean)",
        r"near the (?:beach|sea|ocean)",
        r"to the beach",
        r"from the beach",
        r"как далеко",
        r"далеко ли",
        r"далеко до",
        r"расстояни\w*",
        r"до пляжа",
        r"до моря",
        r"چقدر فاصله",
        r"فاصله",
        r"تا ساحل",
        r"تا دریا",
        r"كم تبعد",
        r"المسافة",
        r"بعيد\w*",
        r"عن الشاطئ",
    ),
    "photos": (
        r"photos?",
        r"pictures?",
        r"pics?",
        r"images?",
        r"фото\w*",
        r"фотк\w*",
        r"снимк\w*",
        r"عکس\w*",
        r"تصویر\w*",
        r"صور\w*",
        r"صورة",
    ),
    "availability": (
        r"availab\w*",
        r"still (?:free|for sale|for rent)",
        r"доступн\w*",
        r"свобод\w*",
        r"موجود",
        r"متاح\w*",
    ),
    "contact": (
        r"phone number",
        r"contact number",
        r"their number",
        r"номер телефона",
        r"телефон\w*",
        r"شماره تماس",
        r"رقم (?:ال)?هاتف",
    ),
}
_FACTS = {fact: rx(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)") for fact, words in _FACT_WORDS.items()}

_MORE = rx(
    r"(?<!\w)(?:(?:show|see|any|got|have|give|find)(?: me)?(?: some| any)? (?:more|others?|other (?:ones|options|places|apartments|villas|listings))"
    r"|more (?:options|listings|apartments|flats|villas|houses|places|properties|choices|results)|another(?: one| option| place)?"
    r"|other (?:options|ones|places|apartments|listings)|something else|next one|continue (?:searching|looking)"
    r"|(?:is there|are there|do you have|have you got|got) anything else|anything else (?:with|in|that|like|available)"
    r"|keep (?:searching|looking)|any others|ещё варианты|еще варианты|покажите ещё|покажите еще|другие|другой вариант|другую|"
    r"больше вариантов|گزینه‌های دیگر|گزینه های دیگر|دیگه چی|بیشتر نشان|موارد دیگر|أخرى|اخرى|غيره|غيرها|المزيد)(?!\w)"
)
_ORDINALS: dict[int, tuple[str, ...]] = {
    1: ("first", "1st", "перв\\w*", "اول\\w*", "یکمی", "یکم", "الاول", "الأول", "الاولى", "الأولى"),
    2: (
        "second",
        "2nd",
        "втор(?:ой|ая|ое|ую|ого|ом|ому|ый|ые|ых|ий|ья|ье|ью|ьего|ьей)",
        "دوم\\w*",
        "الثاني",
        "الثانية",
        "ثاني",
    ),
    3: ("third", "3rd", "трет\\w*", "سوم\\w*", "الثالث", "الثالثة", "ثالث"),
    4: (
        "fourth",
        "4th",
        "четв[её]рт(?:ой|ая|ое|ую|ого|ом|ому|ый|ые|ых|ий|ья|ье|ью|ьего|ьей)",
        "چهارم\\w*",
        "الرابع",
        "الرابعة",
    ),
    5: (
        "fifth",
        "5th",
        "пят(?:ой|ая|ое|ую|ого|ом|ому|ый|ые|ых|ий|ья|ье|ью|ьего|ьей)",
        "پنجم\\w*",
        "الخامس",
        "الخامسة",
    ),
}
_DIGIT_ORDINAL = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b")
_ORDINAL = [(n, rx(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")) for n, words in _ORDINALS.items()]
_NUMBERED = rx(r"(?:#|№|\bno\.?\s*|\bnumber\s*|\bномер\s*|شماره\s*|رقم\s*)(\d{1,6})\b")
_VIEWING = rx(
    r"(?<!\w)(?:see|view\w*|visit\w*|tour|look at|show me around|посмотреть|посмотрю|осмотреть|осмотр\w*|просмотр\w*|"
    r"увидеть|съездить|دیدن|ببینم|بازدید\w*|اری|أرى|رؤية|رويه|معاين\w*|زيار\w*|اشوف|أشوف)(?!\w)"
)
_CHANGE = rx(
    r"(?<!\w)(?:change|move|reschedul\w*|instead|actually|sorry|rather|changed? my mind|never ?mind|make it|another (?:day|time)|перенес\w*|перенест\w*|измени\w*|поменя\w*|"
    r"другое время|другой день|تغییر|عوض|جابجا|جابه‌جا|تأجيل|تاجيل|تغيير|غير الموعد|بدل)(?!\w)"
)
# Liking what was shown is agreeing to the offer that came with it.
_LIKING = rx(
    r"(?<!\w)(?:sounds? (?:good|nice|great|perfect|lovely)|looks? (?:good|nice|great|perfect)|i like (?:it|this|that)|"
    r"seems? (?:to be )?(?:good|nice|great|perfect|fine)|(?:i'?m|i am) interested(?: in (?:it|this|that))?|"
    r"i love (?:it|this|that)|that'?s the one|the one for me|нравится|подходит|отлично|خوبه|عالیه|می‌پسندم|"
    r"يعجبني|ممتاز|رائع)(?!\w)"
)
BUDGET_IN = "budget_in:"
"""What the agent asked when it asked for the budget in the catalog's currency: "budget_in:USD"."""
MIN_BUDGET = 100
"""No budget is below this in any currency we know: smaller numbers are days, counts or noise."""
# Words that describe a home beyond the filters: worth ranking listings by similarity to the message.
_DESCRIPTIVE = rx(
    r"(?<!\w)(?:pool|view|views|beach|ocean|sea|garden|quiet|modern|new|luxur\w*|cozy|cosy|spacious|bright|family|"
    r"rice ?fields?|jungle|river|surf\w*|school\w*|gym|terrace|rooftop|balcony|parking|near|close to|walk\w* to|"
    r"investment|rental income|бассейн\w*|вид\w*|пляж\w*|мор\w*|океан\w*|сад\w*|тих\w*|современн\w*|нов\w*|"
    r"просторн\w*|семейн\w*|рисов\w*|джунгл\w*|рядом|возле|инвестиц\w*|استخر|ویو|منظره|ساحل|دریا|باغ|آرام|مدرن|"
    r"نوساز|لوکس|نزدیک|سرمایه|مسبح|إطلالة|اطلالة|شاطئ|بحر|حديقة|هادئ\w*|حديث\w*|فاخر\w*|قريب\w*|استثمار\w*)(?!\w)"
)
# A wish, not a question about a listing: "I actually want three baths".
_WISH = rx(
    r"(?<!\w)(?:i (?:actually |really |also |just )?(?:want|need|prefer|would like|'d like)|looking for|with pets|хочу|нужн\w*|ищу|предпочита\w*|"
    r"می‌?خوا\w*|میخوا\w*|لازم دارم|دنبال|أريد|اريد|احتاج|أحتاج|أبحث|ابحث|أفضل)(?!\w)"
)
_INTERROGATIVE = rx(
    r"(?:^|[.!?,]\s*)(?:is|are|does|do|can|could|will|would|what|what's|how|where|which|есть ли|а есть|сколько|где|какой|"
    r"какая|можно ли|آیا|چند|کجا|هل|كم|أين|اين|ما هو|ما هي)(?!\w)"
)
# "the apartment", "it", "this one": the listing already being talked about.
_DEICTIC = rx(
    r"(?<!\w)(?:it|this|that|this one|that one|the (?:apartment|flat|villa|house|place|property|one|unit)|его|её|ее|эту|этот|"
    r"это|آن|این|اون|اینو|همین|هذا|هذه|ذلك|تلك)(?!\w)"
)
# Pointing at one listing without naming it: narrower than _DEICTIC ("that is all" points at nothing).
_POINTING = rx(
    r"(?<!\w)(?:it|they|them|this one|that one|the (?:apartment|flat|villa|house|townhouse|place|property|one|unit|listing)|"
    r"this (?:apartment|flat|villa|house|place|property)|его|её|ее|эту|этот|это|эта|آن|این|اون|اینو|همین|"
    r"هذا|هذه|ذلك|تلك)(?!\w)"
)
_SENTENCE = re.compile(r"(?<=[.!?؟])\s+")
_COUNT_MEANS_ELSE = frozenset({"bathrooms", "time", "day", "phone", "reschedule", "human"})
"""What the last reply asked for, when a bare count answers that and not "how many bedrooms"."""
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.!)]?\s*$")


@dataclass(frozen=True)
class Reading:
    """What one message says, as plain data (it is kept in the checkpoint)."""

    text: str = ""
    payload: str | None = None
    intents: tuple[str, ...] = ()
    preferences: dict[str, Any] = field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    name: str | None = None
    when: str | None = None
    time_only: bool = False
    """The lead named a time but no day ("make it 4pm"): the day in `when` is a guess the context may replace."""
    listing_id: int | None = None
    asks: tuple[str, ...] = ()
    wants_more: bool = False
    describes: bool = False
    """The message describes the home beyond the filters ("quiet, near the beach"): rank by it."""
    candidates: tuple[int, ...] = ()
    """Listings a reference fits equally ("the villa in Berawa" when two are there): ask which."""
    ordinal: int | None = None
    """A position beyond the listings shown ("the fifth one" after three)."""
    named: bool = False
    """The lead named the listing by its own words (title, street, place), not by position."""
    deictic: bool = False
    """The message points at a listing without naming it ("it", "that one", "это")."""
    place: str | None = None
    """A place inside an area that the lead named ("Berawa"): the area is the location, the place ranks."""

    def has(self, intent: Intent) -> bool:
        return intent in self.intents

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Reading:
        if not data:
            return cls()
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        for name in ("intents", "asks", "candidates"):
            if name in known:
                known[name] = tuple(known[name] or ())
        return cls(**known)


@lru_cache(maxsize=256)
def _gazetteer(areas: tuple[str, ...]) -> Gazetteer:
    return Gazetteer(areas)


_MAX_EXACT = 2**53
"""Whole amounts up to this stay ints; a larger one (10^30) is a float: state and tool calls are serialised with
64-bit integers, and the field rules refuse such a budget anyway, in words the lead reads."""


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value() and abs(value) < _MAX_EXACT:
        return int(value)
    return float(value)


def _budget_currency(asked: str | None, currency: str | None) -> tuple[str | None, bool]:
    """The currency a bare amount is in, and whether the agent has just asked for the budget.

    After "our prices are in USD: what is your budget in USD?" (asked "budget_in:USD") a bare amount is USD,
    whatever currency the lead named before.
    """
    if asked and asked.startswith(BUDGET_IN):
        return asked.removeprefix(BUDGET_IN) or currency, True
    return currency, asked == "budget"


def _preferences(text: str, areas: Sequence[str], currency: str | None, asked: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    default_currency, assume_budget = _budget_currency(asked, currency)
    budget = parse_budget(text, default_currency, assume_budget=assume_budget)
    if budget is not None:
        if budget.min is not None:
            found["budget_min"] = _json_number(budget.min)
        if budget.max is not None:
            found["budget_max"] = _json_number(budget.max)
        if budget.currency and budget.currency != "?":
            found["currency"] = budget.currency
        if budget.period:
            found["budget_period"] = budget.period
    types = parse_property_types(text)
    locations = _gazetteer(tuple(areas)).match_all(text) if areas else []
    values: dict[str, Any] = {
        "bedrooms": parse_bedrooms(text),
        "bathrooms": parse_bathrooms(text),
        "property_type": types[0] if types else None,
        "property_types": [str(kind) for kind in types] if len(types) > 1 else None,
        "transaction": parse_transaction(text),
        "payment_method": parse_payment_method(text),
        "timeline": parse_timeline(text),
        "pets": parse_pets(text),
        "furnished": parse_furnished(text),
        "location": locations[0] if locations else None,
        "locations": locations if len(locations) > 1 else None,
    }
    if values["bedrooms"] is None and asked == "bedrooms" and (bare := _BARE_NUMBER.match(text)):
        values["bedrooms"] = int(bare.group(1))
    elif (
        not any(value is not None for value in values.values())
        and budget is None
        and asked not in _COUNT_MEANS_ELSE
        and not (asked == "listing" and _BARE_NUMBER.match(text))  # "2" to the listings shown is the second
        and (count := parse_bare_count(text)) is not None
    ):
        values["bedrooms"] = count  # "Just two.": a count alone, in a conversation about homes, is bedrooms
    found.update(
        {
            name: str(value) if hasattr(value, "value") else value
            for name, value in values.items()
            if value is not None
        }
    )
    return found


def _payload(payload: str | None) -> tuple[set[str], dict[str, Any], int | None, str | None, bool]:
    """Intents, preferences, listing id, time and "more" carried by a button the agent offered."""
    if not payload:
        return set(), {}, None, None, False
    kind, _, value = payload.partition(":")
    if kind == "book" and value.isdigit():
        return {Intent.BOOK_VIEWING}, {}, int(value), None, False
    if kind == "listing" and value.isdigit():
        return set(), {}, int(value), None, False
    if kind == "when" and value:
        return {Intent.BOOK_VIEWING}, {}, None, value, False
    if kind == "move" and value:
        return {Intent.RESCHEDULE}, {}, None, value, False
    if kind == "more":
        return {Intent.SEARCH}, {}, None, None, True
    if kind == "tx" and value in tuple(Transaction):
        return set(), {"transaction": value}, None, None, False
    if kind == "type" and value:
        return set(), {"property_type": value}, None, None, False
    if kind == "human":
        return {Intent.HUMAN}, {}, None, None, False
    return set(), {}, None, None, False


def _title_reference(folded: str, listings: Sequence[Mapping[str, Any]], areas: Sequence[str]) -> int | None:
    """The listing whose name the text uses: the whole title, its first two words, or a word only it has."""
    titles = [(int(x["id"]), key(str(x.get("title") or "")).split()) for x in listings if "id" in x]
    area_words = {word for area in areas for word in key(area).split()}
    counts: dict[str, int] = {}
    for _, words in titles:
        for word in set(words):
            counts[word] = counts.get(word, 0) + 1
    best: dict[int, int] = {}
    for listing_id, words in titles:
        if not words:
            continue
        head = " ".join(words[:2])
        distinctive = [
            w
            for w in words
            if len(w) >= 5
            and w.isalpha()
            and counts[w] == 1
            and w not in GENERIC_WORDS  # "beach" or "pool" in a title names no particular listing
            and w not in area_words
        ]
        if " ".join(words) in folded:
            best[listing_id] = 3
        elif len(words) > 1 and len(head) >= 4 and head in folded:
            best[listing_id] = 2
        elif any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded) for w in distinctive):
            best[listing_id] = 1
    if not best:
        return None
    top = max(best.values())
    named = [listing_id for listing_id, score in best.items() if score == top]
    return named[0] if len(named) == 1 else None


def listing_reference(
    text: str,
    listings: Sequence[Mapping[str, Any]],
    shown_ids: Iterable[int] = (),
    *,
    has_date: bool = False,
    areas: Sequence[str] = (),
) -> int | None:
    """The id of a listing the text points at: its name, "#2", "the second one", "номер 2".

    The name comes first ("Cypress Glen, the second one"). With a date in the text, "the 4th" is the day,
    not the fourth listing.
    """
    if not listings and not shown_ids:
        return None
    folded = key(text)
    if (named := _title_reference(folded, listings, areas)) is not None:
        return named
    if has_date:
        folded = _DIGIT_ORDINAL.sub(" ", folded)
    by_position = [int(listing["id"]) for listing in listings if "id" in listing]
    known = set(by_position) | set(shown_ids)
    if numbered := _NUMBERED.search(folded):
        n = int(numbered.group(1))
        if 1 <= n <= len(by_position):
            return by_position[n - 1]
        if n in known:
            return n
    for n, pattern in _ORDINAL:
        if pattern.search(folded) and n <= len(by_position):
            return by_position[n - 1]
    return None


def _when(text: str, language: str | None, time_zone: str | None, now: datetime) -> tuple[str | None, bool]:
    """The time the lead names (ISO with minutes when they gave a time, a bare date when only a day), and
    whether they named a time without a day."""
    found = None
    if _CHANGE.search(key(text)):
        # "I have a conflict on March 10th. Can we make it March 14th instead?": the last day named is the new one.
        for sentence in reversed(_SENTENCE.split(text)):
            if found := parse_when_detail(sentence, language or "en", time_zone or "UTC", now):  # type: ignore[arg-type]
                break
    found = found or parse_when_detail(text, language or "en", time_zone or "UTC", now)  # type: ignore[arg-type]
    if found is not None:
        if found.has_time:
            return found.at.isoformat(timespec="minutes"), not found.has_date
        return found.at.date().isoformat(), False
    return None, False


def _ordinal(folded: str, has_date: bool) -> int | None:
    """The position the text names ("the fifth one", "#5"), if any."""
    if has_date:
        folded = _DIGIT_ORDINAL.sub(" ", folded)
    if numbered := _NUMBERED.search(folded):
        return int(numbered.group(1)) if int(numbered.group(1)) <= 10 else None
    return next((n for n, pattern in _ORDINAL if pattern.search(folded)), None)


def is_question_about(text: str, intents: Iterable[str]) -> bool:
    return Intent.QUESTION in intents or "?" in text or "؟" in text or bool(_INTERROGATIVE.search(key(text)))


def _asks(folded: str) -> tuple[str, ...]:
    return tuple(fact for fact, pattern in _FACTS.items() if pattern.search(folded))


def read_message(
    text: str,
    *,
    payload: str | None = None,
    areas: Sequence[str] = (),
    region: str = "US",
    currency: str | None = None,
    listings: Sequence[Mapping[str, Any]] = (),
    shown_ids: Iterable[int] = (),
    asked: str | None = None,
    now: datetime | None = None,
    time_zone: str | None = None,
    language: Lang | None = None,
    catalog: CatalogNames | None = None,
) -> Reading:
    """Read the lead's message (and the button they pressed, if any). With the catalog's names, a listing it
    names that was never shown is found too, and a place inside an area ("Berawa") gives the area."""
    intents, preferences, listing_id, when, wants_more = _payload(payload)
    phone = email = name = None
    time_only = False
    asks: tuple[str, ...] = ()
    candidates: tuple[int, ...] = ()
    ordinal: int | None = None
    named = deictic = False
    place: str | None = None
    describes = False
    if text.strip() and not payload:
        intents |= detect_intents(text)
        folded = key(text)
        preferences = _preferences(text, areas, currency, asked)
        phone = phone_in(text, region, language)
        email = extract_email(text)
        name = extract_name(text, language)
        wants_more = bool(listings) and bool(_MORE.search(folded)) and not preferences.get("location")
        if wants_more:
            intents.add(Intent.SEARCH)
        when, time_only = _when(text, language, time_zone, now) if now is not None else (None, False)
        positional = None
        if listings or shown_ids:
            positional = listing_reference(text, listings, shown_ids, has_date=when is not None, areas=areas)
            if positional is None and asked == "listing" and (bare := _BARE_NUMBER.match(text)):
                n = int(bare.group(1))
                positional = int(listings[n - 1]["id"]) if 1 <= n <= len(listings) else None
        asks = _asks(folded)
        deictic = bool(_POINTING.search(folded))
        question = is_question_about(text, intents)
        reference = refer(
            text,
            listings,
            positional,
            catalog,
            areas=areas,
            ordinal=_ordinal(folded, when is not None),
            referring=deictic or (question and bool(asks)) or bool(_VIEWING.search(folded)),
        )
        listing_id, candidates, ordinal = reference.listing_id, reference.candidates, reference.ordinal
        named, place = reference.named, reference.place
        if named and catalog is not None and listing_id is not None:
            # "Is the Family 4-bedroom villa with a large garden … available?" asks about availability only.
            title_words = set(key(catalog.title(listing_id)).split())
            asks = _asks(" ".join(w for w in folded.split() if w not in title_words))
        if reference.place_area and listing_id is None and not candidates and not preferences.get("location"):
            preferences["location"] = reference.place_area  # "in Berawa": Canggu, ranked by Berawa
        pointed_at = listing_id is not None or bool(candidates) or ordinal is not None
        if listings or shown_ids or pointed_at:
            pointed = pointed_at or when is not None or deictic
            if pointed and _VIEWING.search(folded) and not asks:
                intents.add(
                    Intent.BOOK_VIEWING
                )  # "can I see it tomorrow?", "I'd like to visit the apartment"
            if (
                (Intent.BOOK_VIEWING in intents or Intent.AFFIRM in intents)
                and not wants_more
                and not preferences.get("location")
            ):
                intents.discard(Intent.SEARCH)  # wanting to see what was shown is not a new search
            photos = "photos" in asks
            if (
                asks
                and (question or photos)
                and (Intent.SEARCH not in intents or pointed_at)
                and (not _WISH.search(folded) or photos)
            ):
                # "Is it furnished?" asks about a listing; it does not state a wish. "Anything with 3 baths?"
                # (a number, and no "it") is a wish.
                about_listing = pointed_at or deictic
                for fact in ("pets", "furnished", "bedrooms", "bathrooms", "property_type"):
                    if fact in ("pets", "furnished") or about_listing:
                        preferences.pop(fact, None)  # "is the apartment pet friendly?" names no wish
                asks = tuple(fact for fact in asks if fact not in preferences)
                if about_listing:
                    intents.discard(Intent.SEARCH)
            else:
                asks = ()
        elif deictic and asks and question and not _WISH.search(folded):
            pass  # "does it have a pool?" with nothing shown: a question about a listing not known yet
        elif "contact" in asks and question:
            asks = ("contact",)  # "what's your number?": how to reach the agency needs no listing
        else:
            asks = ()
        if _LIKING.search(folded) and Intent.DENY not in intents:
            intents.add(Intent.AFFIRM)
            if not wants_more:
                intents.discard(Intent.SEARCH)
        if when and (_CHANGE.search(folded) or Intent.DENY in intents):
            intents.add(Intent.RESCHEDULE)  # "No, I'd rather visit on the 3rd": another day, not a refusal
            intents.discard(Intent.DENY)
        if when and ({Intent.BOOK_VIEWING, Intent.AFFIRM, Intent.RESCHEDULE} & intents):
            preferences.pop("timeline", None)  # "the 8th of this month" is when to visit, not when to move
        describes = (bool(_DESCRIPTIVE.search(folded)) or place is not None) and not asks
    amounts = [preferences.get("budget_min"), preferences.get("budget_max")]
    too_small = all(amount is None or amount < MIN_BUDGET for amount in amounts)
    in_phone = phone and str(preferences.get("budget_max")) in re.sub(r"\D", "", phone)
    if ("budget_max" in preferences or "budget_min" in preferences) and (too_small or in_phone):
        for slot in ("budget_min", "budget_max", "currency", "budget_period"):
            preferences.pop(slot, None)
    if name and areas and _gazetteer(tuple(areas)).match_all(name):
        name = None  # "This is Canggu?": a place, not the lead's name
    return Reading(
        text=text[:500],
        payload=payload,
        intents=tuple(sorted(str(intent) for intent in intents)),  # plain strings: kept in the checkpoint
        preferences=preferences,
        phone=phone,
        email=email,
        name=name,
        when=when,
        time_only=time_only,
        listing_id=listing_id,
        asks=asks,
        wants_more=wants_more,
        describes=describes,
        candidates=candidates,
        ordinal=ordinal,
        named=named,
        deictic=deictic,
        place=place,
    )
