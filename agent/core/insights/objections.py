"""What a lead said against a deal, quoted, whether they asked to see a place, and how often they said it is urgent
(agent.core.nlu reads the words; this keeps the words that said it, so an insight quotes the lead rather than
paraphrasing, and never counts what a rep recorded as something the lead said)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.core.insights.model import Objection, Touchpoint
from agent.core.nlu.lexicon import flat_key
from agent.core.nlu.objections import OBJECTIONS, asks_to_view, objections_said
from agent.core.nlu.signals import count_urgency_mentions

QUOTE_CHARS = 120


def quote(text: str, match: re.Match[str] | None = None) -> str:
    """The words around a match (or the start of the text), on one line, at most QUOTE_CHARS."""
    flat = " ".join(text.split())
    if len(flat) <= QUOTE_CHARS:
        return flat
    start = 0
    if match is not None:
        start = max(0, min(match.start() - QUOTE_CHARS // 3, len(flat) - QUOTE_CHARS))
    cut = flat[start : start + QUOTE_CHARS - 1].strip()
    return ("…" if start else "") + cut + "…"


def objections_in(touchpoints: Iterable[Touchpoint]) -> tuple[Objection, ...]:
    """Each objection kind once, with the latest words that said it (newest touchpoint last in the input)."""
    found: dict[str, Objection] = {}
    for point in touchpoints:
        for kind, match in objections_said(point.text):
            found[kind] = Objection(kind, quote(point.text, _same_place(point.text, match)), point.kind)
    return tuple(found[kind] for kind in OBJECTIONS if kind in found)


def asked_for_viewing(touchpoints: Iterable[Touchpoint]) -> bool:
    """The lead asked to see a place in a message of their own."""
    return any(point.kind != "note" and asks_to_view(point.text) for point in touchpoints)


def urgency_said(touchpoints: Iterable[Touchpoint]) -> int:
    """How many urgency phrases the lead said in messages of their own (a rep's note or a viewing outcome the rep
    recorded raises `leads.urgency_mentions` for the score, but is not the lead saying it)."""
    return sum(count_urgency_mentions(point.text) for point in touchpoints if point.kind != "note")


def _same_place(text: str, match: re.Match[str]) -> re.Match[str] | None:
    """The match when folding kept the text's length (offsets still point at the same words), else None."""
    return match if len(" ".join(text.split())) == len(flat_key(text)) else None
