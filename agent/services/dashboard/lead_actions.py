"""What a viewer does to a lead from the web app or the API: status, note, follow-up, mark hot, reassign,
rescore, send a listing through the lead bot, a WhatsApp message.

Each action loads the lead through `visible_leads` (a lead the viewer may not see is refused as not found,
and the refusal audited), changes it through the same function the team bot uses (`change_lead`), and
audits the change in its own transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from babel.numbers import format_decimal
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.channels import Channels, DeliveryError, Outbound
from agent.core.clock import Clock
from agent.services.dashboard.leads_detail import lead_etag, visible_lead
from agent.services.leads.scoring import rescore
from agent.services.team.crm import NOTE_LIMIT, change_lead
from agent.services.web_access import Viewer, audit_change, audit_refusal
from prompts.catalogue import text
from prompts.vocabulary import listing_name
from storage.db import Database
from storage.enums import LeadStatus, PropertyStatus, RepStatus
from storage.models import Lead, LeadInteraction, Property, RepTask, SalesRepresentative, Tenant

LEAD_STATUSES = tuple(status.value for status in LeadStatus)


class LeadActionError(Exception):
    """An action that cannot be done; `code` names why (the page and the API say it in words)."""

    code = "refused"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail or self.code


class LeadHidden(LeadActionError):
    """No such lead for this viewer (another rep's, another agency's, or none): answered as not found."""

    code = "not_found"


class NotAllowedHere(LeadActionError):
    """The viewer sees the lead but may not do this (reassigning is for admins)."""

    code = "admins_only"


class BadValue(LeadActionError):
    code = "bad_value"


class StaleLead(LeadActionError):
    """The lead changed since the caller read it (If-Match does not match its ETag)."""

    code = "stale"


class ChannelMissing(LeadActionError):
    """The lead cannot be reached that way: opted out, no chat, no lead bot, WhatsApp not configured."""

    code = "unreachable"


@dataclass
class LeadActions:
    """The actions, over the database, the clock and the outgoing channels."""

    database: Database
    clock: Clock
    channels: Channels | None = None

    async def _lead(self, session: AsyncSession, viewer: Viewer, lead_id: int, action: str) -> Lead:
        lead = await visible_lead(session, viewer, lead_id, for_update=True)
        if lead is None:
            await audit_refusal(
                self.database, self.clock, viewer, action, f"lead:{lead_id}", "not_their_lead"
            )
            raise LeadHidden(str(lead_id))
        return lead

    async def _refused(
        self, viewer: Viewer, action: str, lead_id: int, error: LeadActionError
    ) -> LeadActionError:
        """The error to raise, once the refusal is audited (with its reason code)."""
        await audit_refusal(self.database, self.clock, viewer, action, f"lead:{lead_id}", error.code)
        return error

    @staticmethod
    def _by(viewer: Viewer) -> str:
        if viewer.rep_id is not None:
            return str(viewer.rep_id)
        return f"telegram:{viewer.telegram_id}" if viewer.telegram_id is not None else viewer.via

    async def change_status(
        self, viewer: Viewer, lead_id: int, status: str, *, if_match: str | None = None
    ) -> Lead:
        """Set the lead's status (one of LeadStatus); `change_lead` records the lead.status_changed event."""
        if status not in LEAD_STATUSES:
            raise await self._refused(
                viewer, "lead.status", lead_id, BadValue(f"unknown status {status[:40]!r}")
            )
        now = self.clock.now()
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.status")
            if if_match is not None and if_match.strip() not in (lead_etag(lead), "*"):
                raise StaleLead(lead_etag(lead))
            before = lead.status
            await change_lead(session, lead, by=self._by(viewer), now=now, status=status, channel="web")
            await audit_change(
                session, self.clock, viewer, "lead.status", f"lead:{lead.id}", f"{before} → {status}"
            )
            await session.flush()
            await session.refresh(lead)
            return lead

    async def add_note(self, viewer: Viewer, lead_id: int, note: str) -> Lead:
        """A note in the lead's notes, in the team bot's format (it shows in "My clients")."""
        cleaned = note.strip()[:NOTE_LIMIT]
        if not cleaned:
            raise await self._refused(viewer, "lead.note", lead_id, BadValue("empty note"))
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.note")
            await change_lead(
                session, lead, by=self._by(viewer), now=self.clock.now(), note=cleaned, channel="web"
            )
            await audit_change(
                session, self.clock, viewer, "lead.note", f"lead:{lead.id}", f"{len(cleaned)} chars"
            )
            await session.flush()
            await session.refresh(lead)
            return lead

    async def mark_hot(self, viewer: Viewer, lead_id: int) -> Lead:
        """A cold or warm lead becomes hot until its next rescore (as in the team bot)."""
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.mark_hot")
            await change_lead(
                session, lead, by=self._by(viewer), now=self.clock.now(), mark_hot=True, channel="web"
            )
            await audit_change(session, self.clock, viewer, "lead.mark_hot", f"lead:{lead.id}")
            await session.flush()
            await session.refresh(lead)
            return lead

    async def schedule_follow_up(
        self, viewer: Viewer, lead_id: int, due_at: datetime, note: str | None = None
    ) -> RepTask:
        """A follow-up task (RepTask, as the team bot schedules): the viewer's own when they are a rep of the
        agency, else the lead's rep's."""
        if due_at.tzinfo is None:
            raise await self._refused(viewer, "lead.follow_up", lead_id, BadValue("the time needs a zone"))
        cleaned = (note or "").strip()[:NOTE_LIMIT] or None
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.follow_up")
            rep_id = viewer.rep_id or lead.assigned_rep_id
            if rep_id is None:
                raise await self._refused(viewer, "lead.follow_up", lead_id, BadValue("the lead has no rep"))
            task = RepTask(
                tenant_id=lead.tenant_id, rep_id=rep_id, lead_id=lead.id, due_at=due_at, note=cleaned
            )
            session.add(task)
            await session.flush()
            await audit_change(
                session,
                self.clock,
                viewer,
                "lead.follow_up",
                f"lead:{lead.id}",
                f"task {task.id} {due_at.isoformat()}",
            )
            return task

    async def reassign(self, viewer: Viewer, lead_id: int, rep_id: uuid.UUID) -> Lead:
        """Admins only: the lead goes to another active rep of the same agency."""
        if not viewer.is_admin:
            async with self.database.session() as session:
                if await visible_lead(session, viewer, lead_id) is None:
                    raise await self._refused(viewer, "lead.reassign", lead_id, LeadHidden(str(lead_id)))
            raise await self._refused(viewer, "lead.reassign", lead_id, NotAllowedHere())
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.reassign")
            rep = await session.get(SalesRepresentative, rep_id)
            if rep is None or rep.tenant_id != lead.tenant_id or rep.status != RepStatus.ACTIVE:
                raise await self._refused(
                    viewer, "lead.reassign", lead_id, BadValue("not an active rep of the agency")
                )
            before = lead.assigned_rep_id
            lead.assigned_rep_id = rep.id
            # The lead's open follow-up tasks go with it; booked viewings stay with the rep who will attend.
            moved = await session.execute(
                update(RepTask)
                .where(
                    RepTask.tenant_id == lead.tenant_id, RepTask.lead_id == lead.id, RepTask.done_at.is_(None)
                )
                .values(rep_id=rep.id)
            )
            await audit_change(
                session,
                self.clock,
                viewer,
                "lead.reassign",
                f"lead:{lead.id}",
                f"{before} → {rep.id}; open_tasks={getattr(moved, 'rowcount', 0)}",
            )
            await session.flush()
            await session.refresh(lead)
            return lead

    async def rescore(self, viewer: Viewer, lead_id: int) -> Lead:
        """Score the lead again with the scoring service (its factors replaced, alerts as usual)."""
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.rescore")
            await rescore(session, lead, self.clock.now())
            await audit_change(
                session, self.clock, viewer, "lead.rescore", f"lead:{lead.id}", str(lead.lead_score)
            )
            await session.flush()
            await session.refresh(lead)
            return lead

    async def send_listing(self, viewer: Viewer, lead_id: int, property_id: int) -> str:
        """The agency's lead bot sends the listing's card to the lead's chat; the sent message's id."""
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.send_listing")
            tenant = await session.get(Tenant, lead.tenant_id)
            listing = (
                await session.execute(
                    select(Property).where(
                        Property.id == property_id,
                        Property.tenant_id == lead.tenant_id,
                        Property.status != PropertyStatus.HIDDEN,
                    )
                )
            ).scalar_one_or_none()
            token = self.channels.lead_bot_token(tenant) if self.channels and tenant else None
            action = "lead.send_listing"
            if listing is None:
                raise await self._refused(viewer, action, lead_id, BadValue("no such listing"))
            if lead.opted_out:
                raise await self._refused(viewer, action, lead_id, ChannelMissing("the lead opted out"))
            if lead.telegram_chat_id is None:
                raise await self._refused(
                    viewer, action, lead_id, ChannelMissing("the lead has no Telegram chat")
                )
            if token is None or self.channels is None:
                raise await self._refused(
                    viewer, action, lead_id, ChannelMissing("the agency has no lead bot")
                )
            message = listing_card(listing, lead.language)
            try:
                sent = await self.channels.send(
                    Outbound(channel="telegram", text=message, bot_token=token, chat_id=lead.telegram_chat_id)
                )
            except DeliveryError as exc:
                raise ChannelMissing(f"Telegram did not take it: {type(exc).__name__}") from exc
            now = self.clock.now()
            session.add(
                LeadInteraction(
                    tenant_id=lead.tenant_id,
                    lead_id=lead.id,
                    type="listing_sent",
                    channel="telegram",
                    direction="outbound",
                    text=message,
                    meta={"property_id": listing.id, "by": self._by(viewer), "message_id": sent},
                    created_at=now,
                )
            )
            lead.last_outbound_at = now
            await audit_change(
                session, self.clock, viewer, "lead.send_listing", f"lead:{lead.id}", f"listing {listing.id}"
            )
            return sent

    async def send_whatsapp(self, viewer: Viewer, lead_id: int, message: str) -> str:
        """A WhatsApp text to the lead's phone through the configured adapter; the provider's message id."""
        cleaned = message.strip()[:4096]
        async with self.database.session() as session:
            lead = await self._lead(session, viewer, lead_id, "lead.whatsapp")
            action = "lead.whatsapp"
            if not cleaned:
                raise await self._refused(viewer, action, lead_id, BadValue("empty message"))
            if self.channels is None or self.channels.whatsapp is None:
                raise await self._refused(
                    viewer,
                    action,
                    lead_id,
                    ChannelMissing(
                        "WhatsApp is not configured: set WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID"
                    ),
                )
            if lead.opted_out:
                raise await self._refused(viewer, action, lead_id, ChannelMissing("the lead opted out"))
            if not lead.phone:
                raise await self._refused(
                    viewer, action, lead_id, ChannelMissing("the lead has no phone number")
                )
            try:
                sent = await self.channels.send(Outbound(channel="whatsapp", text=cleaned, phone=lead.phone))
            except DeliveryError as exc:
                raise ChannelMissing(f"WhatsApp did not take it: {type(exc).__name__}") from exc
            now = self.clock.now()
            session.add(
                LeadInteraction(
                    tenant_id=lead.tenant_id,
                    lead_id=lead.id,
                    type="message",
                    channel="whatsapp",
                    direction="outbound",
                    text=cleaned,
                    meta={"by": self._by(viewer), "message_id": sent},
                    created_at=now,
                )
            )
            lead.last_outbound_at = now
            await audit_change(session, self.clock, viewer, "lead.whatsapp", f"lead:{lead.id}")
            return sent


def listing_card(listing: Property, language: str) -> str:
    """The listing as the lead reads it: its name in their words, where, and its price."""
    facts = {
        "title": listing.title,
        "property_type": listing.property_type,
        "location": listing.location,
        "bedrooms": listing.bedrooms,
    }
    price = _amount(listing.price, language)
    return text(
        language,
        "web_leads",
        "listing_card",
        name=listing_name(facts, language),
        place=listing.location,
        price=f"{price} {listing.currency}" if price else "—",
    )


def _amount(value: Decimal | None, language: str) -> str:
    if value is None:
        return ""
    return format_decimal(
        value, format="#,##0.##", locale=language if language in ("en", "ru", "fa", "ar") else "en"
    )
