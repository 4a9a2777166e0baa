"""The turn API: one inbound message from a lead in, one reply (with buttons) out.

Used by `realty chat`, the Telegram lead bot and the evals. A turn cleans the input, records it,
keeps the lead's language, honours opt-out, runs the sales graph on the lead's checkpoint thread,
records the reply and rescores the lead once: one unit of work, one transaction (`LeadWork`) that the
graph's tools share, except a tool that calls an outside service, which commits. Turns of one lead never
overlap, even across processes: a PostgreSQL advisory lock on the thread id is held for the whole turn.

Opt-out: "stop"/"unsubscribe" (nlu.is_opt_out) sets `opted_out`, is confirmed once in the lead's
language, and runs no graph. A lead who opted out and writes again is talking to us, so they get an
answer, but `opted_out` stays set (no follow-ups, no nudges) until they explicitly ask to resume:
pressing Start again, a "resume" button, or writing "resume"/"start"/"subscribe" (or the same words
in Russian, Persian or Arabic).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from sqlalchemy.exc import SQLAlchemyError

from agent.adapters.checkpointer import ConversationStore, conversation_store
from agent.core.lead_tools import LeadTool
from agent.core.nlu.erasure import asks_to_erase
from agent.core.nlu.intents import is_opt_out
from agent.core.nlu.language import detect_language
from agent.core.nlu.text import MAX_INPUT_CHARS, clean_user_text, is_meaningful, normalize
from agent.services.calendars.notify import Change, lead_invitation
from agent.services.insights import refresh_after_turn
from agent.services.leads import (
    InboundKind,
    lead_profile,
    record_inbound,
    record_outbound,
    record_source,
    settle,
)
from agent.services.privacy import erased_at, request_erasure
from agent.services.provider import Services
from agent.services.takeover import forward_later
from graphs.sales.context import LeadContext
from graphs.sales.messages import current_turn, tool_result
from graphs.sales.takeover import HELD_PHASE, append_message, hold_for_person, unsay_turn
from prompts import language_code, pack
from storage.repositories.leads import LeadNotFound
from tools.context import LeadWork, TurnAborted
from tools.profile import factors_json

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
class Attachment:
    """A file that belongs with the reply: the .ics of a viewing the lead booked, moved or cancelled."""

    filename: str
    data: bytes


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
    media: tuple[dict[str, str], ...] = ()
    """Photos to send with the reply, as one album: {"url", "caption"} (at most ten)."""
    attachment: Attachment | None = None
    """Sent with the reply, as one message (the lead bot attaches it; the reply is its caption)."""


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
            "listing": p.reply("button_listing", id=value),
            "more": p.reply("button_more"),
            "when": p.reply("button_when", when=p.moment(value)),
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


_VIEWING_CHANGES: dict[tuple[str, str], Change] = {
    (LeadTool.BOOK, "booked"): Change.BOOKED,
    (LeadTool.RESCHEDULE, "moved"): Change.MOVED,
    (LeadTool.CANCEL, "cancelled"): Change.CANCELLED,
}


async def _invitation(services: Services, messages: list[AnyMessage]) -> Attachment | None:
    """The .ics of the viewing this turn booked, moved or cancelled, for the reply that says so."""
    for message in reversed(current_turn(messages)):
        if not isinstance(message, ToolMessage):
            continue
        result = tool_result(message.content)
        change = _VIEWING_CHANGES.get((str(message.name or ""), str(result.get("status") or "")))
        viewing_id = (result.get("viewing") or {}).get("id") or result.get("viewing_id")
        if change is not None and viewing_id is not None:
            found = await lead_invitation(services, int(viewing_id), change)
            return Attachment(*found) if found is not None else None
    return None


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
        turn = _Turn(services, store, tenant_id, lead_id, inbound, thread)
        try:
            return await turn.in_one_transaction(turn.run)
        except (SQLAlchemyError, TurnAborted):
            if turn.answer is None:
                raise
            # The turn's transaction failed (a tool's database error aborts it): keep the message, answer it.
            log.exception("lead %s of tenant %s: the turn's transaction failed", lead_id, tenant_id)
            return await turn.in_one_transaction(turn.retell)


@dataclass(frozen=True)
class _Answer:
    reply: str
    phase: str
    choices: tuple[Choice, ...] = ()
    tools: tuple[dict[str, Any], ...] = ()
    media: tuple[dict[str, str], ...] = ()
    attachment: Attachment | None = None


@dataclass
class _Turn:
    """One turn in one unit of work: the inbound message recorded, the graph run, the reply recorded, one rescore."""

    services: Services
    store: ConversationStore
    tenant_id: int
    lead_id: int
    inbound: Inbound
    thread: str
    answer: _Answer | None = None
    """What the lead is told, once known (kept if the transaction fails afterwards)."""
    received: bool = False
    """The inbound message is committed (a tool that called an outside service committed the turn so far)."""
    forwarded: bool = False
    """The inbound message's forward to the person holding the lead is committed."""
    conversed: bool = False
    """The sales graph ran this turn (its reply is in the checkpoint)."""
    text: str = field(init=False)
    trimmed: bool = field(init=False)
    kind: InboundKind = field(init=False)
    now: datetime = field(init=False)
    language: str = field(init=False, default="en")
    opting_out: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.text, self.trimmed = clean_user_text(self.inbound.text or "", MAX_INPUT_CHARS)
        kind = self.inbound.kind
        self.kind = kind if kind in ("text", "voice", "contact", "button", "start") else "text"
        self.now = self.services.clock.now()

    async def receive(self, work: LeadWork) -> list[str]:
        """Record the inbound message (its language, source, opt-out or resume); the notes to put first."""
        text, kind, inbound, lead = self.text, self.kind, self.inbound, work.lead
        recorded = (
            text
            or (inbound.phone or "" if kind == "contact" else "")
            or (inbound.payload or "" if kind == "button" else "")
        )
        if kind in ("text", "voice") and text and is_meaningful(text):
            detected = detect_language(text, language_code(lead.language))  # type: ignore[arg-type]
            if detected != lead.language:
                lead.language = detected  # before recording: the score's reasons are in the lead's language
        await record_inbound(work.session, lead, text=recorded or None, kind=kind, now=self.now)
        if kind == "start" and inbound.payload:
            await record_source(work.session, lead, inbound.payload, self.now)
        self.language = language_code(lead.language)
        self.opting_out = kind in ("text", "voice") and bool(text) and is_opt_out(text)
        notes: list[str] = []
        if self.opting_out:
            lead.opted_out = True
        elif lead.opted_out and (
            kind == "start" or inbound.payload == "resume" or bool(_RESUME.match(normalize(text)))
        ):
            lead.opted_out = False
            notes.append(pack(self.language).reply("resumed"))
        return notes

    async def in_one_transaction(self, step: Callable[[LeadWork], Awaitable[TurnResult]]) -> TurnResult:
        """Run `step` in one unit of work on the lead (locked, scored once), committed when it returns."""
        async with self.services.database.sessionmaker() as session:
            work = await LeadWork.open(session, self.tenant_id, self.lead_id)
            try:
                result = await step(work)
            finally:
                self.received = self.received or work.committed
            await session.commit()
            return result

    async def run(self, work: LeadWork) -> TurnResult:
        """The whole turn: record the message, answer it (opt-out, resume, nothing to read, or the graph), close."""
        if erased_at(work.lead):  # erased on their request: whoever writes now is a new lead (bot.lead)
            raise LeadNotFound(self.tenant_id, self.lead_id)
        notes = await self.receive(work)
        p = pack(self.language)
        if self.kind in ("text", "voice") and asks_to_erase(self.text):  # agent.services.privacy.requests
            return await self.close(
                work, _Answer(await request_erasure(work.session, work.lead, self.now), "erasure")
            )
        if (
            work.lead.taken_over_by is not None
        ):  # a person talks to this lead: forwarded to them, the AI is quiet
            return await self.hold(work)
        if self.opting_out:
            return await self.close(work, _Answer(p.reply("opted_out"), "opted_out"))
        if notes and self.kind != "start":  # "resume": nothing else to answer
            return await self.close(work, _Answer("\n\n".join([*notes, p.reply("anything_else")]), "resumed"))
        human = _human_message(self.inbound, self.text, self.language)
        if human is None:
            key = (
                "voice_no_text" if self.kind == "voice" else ("empty" if not self.text.strip() else "no_text")
            )
            return await self.close(work, _Answer(p.reply(key), ""))
        if self.trimmed:
            notes.append(p.reply("trimmed"))
        # The model is an outside call (seconds with an API model): the message is kept first, and the lead's row
        # is not locked while the model thinks (a tool locks it again, for the rest of the turn).
        await work.commit()
        return await self.close(work, await self._converse(work, human, notes))

    async def hold(self, work: LeadWork) -> TurnResult:
        """The lead's message goes to the person talking to them and into the checkpoint; no reply (graphs.sales.takeover)."""
        said = self.text or (self.inbound.phone or "" if self.kind == "contact" else "")
        human = _human_message(self.inbound, self.text, self.language)
        compiled = await sales_graph(self.store)
        await hold_for_person(work, compiled, self.thread, human, kind=self.kind, said=said, now=self.now)
        self.forwarded = True
        return await self.close(work, _Answer("", HELD_PHASE))

    async def _held_meanwhile(self, work: LeadWork) -> None:
        """A person took the lead over while this turn ran: the message goes to them, the AI's answer is not
        sent, and the checkpoint is made to say so (the AI's unsent reply out, or the lead's message in)."""
        said = self.text or (self.inbound.phone or "" if self.kind == "contact" else "")
        human = _human_message(self.inbound, self.text, self.language)
        forwarded = str(human.content) if human is not None and self.kind == "button" else said
        await forward_later(work.session, work.lead, kind=self.kind, said=forwarded, now=self.now)
        await work.commit()
        self.forwarded = True
        compiled = await sales_graph(self.store)
        try:
            if self.conversed:
                await unsay_turn(compiled, self.thread)
            elif human is not None:
                await append_message(compiled, self.thread, human)
        except Exception:  # the forward is kept; only the checkpoint's account of this turn is off
            log.exception("thread %s: the turn taken over meanwhile could not be set right", self.thread)

    async def _converse(self, work: LeadWork, human: HumanMessage, notes: list[str]) -> _Answer:
        """Run the sales graph on the lead's thread, its tools in this unit of work."""
        p = pack(self.language)
        compiled = await sales_graph(self.store)
        config = {"configurable": {"thread_id": self.thread}}
        context = LeadContext(
            services=self.services, tenant_id=self.tenant_id, lead_id=self.lead_id, work=work
        )
        try:
            state = await compiled.ainvoke(
                {"messages": [human], "language": self.language},
                config=config,
                context=context,
                durability="exit",
            )
            self.conversed = True
        except Exception:
            log.exception("sales turn failed for lead %s of tenant %s", self.lead_id, self.tenant_id)
            return _Answer(p.reply("error"), "error")
        if int(state.get("turn") or 0) % PRUNE_EVERY_TURNS == 0 and self.store.saver is not None:
            try:
                await self.store.saver.aprune([self.thread], strategy="keep_latest")
            except Exception:  # storage upkeep must never cost the lead their reply
                log.warning("pruning the checkpoints of %s failed", self.thread, exc_info=True)
        messages: list[AnyMessage] = state.get("messages") or []
        reply = _reply_text(messages) or p.reply("anything_else")
        if notes:
            reply = "\n\n".join([*notes, reply])
        choices = tuple(Choice(label=c["label"], value=c["value"]) for c in state.get("choices") or [])
        media = tuple(
            {"url": str(m["url"]), "caption": str(m.get("caption") or "")} for m in state.get("media") or []
        )
        attachment = await _invitation(self.services, messages)
        return _Answer(
            reply, str(state.get("phase") or ""), choices, _turn_tools(messages), media, attachment
        )

    async def retell(self, work: LeadWork) -> TurnResult:
        """After the turn's transaction failed: record the message again unless it was kept, and an apology: the
        model's answer may describe what the failed transaction did not keep."""
        assert self.answer is not None
        if not self.received:
            await self.receive(work)
        if self.forwarded:  # held: the person has the message; nothing is said to the lead
            return await self.close(work, _Answer("", HELD_PHASE))
        apology = _Answer(pack(self.language).reply("error"), "error", (), self.answer.tools)
        return await self.close(work, apology)

    async def close(self, work: LeadWork, answer: _Answer) -> TurnResult:
        """Record the reply, score the lead once, and describe it as it is now (profile, score, factors)."""
        self.answer = answer
        now = self.services.clock.now()
        lead = await work.locked_lead()
        if lead.taken_over_by is not None and answer.phase not in (HELD_PHASE, "erasure"):
            # Taken over while the model thought (the row was not locked then): the person answers, not the AI.
            await self._held_meanwhile(work)
            answer = self.answer = _Answer("", HELD_PHASE, tools=answer.tools)
            lead = await work.locked_lead()
        meta: dict[str, object] = {"phase": answer.phase, "tools": [call["name"] for call in answer.tools]}
        if answer.choices:
            meta["choices"] = [choice.value for choice in answer.choices]
        if answer.phase != HELD_PHASE:  # a held message has no reply to keep
            await record_outbound(work.session, lead, text=answer.reply, now=now, meta=meta)
        score = await settle(work.session, lead, now)
        await refresh_after_turn(
            work.session, self.services, lead, now
        )  # offline; the model's summary: a job
        profile = lead_profile(lead)
        profile["factors"] = factors_json(score, lead.language)
        return TurnResult(
            reply=answer.reply,
            choices=answer.choices,
            phase=answer.phase,
            tools=answer.tools,
            lead=profile,
            language=self.language,
            media=answer.media,
            attachment=answer.attachment,
        )
