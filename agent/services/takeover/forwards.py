"""A lead's messages while a person talks to them: kept with the message, sent once to that person.

`forward_later` adds the forward in the lead turn's own transaction (the lead's row locked). `ForwardDesk`
runs in the team bot's processes: it takes unsent forwards with `FOR UPDATE SKIP LOCKED`, sends each and
sets `sent_at` in the same transaction, so two processes never send the same one and a forward written
before a restart is sent after it. (A process that dies between Telegram's answer and its commit sends that
one again from another process: repeated after a crash, never lost.)
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import BadRequest, Forbidden, TelegramError

from agent.adapters.telegram.sender import BotSender
from agent.core.clock import Clock
from agent.services.calendars.service import lead_name
from agent.services.takeover.control import Notice, hand_back_unreachable, person_language
from prompts.catalogue import text
from storage.db import Database
from storage.models import Lead, TakeoverForward

log = logging.getLogger(__name__)

HAND_BACK_DO = "takeover_hand_back"
"""The team-bot button action that hands a lead back (bot.takeover serves it)."""
TAKE_OVER_DO = "takeover_take"
"""The team-bot button action that takes a lead over."""
FORWARD_CHARS = 3500
POLL_SECONDS = 1.0
BATCH = 20


async def forward_later(session: AsyncSession, lead: Lead, *, kind: str, said: str, now: datetime) -> None:
    """The lead's message, to go to whoever is talking to them once this transaction commits."""
    if lead.taken_over_by is None:
        return
    session.add(
        TakeoverForward(
            tenant_id=lead.tenant_id,
            lead_id=lead.id,
            to_telegram_id=lead.taken_over_by,
            kind=kind,
            text=said[:FORWARD_CHARS],
            created_at=now,
        )
    )


def forward_text(language: str, lead: Lead, kind: str, said: str) -> str:
    """ "💬 Tom: is it still free?" and how to answer, in the reader's language."""
    name = lead_name(lead)
    key = {"voice": "forward_voice", "contact": "forward_contact", "button": "forward_button"}.get(
        kind, "forward_text"
    )
    if kind == "start":
        key = "forward_start"
    elif kind == "voice" and not said.strip():
        key = "forward_voice_empty"
    body = text(language, "takeover", key, lead=name, text=said)
    return f"{body}\n\n{text(language, 'takeover', 'forward_hint', lead=name)}"


def hand_back_button(language: str, lead_id: int) -> list[dict[str, Any]]:
    return [
        {
            "label": text(language, "takeover", "btn_hand_back"),
            "action": {"do": HAND_BACK_DO, "lead": lead_id},
        }
    ]


def take_over_button(language: str, lead_id: int) -> dict[str, Any]:
    return {
        "label": text(language, "takeover", "btn_take_over"),
        "action": {"do": TAKE_OVER_DO, "lead": lead_id},
    }


async def forwarded_lead(database: Database, telegram_id: int, message_id: int) -> int | None:
    """The lead whose message this team-bot message forwarded to this person (a reply to it answers them)."""
    async with database.session() as session:
        return (
            await session.execute(
                select(TakeoverForward.lead_id)
                .where(
                    TakeoverForward.to_telegram_id == telegram_id, TakeoverForward.message_id == message_id
                )
                .limit(1)
            )
        ).scalar_one_or_none()


@dataclass
class ForwardDesk:
    """Sends unsent forwards through the team bot; one per process, any number of processes."""

    database: Database
    sender: BotSender
    clock: Clock
    poll_seconds: float = POLL_SECONDS

    async def deliver_due(self, stopping: asyncio.Event | None = None) -> int:
        """Send every unsent forward now; how many were taken. A transient failure (flood control, a timeout)
        ends the round: the rest wait for the next one, so an outage never makes this spin."""
        total = 0
        while stopping is None or not stopping.is_set():
            count, stalled = await self._deliver_batch()
            total += count
            if stalled or count < BATCH:
                break
        return total

    async def _deliver_batch(self) -> tuple[int, bool]:
        """(how many forwards were taken, whether a transient failure stopped the batch)."""
        notices: list[Notice] = []
        stalled = False
        async with self.database.session() as session:
            rows = list(
                (
                    await session.execute(
                        select(TakeoverForward)
                        .where(TakeoverForward.sent_at.is_(None))
                        .order_by(TakeoverForward.created_at, TakeoverForward.id)
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                ).scalars()
            )
            for row in rows:
                if not await self._deliver(session, row, notices):
                    stalled = True
                    break
        for notice in notices:  # after the commit: the hand-back stands whoever hears of it
            try:
                await self.sender.send(notice.chat_id, notice.text)
            except TelegramError as exc:
                log.warning("takeover notice to chat %s not sent: %s", notice.chat_id, exc)
        return len(rows), stalled

    async def _deliver(self, session: AsyncSession, row: TakeoverForward, notices: list[Notice]) -> bool:
        """Send one forward; False on a transient failure (it stays unsent for the next round)."""
        lead = await session.get(Lead, row.lead_id)
        now = self.clock.now()
        if lead is None:
            row.sent_at = now
            return True
        language = await person_language(session, row.to_telegram_id, row.tenant_id, now)
        buttons = [hand_back_button(language, lead.id)] if lead.taken_over_by == row.to_telegram_id else []
        try:
            sent = await self.sender.send(
                row.to_telegram_id, forward_text(language, lead, row.kind, row.text), buttons
            )
        except (Forbidden, BadRequest) as exc:  # the person never started the bot, or blocked it
            log.warning("forward %s of lead %s: refused: %s", row.id, row.lead_id, exc)
            row.sent_at = now
            if lead.taken_over_by == row.to_telegram_id:  # nobody would hear the lead: the AI answers again
                notices.extend(await hand_back_unreachable(session, lead, now))
            return True
        except TelegramError as exc:  # flood control, a timeout: the next round tries again
            log.warning("forward %s of lead %s: not sent yet: %s", row.id, row.lead_id, exc)
            return False
        row.sent_at = now
        row.message_id = sent[-1].message_id if sent else None
        return True

    async def run(self, stopping: asyncio.Event) -> None:
        """Send forwards every `poll_seconds` until `stopping` is set."""
        while not stopping.is_set():
            try:
                await self.deliver_due(stopping)
            except Exception:  # a database hiccup must not end the forwards: try again next round
                log.exception("sending takeover forwards failed; retrying in %.0f s", self.poll_seconds)
            try:
                await asyncio.wait_for(stopping.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass
