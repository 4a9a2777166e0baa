"""What a lead's message shows of its intent beyond the slots: urgency, and specific questions.

The score's intent bonus counts them (`agent.core.scoring`); the lead's intake keeps the counts.
"""

from __future__ import annotations

from agent.core.nlu.lexicon import AR_PREFIX, flat_key, rx

# Arabic glues و/ف, then ب/ل/ک, then the article to the word: "بالتقسيط", "للسعر".
_AR = r"\b" + AR_PREFIX

_URGENCY = rx(
    "|".join(
        (
            r"\burgent(?:ly)?\b",
            r"\basap\b",
            r"\bas soon as possible\b",
            r"\bimmediately\b",
            r"\bright away\b",
            r"\bthis week\b",
            r"\btoday\b",
            r"\btonight\b",
            r"\bhurry\b",
            r"\bсрочн\w*",
            r"\bкак можно (?:скорее|быстрее)\b",
            r"\bна этой неделе\b",
            r"\bсегодня\b",
            r"\bнемедленно\b",
            r"\bпрямо сейчас\b",
            r"\bв ближайшее время\b",
            r"\bпобыстрее\b",
            r"\bفوری\b",
            r"\bفورا\b",
            r"\bهر ?چه زودتر\b",
            r"\b(?:همین|این) هفته\b",
            r"\bامروز\b",
            r"\bعجله\w*",
            _AR + r"عاجل\w*",
            _AR + r"مستعجل\w*",
            r"\bفي أقرب وقت\b",
            r"\bهذا الأسبوع\b",
            r"\bاليوم\b",
            r"\bبسرعة\b",
        )
    )
)

# Topics of a "specific question": a lead asking about these is shopping, not browsing.
_QUESTION_TOPICS: dict[str, tuple[str, ...]] = {
    "price": (
        r"\bpric(?:e|es|ing)\b",
        r"\bcosts?\b",
        r"\bhow much\b",
        r"\bцен\w*",
        r"\bстоимост\w*",
        r"\bсколько стоит\b",
        r"\bقیمت\w*",
        r"\bچقدر\b",
        r"\bچنده\b",
        _AR + r"سعر\w*",
        _AR + r"أسعار\w*",
        _AR + r"تكلف\w*",
        _AR + r"ثمن\w*",
    ),
    "availability": (
        r"\bavailab\w*",
        r"\bstill (?:for sale|free|on the market)\b",
        r"\bvacant\b",
        r"\bдоступн\w*",
        r"\bсвобод\w*",
        r"\bв наличии\b",
        r"\bещё прода\w*",
        r"\bموجود\w*",
        r"\bدر دسترس\b",
        _AR + r"متاح\w*",
        _AR + r"متوفر\w*",
        _AR + r"شاغر\w*",
    ),
    "viewing": (
        r"\bviewings?\b",
        r"\bvisit\w*",
        r"\bshowings?\b",
        r"\bsee (?:it|the (?:apartment|flat|property|unit|villa|house))\b",
        r"\bпросмотр\w*",
        r"\bосмотр\w*",
        r"\bпосмотреть\b",
        r"\bبازدید\w*",
        _AR + r"معاين\w*",
        _AR + r"زيار\w*",
    ),
    "payment_plan": (
        r"\bpayment plans?\b",
        r"\binstal{1,2}ments?\b",
        r"\bdown ?payments?\b",
        r"\bmortgage\w*",
        r"\bрассрочк\w*",
        r"\bплан\w* (?:оплаты|платеж\w*)",
        r"\bипотек\w*",
        r"\bпервоначальн\w* взнос\w*",
        r"\bاقساط\w*",
        r"\bقسط\w*",
        r"\bپیش ?پرداخت\w*",
        r"\bشرایط پرداخت\b",
        r"\bوام\b",
        _AR + r"تقسيط\w*",
        _AR + r"أقساط\w*",
        r"\bخطة (?:ال)?دفع\b",
        _AR + r"دفعة الأولى\b",
        _AR + r"تمويل\w*",
    ),
    "return_on_investment": (
        r"\broi\b",
        r"\breturn on investment\b",
        r"\b(?:rental )?yields?\b",
        r"\brental income\b",
        r"\bдоходност\w*",
        r"\bокупаемост\w*",
        r"\bарендн\w* доход\w*",
        r"\bبازده\w*",
        r"\bبازگشت سرمایه\b",
        _AR + r"عائد\w*",
        _AR + r"مردود\w*",
    ),
    "handover": (
        r"\bhand ?over\b",
        r"\bcompletion date\b",
        r"\bready to move\b",
        r"\bсрок\w* сдачи\b",
        r"\bввод\w* в эксплуатаци\w*",
        r"\bتحویل\b",
        _AR + r"تسليم\w*",
    ),
    "fees": (
        r"\bservice charges?\b",
        r"\bmaintenance fees?\b",
        r"\bкоммунальн\w*",
        r"\bплат\w* за обслуживание\b",
        r"\bشارژ\b",
        r"\bهزینه (?:های )?نگهداری\b",
        _AR + r"رسوم\w*",
    ),
    "size_and_layout": (
        r"\bfloor ?plans?\b",
        r"\blayouts?\b",
        r"\bsq\.? ?(?:ft|m)\b",
        r"\bsqm\b",
        r"\bsquare (?:feet|foot|met(?:er|re)s?)\b",
        r"\bпланировк\w*",
        r"\bплощад\w*",
        r"\bметраж\w*",
        r"\bمتراژ\b",
        r"\bپلان\b",
        _AR + r"مساح\w*",
        _AR + r"مخطط\w*",
    ),
}
_QUESTIONS = {topic: rx("|".join(patterns)) for topic, patterns in _QUESTION_TOPICS.items()}


def count_urgency_mentions(text: str) -> int:
    """How many urgency phrases ("urgent", "this week", "срочно", "فوری", "عاجل", ...) the text holds."""
    return len(_URGENCY.findall(flat_key(text)))


def specific_question_topics(text: str) -> frozenset[str]:
    """The topics the text asks about: price, availability, viewing, payment plan, ROI, handover, ..."""
    normalized = flat_key(text)
    return frozenset(topic for topic, pattern in _QUESTIONS.items() if pattern.search(normalized))


def count_specific_questions(text: str) -> int:
    """How many distinct specific topics the text asks about (asking the price twice counts once)."""
    return len(specific_question_topics(text))
