"""Buttons served outside the team conversation: the press a handler gets, and where handlers plug in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import Bot
from telegram.error import TelegramError

from agent.adapters.telegram.sender import BotSender
from agent.services.team import Actor


@dataclass(frozen=True)
class ButtonPress:
    """A pressed button whose action a plugged-in handler serves."""

    bot: Bot
    sender: BotSender
    actor: Actor
    chat_id: int
    message_id: int | None
    action: dict[str, Any]

    async def close_card(self) -> None:
        """The decision is made: the pressed card's buttons go."""
        if self.message_id is None:
            return
        try:
            await self.bot.edit_message_reply_markup(self.chat_id, self.message_id, reply_markup=None)
        except TelegramError:
            pass  # too old to edit, or already edited


ActionHandler = Callable[[ButtonPress], Awaitable[None]]


class ActionRouter(Protocol):
    """What a handler plugs into (bot.team.TeamBot): buttons whose action has `"do": do` go to `handler`."""

    def on_action(self, do: str, handler: ActionHandler) -> None: ...
