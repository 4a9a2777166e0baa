"""A lead arrives and talks: find or create it, and keep what it sends and what we send it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.nlu.signals import count_specific_questions, count_urgency_mentions
from agent.core.nlu.text import clean_name
from agent.core.policies.vocabulary import language_of
from agent.services.integrations import events as integration_events
from agent.services.leads.scoring import lead_changed
from storage.models import Lead, LeadInteraction, Tenant
from storage.repositories.followups import FollowUpRepository
from storage.repositories.leads import LeadRepository

InboundKind = Literal["text", "voice", "contact", "button", "start"]

# Interaction type recorded for each kind of inbound update.
INBOUND_TYPES: dict[str, str] = {
    "text": "message",
    "voice": "voice",
    "contact": "contact",
    "button": "button",
    "start": "start",
}
# Kinds that are messages the lead wrote or spoke (scored as messages; voice also as voice).
MESSAGE_KINDS = frozenset({"text", "voice", "contact"})


# --- Loading and creating -------------------------------------------------------------------------------


async def load_lead(session: AsyncSession, tenant_id: int, lead_id: int, *, for_update: bool = True) -> Lead:
    """The lead of this tenant, locked for this transaction by default; LeadNotFound otherwise."""
    return await LeadRepository(session).require(tenant_id, lead_id, for_update=for_update)


async def get_or_create_telegram_lead(
    session: AsyncSession,
    tenant: Tenant,
    telegram_user_id: int,
    *,
    chat_id: int | None = None,
    username: str | None = None,
    name: str | None = None,
    language: str | None = None,
) -> Lead:
    """The lead behind a Telegram user of this tenant's bot, created on first contact.

    `name` (the Telegram profile's name) fills in a lead with no name yet; a name the lead gave is kept.
    """
    lead, created = await LeadRepository(session).get_or_create_by_telegram(
        tenant.id,
        telegram_user_id,
        telegram_chat_id=chat_id,
        telegram_username=username,
        name=clean_name(name),
        language=language_of(language or tenant.default_language),
    )
    if chat_id is not None and lead.telegram_chat_id != chat_id:
        lead.telegram_chat_id = chat_id
    if username and lead.telegram_username != username:
        lead.telegram_username = username
    if lead.name is None and clean_name(name):
        lead.name = clean_name(name)
    if created:
        await integration_events.lead_created(session, lead)
    return lead


def telegram_name(first_name: str | None, last_name: str | None = None) -> str | None:
    """A Telegram profile's (or shared contact's) display name: "first last", cleaned; None when blank."""
    return clean_name(" ".join(part for part in (first_name, last_name) if part))


async def create_lead(
    session: AsyncSession, tenant_id: int, *, name: str | None = None, language: str = "en"
) -> Lead:
    """A lead with no Telegram identity (CLI chat, evals, imports)."""
    lead = await LeadRepository(session).create(
        tenant_id, name=clean_name(name), language=language_of(language)
    )
    await integration_events.lead_created(session, lead)
    return lead


# --- Inbound and outbound -------------------------------------------------------------------------------


async def record_inbound(
    session: AsyncSession, lead: Lead, *, text: str | None, kind: InboundKind, now: datetime
) -> LeadInteraction:
    """Count what the lead just sent, keep it as an interaction, and rescore the lead (`lead_changed`).

    text/voice/contact are messages (voice also counts as voice); buttons and /start are interactions
    only. Urgency and specific questions are read from the text (a voice message's transcript).
    The lead's open follow-ups are cancelled at once (the dispatcher would drop them anyway: the lead
    wrote first), so the team never sees a stale one; their viewing reminders stay.
    """
    if kind not in INBOUND_TYPES:
        raise ValueError(f"unknown inbound kind {kind!r}")
    await FollowUpRepository(session).cancel_open_for_lead(
        lead.id, "lead wrote first", keep_viewing_messages=True
    )
    if kind in MESSAGE_KINDS:
        lead.message_count += 1
    if kind == "voice":
        lead.voice_message_count += 1
    lead.total_interactions += 1
    if text and kind in ("text", "voice"):
        lead.urgency_mentions += count_urgency_mentions(text)
        lead.specific_questions += count_specific_questions(text)
    lead.last_inbound_at = now
    if lead.first_inbound_at is None:
        lead.first_inbound_at = now
    interaction = await LeadRepository(session).add_interaction(
        lead, type=INBOUND_TYPES[kind], direction="inbound", text=text, now=now
    )
    await lead_changed(session, lead, now)
    return interaction


async def record_outbound(
    session: AsyncSession,
    lead: Lead,
    *,
    text: str | None,
    now: datetime,
    type: str = "message",
    channel: str = "telegram",
    meta: dict[str, object] | None = None,
    status: str = "done",
    contact: bool = True,
) -> LeadInteraction:
    """Keep something we sent the lead (a reply, a follow-up, listings) on its timeline.

    `contact` says the lead was reached (it sets `last_outbound_at`): not so for a rep's reminder about
    the lead, or a message whose delivery is unknown (`status="unknown"`).
    """
    if contact:
        lead.last_outbound_at = now
    return await LeadRepository(session).add_interaction(
        lead, type=type, direction="outbound", text=text, channel=channel, status=status, meta=meta, now=now
    )
