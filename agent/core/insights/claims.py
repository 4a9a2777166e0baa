"""What a text says about a lead's wishes beyond amounts: how they pay, the property types, a timeline, a bedroom
count and small numbers in words, read with the NLU's own parsers (en, ru, fa, ar), so that a model's summary can
be checked against the facts it was given (`agent.core.insights.grounding`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from agent.core.nlu.clauses import clauses, number_words_in
from agent.core.nlu.slots import (
    parse_bedrooms,
    parse_payment_method,
    parse_property_types,
    parse_timeline,
)


@dataclass
class Claims:
    """Wishes named in some texts, as the NLU normalises them ("cash", "villa", "by March", 3)."""

    payments: set[str] = field(default_factory=set)
    property_types: set[str] = field(default_factory=set)
    timelines: set[str] = field(default_factory=set)
    bedrooms: set[int] = field(default_factory=set)
    number_words: set[int] = field(default_factory=set)


def claims_in(texts: Iterable[str]) -> Claims:
    """Every payment method, property type, timeline and bedroom count the texts name, clause by clause."""
    found = Claims()
    for text in texts:
        found.number_words |= number_words_in(text)
        for part in clauses(text):
            if (method := parse_payment_method(part)) is not None:
                found.payments.add(str(method))
            found.property_types |= {str(kind) for kind in parse_property_types(part)}
            if (timeline := parse_timeline(part)) is not None:
                found.timelines.add(timeline)
            if (bedrooms := parse_bedrooms(part)) is not None:
                found.bedrooms.add(bedrooms)
    return found
