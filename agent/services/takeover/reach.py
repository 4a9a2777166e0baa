"""Whether the team bot can write to a person: a takeover from the web app or the API needs it (their leads'
messages are forwarded there), and only Telegram knows."""

from __future__ import annotations

import logging

from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden, TelegramError

from agent.services.provider import Services
from agent.services.questions.cards import team_token

log = logging.getLogger(__name__)


async def reachable_in_team_bot(services: Services, telegram_id: int) -> bool:
    """False when the person never started the team bot or blocked it (or there is no team bot)."""
    token = team_token(services)
    if token is None:
        return False
    try:
        await services.telegram.bot(token).send_chat_action(chat_id=telegram_id, action=ChatAction.TYPING)
    except (Forbidden, BadRequest):
        return False
    except (
        TelegramError
    ) as exc:  # a hiccup says nothing about the chat: a refused forward hands the lead back
        log.warning("checking the team-bot chat of %s failed: %s", telegram_id, exc)
    return True
