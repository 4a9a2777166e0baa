"""A lead's question the listing data cannot answer: recorded on the lead and offered to the team."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.nlu.signals import count_specific_questions
from agent.services.leads import INBOUND_TYPES, tenant_of
from agent.services.leads.handoff import DEMO_REP_TELEGRAM_ID, candidate_reps
from agent.services.provider import Services
from agent.services.questions.cards import (
    Asked,
    Card,
    TeamDirectory,
    addressees,
    card_text,
    lead_rep,
    team_token,
)
from storage.models import Lead, SalesRepresentative
from storage.repositories import properties as catalog
from storage.repositories.leads import LeadRepository
from storage.repositories.questions import QuestionRepository

QUESTION_CHARS = 1000


class NoOneToAsk(Exception):
    """Nobody can be asked: no team bot, or an agency without a rep for the lead, admins or an alert chat."""


def clean_question(question: str) -> str:
    return " ".join(question.split())[:QUESTION_CHARS]


async def ask_team(
    session: AsyncSession,
    services: Services,
    team: TeamDirectory,
    lead: Lead,
    question: str,
    now: datetime,
    *,
    property_id: int | None = None,
) -> Asked:
    """Record the question on the lead (a specific question for scoring) and write its cards; NoOneToAsk.

    The cards are sent once the caller has committed (`cards.send_cards`): a card never names a question
    that was rolled back. A listing id the agency does not have is left out; the question is still asked.
    """
    tenant = await tenant_of(session, lead)
    rep = await _rep_for(session, lead, now)
    to = await addressees(session, services, team, tenant, rep) if team_token(services) else []
    if not to:
        raise NoOneToAsk
    listing = await catalog.get_property(session, lead.tenant_id, property_id) if property_id else None
    stored = await QuestionRepository(session).add(
        tenant_id=lead.tenant_id,
        lead_id=lead.id,
        question=question,
        now=now,
        property_id=listing.id if listing else None,
        rep_id=rep.id if rep else None,
        recipients=[{"chat_id": a.chat_id, "language": a.language} for a in to],
    )
    if not await _already_counted(session, lead):
        lead.specific_questions += 1
    await LeadRepository(session).add_interaction(
        lead,
        type="question",
        direction="inbound",
        text=question,
        now=now,
        meta={
            "question_id": stored.id,
            "property_id": stored.property_id,
            "rep_id": str(rep.id) if rep else None,
        },
    )
    cards = tuple(Card(a.chat_id, card_text(a.language, lead, question, listing)) for a in to)
    return Asked(stored.id, rep.name if rep else None, cards)


async def _rep_for(session: AsyncSession, lead: Lead, now: datetime) -> SalesRepresentative | None:
    """The lead's rep; a lead without one is given the rep who would take it now (as a handoff does), so the
    answer comes from the person who will look after the lead. None: no active rep on Telegram."""
    rep = await lead_rep(session, lead)
    if rep is not None:
        return rep
    reachable = [
        candidate
        for candidate in await candidate_reps(session, lead, now)
        if candidate.telegram_id and candidate.telegram_id != DEMO_REP_TELEGRAM_ID
    ]
    if not reachable:
        return None
    lead.assigned_rep_id = reachable[0].id
    return reachable[0]


async def _already_counted(session: AsyncSession, lead: Lead) -> bool:
    """The lead's last message already counted as a specific question when it was received."""
    last = await LeadRepository(session).last_interaction(lead, INBOUND_TYPES["text"])
    return last is not None and bool(last.text) and count_specific_questions(last.text or "") > 0
