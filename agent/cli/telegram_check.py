"""Asking Telegram who a bot is before running it: retried with backoff, failures said in one line."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_delay, wait_exponential

from agent.core.redaction import redact

if TYPE_CHECKING:
    from agent.settings import Settings

log = logging.getLogger(__name__)


class TelegramUnreachable(RuntimeError):
    """The Bot API could not be reached (DNS, refused connection, timeout); the message says what to check."""


class TokenRejected(RuntimeError):
    """Telegram answered, and refused the token."""


def _is_network_failure(exc: BaseException) -> bool:
    from telegram.error import BadRequest, NetworkError

    # BadRequest is a NetworkError in python-telegram-bot, but it is Telegram answering: no retry.
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


async def bot_username(token: str, settings: Settings) -> str:
    """The bot's @username (getMe), asked once; TokenRejected or TelegramUnreachable."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    try:
        async with Bot(
            token, base_url=settings.telegram_api_base_url, base_file_url=settings.telegram_file_base_url
        ) as bot:
            return bot.username
    except InvalidToken:  # its message quotes the token: never repeated
        raise TokenRejected("Telegram answered Unauthorized") from None
    except TelegramError as exc:
        if _is_network_failure(exc):
            raise TelegramUnreachable(_network_reason(exc, settings)) from None
        raise TokenRejected(redact(str(exc))) from None


async def bot_username_retrying(token: str, settings: Settings, *, retry_for: float) -> str:
    """`bot_username`, retried with exponential backoff for up to `retry_for` seconds while Telegram is unreachable."""
    retrying = AsyncRetrying(
        retry=retry_if_exception(lambda exc: isinstance(exc, TelegramUnreachable)),
        stop=stop_after_delay(retry_for),
        wait=wait_exponential(multiplier=1, min=1, max=15),
        before_sleep=_say_retrying,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await bot_username(token, settings)
    raise AssertionError("tenacity either returns or re-raises")  # pragma: no cover


def _say_retrying(state: RetryCallState) -> None:
    failure = state.outcome.exception() if state.outcome is not None else None
    pause = state.next_action.sleep if state.next_action is not None else 0
    log.warning("%s; retrying in %.0f s", failure, pause)


def _network_reason(exc: BaseException, settings: Settings) -> str:
    cause = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    return f"could not reach the Telegram Bot API at {api_host(settings)} ({cause})"


def api_host(settings: Settings) -> str:
    """The Bot API's scheme and host, without any token (for messages)."""
    from urllib.parse import urlsplit

    parts = urlsplit(settings.telegram_api_base_url)
    return f"{parts.scheme}://{parts.netloc}"
