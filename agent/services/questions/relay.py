"""Writing to a lead through its agency's lead bot about a question, and keeping it on the lead's timeline."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from agent.adapters.crypto import LeadBotTokens
from agent.adapters.telegram.outbound import lead_bot_key
from agent.services.leads import load_lead, record_outbound
from agent.services.provider import Services
from prompts.catalogue import named
from prompts.model import TRANSLATE_ANSWER
from storage.models import Lead, Tenant

log = logging.getLogger(__name__)


class Delivery(StrEnum):
    SENT = "sent"
    THROTTLED = "throttled"
    """Certainly not delivered, for now (flood control): it may be sent again."""
    REFUSED = "refused"
    """Certainly not delivered (the lead blocked the bot, the chat is gone)."""
    UNKNOWN = "unknown"
    """It may have arrived (timeout, connection lost): never send it again."""
    NO_CHANNEL = "no_channel"
    """The agency has no lead bot, or the lead never wrote to it."""


@dataclass(frozen=True)
class LeadAddress:
    lead_id: int
    tenant_id: int
    bot_token: str | None
    bot_key: str
    chat_id: int | None
    language: str

    @classmethod
    def of(cls, lead: Lead, tenant: Tenant, tokens: LeadBotTokens) -> LeadAddress:
        return cls(
            lead.id,
            tenant.id,
            tokens.read(tenant),
            lead_bot_key(tenant.slug),
            lead.telegram_chat_id,
            lead.language,
        )


async def send_to_lead(services: Services, address: LeadAddress, text: str) -> Delivery:
    """One message through the lead bot (paced by its token's limiter)."""
    from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

    if not address.bot_token or address.chat_id is None:
        return Delivery.NO_CHANNEL
    sender = services.telegram.sender(address.bot_token, address.bot_key, services.database, services.clock)
    try:
        await sender.send(address.chat_id, text)
    except RetryAfter as exc:
        log.warning("lead %s: message throttled: %s", address.lead_id, exc)
        return Delivery.THROTTLED
    except (BadRequest, Forbidden) as exc:
        log.warning("lead %s: message refused: %s", address.lead_id, exc)
        return Delivery.REFUSED
    except TelegramError as exc:
        log.warning("lead %s: message may not have arrived: %s", address.lead_id, exc)
        return Delivery.UNKNOWN
    return Delivery.SENT


async def keep_on_timeline(
    services: Services,
    address: LeadAddress,
    text: str,
    delivery: Delivery,
    *,
    type: str,
    meta: dict[str, object],
) -> None:
    """The message on the lead's timeline (`record_outbound`); only one that surely arrived counts as contact."""
    status = {Delivery.SENT: "done", Delivery.UNKNOWN: "unknown", Delivery.NO_CHANNEL: "skipped"}.get(
        delivery, "failed"
    )
    async with services.database.session() as session:
        lead = await load_lead(session, address.tenant_id, address.lead_id)
        await record_outbound(
            session,
            lead,
            text=text,
            now=services.clock.now(),
            type=type,
            meta=meta,
            status=status,
            contact=delivery is Delivery.SENT,
        )


async def in_language(services: Services, text: str, language: str) -> tuple[str, bool]:
    """`text` put into `language` by the configured model; as written (False) without one or when it fails."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from agent.adapters.models import provider_errors

    model = services.model
    if model.is_offline or model.breaker.is_open:
        return text, False
    name = named("en", "cards", "language", language) or language
    try:
        reply = await model.primary.ainvoke(
            [SystemMessage(TRANSLATE_ANSWER.format(language=name)), HumanMessage(text)]
        )
    except provider_errors() as exc:
        model.breaker.failed()
        log.warning("translating an answer failed (%s); it goes as written", type(exc).__name__)
        return text, False
    model.breaker.succeeded()
    content = reply.content if isinstance(reply.content, str) else ""
    return (content.strip(), True) if content.strip() else (text, False)
