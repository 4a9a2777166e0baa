"""Taking a lead over in the team bot: the buttons, "I'll take Tom" / "hand back", and the person's replies.

Plugged into `bot.team.TeamBot`: buttons with `do` = TAKE_OVER_DO / HAND_BACK_DO (the CRM card, the hot alert,
each forwarded message), and two calls from `TeamBot.on_message`: `on_reply` (a reply to a forwarded message
answers that lead) and `on_text` (a take-over request, confirmed with a button, or a hand-back request; else, while the person talks to exactly
one lead, a plain message is for that lead). The decisions are agent.services.takeover's; what the person
writes joins the lead's checkpoint as an AIMessage, so the AI knows it after a hand-back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage
from telegram import Bot
from telegram.error import TelegramError

from agent.adapters.checkpointer import conversation_store
from agent.adapters.telegram.sender import BotSender
from agent.core.nlu.takeover import takeover_words
from agent.services.provider import Services
from agent.services.takeover import (
    HAND_BACK_DO,
    TAKE_OVER_DO,
    Decision,
    ForwardDesk,
    Held,
    Named,
    Outcome,
    Takeovers,
    clients_named,
    forwarded_lead,
    hand_back_button,
    names_someone,
    say_to_lead,
    take_over_button,
)
from agent.services.team import Actor, TeamService
from bot.buttons import ActionRouter, ButtonPress
from graphs.sales.conversation import sales_graph, thread_id
from graphs.sales.takeover import append_message
from prompts.catalogue import text

log = logging.getLogger(__name__)


@dataclass
class TakeoverDesk:
    """The team bot's side of a takeover."""

    services: Services
    team: TeamService
    sender: BotSender

    @property
    def takeovers(self) -> Takeovers:
        return Takeovers(self.services.database, self.team, self.services.clock)

    def forwards(self) -> ForwardDesk:
        """The loop that sends the leads' messages to the people talking to them (run by bot.app)."""
        return ForwardDesk(self.services.database, self.sender, self.services.clock)

    def plug_into(self, team_bot: ActionRouter) -> None:
        team_bot.on_action(TAKE_OVER_DO, self.on_take_press)
        team_bot.on_action(HAND_BACK_DO, self.on_hand_back_press)

    # -- buttons -----------------------------------------------------------------------------------

    async def on_take_press(self, press: ButtonPress) -> None:
        """ "Take over" on a client card, a hot alert or a "which one?" list."""
        decision = await self.takeovers.take_over(press.actor, _lead_id(press.action))
        await self._tell(press.chat_id, press.actor, decision)

    async def on_hand_back_press(self, press: ButtonPress) -> None:
        """ "Hand back" under a forwarded message or the take-over confirmation."""
        decision = await self.takeovers.hand_back(press.actor, _lead_id(press.action))
        await self._tell(press.chat_id, press.actor, decision)

    # -- text --------------------------------------------------------------------------------------

    async def on_reply(self, bot: Bot, actor: Actor, replied_to: int, said: str) -> bool:
        """A reply to a forwarded message: sent to that lead. False: not a forward of ours."""
        lead_id = await forwarded_lead(self.services.database, actor.telegram_id, replied_to)
        if lead_id is None:
            return False
        await self._relay(actor, lead_id, said)
        return True

    async def on_text(self, bot: Bot, actor: Actor, said: str, *, command: bool) -> bool:
        """A take-over or hand-back request, or a message for the one lead the person talks to. False: neither."""
        chat_id = actor.chat_id or actor.telegram_id
        held = await self.takeovers.held_by(actor.telegram_id)
        words = takeover_words(said)
        if words is not None and words.verb == "hand_back":
            return await self._hand_back(actor, chat_id, words.name, held)
        if words is not None and not names_someone(words.name):
            words = None  # "I'll take it", "Беру выходной завтра": no client is named
        if words is not None:
            named = await self._clients_named(actor, words.name)
            if named:  # even one match is confirmed with a tap: a misread name must not take a lead over
                rows = [[_labelled(take_over_button(actor.language, n.lead_id), n.name)] for n in named]
                key, name = ("confirm_take", named[0].name) if len(named) == 1 else ("which_one", words.name)
                prompt = text(actor.language, "takeover", key, lead=name, name=name)
                await self.sender.send(chat_id, prompt, rows)
                return True
            if not held:
                await self.sender.send(chat_id, text(actor.language, "takeover", "no_match", name=words.name))
                return True
        if command or not held:
            return False
        if len(held) > 1:
            await self.sender.send(chat_id, text(actor.language, "takeover", "several_threads"))
            return True
        await self._relay(actor, held[0].lead_id, said)
        return True

    async def _hand_back(self, actor: Actor, chat_id: int, name: str, held: list[Held]) -> bool:
        """ "hand back" (the lead they talk to), "hand Tom back" (that one); several: which one?"""
        chosen = {h.lead_id: h.name for h in held}
        if name:
            named = await self._clients_named(actor, name)
            mine = {n.lead_id: n.name for n in named if n.lead_id in chosen}
            chosen = mine or {n.lead_id: n.name for n in named}  # an admin may hand back someone else's
        if not chosen:
            await self.sender.send(chat_id, text(actor.language, "takeover", "nothing_to_hand_back"))
            return True
        if len(chosen) == 1:
            await self._tell(chat_id, actor, await self.takeovers.hand_back(actor, next(iter(chosen))))
            return True
        rows = [
            [_labelled(hand_back_button(actor.language, lead_id)[0], label)]
            for lead_id, label in chosen.items()
        ]
        await self.sender.send(chat_id, text(actor.language, "takeover", "which_one", name=name or "…"), rows)
        return True

    async def _clients_named(self, actor: Actor, name: str) -> list[Named]:
        async with self.services.database.session() as session:
            return await clients_named(
                session,
                actor.telegram_id,
                name,
                global_admin=actor.telegram_id in self.services.settings.admin_telegram_ids,
            )

    # -- the person's words, and who is told what ------------------------------------------------

    async def _relay(self, actor: Actor, lead_id: int, said: str) -> None:
        relayed = await say_to_lead(self.services, actor, lead_id, said)
        if relayed.said is not None:
            try:
                await self.remember_said(relayed.tenant_id, relayed.lead_id, relayed.said)
            except Exception:
                # The lead has it and the timeline keeps it; only the AI's memory of it is missing.
                log.exception("lead %s: the person's message could not join the checkpoint", lead_id)
        await self.sender.send(actor.chat_id or actor.telegram_id, relayed.reply)

    async def remember_said(self, tenant_id: int, lead_id: int, said: str) -> None:
        """What the person told the lead joins the lead's checkpoint (in the lead's turn lock)."""
        store = await conversation_store(self.services)
        thread = thread_id(tenant_id, lead_id)
        async with store.turn_lock(thread):
            compiled = await sales_graph(store)
            await append_message(
                compiled, thread, AIMessage(content=said, additional_kwargs={"by_person": True})
            )

    async def _tell(self, chat_id: int, actor: Actor, decision: Decision) -> None:
        buttons = (
            [hand_back_button(actor.language, decision.lead_id)]
            if decision.done and decision.outcome is not Outcome.HANDED_BACK
            else []
        )
        await self.sender.send(chat_id, decision.reply, buttons)
        for notice in decision.notices:
            try:
                await self.sender.send(notice.chat_id, notice.text)
            except TelegramError as exc:  # someone who never started the bot: the one who acted still hears
                log.warning("takeover notice to chat %s not sent: %s", notice.chat_id, exc)


def _labelled(spec: dict[str, Any], label: str) -> dict[str, Any]:
    """A choice button named after its client."""
    return {**spec, "label": label[:40]}


def _lead_id(action: dict[str, Any]) -> int:
    try:
        return int(action.get("lead") or 0)
    except (TypeError, ValueError):
        return 0
