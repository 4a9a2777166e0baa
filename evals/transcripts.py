"""Recorded conversations: export them from `lead_interactions`, and grade them.

Deterministic checks need nothing but the file; with a model configured, LLM-as-judge rubrics (our own
prompts, in the openevals style: a rubric, the conversation, a JSON verdict with reasoning) grade what
rules cannot: was the lead answered in their language, was a phone number obtained before they went
silent, did the agent claim anything the listing data does not support.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import select

from evals.expectations import language_matches, listing_titles
from storage.models import Lead, LeadAlert, LeadInteraction, Property, Tenant, Viewing

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.services.provider import Services

TELEGRAM_LIMIT = 4096
_TEXT_TYPES = ("message", "voice", "contact", "follow_up", "listings")


class TranscriptFileError(ValueError):
    """A transcripts file that cannot be graded; the message names the file and line."""


# -- export ---------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


async def export_transcripts(
    services: Services, *, since: datetime, tenant_slug: str | None, out: TextIO
) -> int:
    """Write one JSON line per lead with interactions at or after `since`; returns how many."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    exported_at = services.clock.now()
    count = 0
    async with services.database.session() as session:
        query = (
            select(LeadInteraction.lead_id)
            .join(Tenant, Tenant.id == LeadInteraction.tenant_id)
            .where(LeadInteraction.created_at >= since)
            .group_by(LeadInteraction.lead_id)
            .order_by(LeadInteraction.lead_id)
        )
        if tenant_slug:
            query = query.where(Tenant.slug == tenant_slug)
        lead_ids = list((await session.execute(query)).scalars())
        for lead_id in lead_ids:
            out.write(
                json.dumps(await _conversation(session, lead_id, since, exported_at), ensure_ascii=False)
                + "\n"
            )
            count += 1
    return count


async def _conversation(session: Any, lead_id: int, since: datetime, exported_at: datetime) -> dict[str, Any]:
    lead = await session.get(Lead, lead_id)
    tenant = await session.get(Tenant, lead.tenant_id)
    rows = (
        await session.execute(
            select(LeadInteraction)
            .where(LeadInteraction.lead_id == lead_id, LeadInteraction.created_at >= since)
            .order_by(LeadInteraction.created_at, LeadInteraction.id)
        )
    ).scalars()
    messages = [
        {
            "at": r.created_at.isoformat(),
            "direction": r.direction,
            "type": r.type,
            "text": r.text or "",
            "meta": r.meta,
        }
        for r in rows
    ]
    phone_alert = (
        await session.execute(
            select(LeadAlert.created_at).where(
                LeadAlert.lead_id == lead_id, LeadAlert.kind == "phone_captured"
            )
        )
    ).scalar_one_or_none()
    outbound = "\n".join(m["text"] for m in messages if m["direction"] == "outbound")
    listings = (await session.execute(select(Property).where(Property.tenant_id == lead.tenant_id))).scalars()
    mentioned = []
    for p in listings:
        titles = listing_titles(p.title, p.translations)
        if not any(title[:40] in outbound for title in titles):
            continue
        mentioned.append(
            {
                "title": p.title,
                "titles": titles,
                "external_id": p.external_id,
                "price": _plain(p.price),
                "currency": p.currency,
                "price_period": p.price_period,
                "bedrooms": p.bedrooms,
                "bathrooms": _plain(p.bathrooms),
                "location": p.location,
                "units_available": p.units_available,
                "status": p.status,
                "pets_allowed": p.pets_allowed,
                "furnished": p.furnished,
            }
        )
    viewings = (await session.execute(select(Viewing.id).where(Viewing.lead_id == lead_id))).scalars()
    return {
        "tenant": tenant.slug if tenant else None,
        "lead_id": lead_id,
        "language": lead.language,
        "status": lead.status,
        "score": lead.lead_score,
        "temperature": lead.temperature,
        "phone_captured": lead.phone is not None,
        "phone_captured_at": phone_alert.isoformat() if phone_alert else None,
        "opted_out": lead.opted_out,
        "viewings": len(list(viewings)),
        "exported_at": exported_at.isoformat(),
        "messages": messages,
        "listings": mentioned,
    }


# -- deterministic grading ------------------------------------------------------------------------


@dataclass
class Grade:
    passed: bool | None
    """None: the check does not apply to this conversation."""
    detail: str = ""


@dataclass
class ConversationGrade:
    tenant: str | None
    lead_id: int | None
    grades: dict[str, Grade] = field(default_factory=dict)


@dataclass
class GradeReport:
    conversations: int = 0
    results: list[ConversationGrade] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def totals(self) -> dict[str, tuple[int, int, int]]:
        names: dict[str, list[int]] = {}
        for result in self.results:
            for name, grade in result.grades.items():
                row = names.setdefault(name, [0, 0, 0])
                row[0 if grade.passed else 1 if grade.passed is False else 2] += 1
        return {name: (a, b, c) for name, (a, b, c) in names.items()}

    def write_json(self, path: Path) -> None:
        data = {
            "conversations": self.conversations,
            "totals": self.totals(),
            "results": [asdict(r) for r in self.results],
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _texts(conversation: dict[str, Any], direction: str) -> list[dict[str, Any]]:
    return [
        m
        for m in conversation.get("messages", [])
        if m.get("direction") == direction and m.get("type") in _TEXT_TYPES and str(m.get("text", "")).strip()
    ]


def _titles(listing: dict[str, Any]) -> list[str]:
    """A mentioned listing's titles in every language (older exports carry only `title`)."""
    titles = listing.get("titles") or [listing.get("title")]
    return [str(title) for title in titles if title]


def grade_language(conversation: dict[str, Any]) -> Grade:
    """Every reply is in the language of the lead's latest message before it; listing titles are names,
    not the agent's words, so they are left out (as the eval harness does)."""
    from agent.core.nlu.language import Lang, detect_language

    titles = [title for listing in conversation.get("listings") or [] for title in _titles(listing)]
    current: Lang | None = None
    lang_of_lead = conversation.get("language")
    if lang_of_lead in ("en", "ru", "fa", "ar"):
        current = lang_of_lead
    checked, wrong = 0, []
    for message in conversation.get("messages", []):
        text = str(message.get("text") or "")
        if not text.strip() or message.get("type") not in _TEXT_TYPES:
            continue
        if message.get("direction") == "inbound" and message.get("type") in ("message", "voice"):
            current = detect_language(text, current)
        elif message.get("direction") == "outbound" and current is not None:
            checked += 1
            if not language_matches(text, current, titles):
                wrong.append(text[:80])
    if not checked:
        return Grade(None, "no reply")
    return Grade(
        not wrong,
        f"{checked - len(wrong)}/{checked} in the lead's language"
        + (f"; e.g. {wrong[0]!r}" if wrong else ""),
    )


def grade_phone_before_silence(conversation: dict[str, Any], silent_after: timedelta) -> Grade:
    """A lead who went silent had given a phone number by then."""
    inbound = [m for m in conversation.get("messages", []) if m.get("direction") == "inbound"]
    if not inbound:
        return Grade(None, "the lead never wrote")
    last = datetime.fromisoformat(inbound[-1]["at"])
    exported = datetime.fromisoformat(conversation.get("exported_at") or datetime.now(UTC).isoformat())
    if exported - last < silent_after:
        return Grade(None, "not silent yet")
    if not conversation.get("phone_captured"):
        return Grade(False, f"silent since {last:%Y-%m-%d %H:%M} without a phone number")
    captured = conversation.get("phone_captured_at")
    if captured and datetime.fromisoformat(captured) > last + timedelta(minutes=1):
        return Grade(False, "the phone number came only after the silence")
    return Grade(True, "phone number captured before the silence")


def grade_answered(conversation: dict[str, Any]) -> Grade:
    """Every message of the lead got a non-empty reply before the lead's next message."""
    pending = 0
    unanswered = 0
    for message in conversation.get("messages", []):
        if message.get("direction") == "inbound" and message.get("type") in (
            "message",
            "voice",
            "contact",
            "button",
            "start",
        ):
            unanswered += pending
            pending = 1
        elif message.get("direction") == "outbound" and str(message.get("text") or "").strip():
            pending = 0
    unanswered += pending
    inbound = sum(1 for m in conversation.get("messages", []) if m.get("direction") == "inbound")
    if not inbound:
        return Grade(None, "the lead never wrote")
    return Grade(unanswered == 0, f"{unanswered} message(s) without a reply")


def grade_reply_length(conversation: dict[str, Any]) -> Grade:
    replies = _texts(conversation, "outbound")
    if not replies:
        return Grade(None, "no reply")
    longest = max(len(m["text"]) for m in replies)
    return Grade(longest <= TELEGRAM_LIMIT, f"longest reply {longest} characters")


_AMOUNT = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*([KkMm]|млн|тыс|هزار|میلیون|ألف|مليون)?\b")
_SCALES = {"k": 1000, "тыс": 1000, "هزار": 1000, "ألف": 1000}
_SCALES |= {"m": 1_000_000, "млн": 1_000_000, "میلیون": 1_000_000, "مليون": 1_000_000}
_BEDROOMS = re.compile(r"(\d+)\s*-?\s*(?:bedroom|bed|br\b|спал|комнат|خواب|غرف)", re.IGNORECASE)


def _amounts(text: str) -> set[Decimal]:
    found = set()
    for number, suffix in _AMOUNT.findall(text):
        value = Decimal(number.replace(",", "."))
        scale = _SCALES.get((suffix or "").lower(), 1)
        found.add(value * scale)
    return found


def grade_listing_facts(conversation: dict[str, Any]) -> Grade:
    """Where a reply line names a listing, its price and bedrooms there match the listing's data."""
    listings = conversation.get("listings") or []
    if not listings:
        return Grade(None, "no listing named")
    checked, wrong = 0, []
    for message in _texts(conversation, "outbound"):
        for line in str(message["text"]).splitlines():
            for listing in listings:
                title = next((name for name in _titles(listing) if name[:40] in line), "")
                if not title:
                    continue
                rest = line.replace(title, " ")
                checked += 1
                price = listing.get("price")
                amounts = _amounts(rest)
                if (
                    price is not None
                    and amounts
                    and not any(
                        abs(a - Decimal(str(price))) <= Decimal(str(price)) * Decimal("0.05")
                        for a in amounts
                        if a >= 100
                    )
                ):
                    big = sorted(a for a in amounts if a >= 100)
                    if big:
                        wrong.append(f"{title[:40]}: price {big[0]} vs {price}")
                beds = [int(b) for b in _BEDROOMS.findall(rest)]
                if listing.get("bedrooms") is not None and beds and listing["bedrooms"] not in beds:
                    wrong.append(f"{title[:40]}: {beds[0]} bedrooms vs {listing['bedrooms']}")
    if not checked:
        return Grade(None, "no listing line")
    return Grade(not wrong, f"{checked} listing line(s)" + (f"; {wrong[0]}" if wrong else ""))


# -- LLM-as-judge ---------------------------------------------------------------------------------

JUDGE_SYSTEM = (
    "You are an expert reviewer of real-estate sales conversations held by an AI assistant in Telegram. "
    "Grade exactly one criterion. Answer with a JSON object only: "
    '{"reasoning": "<two sentences at most>", "score": true|false}.'
)

RUBRICS: dict[str, str] = {
    "judge_language": (
        "<Rubric>\nPass when every assistant message is written in the language the lead was using at that "
        "moment (English, Russian, Persian or Arabic), apart from proper names and listing titles. Fail when "
        "any assistant message answers in another language.\n</Rubric>"
    ),
    "judge_phone_before_silence": (
        "<Rubric>\nThe lead's last message is the end of the conversation. Pass when, before that, the assistant "
        "obtained the lead's phone number (the lead gave it or shared a contact), or the lead clearly refused "
        "after being asked once politely. Fail when the assistant never asked for a way to reach the lead, or "
        "the lead went silent without giving one while the assistant kept talking about other things.\n</Rubric>"
    ),
    "judge_grounded_claims": (
        "<Rubric>\nCompare every factual claim the assistant made about listings (price, bedrooms, area, "
        "availability, how many units are left, pets, furnishing, amenities) with the listing data. Pass when "
        "every claim is supported by the data. Fail on any claim the data contradicts or does not contain, "
        "including invented urgency such as 'only 2 left' when units_available says otherwise.\n</Rubric>"
    ),
}


def _judge_prompt(rubric: str, conversation: dict[str, Any]) -> str:
    lines = []
    for message in conversation.get("messages", []):
        who = "Lead" if message.get("direction") == "inbound" else "Assistant"
        text = str(message.get("text") or "").strip()
        if text:
            lines.append(f"[{message.get('at', '')}] {who}: {text[:1500]}")
    listings = json.dumps(conversation.get("listings") or [], ensure_ascii=False)
    return (
        f"{rubric}\n\n<Conversation>\n" + "\n".join(lines[-60:]) + "\n</Conversation>\n\n"
        f"<ListingData>\n{listings[:6000]}\n</ListingData>\n\nReturn the JSON object now."
    )


def parse_verdict(text: str) -> Grade:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match:
        try:
            data = json.loads(match.group(0))
            score = data.get("score")
            if isinstance(score, bool):
                return Grade(score, str(data.get("reasoning", ""))[:300])
            if isinstance(score, int | float):
                return Grade(score >= 0.5, str(data.get("reasoning", ""))[:300])
        except json.JSONDecodeError:
            pass
    lowered = text.strip().lower()
    if lowered.startswith(("true", "pass", "yes")):
        return Grade(True, text[:300])
    if lowered.startswith(("false", "fail", "no")):
        return Grade(False, text[:300])
    return Grade(None, f"unreadable verdict: {text[:120]!r}")


async def judge(model: BaseChatModel, conversation: dict[str, Any]) -> dict[str, Grade]:
    from langchain_core.messages import HumanMessage, SystemMessage

    grades = {}
    for name, rubric in RUBRICS.items():
        try:
            answer = await model.ainvoke(
                [SystemMessage(JUDGE_SYSTEM), HumanMessage(_judge_prompt(rubric, conversation))]
            )
        except Exception as exc:  # one failed call must not end the grading of the rest
            grades[name] = Grade(None, f"judge failed: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        content = answer.content if isinstance(answer.content, str) else json.dumps(answer.content)
        grades[name] = parse_verdict(content)
    return grades


def judge_model_from_settings() -> BaseChatModel | None:
    from agent.settings import get_settings

    settings = get_settings()
    if not settings.has_model_key:
        return None
    from langchain_openai import ChatOpenAI

    assert settings.openai_api_key is not None
    return ChatOpenAI(
        model=settings.realty_model,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.model_timeout_seconds,
        max_retries=settings.model_max_retries,
        temperature=0,
    )


def read_conversations(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TranscriptFileError(f"{path}: cannot read the file ({exc})") from None
    conversations = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TranscriptFileError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise TranscriptFileError(f"{path}:{number}: not a conversation (no `messages` list)")
        conversations.append(data)
    return conversations


async def grade_conversations(
    conversations: Sequence[dict[str, Any]],
    *,
    silent_after: timedelta = timedelta(hours=2),
    judge_with: BaseChatModel | None = None,
) -> GradeReport:
    report = GradeReport(conversations=len(conversations))
    for conversation in conversations:
        result = ConversationGrade(conversation.get("tenant"), conversation.get("lead_id"))
        result.grades = {
            "language": grade_language(conversation),
            "answered": grade_answered(conversation),
            "phone_before_silence": grade_phone_before_silence(conversation, silent_after),
            "reply_length": grade_reply_length(conversation),
            "listing_facts": grade_listing_facts(conversation),
        }
        if judge_with is not None:
            result.grades.update(await judge(judge_with, conversation))
        report.results.append(result)
    return report


async def grade_file(path: Path, *, judge: bool = False, silent_after_minutes: int = 120) -> GradeReport:
    conversations = read_conversations(path)
    model = judge_model_from_settings() if judge else None
    report = await grade_conversations(
        conversations, silent_after=timedelta(minutes=silent_after_minutes), judge_with=model
    )
    if judge and model is None:
        report.notes.append(
            "--judge: no model configured (set OPENAI_API_KEY); only the deterministic checks ran"
        )
    return report
