"""What a rep's short message means for a takeover: "I'll take Tom", "Беру Тома", "hand back" (pure patterns).

The name is whatever follows (or, in Persian, precedes) the verb; finding the client it names is the
service's job (agent.services.takeover.names), with fuzzy matching that forgives Russian case endings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_FLAGS = re.IGNORECASE | re.UNICODE
_END = r"\s*[.!…]*\s*$"

_TAKE = (
    # English: "I'll take Tom", "I will take over Tom", "let me talk to Tom", "take over Tom"
    re.compile(
        r"^\s*(?:ok[,.!]?\s+)?(?:(?:i'?ll|i will|let me|i'm going to|i am going to)\s+(?:take over|take|talk to)"
        r"|take over|taking over)\s+(?:the chat with\s+|the conversation with\s+)?(?P<name>.+?)" + _END,
        _FLAGS,
    ),
    # Russian: "Беру Тома", "Я возьму Марию", "Забираю Анну", "Возьму на себя Ивана"
    re.compile(
        r"^\s*(?:я\s+)?(?:беру|возьму|забираю|заберу|веду)\s+(?:на себя\s+)?(?P<name>.+?)(?:\s+на себя)?"
        + _END,
        _FLAGS,
    ),
    # Persian: "من با تام صحبت می‌کنم", "تام را برمی‌دارم", "تام را می‌گیرم", "گفتگو با تام را به عهده می‌گیرم"
    re.compile(
        r"^\s*(?:من\s+)?(?:گفتگو با\s+)?(?P<name>.+?)\s+را\s+(?:به عهده\s+)?(?:برمی‌دارم|برمیدارم|می‌گیرم|میگیرم)"
        + _END,
        _FLAGS,
    ),
    re.compile(
        r"^\s*(?:من\s+)?(?:خودم\s+)?با\s+(?P<name>.+?)\s+(?:صحبت|حرف)\s+(?:می‌|می\s?)(?:کنم|زنم)" + _END,
        _FLAGS,
    ),
    # Arabic: "سأتولى توم", "سآخذ توم", "أنا سأتحدث مع توم"
    re.compile(
        r"^\s*(?:أنا\s+)?(?:سأتولى|ساتولى|سآخذ|ساخذ|سأتحدث مع|ساتحدث مع|أتولى)\s+(?:محادثة\s+)?(?P<name>.+?)"
        + _END,
        _FLAGS,
    ),
)

_HAND_BACK = re.compile(
    r"^\s*(?:"
    r"(?:please\s+)?(?:hand|give|pass)\s+(?:(?P<en>.+?)\s+)?back(?:\s+to\s+the\s+(?:bot|ai))?"
    r"|back to the (?:bot|ai)"
    r"|(?:верни|вернуть|отдай|отдать|передай|передать)(?:те)?\s+(?:(?P<ru>.+?)\s+)?(?:боту|ии|ai)"
    r"|(?:(?P<fa>.+?)\s+را\s+)?به\s+(?:ربات|هوش مصنوعی)\s+(?:برگردان|بده|بسپار)"
    r"|(?:أعد|اعد|أرجع|ارجع|سلّم|سلم)\s+(?:(?P<ar>.+?)\s+)?(?:إلى|الى|لل)\s*(?:البوت|بوت|الذكاء الاصطناعي)"
    r")" + _END,
    _FLAGS,
)


@dataclass(frozen=True)
class TakeoverWords:
    """A take-over or hand-back request; `name` as written (empty: not named)."""

    verb: Literal["take", "hand_back"]
    name: str


def takeover_words(text: str) -> TakeoverWords | None:
    """The request this message makes, if it is one (a few words, never a long message to a lead)."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned.split()) > 8:
        return None
    back = _HAND_BACK.match(cleaned)
    if back is not None:
        name = next((value for value in back.groupdict().values() if value), "")
        return TakeoverWords("hand_back", name.strip(" ,.!?"))
    for pattern in _TAKE:
        taken = pattern.match(cleaned)
        if taken is not None and taken.groupdict().get("name"):
            name = taken.group("name").strip(' ,.!?«»"')
            if name and len(name.split()) <= 4:
                return TakeoverWords("take", name)
    return None
