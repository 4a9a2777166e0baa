"""Telling both sides about a booked, moved or cancelled viewing, once the change is committed.

The rep hears it from the team bot, on their clock and in their language; a viewing on the internal
calendar comes with its .ics invitation. The lead's agent reply already says what happened, so the lead
bot only sends the .ics (captioned on the lead's own clock) when no Google invitation reached them by
e-mail. Best effort: a failed send is logged, the viewing stands; the reminders go through the ledger.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agent.calendars.ics import Method, invitation_filename
from agent.calendars.messages import format_when, say
from agent.calendars.service import (
    CalendarKind,
    calendar_kind,
    calendar_providers,
    invitation_for,
    invitation_ics,
    lead_name,
    title_of,
)
from agent.leads import zone_of
from agent.runtime import Services
from storage.models import Lead, Property, SalesRepresentative, Tenant, Viewing

log = logging.getLogger(__name__)


class Change(StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Delivery:
    """One Telegram message: text, or a document with the text as its caption."""

    bot_token: str
    chat_id: int
    text: str
    document: tuple[str, bytes] | None = None


async def announce(services: Services, viewing_id: int, change: Change) -> list[Delivery]:
    """Tell the rep (and send the lead the .ics when they need it); returns what was sent."""
    async with services.database.session() as session:
        viewing = await session.get(Viewing, viewing_id)
        if viewing is None or viewing.rep_id is None:
            return []
        lead = await session.get(Lead, viewing.lead_id)
        rep = await session.get(SalesRepresentative, viewing.rep_id)
        tenant = await session.get(Tenant, viewing.tenant_id)
        listing = await session.get(Property, viewing.property_id) if viewing.property_id else None
        if lead is None or rep is None or tenant is None:
            return []
        deliveries = deliveries_for(
            viewing, change, lead=lead, rep=rep, tenant=tenant, listing=listing, services=services
        )
    sent = []
    for delivery in deliveries:
        if await _send(services, delivery):
            sent.append(delivery)
    return sent


def deliveries_for(
    viewing: Viewing,
    change: Change,
    *,
    lead: Lead,
    rep: SalesRepresentative,
    tenant: Tenant,
    listing: Property | None,
    services: Services,
) -> list[Delivery]:
    """What each side gets for this change of this viewing."""
    stamp = services.clock.now()
    internal = calendar_kind(viewing) is CalendarKind.INTERNAL
    cancelled = change is Change.CANCELLED
    deliveries: list[Delivery] = []

    team_token = services.settings.registry_bot_token
    if team_token is not None and team_token.get_secret_value():
        rep_zone = zone_of(rep.time_zone or tenant.time_zone)
        text = say(
            f"{change.value}_rep",
            rep.language,
            title=title_of(listing, rep.language),
            lead=lead_name(lead),
            when=format_when(viewing.starts_at, rep_zone, rep.language),
            link=say("meeting_link", rep.language, url=viewing.meeting_link) if viewing.meeting_link else "",
        )
        if (viewing.extra or {}).get("calendar_problem") == "reconnect" and change is Change.BOOKED:
            text += "\n\n" + say("reconnect_needed", rep.language)
        document = None
        if internal:
            invitation = invitation_for(
                viewing, tenant=tenant, rep=rep, lead=lead, listing=listing, zone=rep_zone.key
            )
            document = (
                invitation_filename(viewing.id, Method.CANCEL if cancelled else Method.REQUEST),
                invitation_ics(invitation, cancelled=cancelled, stamp=stamp),
            )
        deliveries.append(
            Delivery(team_token.get_secret_value(), rep.telegram_chat_id or rep.telegram_id, text, document)
        )

    lead_got_google_invite = not internal and bool(lead.email)
    if tenant.lead_bot_token and lead.telegram_chat_id is not None and not lead_got_google_invite:
        lead_zone = zone_of(lead.time_zone or tenant.time_zone)
        invitation = invitation_for(
            viewing, tenant=tenant, rep=rep, lead=lead, listing=listing, zone=lead_zone.key
        )
        caption = say(
            f"{change.value}_lead",
            lead.language,
            title=title_of(listing, lead.language),
            rep=rep.name,
            when=format_when(viewing.starts_at, lead_zone, lead.language),
            link=say("meeting_link", lead.language, url=viewing.meeting_link) if viewing.meeting_link else "",
        )
        if not cancelled:
            caption += "\n" + say("invitation_caption", lead.language)
        deliveries.append(
            Delivery(
                tenant.lead_bot_token,
                lead.telegram_chat_id,
                caption,
                (
                    invitation_filename(viewing.id, Method.CANCEL if cancelled else Method.REQUEST),
                    invitation_ics(invitation, cancelled=cancelled, stamp=stamp),
                ),
            )
        )
    return deliveries


async def tell_rep(services: Services, chat_id: int, text: str) -> bool:
    """A plain message to a rep's chat from the team bot (connection results, reconnect requests)."""
    token = services.settings.registry_bot_token
    if token is None or not token.get_secret_value():
        log.warning("chat %s not told (REGISTRY_BOT_TOKEN is not set): %s", chat_id, text[:80])
        return False
    return await _send(services, Delivery(token.get_secret_value(), chat_id, text))


async def _send(services: Services, delivery: Delivery) -> bool:
    from telegram.error import TelegramError

    bot = _bot(services, delivery.bot_token)
    try:
        if delivery.document is None:
            await bot.send_message(chat_id=delivery.chat_id, text=delivery.text)
        else:
            name, data = delivery.document
            await bot.send_document(
                chat_id=delivery.chat_id, document=data, filename=name, caption=delivery.text[:1024]
            )
    except TelegramError as exc:
        log.warning("viewing notice to chat %s not sent: %s", delivery.chat_id, exc)
        return False
    return True


def _bot(services: Services, token: str) -> Any:
    """The process's Bot for this token; made once (its HTTP client costs ~0.1 s), closed with the services."""
    from telegram import Bot

    bots = calendar_providers(services).bots
    if token not in bots:
        settings = services.settings
        bots[token] = Bot(
            token, base_url=settings.telegram_api_base_url, base_file_url=settings.telegram_file_base_url
        )
        services.resources.push_async_callback(bots[token].shutdown)
    return bots[token]
