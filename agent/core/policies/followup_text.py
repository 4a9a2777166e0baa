"""Follow-up texts built only from what the lead told us: at most 160 characters, in their language.

Used by the agent's `draft_follow_up` tool and by the follow-up jobs. Nothing is invented: no
"my colleague found the property you wanted" unless the caller passes a real match.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.models import Lead

from agent.core.policies.vocabulary import (
    ANY_PROPERTY,
    LIST_SEPARATOR,
    PROPERTY_TYPE_NAMES,
    TRANSACTION_NAMES,
    bedrooms_phrase,
    budget_phrase,
    language_of,
)

MAX_CHARS = 160


class Purpose(StrEnum):
    CHECK_IN = "check_in"
    """A friendly "still looking?" after a pause."""
    GHOST = "ghost"
    """The Ghost Protocol nudge after the lead went quiet."""
    LISTINGS = "listings"
    """After listings were shown: did any fit?"""
    VIEWING = "viewing"
    """Invite to book a viewing."""
    MATCH = "match"
    """A real new match exists (the caller passes its title)."""


@dataclass(frozen=True)
class FollowUpFacts:
    """What the lead asked for, as stored on the lead."""

    language: str = "en"
    name: str | None = None
    property_type: str | None = None
    transaction: str | None = None
    location: str | None = None
    bedrooms: int | None = None
    budget_min: Decimal | float | None = None
    budget_max: Decimal | float | None = None
    currency: str | None = None

    @classmethod
    def of(cls, lead: Lead) -> FollowUpFacts:
        """The facts a stored lead gives the text builder."""
        return cls(
            language=lead.language,
            name=lead.name,
            property_type=lead.property_type,
            transaction=lead.transaction,
            location=lead.location,
            bedrooms=lead.bedrooms,
            budget_min=lead.budget_min,
            budget_max=lead.budget_max,
            currency=lead.budget_currency,
        )


# {hi}: greeting with the name; {wish}: what the lead asked for; {match}: a real listing's title.
_TEMPLATES: dict[str, dict[Purpose, str]] = {
    "en": {
        Purpose.CHECK_IN: "{hi}, still looking for {wish}? I can send fresh options or book a viewing.",
        Purpose.GHOST: "{hi}, any news on your search for {wish}? Reply when it suits you.",
        Purpose.LISTINGS: "{hi}, did any of the options for {wish} catch your eye? I can book a viewing.",
        Purpose.VIEWING: "{hi}, would you like to see {wish} in person? Tell me a day that suits you.",
        Purpose.MATCH: "{hi}, a new listing matches your search for {wish}: {match}. Want details?",
    },
    "ru": {
        Purpose.CHECK_IN: "{hi}! Всё ещё ищете: {wish}? Могу прислать новые варианты или записать на просмотр.",
        Purpose.GHOST: "{hi}! Как продвигается поиск: {wish}? Ответьте, когда будет удобно.",
        Purpose.LISTINGS: "{hi}! Подошёл ли какой-то вариант: {wish}? Могу записать на просмотр.",
        Purpose.VIEWING: "{hi}! Хотите посмотреть вживую: {wish}? Напишите удобный день.",
        Purpose.MATCH: "{hi}! Новый вариант по вашему запросу ({wish}): {match}. Прислать детали?",
    },
    "fa": {
        Purpose.CHECK_IN: "{hi}، هنوز دنبال {wish} هستید؟ می‌توانم گزینه‌های تازه بفرستم یا بازدید رزرو کنم.",
        Purpose.GHOST: "{hi}، جستجوی {wish} به کجا رسید؟ هر وقت راحت بودید جواب بدهید.",
        Purpose.LISTINGS: "{hi}، از گزینه‌های {wish} چیزی پسندیدید؟ می‌توانم بازدید رزرو کنم.",
        Purpose.VIEWING: "{hi}، دوست دارید {wish} را از نزدیک ببینید؟ روز مناسب را بگویید.",
        Purpose.MATCH: "{hi}، یک آگهی جدید با جستجوی شما ({wish}) می‌خواند: {match}. جزئیات بفرستم؟",
    },
    "ar": {
        Purpose.CHECK_IN: "{hi}، هل ما زلت تبحث عن {wish}؟ يمكنني إرسال خيارات جديدة أو حجز معاينة.",
        Purpose.GHOST: "{hi}، ما أخبار بحثك عن {wish}؟ رد عندما يناسبك.",
        Purpose.LISTINGS: "{hi}، هل أعجبك أحد خيارات {wish}؟ يمكنني حجز معاينة.",
        Purpose.VIEWING: "{hi}، هل تود رؤية {wish} على الطبيعة؟ أخبرني باليوم المناسب.",
        Purpose.MATCH: "{hi}، عقار جديد يطابق بحثك ({wish}): {match}. هل أرسل التفاصيل؟",
    },
}

# When we know nothing of what the lead wants: an honest question instead of a made-up wish.
_GENERIC: dict[str, str] = {
    "en": "{hi}, just checking in. What kind of property are you looking for? I'm happy to help.",
    "ru": "{hi}! Напоминаю о себе. Какую недвижимость вы ищете? С радостью помогу.",
    "fa": "{hi}، خواستم حالی بپرسم. دنبال چه ملکی هستید؟ با کمال میل کمک می‌کنم.",
    "ar": "{hi}، أردت الاطمئنان عليك. ما نوع العقار الذي تبحث عنه؟ يسعدني المساعدة.",
}

_HELLO: dict[str, tuple[str, str]] = {
    "en": ("Hi {name}", "Hi"),
    "ru": ("Здравствуйте, {name}", "Здравствуйте"),
    "fa": ("سلام {name}", "سلام"),
    "ar": ("مرحباً {name}", "مرحباً"),
}

MAX_NAME_CHARS = 24


def wish_parts(facts: FollowUpFacts) -> list[str]:
    """The lead's asks, most important first, each a short phrase in their language."""
    lang = language_of(facts.language)
    if lang == "en":
        kind = PROPERTY_TYPE_NAMES[lang].get(facts.property_type or "") or "home"
        head = f"{bedrooms_phrase(facts.bedrooms, lang)} {kind}" if facts.bedrooms else kind
        head = f"{'an' if head[0] in 'aeiou' else 'a'} {head}"
        if facts.transaction in TRANSACTION_NAMES[lang]:
            head += f" {TRANSACTION_NAMES[lang][facts.transaction]}"
        parts = [head]
    else:
        parts = [PROPERTY_TYPE_NAMES[lang].get(facts.property_type or "") or ANY_PROPERTY[lang]]
        if facts.transaction in TRANSACTION_NAMES[lang]:
            parts.append(TRANSACTION_NAMES[lang][facts.transaction])
        if facts.bedrooms:
            parts.append(bedrooms_phrase(facts.bedrooms, lang))
    if facts.location:
        parts.append(f"in {facts.location}" if lang == "en" else facts.location)
    budget = budget_phrase(facts.budget_min, facts.budget_max, facts.currency, lang)
    if budget:
        parts.append(budget)
    return parts


def knows_wish(facts: FollowUpFacts) -> bool:
    return any(
        value is not None and value != ""
        for value in (facts.property_type, facts.location, facts.bedrooms, facts.budget_max, facts.budget_min)
    )


def draft_follow_up_text(
    facts: FollowUpFacts, purpose: str = Purpose.CHECK_IN, match: str | None = None
) -> str:
    """A follow-up of at most MAX_CHARS characters about what the lead actually asked for.

    Unknown purposes read as a check-in; MATCH without a real `match` title also falls back to it.
    Details are dropped from the end (budget, then location...) until the text fits.
    """
    lang = language_of(facts.language)
    try:
        chosen = Purpose(purpose)
    except ValueError:
        chosen = Purpose.CHECK_IN
    if chosen is Purpose.MATCH and not match:
        chosen = Purpose.CHECK_IN
    name = (facts.name or "").strip()
    if len(name) > MAX_NAME_CHARS:
        name = name.split()[0][:MAX_NAME_CHARS]
    named, bare = _HELLO[lang]
    hi = named.format(name=name) if name else bare
    if not knows_wish(facts):
        return _fit(_GENERIC[lang].format(hi=hi))
    parts = wish_parts(facts)
    separator = " " if lang == "en" else LIST_SEPARATOR[lang]
    template = _TEMPLATES[lang][chosen]
    short_match = (match or "")[:60]
    while True:
        text = template.format(hi=hi, wish=separator.join(parts), match=short_match)
        if len(text) <= MAX_CHARS or len(parts) == 1:
            return _fit(text)
        parts = parts[:-1]


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rstrip() + "…"
