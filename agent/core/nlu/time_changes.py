"""What a lead says about a viewing time besides naming one: a clock time no day has ("25:00", "в 26 часов",
"ساعت ۲۵"), and "a bit later" / "a bit earlier" than the time proposed, in the four languages."""

from __future__ import annotations

import re

from agent.core.nlu.lexicon import key, rx

# A clock time that does not exist: "25:00", "at 25", "в 26 часов", "ساعت ۲۵". key() folds the digits.
_IMPOSSIBLE_CLOCK = re.compile(
    r"(?<![\d.,:])(?P<said>(?:2[4-9]|[3-9]\d):[0-5]\d|(?:[01]?\d|2[0-3]):[6-9]\d)(?!\d)"
    r"|(?:\bat|\bв|\bк|ساعت|الساعة|الساعه)\s+(?P<hour>2[5-9]|[3-9]\d)(?![\d.,:])"
)
_LATER = rx(
    r"(?<!\w)(?:(?:a\s+)?(?:bit|little|tad)\s+later|later(?:\s+(?:that|in\s+the)\s+day|\s+on\s+that\s+day)?\s*(?:please|pls)?\s*[.!?]*$|"
    r"(?:a\s+)?(?:bit|little)\s+after|попозже|позже|чуть\s+позже|دیرتر|یکم\s+دیرتر|کمی\s+دیرتر|"
    r"(?:بعد|متاخر|اتاخر)\s*(?:قلیلا|شوی|شویة|بقلیل))(?!\w)"
)
_EARLIER = rx(
    r"(?<!\w)(?:(?:a\s+)?(?:bit|little|tad)\s+earlier|earlier(?:\s+(?:that|in\s+the)\s+day)?\s*(?:please|pls)?\s*[.!?]*$|"
    r"пораньше|чуть\s+раньше|زودتر|یکم\s+زودتر|کمی\s+زودتر|ابکر|مبکرا\s*(?:قلیلا|بقلیل)?)(?!\w)"
)


def impossible_clock(text: str) -> str | None:
    """The clock time the lead wrote that no day has ("25:00", "at 26"), as written; None when there is none."""
    match = _IMPOSSIBLE_CLOCK.search(key(text))
    if match is None:
        return None
    return match.group("said") or f"{match.group('hour')}:00"


def shift_of(text: str) -> int:
    """+1 for "a bit later", -1 for "a bit earlier", 0 otherwise."""
    folded = key(text)
    if _LATER.search(folded):
        return 1
    if _EARLIER.search(folded):
        return -1
    return 0
