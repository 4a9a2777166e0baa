"""Sending through a bot: long texts split, buttons kept on the server behind signed keys.

`BotSender.send(chat_id, text, buttons)` is how the team bot, the lead bots, alerts and calendar notices
write (`send_document` for a file with a caption); the bot's requests are paced by its token's one
limiter (agent.adapters.telegram.outbound).
A button is `{"label": ..., "action": {...}}`; the action is stored in callback_states and the button
carries `<key>.<signature>` (29 bytes, under Telegram's 64). `BotSender.action_of(data)` gives the
action back, or raises CallbackTampered / returns None when it expired.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message

from agent.adapters.telegram.limits import CAPTION_LIMIT, CallbackSigner, split_text
from agent.core.clock import Clock
from storage.db import Database
from storage.repositories.telegram import TelegramRepository

BUTTON_TTL = timedelta(days=30)
CARD_TTL = timedelta(days=30)
_LABEL_LIMIT = 64

ButtonSpec = Mapping[str, Any]
"""{"label": str, "action": dict}: graphs.onboarding.state.Button, or any mapping of that shape."""


@dataclass
class BotSender:
    bot: Bot
    bot_key: str
    database: Database
    clock: Clock
    signer: CallbackSigner

    @classmethod
    def for_bot(cls, bot: Bot, bot_key: str, database: Database, clock: Clock) -> BotSender:
        return cls(bot, bot_key, database, clock, CallbackSigner.for_token(bot.token))

    async def keyboard(self, rows: Sequence[Sequence[ButtonSpec]]) -> InlineKeyboardMarkup | None:
        """Store each button's action under a fresh key and build the signed inline keyboard."""
        if not rows or not any(rows):
            return None
        now = self.clock.now()
        markup: list[list[InlineKeyboardButton]] = []
        async with self.database.session() as session:
            store = TelegramRepository(session)
            for row in rows:
                buttons = []
                for spec in row:
                    key = self.signer.new_key()
                    await store.put_callback(key, dict(spec["action"]), now, BUTTON_TTL)
                    label = str(spec["label"])[:_LABEL_LIMIT]
                    buttons.append(InlineKeyboardButton(label, callback_data=self.signer.sign(key)))
                if buttons:
                    markup.append(buttons)
        return InlineKeyboardMarkup(markup) if markup else None

    async def send(
        self,
        chat_id: int,
        text: str,
        buttons: Sequence[Sequence[ButtonSpec]] = (),
        **kwargs: Any,
    ) -> list[Message]:
        """Send `text` (split at 4096), with the keyboard on the last part."""
        parts = split_text(text)
        markup = await self.keyboard(buttons)
        sent = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent.append(
                await self.bot.send_message(chat_id, part, reply_markup=markup if last else None, **kwargs)
            )
        return sent

    async def send_document(
        self,
        chat_id: int,
        filename: str,
        data: bytes,
        caption: str,
        buttons: Sequence[Sequence[ButtonSpec]] = (),
    ) -> Message:
        """Send a file with `caption` (cut at Telegram's 1024) and the keyboard under it."""
        markup = await self.keyboard(buttons)
        return await self.bot.send_document(
            chat_id=chat_id,
            document=data,
            filename=filename,
            caption=caption[:CAPTION_LIMIT],
            reply_markup=markup,
        )

    async def action_of(self, data: str | None) -> dict[str, Any] | None:
        """The action behind a pressed button; raises CallbackTampered for data we did not sign."""
        key = self.signer.verify(data)
        async with self.database.session() as session:
            return await TelegramRepository(session).get_callback(key, self.clock.now())

    def _card_key(self, chat_id: int, message_id: int) -> str:
        digest = hashlib.sha256(f"{self.bot_key}:{chat_id}:{message_id}".encode()).digest()
        return "card:" + base64.urlsafe_b64encode(digest).decode()[:19]

    async def remember_card(self, chat_id: int, message_id: int, payload: dict[str, object]) -> None:
        """Remember what a sent message is about, so a reply to it can be understood."""
        async with self.database.session() as session:
            await TelegramRepository(session).put_callback(
                self._card_key(chat_id, message_id), payload, self.clock.now(), CARD_TTL
            )

    async def card_of(self, chat_id: int, message_id: int) -> dict[str, object] | None:
        async with self.database.session() as session:
            return await TelegramRepository(session).get_callback(
                self._card_key(chat_id, message_id), self.clock.now()
            )
