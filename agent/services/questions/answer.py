"""A rep answers a lead's question in the team bot; the lead bot relays it in the lead's language.

The answer is the rep's reply to the question's card (or reminder), or, when the rep has exactly one open
question, a plain message typed after it. Only the lead's rep or an admin of the agency may answer; anyone
else is refused, and the refusal is audited. The question is marked answered under its row lock before the
lead is written to, so two answers never both go out; an answer Telegram certainly refused is given back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.crypto import LeadBotTokens
from agent.services.calendars.service import lead_name
from agent.services.provider import Services
from agent.services.questions.cards import TeamDirectory
from agent.services.questions.relay import Delivery, LeadAddress, in_language, keep_on_timeline, send_to_lead
from prompts.catalogue import text as say
from storage.models import Lead, LeadQuestion, QuestionStatus, RepStatus, SalesRepresentative, Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.questions import QuestionRepository
from storage.repositories.reps import RepRepository

ANSWER_ACTION = "question.answer"
"""The audit action of answering a lead's question (refusals included)."""
ANSWER_CHARS = 3000


@dataclass(frozen=True)
class Answerer:
    """Who wrote the answer, as Telegram says (never as the text says)."""

    telegram_id: int
    language: str
    chat_id: int
    """Where they are told what became of it: their private chat, or the alert chat they replied in."""


@dataclass(frozen=True)
class Said:
    """What the team bot tells the one who answered."""

    chat_id: int
    text: str


@dataclass(frozen=True)
class _Taken:
    """An answer accepted and stored: what is needed to relay it once the transaction is committed."""

    question_id: int
    address: LeadAddress
    lead: str
    rep_name: str | None
    language: str
    answered_at: datetime


class QuestionDesk:
    """Answers to relayed questions, for the team bot."""

    def __init__(self, services: Services, team: TeamDirectory) -> None:
        self.services = services
        self.team = team

    async def only_open_question(self, telegram_id: int) -> int | None:
        """The rep's one open question, when they have exactly one (a plain message answers it)."""
        async with self.services.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                return None
            open_ = await QuestionRepository(session).open_for_rep(rep)
        return open_[0].id if len(open_) == 1 else None

    async def answer(self, actor: Answerer, question_id: int, answer: str) -> Said | None:
        """`actor` answers the question: relayed to the lead, or refused; None when the question is gone."""
        answer = answer.strip()[:ANSWER_CHARS]
        reply_to = actor.chat_id
        now = self.services.clock.now()
        async with self.services.database.session() as session:
            question = await QuestionRepository(session).get(question_id, for_update=True)
            lead = await session.get(Lead, question.lead_id) if question is not None else None
            tenant = await session.get(Tenant, question.tenant_id) if question is not None else None
            if question is None or lead is None or tenant is None or not answer:
                return None
            rep = await RepRepository(session).by_telegram_id(actor.telegram_id, tenant_id=question.tenant_id)
            language = rep.language if rep is not None else actor.language
            if not await self._may_answer(actor, rep, question, lead):
                await self._audit(session, actor, question, allowed=False)
                return Said(reply_to, say(language, "team", "question_not_yours"))
            if question.status == QuestionStatus.ANSWERED:
                return Said(
                    reply_to, say(language, "team", "question_already_answered", lead=lead_name(lead))
                )
            previous = question.status
            question.status = QuestionStatus.ANSWERED.value
            question.answer, question.answered_at = answer, now
            question.answered_by_telegram_id = actor.telegram_id
            await self._audit(session, actor, question, allowed=True)
            taken = _Taken(
                question.id,
                LeadAddress.of(lead, tenant, LeadBotTokens(self.services.settings)),
                lead_name(lead),
                rep.name if rep is not None else None,
                language,
                now,
            )
        return await self._relay(taken, answer, previous, reply_to)

    async def _may_answer(
        self,
        actor: Answerer,
        rep: SalesRepresentative | None,
        question: LeadQuestion,
        lead: Lead,
    ) -> bool:
        """The lead's rep (asked then, or assigned now), or an admin of the agency."""
        if (
            rep is not None
            and rep.status == RepStatus.ACTIVE
            and rep.id in (question.rep_id, lead.assigned_rep_id)
        ):
            return True
        return await self.team.is_admin(actor.telegram_id, question.tenant_id)

    async def _audit(
        self, session: AsyncSession, actor: Answerer, question: LeadQuestion, *, allowed: bool
    ) -> None:
        await AuditRepository(session).record(
            action=ANSWER_ACTION,
            now=self.services.clock.now(),
            actor_telegram_id=actor.telegram_id,
            tenant_id=question.tenant_id,
            target=f"question:{question.id}",
            allowed=allowed,
            detail=None if allowed else "not_lead_rep_or_admin",
        )

    async def _relay(self, taken: _Taken, answer: str, previous: str, reply_to: int) -> Said:
        address = taken.address
        if address.bot_token is None or address.chat_id is None:
            await keep_on_timeline(
                self.services,
                address,
                answer,
                Delivery.NO_CHANNEL,
                type="agent_answer",
                meta=self._meta(taken, answer),
            )
            return Said(reply_to, say(taken.language, "team", "question_recorded", lead=taken.lead))
        relayed, translated = await in_language(self.services, answer, address.language)
        message = (
            say(address.language, "sales", "agent_answers", rep=taken.rep_name, answer=relayed)
            if taken.rep_name
            else say(address.language, "sales", "agent_answers_team", answer=relayed)
        )
        delivery = await send_to_lead(self.services, address, message)
        if delivery in (Delivery.THROTTLED, Delivery.REFUSED):
            await self._give_back(taken, previous)
            return Said(reply_to, say(taken.language, "team", "question_not_delivered", lead=taken.lead))
        meta = {**self._meta(taken, answer), "translated": translated}
        await keep_on_timeline(self.services, address, message, delivery, type="agent_answer", meta=meta)
        return Said(reply_to, say(taken.language, "team", "question_relayed", lead=taken.lead))

    @staticmethod
    def _meta(taken: _Taken, answer: str) -> dict[str, object]:
        return {"question_id": taken.question_id, "answer": answer}

    async def _give_back(self, taken: _Taken, previous: str) -> None:
        """The answer certainly did not reach the lead: the question waits again (a new answer may go)."""
        async with self.services.database.session() as session:
            await session.execute(
                update(LeadQuestion)
                .where(
                    LeadQuestion.id == taken.question_id,
                    LeadQuestion.status == QuestionStatus.ANSWERED.value,
                    LeadQuestion.answered_at == taken.answered_at,
                )
                .values(status=previous, answer=None, answered_at=None, answered_by_telegram_id=None)
            )
