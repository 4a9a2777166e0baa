"""Who is asked a lead's question in the team bot, and the card they get, each in their own language.

The lead's active rep; without one, the agency's admins and its alert chat, as hot-lead alerts go. Who got
the card is kept on the question, so a reminder reaches the same chats. Every card is remembered as being
about its question (the team bot's card memory), so a reply to any of them answers it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.telegram.outbound import TEAM_BOT_KEY
from agent.services.calendars.service import lead_name
from agent.services.provider import Services
from prompts.catalogue import named, text
from storage.models import Lead, LeadQuestion, Property, RepStatus, SalesRepresentative, Tenant
from storage.repositories.questions import QuestionRepository
from storage.repositories.telegram import TelegramRepository

log = logging.getLogger(__name__)

QUESTION_KEY = "question_id"
"""What a question's card is remembered as (the team bot's card memory)."""


class Chat(Protocol):
    @property
    def chat_id(self) -> int: ...
    @property
    def language(self) -> str: ...


class TeamDirectory(Protocol):
    """Who administers an agency (agent.services.team.TeamService is one)."""

    async def admin_recipients_in(self, session: AsyncSession, tenant_id: int) -> Sequence[Chat]: ...

    async def is_admin(self, telegram_id: int, tenant_id: int | None = None) -> bool: ...


@dataclass(frozen=True)
class Addressee:
    chat_id: int
    language: str


@dataclass(frozen=True)
class Card:
    chat_id: int
    text: str


@dataclass(frozen=True)
class Asked:
    """A question's cards, to be sent once the question is committed."""

    question_id: int
    rep_name: str | None
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class CardsSent:
    delivered: int = 0
    throttled: int = 0
    """Cards Telegram certainly refused for now (flood control): they may be sent again later."""


def team_token(services: Services) -> str | None:
    token = services.settings.registry_bot_token
    return token.get_secret_value() if token is not None and token.get_secret_value() else None


async def lead_rep(session: AsyncSession, lead: Lead) -> SalesRepresentative | None:
    """The lead's assigned rep while active."""
    if lead.assigned_rep_id is None:
        return None
    rep = await session.get(SalesRepresentative, lead.assigned_rep_id)
    return rep if rep is not None and rep.status == RepStatus.ACTIVE else None


async def addressees(
    session: AsyncSession,
    services: Services,
    team: TeamDirectory,
    tenant: Tenant,
    rep: SalesRepresentative | None,
) -> list[Addressee]:
    """The rep's chat; without a rep, every admin's and the alert chat, each chat once."""
    if rep is not None:
        return [Addressee(rep.telegram_chat_id or rep.telegram_id, rep.language)]
    found: dict[int, Addressee] = {}
    for admin in await team.admin_recipients_in(session, tenant.id):
        found.setdefault(admin.chat_id, Addressee(admin.chat_id, admin.language))
    if tenant.alert_chat_id is not None and tenant.alert_chat_id not in found:
        remembered = await TelegramRepository(session).languages([tenant.alert_chat_id], services.clock.now())
        language = remembered.get(tenant.alert_chat_id) or tenant.default_language
        found[tenant.alert_chat_id] = Addressee(tenant.alert_chat_id, language)
    return list(found.values())


def card_text(
    language: str, lead: Lead, question: str, listing: Property | None, *, reminder: bool = False
) -> str:
    """ "Lead Tom asks about the Berawa villa: is there a gym nearby?" and how to answer."""
    if reminder:
        return text(language, "team", "question_reminder", lead=lead_name(lead), question=question)
    lead_language = named(language, "cards", "language", lead.language) or lead.language
    if listing is not None:
        return text(
            language,
            "team",
            "question_card",
            lead=lead_name(lead),
            listing=listing.title,
            question=question,
            language=lead_language,
        )
    return text(
        language,
        "team",
        "question_card_general",
        lead=lead_name(lead),
        question=question,
        language=lead_language,
    )


async def reminders_for(session: AsyncSession, question: LeadQuestion, lead: Lead) -> tuple[Card, ...]:
    """The reminders of a question: to its rep while active, else to whoever got its card."""
    rep = await session.get(SalesRepresentative, question.rep_id) if question.rep_id else None
    if rep is not None and rep.status == RepStatus.ACTIVE:
        to = [Addressee(rep.telegram_chat_id or rep.telegram_id, rep.language)]
    else:
        to = [
            Addressee(int(str(r["chat_id"])), str(r.get("language") or "en"))
            for r in question.recipients or []
            if r.get("chat_id") is not None
        ]
    return tuple(
        Card(a.chat_id, card_text(a.language, lead, question.question, None, reminder=True)) for a in to
    )


async def send_cards(services: Services, question_id: int, cards: tuple[Card, ...]) -> CardsSent:
    """Send each card through the team bot and remember it as being about the question."""
    from telegram.error import RetryAfter, TelegramError

    token = team_token(services)
    if token is None or not cards:
        return CardsSent()
    sender = services.telegram.sender(token, TEAM_BOT_KEY, services.database, services.clock)
    delivered = throttled = 0
    for card in cards:
        try:
            sent = (await sender.send(card.chat_id, card.text))[-1]
        except RetryAfter as exc:
            throttled += 1
            log.warning("question %s: card to chat %s throttled: %s", question_id, card.chat_id, exc)
            continue
        except TelegramError as exc:  # a chat that cannot be written to does not keep the others from hearing
            log.warning("question %s: card to chat %s not sent: %s", question_id, card.chat_id, exc)
            continue
        await sender.remember_card(card.chat_id, sent.message_id, {QUESTION_KEY: question_id})
        async with services.database.session() as session:
            await QuestionRepository(session).note_card(question_id, card.chat_id, sent.message_id)
        delivered += 1
    return CardsSent(delivered, throttled)
