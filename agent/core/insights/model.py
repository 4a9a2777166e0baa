"""The insight on a lead, language-neutral: stored as JSON, worded per reader by `prompts.insights`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class ActionKind(StrEnum):
    CALL_NOW = "call_now"
    SEND_LISTING = "send_listing"
    ANSWER_QUESTION = "answer_question"
    BOOK_VIEWING = "book_viewing"
    NUDGE = "nudge"
    WAIT = "wait"


class ActionReason(StrEnum):
    HOT_AND_REACHABLE = "hot_and_reachable"
    MATCHED_NOT_SHOWN = "matched_not_shown"
    QUESTION_WAITING = "question_waiting"
    ASKED_FOR_VIEWING = "asked_for_viewing"
    SILENT = "silent"
    OPTED_OUT = "opted_out"
    CLOSED = "closed"
    TAKEN_OVER = "taken_over"
    CONTACTED_TODAY = "contacted_today"
    VIEWING_AHEAD = "viewing_ahead"
    IN_CONVERSATION = "in_conversation"


@dataclass(frozen=True)
class NextAction:
    kind: ActionKind
    reason: ActionReason
    listing_id: int | None = None
    listing_title: str | None = None
    question: str | None = None
    silent_days: int | None = None


@dataclass(frozen=True)
class Touchpoint:
    """One thing said: by the lead (chat, voice, a reply to a follow-up) or by a rep (a note)."""

    kind: str
    """chat | voice | follow_up_reply | note"""
    text: str
    at: datetime | None


@dataclass(frozen=True)
class OpenQuestion:
    id: int
    text: str
    asked_at: datetime


@dataclass(frozen=True)
class Objection:
    kind: str
    """price | location | size | timing | financing"""
    quote: str
    """The words that said it, cut short."""
    source: str
    """The touchpoint kind it was said in."""


@dataclass(frozen=True)
class Wants:
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    currency: str | None = None
    budget_period: str | None = None
    areas: tuple[str, ...] = ()
    property_types: tuple[str, ...] = ()
    transaction: str | None = None
    bedrooms: int | None = None
    timeline: str | None = None
    payment_method: str | None = None

    def is_empty(self) -> bool:
        return not any(value not in (None, ()) for value in asdict(self).values())


@dataclass(frozen=True)
class Insight:
    wants: Wants
    urgency_mentions: int
    """Urgency phrases in the lead's own messages (chat, voice, replies); never a rep's note or recorded outcome."""
    objections: tuple[Objection, ...]
    open_questions: tuple[OpenQuestion, ...]
    action: NextAction
    touchpoints: dict[str, int] = field(default_factory=dict)
    """How many touchpoints of each kind it was composed from."""
    summary: dict[str, str] | None = None
    """The model's summary per language (en, ru, fa, ar), checked against the facts; None offline."""

    def to_json(self) -> dict[str, Any]:
        return _plain(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Insight:
        wants = dict(data.get("wants") or {})
        for name in ("budget_min", "budget_max"):
            wants[name] = _decimal(wants.get(name))
        for name in ("areas", "property_types"):
            wants[name] = tuple(wants.get(name) or ())
        action = dict(data["action"])
        action["kind"] = ActionKind(action["kind"])
        action["reason"] = ActionReason(action["reason"])
        return cls(
            wants=Wants(**wants),
            urgency_mentions=int(data.get("urgency_mentions") or 0),
            objections=tuple(Objection(**o) for o in data.get("objections") or ()),
            open_questions=tuple(
                OpenQuestion(int(q["id"]), str(q["text"]), datetime.fromisoformat(q["asked_at"]))
                for q in data.get("open_questions") or ()
            ),
            action=NextAction(**action),
            touchpoints={str(k): int(v) for k, v in (data.get("touchpoints") or {}).items()},
            summary=dict(data["summary"]) if data.get("summary") else None,
        )


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(value: Any) -> Any:
    """asdict() output made JSON: decimals as strings, times ISO, enums their values, tuples lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # "500000", not "500000.00" or "5E+5"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value
