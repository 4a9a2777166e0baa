"""What the person talking to a lead writes in the team bot, sent to the lead by the agency's lead bot."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from agent.adapters.crypto import LeadBotTokens
from agent.services.calendars.service import lead_name
from agent.services.provider import Services
from agent.services.questions.cards import team_token
from agent.services.questions.relay import Delivery, LeadAddress, keep_on_timeline, send_to_lead
from agent.services.takeover.control import Decision
from agent.services.team.cards import Actor
from prompts.catalogue import text
from storage.models import Lead, Tenant

log = logging.getLogger(__name__)

MESSAGE_CHARS = 4000
_TOLD = {
    Delivery.SENT: "sent",
    Delivery.UNKNOWN: "maybe_sent",
    Delivery.REFUSED: "not_sent",
    Delivery.THROTTLED: "throttled",
    Delivery.NO_CHANNEL: "no_channel",
}


@dataclass(frozen=True)
class Relayed:
    reply: str
    """What the person is told, in their language."""
    tenant_id: int
    lead_id: int
    said: str | None = None
    """What went to the lead (or may have): it belongs in the lead's transcript; None: nothing went."""


async def say_to_lead(services: Services, actor: Actor, lead_id: int, said: str) -> Relayed:
    """Send `said` to the lead, as written, if `actor` is the one talking to them; kept on the lead's timeline."""
    said = said.strip()[:MESSAGE_CHARS]
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        tenant = await session.get(Tenant, lead.tenant_id) if lead is not None else None
        if lead is None or tenant is None:
            return Relayed(text(actor.language, "takeover", "lead_gone"), 0, lead_id)
        name = lead_name(lead)
        if lead.taken_over_by != actor.telegram_id:
            return Relayed(
                text(actor.language, "takeover", "not_talking", lead=name), lead.tenant_id, lead.id
            )
        address = LeadAddress.of(lead, tenant, LeadBotTokens(services.settings))
    delivery = await send_to_lead(services, address, said)
    meta: dict[str, object] = {"by": "person", "telegram_id": actor.telegram_id}
    await keep_on_timeline(services, address, said, delivery, type="message", meta=meta)
    reply = text(actor.language, "takeover", _TOLD[delivery], lead=name)
    went = delivery in (Delivery.SENT, Delivery.UNKNOWN)
    return Relayed(reply, address.tenant_id, address.lead_id, said if went else None)


async def tell_others(services: Services, decision: Decision) -> int:
    """A decision made outside the team bot (the web app): its notices sent through the team bot; how many went."""
    from telegram.error import TelegramError

    from agent.adapters.telegram.outbound import TEAM_BOT_KEY

    token = team_token(services)
    if token is None:
        return 0
    sender = services.telegram.sender(token, TEAM_BOT_KEY, services.database, services.clock)
    told = 0
    for notice in decision.notices:
        try:
            await sender.send(notice.chat_id, notice.text)
        except TelegramError as exc:  # someone who never started the bot: the change stands
            log.warning("takeover notice to chat %s not sent: %s", notice.chat_id, exc)
            continue
        told += 1
    return told
