"""One error handler for every bot: log the failure with its update, tell the user something useful."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from agent.core.nlu.language import language_of

log = logging.getLogger(__name__)

SORRY: dict[str, str] = {
    "ru": "Извините, что-то пошло не так. Попробуйте ещё раз чуть позже — я уже сообщил об ошибке.",
    "en": "Sorry, something went wrong. Please try again a bit later — the error has been reported.",
    "fa": "متأسفیم، مشکلی پیش آمد. لطفاً کمی بعد دوباره امتحان کنید — خطا گزارش شد.",
    "ar": "عذرًا، حدث خطأ ما. يرجى المحاولة مرة أخرى بعد قليل — تم الإبلاغ عن الخطأ.",
}


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
        await context.bot.send_message(update.effective_chat.id, SORRY[language])
    except TelegramError as exc:
        log.warning("could not apologise to chat %s: %s", update.effective_chat.id, exc)
