"""The turn API: one inbound message from a lead in, one reply (with buttons) out.

Used by `realty chat`, the Telegram lead bot and the evals. A turn cleans the input, records it,
keeps the lead's language, honours opt-out, runs the sales graph on the lead's checkpoint thread,
rescores, and records the reply. Turns of one lead never overlap, even across processes: a
PostgreSQL advisory lock on the thread id is held for the whole turn.

Opt-out: "stop"/"unsubscribe" (nlu.is_opt_out) sets `opted_out`, is confirmed once in the lead's
language, and runs no graph. A lead who opted out and writes again is talking to us, so they get an
answer, but `opted_out` stays set (no follow-ups, no nudges) until they explicitly ask to resume:
pressing Start again, a "resume" button, or writing "resume"/"start"/"subscribe" (or the same words
in Russian, Persian or Arabic).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage

from agent.adapters.checkpointer import ConversationStore, conversation_store
from agent.core.nlu.intents import is_opt_out
from agent.core.nlu.language import detect_language
from agent.core.nlu.text import MAX_INPUT_CHARS, clean_user_text, is_meaningful, normalize
from agent.services.leads import lead_profile, load_lead, record_inbound, record_outbound, record_source
from agent.services.provider import Services
from graphs.sales.context import LeadContext
from prompts import language_code, pack
from storage.repositories.leads import LeadRepository

log = logging.getLogger(__name__)

PRUNE_EVERY_TURNS = 20
"""Every this many turns a thread's older checkpoints are deleted (the latest is all a turn needs), so a
conversation's checkpoint storage stays bounded however long it runs."""

_RESUME = re.compile(
    r"^\s*/?(?:resume|start|subscribe|unstop|start again|продолжить|возобновить|подписаться|старт|"
    r"ادامه|شروع|از سرگیری|استئناف|اشتراك|ابدأ)\s*[.!]*\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Inbound:
    """What the lead sent: text, a voice transcript, a shared contact, a button press or /start."""

    kind: Literal["text", "voice", "contact", "button", "start"] = "text"
    text: str = ""
    phone: str | None = None
    payload: str | None = None
    """A button's value (one of the Choice values offered), or the deep-link code of /start."""


@dataclass(frozen=True)
class Choice:
    """An option the agent offers (an inline-keyboard button)."""

    label: str
    value: str


@dataclass(frozen=True)
class TurnResult:
    reply: str
    choices: tuple[Choice, ...]
    phase: str
    tools: tuple[dict[str, Any], ...]
    """The tool calls of this turn, in order: [{"name", "args"}]."""
    lead: dict[str, Any]
    """The lead's profile with "score", "temperature" and "factors" [{"key","points","max_points","reason"}]."""
    language: str


def thread_id(tenant_id: int, lead_id: int) -> str:
    return f"lead:{tenant_id}:{lead_id}"


async def sales_graph(store: ConversationStore) -> Any:
    """The sales graph compiled with this process's checkpointer (once)."""
    compiled = store.graphs.get("sales")
    if compiled is None:
        from graphs.sales.graph import builder

        compiled = builder.compile(checkpointer=store.saver, name="sales")
        store.graphs["sales"] = compiled
    return compiled


def _human_message(inbound: Inbound, text: str, language: str) -> HumanMessage | None:
    """The lead's message as the model sees it; None when there is nothing to answer with the graph."""
    p = pack(language)
    if inbound.kind == "button":
        payload = (inbound.payload or "").strip()[:64]
        kind, _, value = payload.partition(":")
        button_text = {
            "book": p.reply("button_book", id=value),
            "more": p.reply("button_more"),
            "when": p.reply("button_when", when=value.replace("T", " ")),
            "human": p.reply("button_human"),
            "tx": p.reply("button_buy" if value == "sale" else "button_rent"),
            "type": p.reply("button_type", type=value),
        }.get(kind)
        content = text or button_text or payload
        return (
            HumanMessage(content=content, additional_kwargs={"payload": payload} if payload else {})
            if content
            else None
        )
    if inbound.kind == "contact":
        phone = (inbound.phone or "").strip()[:40]
        return HumanMessage(content=phone or text) if (phone or text) else None
    if inbound.kind == "start":
        return HumanMessage(content=text if text and not text.startswith("/") else p.reply("button_start"))
    return HumanMessage(content=text) if text and is_meaningful(text) else None


def _turn_tools(messages: list[AnyMessage]) -> tuple[dict[str, Any], ...]:
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    return tuple(
        {"name": call["name"], "args": dict(call.get("args") or {})}
        for message in messages[start:]
        if isinstance(message, AIMessage)
        for call in message.tool_calls
    )


def _reply_text(messages: list[AnyMessage]) -> str:
    last = messages[-1] if messages else None
    if not isinstance(last, AIMessage) or last.tool_calls:
        return ""
    if isinstance(last.content, str):
        return last.content.strip()
    return " ".join(
        str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in last.content
    ).strip()


async def run_lead_turn(services: Services, *, tenant_id: int, lead_id: int, inbound: Inbound) -> TurnResult:
    """Answer one inbound message of a lead (serialised per lead across processes)."""
    store = await conversation_store(services)
    thread = thread_id(tenant_id, lead_id)
    async with store.turn_lock(thread):
        return await _locked_turn(
            services, store, tenant_id=tenant_id, lead_id=lead_id, inbound=inbound, thread=thread
        )


async def _locked_turn(
    services: Services,
    store: ConversationStore,
    *,
    tenant_id: int,
    lead_id: int,
    inbound: Inbound,
    thread: str,
) -> TurnResult:
    text, trimmed = clean_user_text(inbound.text or "", MAX_INPUT_CHARS)
    now = services.clock.now()
    notes: list[str] = []
    async with services.database.session() as session:
        lead = await load_lead(session, tenant_id, lead_id)
        kind = inbound.kind if inbound.kind in ("text", "voice", "contact", "button", "start") else "text"
        recorded = (
            text
            or (inbound.phone or "" if kind == "contact" else "")
            or (inbound.payload or "" if kind == "button" else "")
        )
        if kind in ("text", "voice") and text and is_meaningful(text):
            detected = detect_language(text, language_code(lead.language))  # type: ignore[arg-type]
            if detected != lead.language:
                lead.language = detected  # before recording: the score's reasons are in the lead's language
        await record_inbound(session, lead, text=recorded or None, kind=kind, now=now)
        if kind == "start" and inbound.payload:
            await record_source(session, lead, inbound.payload, now)
        language = language_code(lead.language)
        p = pack(language)
        opting_out = kind in ("text", "voice") and bool(text) and is_opt_out(text)
        if opting_out:
            lead.opted_out = True
        elif lead.opted_out and (
            kind == "start" or inbound.payload == "resume" or bool(_RESUME.match(normalize(text)))
        ):
            lead.opted_out = False
            notes.append(p.reply("resumed"))
    if opting_out:
        return await _close_turn(
            services, tenant_id, lead_id, reply=p.reply("opted_out"), phase="opted_out", language=language
        )
    if notes and kind != "start":  # "resume": nothing else to answer
        reply = "\n\n".join([*notes, p.reply("anything_else")])
        return await _close_turn(
            services, tenant_id, lead_id, reply=reply, phase="resumed", language=language
        )

    human = _human_message(inbound, text, language)
    if human is None:
        key = "voice_no_text" if kind == "voice" else ("empty" if not text.strip() else "no_text")
        return await _close_turn(
            services, tenant_id, lead_id, reply=p.reply(key), phase="", language=language
        )
    if trimmed:
        notes.append(p.reply("trimmed"))

    compiled = await sales_graph(store)
    config = {"configurable": {"thread_id": thread}}
    try:
        state = await compiled.ainvoke(
            {"messages": [human], "language": language},
            config=config,
            context=LeadContext(services=services, tenant_id=tenant_id, lead_id=lead_id),
            durability="exit",
        )
    except Exception:
        log.exception("sales turn failed for lead %s of tenant %s", lead_id, tenant_id)
        return await _close_turn(
            services, tenant_id, lead_id, reply=p.reply("error"), phase="error", language=language
        )
    if int(state.get("turn") or 0) % PRUNE_EVERY_TURNS == 0 and store.saver is not None:
        try:
            await store.saver.aprune([thread], strategy="keep_latest")
        except Exception:  # storage upkeep must never cost the lead their reply
            log.warning("pruning the checkpoints of %s failed", thread, exc_info=True)
    messages: list[AnyMessage] = state.get("messages") or []
    reply = _reply_text(messages) or p.reply("anything_else")
    if notes:
        reply = "\n\n".join([*notes, reply])
    choices = tuple(Choice(label=c["label"], value=c["value"]) for c in state.get("choices") or [])
    return await _close_turn(
        services,
        tenant_id,
        lead_id,
        reply=reply,
        phase=str(state.get("phase") or ""),
        language=language,
        choices=choices,
        tools=_turn_tools(messages),
    )


async def _close_turn(
    services: Services,
    tenant_id: int,
    lead_id: int,
    *,
    reply: str,
    phase: str,
    language: str,
    choices: tuple[Choice, ...] = (),
    tools: tuple[dict[str, Any], ...] = (),
) -> TurnResult:
    """Record the reply, and describe the lead as it is now (profile, score and its factors)."""
    now = services.clock.now()
    async with services.database.session() as session:
        lead = await load_lead(session, tenant_id, lead_id)
        meta: dict[str, object] = {"phase": phase, "tools": [call["name"] for call in tools]}
        if choices:
            meta["choices"] = [choice.value for choice in choices]
        await record_outbound(session, lead, text=reply, now=now, meta=meta)
        # The score is current: recording the inbound message rescored it, and so does every tool that changes the lead.
        factors = await LeadRepository(session).factors(lead)
        profile = lead_profile(lead)
    profile["factors"] = [
        {"key": f.key, "points": f.points, "max_points": f.max_points, "reason": f.reason} for f in factors
    ]
    return TurnResult(reply=reply, choices=choices, phase=phase, tools=tools, lead=profile, language=language)
