"""How one process writes to Telegram: one sending `Bot` per token, paced by that token's one rate limiter.

Everything that writes through a bot shares its token's limiter: the lead and team bot Applications
(`TelegramOutbound.for_application`), the follow-up dispatcher (agent.adapters.channels.TelegramTransport)
and the calendar notices (`TelegramOutbound.sender`). So Telegram's 30 messages a second hold per bot,
whoever sends. The limiter is PTB's `AIORateLimiter`, paced without a burst (agent.adapters.telegram.pacing).

Nothing is imported from python-telegram-bot until the first bot or limiter is asked for.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    from agent.adapters.telegram.sender import BotSender
    from agent.core.clock import Clock
    from agent.settings import Settings
    from storage.db import Database

log = logging.getLogger(__name__)

MESSAGES_PER_SECOND = 30
"""Telegram's broadcast limit per bot."""
APPLICATION_RETRIES = 3
"""How often a bot Application waits out a RetryAfter before giving up (the dispatcher decides for itself)."""

TEAM_BOT_KEY = "team"
"""The team bot's key: in processed updates, remembered cards and the bot's signed buttons."""


def lead_bot_key(slug: str) -> str:
    """A tenant's lead bot's key (see TEAM_BOT_KEY)."""
    return f"lead:{slug}"


class TelegramOutbound:
    """The process's bots for sending and their limiters, one of each per token; closed with the services."""

    def __init__(
        self,
        base_url: str = "https://api.telegram.org/bot",
        base_file_url: str = "https://api.telegram.org/file/bot",
        *,
        per_second: int = MESSAGES_PER_SECOND,
    ) -> None:
        self.base_url = base_url
        self.base_file_url = base_file_url
        self.per_second = per_second
        self._limiters: dict[str, AIORateLimiter] = {}
        self._bots: dict[str, ExtBot[Any]] = {}
        self._requests: list[HTTPXRequest] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramOutbound:
        return cls(settings.telegram_api_base_url, settings.telegram_file_base_url)

    def limiter(self, token: str) -> AIORateLimiter:
        """The token's one limiter; a RetryAfter is raised to the caller, not waited out."""
        limiter = self._limiters.get(token)
        if limiter is None:
            from agent.adapters.telegram.pacing import bot_limiter

            limiter = self._limiters[token] = bot_limiter(self.per_second)
        return limiter

    def for_application(self, token: str, *, retries: int = APPLICATION_RETRIES) -> BaseRateLimiter[int]:
        """The token's limiter as a bot Application uses it: a RetryAfter is waited out `retries` times."""
        from agent.adapters.telegram.pacing import RetryingLimiter

        return RetryingLimiter(self.limiter(token), retries)

    def bot(self, token: str) -> ExtBot[Any]:
        """The process's sending bot for this token, made once (its HTTP client costs ~0.1 s)."""
        bot = self._bots.get(token)
        if bot is None:
            from telegram.ext import ExtBot
            from telegram.request import HTTPXRequest

            sending = HTTPXRequest(connection_pool_size=8, read_timeout=20, write_timeout=20)
            polling = HTTPXRequest()  # never polls, but a Bot holds one
            self._requests += [sending, polling]
            bot = self._bots[token] = ExtBot(
                token,
                base_url=self.base_url,
                base_file_url=self.base_file_url,
                request=sending,
                get_updates_request=polling,
                rate_limiter=self.limiter(token),
            )
        return bot

    def sender(self, token: str, bot_key: str, database: Database, clock: Clock) -> BotSender:
        """A BotSender (buttons, cards, long texts) over this token's sending bot."""
        from agent.adapters.telegram.sender import BotSender

        return BotSender.for_bot(self.bot(token), bot_key, database, clock)

    async def close(self) -> None:
        """Close the bots' HTTP clients (a Bot that was never initialised does not close them itself)."""
        requests, self._requests, self._bots = self._requests, [], {}
        for request in requests:
            try:
                await request.shutdown()
            except Exception:  # closing must not hide the real outcome of a run
                log.debug("closing a bot's HTTP client failed", exc_info=True)
