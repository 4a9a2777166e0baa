"""How a lead says something against a deal (price too high, wrong area, too small, not now, waiting for a loan)
and how they ask to see a place, in the four languages; matched on `flat_key` (agent.core.insights quotes them)."""

from __future__ import annotations

import re

from agent.core.nlu.lexicon import AR_PREFIX, flat_key, rx

_AR = r"\b" + AR_PREFIX

OBJECTIONS: dict[str, re.Pattern[str]] = {
    "price": rx(
        "|".join(
            (
                r"\btoo (?:expensive|pricey|much)\b",
                r"\bover (?:my|our) budget\b",
                r"\bout of (?:my|our) (?:budget|price range)\b",
                r"\bcan'?t afford\b",
                r"\boverpriced\b",
                r"\bслишком дорог\w*",
                r"\bдороговат\w*",
                r"\bдорого\b",
                r"\bне по карману\b",
                r"\bвыше (?:моего|нашего) бюджета\b",
                r"\bخیلی گران\w*",
                r"\bگرونه\b",
                r"\bگران است\b",
                r"\bبیش از بودجه\b",
                _AR + r"غال(?:ي|ية)\b",
                r"\bمكلف(?:ة)? جدا\b",
                r"\bفوق (?:ميزانيتي|ميزانيتنا)\b",
            )
        )
    ),
    "location": rx(
        "|".join(
            (
                r"\b(?:too far|far from)\b",
                r"\bdon'?t like the (?:area|location|neighbou?rhood)\b",
                r"\bwrong (?:area|location)\b",
                r"\bслишком далеко\b",
                r"\bдалеко от\b",
                r"\bне нравится (?:район|место|локация)\b",
                r"\bخیلی دور\w*",
                r"\bدور از\b",
                r"\bمحله\w* (?:را )?دوست ندار\w*",
                r"\bبعيد(?:ة)? جدا\b",
                r"\bبعيد(?:ة)? عن\b",
                r"\bلا (?:يعجبني|تعجبني) (?:المنطقة|الموقع)\b",
            )
        )
    ),
    "size": rx(
        "|".join(
            (
                r"\btoo (?:small|tiny|cramped)\b",
                r"\bnot (?:big|large|spacious) enough\b",
                r"\bслишком (?:мал\w*|тесн\w*)\b",
                r"\bмаловат\w*",
                r"\bخیلی کوچک\w*",
                r"\bکوچیکه\b",
                r"\bصغير(?:ة)? جدا\b",
                r"\bضيق(?:ة)? جدا\b",
            )
        )
    ),
    "timing": rx(
        "|".join(
            (
                r"\bnot (?:right )?now\b",
                r"\bnot (?:ready|in a hurry)\b",
                r"\bmaybe later\b",
                r"\bnext year\b",
                r"\bне сейчас\b",
                r"\bпока не готов\w*",
                r"\bв следующем году\b",
                r"\bالان نه\b",
                r"\bفعلا نه\b",
                r"\bسال بعد\b",
                r"\bليس الآن\b",
                r"\bلست مستعد\w*",
                r"\bالسنة القادمة\b",
            )
        )
    ),
    "financing": rx(
        "|".join(
            (
                r"\b(?:need|waiting for) (?:a )?(?:mortgage|loan)\b",
                r"\bmortgage (?:approval|not approved)\b",
                r"\bнужна ипотека\b",
                r"\bжд[уё]м (?:одобрения )?ипотек\w*",
                r"\bوام لازم\b",
                r"\bمنتظر وام\b",
                r"\bأحتاج (?:إلى )?(?:قرض|تمويل)\b",
                r"\bبانتظار (?:القرض|التمويل)\b",
            )
        )
    ),
}
"""Objection kind -> how a lead says it."""

VIEWING_ASK = rx(
    "|".join(
        (
            r"\b(?:a |to )?viewings?\b",
            r"\bvisit (?:it|the|this)\b",
            r"\b(?:see|view) (?:it|the (?:villa|apartment|house|place|property)) in person\b",
            r"\bcan (?:i|we) (?:see|visit|view)\b",
            r"\bпосмотреть (?:вживую|лично|квартиру|виллу|дом|объект)\b",
            r"\bпросмотр\w*",
            r"\bможно (?:ли )?посмотреть\b",
            r"\bبازدید\w*",
            r"\bببینم\w*",
            _AR + r"معاين\w*",
            r"\bزيارة (?:العقار|الفيلا|الشقة)\b",
            r"\bأريد (?:أن )?أرى\b",
        )
    )
)
"""The lead asking to see a place."""


def objections_said(text: str) -> list[tuple[str, re.Match[str]]]:
    """Each objection kind the text says, with its match on `flat_key(text)`."""
    folded = flat_key(text)
    found = [(kind, pattern.search(folded)) for kind, pattern in OBJECTIONS.items()]
    return [(kind, match) for kind, match in found if match is not None]


def asks_to_view(text: str) -> bool:
    return VIEWING_ASK.search(flat_key(text)) is not None
