"""One error handler for every bot: log the failure with its update, tell the user something useful."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from agent.core.nlu.language import language_of
from prompts import reply

log = logging.getLogger(__name__)

log = logging.getLogger(__name__)


def language_from_code(language_code: str | None, default: str = "en") -> str:
    """One of ru/en/fa/ar from Telegram's language_code; Ukrainian, Belarusian and Kazakh users read Russian."""
    return language_of(language_code, default, russian_for=("uk", "be", "kk"))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failed update and apologise to its chat; never raise (the bot keeps serving others)."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        log.warning("update %s: the bot may not write to this chat (%s)", update_id, error)
        return
    log.error("update %s failed: %s", update_id, error, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None or isinstance(error, RetryAfter):
        return
    user = update.effective_user
    language = language_from_code(user.language_code if user else None)
    try:
        await context.bot.send_message(update.effective_chat.id, reply(language, "sorry"))
    except TelegramError as exc:
        log.warning("could not apologise to chat %s: %s", update.effective_chat.id, exc)
