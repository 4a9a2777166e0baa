"""A lead asks in the chat to have their data erased; an admin of the agency confirms or declines it.

The lead's turn records the request (`request_erasure`) and tells them it went to the agency. The team bot
cards it to the agency's admins once (`cards_due`, `mark_carded`) with signed Erase / Decline buttons; a press
is `decide`: only an admin of the request's agency may decide (anyone else is refused, and every attempt is
audited), the request is decided once under its row lock, and on confirmation the erasure runs and the lead is
told through the lead bot, in their language. Their next message starts a new conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.crypto import LeadBotTokens
from agent.services.calendars.service import lead_name
from agent.services.privacy.erase import ERASE_ACTION, Eraser, erase_lead, lead_target
from agent.services.provider import Services
from agent.services.questions.cards import TeamDirectory
from agent.services.questions.relay import Delivery, LeadAddress, send_to_lead
from prompts import language_code
from prompts.catalogue import text
from storage.models import ErasureRequest, ErasureStatus, Lead, Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.privacy import ErasureRequestRepository

ERASURE_ACTION = "lead_erasure"
"""The `do` of the admins' Erase / Decline buttons."""
REQUEST_ACTION = "lead.erase_request"
"""The audit action of a lead asking, in the chat, to be erased."""


def say(language: str | None, key: str, **values: object) -> str:
    return text(language_code(language), "privacy", key, **values)


async def request_erasure(session: AsyncSession, lead: Lead, now: datetime) -> str:
    """Record the lead's request (one waits at a time) in the caller's transaction; what the lead is told."""
    request, made = await ErasureRequestRepository(session).request(lead.tenant_id, lead.id, now)
    if made:
        await AuditRepository(session).record(
            action=REQUEST_ACTION,
            now=now,
            actor_telegram_id=lead.telegram_user_id,
            tenant_id=lead.tenant_id,
            target=lead_target(lead.id),
            detail=f"request {request.id} via chat",
        )
    return say(lead.language, "requested" if made else "already_requested")


@dataclass(frozen=True)
class Card:
    """One admin's card about a request: the chat, its text and its buttons."""

    request_id: int
    chat_id: int
    text: str
    buttons: list[list[dict[str, object]]]


class Outcome(StrEnum):
    ERASED = "erased"
    DECLINED = "declined"
    REFUSED = "refused"
    GONE = "gone"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reply: str
    """What the admin who pressed is told, in their language."""


def _card(request: ErasureRequest, lead: Lead, chat_id: int, language: str) -> Card:
    action = {"do": ERASURE_ACTION, "tenant_id": request.tenant_id, "request_id": request.id}
    buttons: list[list[dict[str, object]]] = [
        [
            {"label": say(language, "confirm"), "action": {**action, "decision": "erase"}},
            {"label": say(language, "decline"), "action": {**action, "decision": "decline"}},
        ]
    ]
    return Card(request.id, chat_id, say(language, "card", lead=lead_name(lead), id=lead.id), buttons)


async def cards_due(
    session: AsyncSession, team: TeamDirectory, limit: int = 50, *, unreachable: set[int] | None = None
) -> list[Card]:
    """The cards of every pending request not carded yet (locked in the caller's transaction until it ends):
    to the agency's admins, else to its alert chat; requests nobody can receive are added to `unreachable`."""
    cards: list[Card] = []
    for request in await ErasureRequestRepository(session).uncarded_all_tenants(limit):
        lead = await session.get(Lead, request.lead_id)
        if lead is None:
            continue
        admins = await team.admin_recipients_in(session, request.tenant_id)
        for admin in admins:
            cards.append(_card(request, lead, admin.chat_id, admin.language))
        if not admins:
            tenant = await session.get(Tenant, request.tenant_id)
            if (
                tenant is not None and tenant.alert_chat_id is not None
            ):  # only an admin's press counts there too
                cards.append(_card(request, lead, tenant.alert_chat_id, tenant.default_language))
            elif unreachable is not None:
                unreachable.add(request.id)
    return cards


async def mark_carded(session: AsyncSession, request_ids: set[int], now: datetime) -> None:
    """These requests' cards went out: they are not carded again."""
    for request_id in request_ids:
        request = await session.get(ErasureRequest, request_id)
        if request is not None:
            request.carded_at = now
    await session.flush()


async def decide(
    services: Services,
    team: TeamDirectory,
    *,
    telegram_id: int,
    language: str,
    tenant_id: int,
    request_id: int,
    erase: bool,
) -> Decision:
    """An admin's press on a request's card: erase (and tell the lead), decline (and tell the lead), or refuse."""
    now = services.clock.now()
    admin = await team.is_admin(telegram_id, tenant_id)
    async with services.database.session() as session:
        requests = ErasureRequestRepository(session)
        request = await requests.get(tenant_id, request_id, for_update=True)
        lead = await session.get(Lead, request.lead_id) if request is not None else None
        tenant = await session.get(Tenant, tenant_id)
        if request is None or lead is None or tenant is None:
            return Decision(Outcome.GONE, say(language, "gone"))
        if not admin:
            await AuditRepository(session).record(
                action=ERASE_ACTION if erase else f"{ERASE_ACTION}.decline",
                now=now,
                actor_telegram_id=telegram_id,
                tenant_id=tenant_id,
                target=lead_target(lead.id),
                allowed=False,
                detail=f"request {request.id} via team_bot (not_admin)",
            )
            return Decision(Outcome.REFUSED, say(language, "not_admin"))
        if request.status != ErasureStatus.PENDING:
            return Decision(Outcome.GONE, say(language, "gone"))
        address = LeadAddress.of(
            lead, tenant, LeadBotTokens(services.settings)
        )  # taken before the erasure empties it
        lead_id = lead.id
        if not erase:
            await requests.decide(request, ErasureStatus.DECLINED, telegram_id, now)
            await AuditRepository(session).record(
                action=f"{ERASE_ACTION}.decline",
                now=now,
                actor_telegram_id=telegram_id,
                tenant_id=tenant_id,
                target=lead_target(lead_id),
                detail=f"request {request.id} via team_bot",
            )
        else:
            # Erased in its own transaction while this one holds the request: a failed erasure leaves it pending.
            by = Eraser(telegram_id, "team_bot")
            await erase_lead(services, tenant_id, lead_id, by, note=f"request {request_id}")
            await requests.decide(request, ErasureStatus.ERASED, telegram_id, now)
    if not erase:
        await send_to_lead(services, address, say(address.language, "declined"))
        return Decision(Outcome.DECLINED, say(language, "declined_admin", id=lead_id))
    told = await send_to_lead(services, address, say(address.language, "erased"))
    key = "done" if told is Delivery.SENT else "done_not_told"
    return Decision(Outcome.ERASED, say(language, key, id=lead_id))
