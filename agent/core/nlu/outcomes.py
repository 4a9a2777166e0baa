"""A rep telling the team bot how a deal ended, in words: "Tom signed", "Мария отказалась, дорого".

Pure: the statement is read into who (the name as written), won or lost, a reason code guessed from the words
("price" from "дорого"), and the rest as a note. Which lead the name means is the caller's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.core.nlu.lexicon import alt, flat_key, rx, terms
from agent.core.outcomes import OutcomeKind

MAX_WORDS = 16
"""A longer message is a story, not a status update: it is left to the conversation."""
MAX_NAME_WORDS = 4

# The verb that says how it ended, each with the reason it implies (None: no reason of its own).
_WON: tuple[tuple[str, str | None], ...] = (
    (
        "bought|has bought|purchased|closed the deal|deal closed|deal is closed|is won|won the deal|"
        "купил|купила|купили|покупает|закрыл сделку|закрыли сделку|сделка закрыта|"
        "خرید|خریداری کرد|خرید کرد|"
        "اشترى|اشترت|اشتروا|قام بالشراء",
        "bought",
    ),
    (
        "signed|has signed|rented|took the lease|"
        "подписал|подписала|подписали|арендовал|арендовала|арендовали|снял|сняла|сняли|"
        "امضا کرد|امضا شد|قرارداد بست|قرارداد امضا|اجاره کرد|"
        "وقع|وقعت|وقعوا|وقّع|وقّعت|استأجر|استأجرت|استاجر|استاجرت",
        "signed",
    ),
)
_LOST: tuple[tuple[str, str | None], ...] = (
    (
        "went with another agency|chose another agency|went to another agency|bought elsewhere|"
        "ушёл к другому агентству|ушел к другому агентству|ушла к другому агентству|ушли к конкурентам|"
        "купил в другом агентстве|купила в другом агентстве|"
        "با آژانس دیگری|آژانس دیگری را انتخاب کرد|"
        "اختار وكالة أخرى|ذهب إلى وكالة أخرى|ذهبت إلى وكالة أخرى",
        "other_agency",
    ),
    (
        "stopped responding|stopped answering|went silent|ghosted|"
        "перестал отвечать|перестала отвечать|пропал|пропала|не отвечает|"
        "جواب نمی دهد|دیگر جواب نداد|"
        "توقف عن الرد|توقفت عن الرد|لا يرد|لا ترد",
        "no_response",
    ),
    (
        "lost|is lost|declined|backed out|gave up|dropped out|walked away|refused|not buying|won't buy|"
        "changed their mind|changed his mind|changed her mind|didn't buy|did not buy|didn't sign|did not sign|"
        "не купил|не купила|не купили|не подписал|не подписала|не подписали|"
        "отказался|отказалась|отказались|передумал|передумала|передумали|потеряли|слился|слилась|"
        "не будет покупать|не купит|"
        "منصرف شد|انصراف داد|رد کرد|از دست رفت|نمی خرد|نخرید|"
        "رفض|رفضت|رفضوا|تراجع|تراجعت|انسحب|انسحبت|خسرنا|لن يشتري|لن تشتري|لم يشتر|لم تشتر",
        None,
    ),
)

_REASON_WORDS: tuple[tuple[str, str], ...] = (
    (
        "another agency|other agency|competitor|elsewhere|другое агентство|другом агентстве|конкурент|"
        "آژانس دیگر|وكالة أخرى|منافس",
        "other_agency",
    ),
    (
        "mortgage|financing|loan|bank|credit|ипотек|кредит|финансир|банк|"
        "وام|تمویل|بانک|تمويل|قرض|رهن عقاري|بنك",
        "financing",
    ),
    (
        "price|expensive|too much|costly|budget|дорого|дорогая|дорогой|цена|цены|цену|бюджет|"
        "گران|قیمت|بودجه|غالي|غالية|السعر|سعر|الميزانية",
        "price",
    ),
    (
        "location|area|too small|too big|doesn't fit|does not fit|not suitable|layout|"
        "не подходит|не подошл|район|локаци|маленьк|планировк|"
        "مناسب نبود|منطقه|موقعیت|کوچک|الموقع|المنطقة|غير مناسب|صغير",
        "mismatch",
    ),
    (
        "later|postponed|next year|timing|not now|on hold|"
        "отложил|отложила|позже|не сейчас|в следующем году|перенес|"
        "بعدا|تعویق|سال بعد|لاحقا|تأجيل|السنة القادمة",
        "timing",
    ),
    (
        "stopped responding|not responding|no answer|silent|не отвечает|пропал|перестал отвечать|"
        "جواب نمی|لا يرد",
        "no_response",
    ),
)

_CLIENT_WORDS = rx(
    r"^(?:(?:my|our|the|client|lead|buyer|customer|мой|моя|наш|наша|клиент|клиентка|лид|покупатель|"
    r"مشتری|عميل|العميل|الزبون)\s+)+"
)
_SEPARATORS = " \t,.;:!?—–-()\"'«»"
_NOT_A_NAME = rx(
    r"^(?:i|we|he|she|they|it|someone|somebody|nobody|everyone|this|that|he's|she's|"
    r"я|мы|он|она|они|оно|кто-то|кто то|никто|все|это|"
    r"من|ما|او|آنها|کسی|هیچ کس|أنا|نحن|هو|هي|هم|أحد|لا أحد)(?:\s|$)"
)


def _compiled(table: tuple[tuple[str, str | None], ...]) -> tuple[tuple[re.Pattern[str], str | None], ...]:
    # "signed up" is joining something, not signing a deal
    return tuple((rx(rf"(?<!\w){alt(terms(words))}(?!\w)(?!\s+up\b)"), reason) for words, reason in table)


_WON_RX = _compiled(_WON)
_LOST_RX = _compiled(_LOST)
_REASON_RX = tuple((rx(alt(terms(words))), code) for words, code in _REASON_WORDS)


@dataclass(frozen=True)
class OutcomeStatement:
    """What the rep said: the client as named, won or lost, a reason code when the words give one, the rest."""

    name: str
    outcome: OutcomeKind
    reason: str | None
    note: str | None


def guess_reason(text: str, outcome: OutcomeKind) -> str | None:
    """A default reason code the words point to ("дорого" -> "price"); None when they name none."""
    if outcome != "lost":
        return None
    folded = flat_key(text)
    for pattern, code in _REASON_RX:
        if pattern.search(folded):
            return code
    return None


def _first_verb(folded: str) -> tuple[re.Match[str], OutcomeKind, str | None] | None:
    found: list[tuple[re.Match[str], OutcomeKind, str | None]] = []
    for outcome, table in (("lost", _LOST_RX), ("won", _WON_RX)):
        for pattern, reason in table:
            match = pattern.search(folded)
            if match is not None:
                found.append((match, outcome, reason))  # type: ignore[arg-type]
    if not found:
        return None
    # The earliest verb; at the same place the longer phrase ("bought elsewhere" over "bought").
    found.sort(key=lambda item: (item[0].start(), -(item[0].end() - item[0].start())))
    return found[0]


def read_outcome(text: str) -> OutcomeStatement | None:
    """The statement "<client> <verb> [, reason or note]" (or "<verb> <client>"); None when the text is not one."""
    folded = flat_key(text)
    if not folded or len(folded.split()) > MAX_WORDS:
        return None
    hit = _first_verb(folded)
    if hit is None:
        return None
    match, outcome, implied = hit
    before = folded[: match.start()].strip(_SEPARATORS)
    after = folded[match.end() :].strip(_SEPARATORS)
    name = _CLIENT_WORDS.sub("", before).strip(_SEPARATORS)
    rest = after
    if not name:  # "lost Tom — price": the name follows the verb, up to the first separator
        head = re.split(r"\s*[,;:—–()]\s*|\s+-\s+", after, maxsplit=1)[0]
        name = " ".join(_CLIENT_WORDS.sub("", head).strip(_SEPARATORS).split()[:MAX_NAME_WORDS])
        rest = after[len(head) :].strip(_SEPARATORS)
    if not name or len(name.split()) > MAX_NAME_WORDS or _NOT_A_NAME.match(name):
        return None  # "someone bought it": a sentence about nobody in particular, left to the conversation
    reason = implied or guess_reason(rest, outcome)
    note = _original_span(text, rest)
    return OutcomeStatement(
        name=_original_span(text, name) or name, outcome=outcome, reason=reason, note=note
    )


def _original_span(text: str, folded_part: str) -> str | None:
    """`folded_part` as the rep wrote it (their letter case), when it can be found; else the folded form."""
    if not folded_part:
        return None
    flat = " ".join(text.split())
    folded = flat_key(flat)
    if len(folded) == len(flat):  # folding kept every letter in place (the usual case): same slice
        index = folded.find(folded_part)
        if index >= 0:
            return flat[index : index + len(folded_part)]
    return folded_part
