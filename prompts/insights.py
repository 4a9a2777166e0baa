"""The insight on a lead in the reader's language: what they want (amounts by Babel), urgency, objections,
open questions and the next best action with its reason; and what the model reads to write a summary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from babel.dates import format_datetime

from agent.core.insights.model import ActionKind, Insight, NextAction
from agent.core.zones import zone_of
from prompts.catalogue import language_code, named, text
from prompts.vocabulary import (
    LIST_SEPARATOR,
    bedrooms_phrase,
    budget_phrase,
    property_type_name,
    transaction_name,
)

QUESTION_CHARS = 80


@dataclass(frozen=True)
class InsightView:
    """An insight as lines of one language; `summary` is the model's, when it wrote one."""

    summary: str | None
    wants: str
    urgency: str | None
    objections: tuple[str, ...]
    questions: tuple[str, ...]
    next: str
    sources: str
    source: str

    @property
    def lines(self) -> tuple[str, ...]:
        """Everything, one line each (the CLI, the team bot)."""
        out: list[str] = [self.summary] if self.summary else []
        out.append(self.wants)
        if self.urgency:
            out.append(self.urgency)
        for items in (self.objections, self.questions):
            out.extend(f"• {item}" for item in items)
        out.append(self.next)
        return tuple(out)


def _t(language: str, key: str, /, **values: object) -> str:
    return text(language, "insights", key, **values)


RTL = ("fa", "ar")
_RTL_LETTERS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _short(value: str, limit: int = QUESTION_CHARS) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def isolated(said: str, language: str) -> str:
    """Words quoted as said, isolated (FSI…PDI) when their direction may differ from the reader's line: an
    English question in an Arabic line, a Persian note in an English one, keep their own order and punctuation."""
    if language in RTL or _RTL_LETTERS.search(said):
        return f"\u2068{said}\u2069"
    return said


def wants_line(insight: Insight, language: str) -> str:
    """ "Wants: to buy · villa · 3-bedroom · in Canggu · budget up to 500 тыс. USD · ..."; only what was said."""
    lang = language_code(language)
    wants = insight.wants
    if wants.is_empty():
        return _t(lang, "wants_unknown")
    items: list[str] = []
    if wants.transaction:
        items.append(transaction_name(lang, wants.transaction) or wants.transaction)
    if wants.property_types:
        items.append(
            LIST_SEPARATOR[lang].join(property_type_name(lang, kind) or kind for kind in wants.property_types)
        )
    if wants.bedrooms:
        items.append(bedrooms_phrase(wants.bedrooms, lang))
    if wants.areas:
        areas = LIST_SEPARATOR[lang].join(isolated(area, lang) for area in wants.areas)
        items.append(_t(lang, "areas", areas=areas))
    budget = budget_phrase(wants.budget_min, wants.budget_max, wants.currency, lang, localized=True)
    if budget:
        period = (
            f" {_t(lang, 'period.' + wants.budget_period)}"
            if wants.budget_period in ("month", "year")
            else ""
        )
        items.append(_t(lang, "budget", budget=budget + period))
    if wants.timeline:
        items.append(_t(lang, "timeline", timeline=isolated(_short(wants.timeline), lang)))
    if wants.payment_method:
        payment = named(lang, "insights", "payment", wants.payment_method) or wants.payment_method
        items.append(_t(lang, "payment", payment=payment))
    return _t(lang, "wants", items=" · ".join(items))


def action_line(action: NextAction, language: str) -> str:
    """ "Next: call now — hot and has a phone"."""
    lang = language_code(language)
    title = isolated(action.listing_title or "", lang)
    what = _t(lang, f"action.{action.kind.value}", id=action.listing_id, title=title)
    why = _t(
        lang,
        f"reason.{action.reason.value}",
        question=isolated(_short(action.question or ""), lang),
        days=action.silent_days if action.silent_days is not None else "",
    )
    return _t(lang, "next", action=what, reason=why)


def render(insight: Insight, language: str) -> InsightView:
    lang = language_code(language)
    counts = insight.touchpoints
    return InsightView(
        summary=(insight.summary or {}).get(lang),
        wants=wants_line(insight, lang),
        urgency=_t(lang, "urgency", n=insight.urgency_mentions) if insight.urgency_mentions else None,
        objections=tuple(
            _t(
                lang,
                "objection",
                kind=named(lang, "insights", "objection", o.kind) or o.kind,
                quote=isolated(o.quote, lang),
            )
            for o in insight.objections
        ),
        questions=tuple(
            _t(lang, "question", text=isolated(_short(q.text), lang)) for q in insight.open_questions
        ),
        next=action_line(insight.action, lang),
        sources=_t(
            lang,
            "sources",
            chat=counts.get("chat", 0),
            voice=counts.get("voice", 0),
            replies=counts.get("follow_up_reply", 0),
            notes=counts.get("note", 0),
        ),
        source=_t(lang, "source.model" if insight.summary else "source.offline"),
    )


def refreshed_label(at: datetime, language: str, time_zone: str | None) -> str:
    """ "Updated 7 Dec, 09:40" on the agency's clock, in the reader's locale."""
    lang = language_code(language)
    when = format_datetime(at, "d MMM, HH:mm", tzinfo=zone_of(time_zone), locale=lang)
    return _t(lang, "refreshed", when=when)


def is_call(insight: Insight) -> bool:
    return insight.action.kind is ActionKind.CALL_NOW


SUMMARY_SYSTEM: Final = (
    "You summarise a real-estate lead for the agency's sales rep. Use ONLY the facts in the JSON the user "
    "sends: what the lead wants, their urgency, objections and open questions, quoted from what was said. "
    "Never add an amount, area, date, number, currency or preference that is not in the facts; leave out "
    "what is not there. At most three short sentences, no greeting, no advice. Write the same summary four "
    "times: in English (en), Russian (ru), Persian (fa) and Arabic (ar). Keep names, numbers and currency "
    "codes exactly as in the facts."
)
"""What the model reads to write an insight's summary (agent.services.insights.writer); English, model-only."""
