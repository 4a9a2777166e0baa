"""Erasure requests on the team bot: the agency's admins get the lead's request with Erase / Decline buttons.

`ErasureCards.deliver_due` cards every pending request once (agent.services.privacy.requests); a press is
served by `ErasureCards.on_press` (plugged into the team bot with `TeamBot.on_action(ERASURE_ACTION, ...)`),
which leaves the decision, its authority and its audit to `agent.services.privacy.decide`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from telegram.error import BadRequest, Forbidden, TelegramError

from agent.adapters.telegram.sender import BotSender
from agent.services.privacy import ERASURE_ACTION, Outcome, cards_due, decide, mark_carded
from agent.services.provider import Services
from agent.services.questions.cards import TeamDirectory
from bot.buttons import ActionRouter, ButtonPress

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0


@dataclass
class ErasureCards:
    """Delivers erasure requests to admins through the team bot and serves their buttons."""

    services: Services
    team: TeamDirectory
    sender: BotSender
    poll_seconds: float = POLL_SECONDS
    _said_unreachable: set[int] = field(default_factory=set)

    def plug_into(self, team_bot: ActionRouter) -> None:
        team_bot.on_action(ERASURE_ACTION, self.on_press)

    async def deliver_due(self) -> int:
        """Card every pending request not carded yet to its agency's admins (or its alert chat); how many cards
        went out. A request nobody can receive waits, with one error line saying what to set."""
        delivered = 0
        async with self.services.database.session() as session:
            carded: set[int] = set()
            unreachable: set[int] = set()
            for card in await cards_due(session, self.team, unreachable=unreachable):
                try:
                    await self.sender.send(card.chat_id, card.text, card.buttons)
                except (Forbidden, BadRequest) as exc:  # an admin who never started the bot: the others hear
                    log.warning(
                        "erasure request %s: chat %s refused the card: %s", card.request_id, card.chat_id, exc
                    )
                    continue
                except TelegramError as exc:
                    log.warning("erasure request %s: card not sent, retrying later: %s", card.request_id, exc)
                    continue
                carded.add(card.request_id)
                delivered += 1
            await mark_carded(session, carded, self.services.clock.now())
        for request_id in (
            unreachable - self._said_unreachable
        ):  # once per request and process, not every poll
            log.error(
                "erasure request %s: no admin and no alert chat can receive it; set ADMIN_TELEGRAM_IDS or the "
                "agency's alert chat (realty tenants set SLUG --alert-chat ID)",
                request_id,
            )
        self._said_unreachable |= unreachable
        return delivered

    async def on_press(self, press: ButtonPress) -> None:
        """Erase or decline: only an admin of the request's agency; every attempt audited."""
        decision = await decide(
            self.services,
            self.team,
            telegram_id=press.actor.telegram_id,
            language=press.actor.language,
            tenant_id=int(press.action.get("tenant_id") or 0),
            request_id=int(press.action.get("request_id") or 0),
            erase=press.action.get("decision") == "erase",
        )
        if decision.outcome in (Outcome.ERASED, Outcome.DECLINED, Outcome.GONE):
            await press.close_card()
        await press.sender.send(press.chat_id, decision.reply)

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver cards every `poll_seconds` until `stopping` is set."""
        while not stopping.is_set():
            try:
                await self.deliver_due()
            except Exception:  # a database hiccup must not end the cards: try again next round
                log.exception("delivering erasure cards failed; retrying in %.0f s", self.poll_seconds)
            try:
                await asyncio.wait_for(stopping.wait(), timeout=self.poll_seconds)
            except TimeoutError:
                pass
