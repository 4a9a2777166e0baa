"""Telling both sides about a booked, moved or cancelled viewing, once the change is committed.

The rep hears it from the team bot, on their clock and in their language; a viewing on the internal
calendar comes with its .ics invitation. When the lead made the change in their own turn, the agent's
reply says what happened and carries the .ics (`lead_invitation`, attached by the lead bot to that one
reply; none when Google e-mailed them the invitation): one confirmation, never two. Best effort: a failed
send is logged, the viewing stands; the reminders go through the ledger.

When the rep made the change (`tell_lead=True`), the lead hears it from the lead bot here, with the .ics. The rep's
notice of a live viewing carries "Reschedule"/"Cancel" buttons and is remembered as being about that
viewing, so a reply to it ("move to 16:00", "отменить") is understood (agent.services.calendars.conversation).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agent.adapters.crypto import LeadBotTokens
from agent.adapters.ics import Method, invitation_filename
from agent.adapters.telegram.outbound import TEAM_BOT_KEY, lead_bot_key
from agent.services.calendars.service import (
    CalendarKind,
    calendar_kind,
    invitation_for,
    invitation_ics,
    lead_name,
    title_of,
)
from agent.services.leads import zone_of
from agent.services.provider import Services
from prompts.calendar import format_when, say
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
    bot_key: str
    """Which of our bots sends it (agent.adapters.telegram.outbound): the key its buttons and cards live under."""
    chat_id: int
    text: str
    document: tuple[str, bytes] | None = None
    viewing_id: int | None = None
    """Set on the rep's notice of a live viewing: sent with its buttons and remembered for replies."""


VIEWING_ACTION = "viewing"
"""The `do` of the buttons on a rep's viewing notice (served by CalendarDesk.on_viewing_button)."""


def viewing_buttons(viewing_id: int, language: str | None) -> list[list[dict[str, Any]]]:
    """ "Reschedule" and "Cancel" under a rep's viewing notice."""
    return [
        [
            {
                "label": say("button_reschedule", language),
                "action": {"do": VIEWING_ACTION, "op": "move", "viewing_id": viewing_id},
            },
            {
                "label": say("button_cancel", language),
                "action": {"do": VIEWING_ACTION, "op": "cancel", "viewing_id": viewing_id},
            },
        ]
    ]


async def announce(
    services: Services, viewing_id: int, change: Change, *, tell_lead: bool = False
) -> list[Delivery]:
    """Tell the rep (and the lead, with the .ics, when the rep made the change: `tell_lead`); returns what was sent."""
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
            viewing,
            change,
            lead=lead,
            rep=rep,
            tenant=tenant,
            listing=listing,
            services=services,
            tell_lead=tell_lead,
        )
        language = rep.language
    sent = []
    for delivery in deliveries:
        if await _send(services, delivery, language):
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
    tell_lead: bool = False,
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
            Delivery(
                team_token.get_secret_value(),
                TEAM_BOT_KEY,
                rep.telegram_chat_id or rep.telegram_id,
                text,
                document,
                viewing_id=None if cancelled else viewing.id,
            )
        )

    lead_token = LeadBotTokens(services.settings).read(tenant) if tell_lead else None
    if tell_lead and lead_token and lead.telegram_chat_id is not None:
        lead_zone = zone_of(lead.time_zone or tenant.time_zone)
        caption = say(
            f"{change.value}_lead",
            lead.language,
            title=title_of(listing, lead.language),
            rep=rep.name,
            when=format_when(viewing.starts_at, lead_zone, lead.language),
            link=say("meeting_link", lead.language, url=viewing.meeting_link) if viewing.meeting_link else "",
        )
        ics = _lead_ics(
            viewing, change, lead=lead, rep=rep, tenant=tenant, listing=listing, services=services
        )
        if ics is not None and not cancelled:
            caption += "\n" + say("invitation_caption", lead.language)
        deliveries.append(
            Delivery(lead_token, lead_bot_key(tenant.slug), lead.telegram_chat_id, caption, ics)
        )
    return deliveries


def _lead_ics(
    viewing: Viewing,
    change: Change,
    *,
    lead: Lead,
    rep: SalesRepresentative,
    tenant: Tenant,
    listing: Property | None,
    services: Services,
) -> tuple[str, bytes] | None:
    """The .ics the lead gets for this change, on their own clock; None when Google e-mailed it to them."""
    if calendar_kind(viewing) is not CalendarKind.INTERNAL and lead.email:
        return None
    cancelled = change is Change.CANCELLED
    zone = zone_of(lead.time_zone or tenant.time_zone)
    invitation = invitation_for(viewing, tenant=tenant, rep=rep, lead=lead, listing=listing, zone=zone.key)
    return (
        invitation_filename(viewing.id, Method.CANCEL if cancelled else Method.REQUEST),
        invitation_ics(invitation, cancelled=cancelled, stamp=services.clock.now()),
    )


async def lead_invitation(services: Services, viewing_id: int, change: Change) -> tuple[str, bytes] | None:
    """(file name, .ics) to attach to the reply that tells the lead of their own change; None when not needed."""
    async with services.database.session() as session:
        viewing = await session.get(Viewing, viewing_id)
        if viewing is None or viewing.rep_id is None:
            return None
        lead = await session.get(Lead, viewing.lead_id)
        rep = await session.get(SalesRepresentative, viewing.rep_id)
        tenant = await session.get(Tenant, viewing.tenant_id)
        listing = await session.get(Property, viewing.property_id)
        if lead is None or rep is None or tenant is None:
            return None
        return _lead_ics(
            viewing, change, lead=lead, rep=rep, tenant=tenant, listing=listing, services=services
        )


async def tell_rep(services: Services, chat_id: int, text: str) -> bool:
    """A plain message to a rep's chat from the team bot (connection results, reconnect requests)."""
    token = services.settings.registry_bot_token
    if token is None or not token.get_secret_value():
        log.warning("chat %s not told (REGISTRY_BOT_TOKEN is not set): %s", chat_id, text[:80])
        return False
    return await _send(services, Delivery(token.get_secret_value(), TEAM_BOT_KEY, chat_id, text))


async def _send(services: Services, delivery: Delivery, language: str | None = None) -> bool:
    """Send one notice through the process's sending bot; a rep's notice of a live viewing is remembered."""
    from telegram.error import TelegramError

    sender = services.telegram.sender(delivery.bot_token, delivery.bot_key, services.database, services.clock)
    buttons = viewing_buttons(delivery.viewing_id, language) if delivery.viewing_id is not None else []
    try:
        if delivery.document is None:
            sent = (await sender.send(delivery.chat_id, delivery.text, buttons))[-1]
        else:
            name, data = delivery.document
            sent = await sender.send_document(delivery.chat_id, name, data, delivery.text, buttons)
    except TelegramError as exc:
        log.warning("viewing notice to chat %s not sent: %s", delivery.chat_id, exc)
        return False
    if delivery.viewing_id is not None:
        await sender.remember_card(delivery.chat_id, sent.message_id, {"viewing_id": delivery.viewing_id})
    return True
