"""Held follow-up drafts on the team bot: the lead's rep gets the draft with Approve / Reject buttons.

A sequence step that requires approval is planned HELD (`awaiting_approval`). `ApprovalCards.deliver_due`
sends each such draft, once, to the lead's assigned active rep; a press is served by `ApprovalCards.on_press`
(plugged into the team bot with `TeamBot.on_action(APPROVAL_ACTION, ...)`). Only that rep may decide:
anyone else is refused, and every attempt is audited. Approve makes the draft pending (the dispatcher sends
it through the ledger), reject cancels it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from telegram.error import BadRequest, Forbidden, TelegramError

from agent.adapters.telegram.sender import BotSender, ButtonSpec
from agent.core.clock import Clock
from agent.services.jobs.sequences import ApprovalError, approve_send, reject_send
from bot.buttons import ActionRouter, ButtonPress
from prompts import text
from storage.db import Database
from storage.models import FollowUpSend, Lead, RepStatus, SalesRepresentative, SendStatus
from storage.repositories.audit import AuditRepository
from storage.repositories.followups import HOLD_AWAITING_APPROVAL
from storage.repositories.reps import RepRepository
from storage.repositories.telegram import TelegramRepository

log = logging.getLogger(__name__)

APPROVAL_ACTION = "followup_approval"
POLL_SECONDS = 5.0
BATCH = 50
CARD_MARK_TTL = timedelta(days=30)


def say(language: str, key: str, **values: object) -> str:
    """A card's text in English for an English reader, in Russian for anyone else (as the alerts)."""
    return text("en" if language == "en" else "ru", "cards", f"approval_{key}", **values)


def _card_mark(send_id: int) -> str:
    return f"approval-card:{send_id}"


def _lead_name(lead: Lead, language: str) -> str:
    return lead.name or (f"@{lead.telegram_username}" if lead.telegram_username else say(language, "no_name"))


@dataclass
class ApprovalCards:
    """Delivers approval cards through the team bot and serves their buttons."""

    database: Database
    sender: BotSender
    clock: Clock
    poll_seconds: float = POLL_SECONDS

    def plug_into(self, team_bot: ActionRouter) -> None:
        team_bot.on_action(APPROVAL_ACTION, self.on_press)

    async def deliver_due(self, tenant_id: int | None = None) -> int:
        """Send every held draft whose card has not gone out yet to its lead's rep; how many were sent."""
        now = self.clock.now()
        async with self.database.session() as session:
            query = (
                select(FollowUpSend, Lead, SalesRepresentative)
                .join(Lead, Lead.id == FollowUpSend.lead_id)
                .join(SalesRepresentative, SalesRepresentative.id == Lead.assigned_rep_id)
                .where(
                    FollowUpSend.status == SendStatus.HELD,
                    FollowUpSend.hold_reason == HOLD_AWAITING_APPROVAL,
                    SalesRepresentative.status == RepStatus.ACTIVE,
                )
                .order_by(FollowUpSend.due_at, FollowUpSend.id)
                .limit(BATCH)
            )
            if tenant_id is not None:
                query = query.where(FollowUpSend.tenant_id == tenant_id)
            rows = list((await session.execute(query)).tuples())
        delivered = 0
        for send, lead, rep in rows:
            async with self.database.session() as session:
                marks = TelegramRepository(session)
                if await marks.get_callback(_card_mark(send.id), now) is not None:
                    continue
                language = rep.language
                text = say(language, "card", name=_lead_name(lead, language), text=send.text or "")
                action = {"do": APPROVAL_ACTION, "send_id": send.id}
                buttons: list[list[ButtonSpec]] = [
                    [
                        {"label": say(language, "approve"), "action": {**action, "decision": "approve"}},
                        {"label": say(language, "reject"), "action": {**action, "decision": "reject"}},
                    ]
                ]
                try:
                    await self.sender.send(rep.telegram_chat_id or rep.telegram_id, text, buttons)
                except (Forbidden, BadRequest) as exc:
                    log.warning("approval card %s: rep %s cannot be written to: %s", send.id, rep.id, exc)
                except TelegramError as exc:
                    log.warning("approval card %s: sending failed, retrying later: %s", send.id, exc)
                    continue
                await marks.put_callback(_card_mark(send.id), {"rep_id": str(rep.id)}, now, CARD_MARK_TTL)
                delivered += 1
        return delivered

    async def on_press(self, press: ButtonPress) -> None:
        """Approve or reject a draft: only the lead's assigned active rep; every attempt audited."""
        decision = "approve" if press.action.get("decision") == "approve" else "reject"
        send_id = int(press.action.get("send_id") or 0)
        now = self.clock.now()
        language = press.actor.language
        async with self.database.session() as session:
            send = await session.get(FollowUpSend, send_id)
            lead = await session.get(Lead, send.lead_id) if send is not None and send.lead_id else None
            if send is None or lead is None:
                reply = say(language, "gone")
            else:
                rep = await RepRepository(session).by_telegram_id(
                    press.actor.telegram_id, tenant_id=send.tenant_id
                )
                allowed = (
                    rep is not None and rep.status == RepStatus.ACTIVE and lead.assigned_rep_id == rep.id
                )
                await AuditRepository(session).record(
                    action=f"followup.{decision}",
                    now=now,
                    actor_telegram_id=press.actor.telegram_id,
                    tenant_id=send.tenant_id,
                    target=f"followup:{send.id}",
                    allowed=allowed,
                )
                name = _lead_name(lead, language)
                if not allowed or rep is None:
                    reply = say(language, "not_yours")
                else:
                    try:
                        if decision == "approve":
                            await approve_send(session, send.id, rep, now)
                        else:
                            await reject_send(session, send.id, rep)
                    except ApprovalError:
                        reply = say(language, "gone")
                    else:
                        reply = say(language, "approved" if decision == "approve" else "rejected", name=name)
                        await press.close_card()
        await press.sender.send(press.chat_id, reply)

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver cards every `poll_seconds` until `stopping` is set."""
        while not stopping.is_set():
            try:
                await self.deliver_due()
            except Exception:  # a database hiccup must not end approvals: try again next round
                log.exception("delivering approval cards failed; retrying in %.0f s", self.poll_seconds)
            try:
                await asyncio.wait_for(stopping.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass
