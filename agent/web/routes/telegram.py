"""Telegram's webhooks: `POST /telegram/<path>`, one path per bot of this process (python-telegram-bot's
custom-webhook pattern: the Application runs without its Updater and we put each update on its queue).

Answers: 404 for a path that is no bot's, 403 for a wrong secret token, 400 for a body that is not an update
(never 500), 503 when the update cannot be recorded as seen or the bots are not running (Telegram delivers it
again later), 200 once it is claimed in PostgreSQL and queued, or when it is a repeat.
"""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from telegram import Bot, Update

from bot.app import BotRuntime, BotsNotRunning
from bot.dedupe import UpdateNotRecorded

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@router.post("/telegram/{digest}")
async def telegram_update(digest: str, request: Request) -> Response:
    """One update from Telegram for the bot at this path."""
    runtime: BotRuntime | None = request.app.state.bots
    webhook = runtime.webhooks.get(f"/telegram/{digest}") if runtime is not None else None
    if runtime is None or webhook is None:
        return Response(status_code=404)
    received = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(received.encode(), webhook.secret.encode()):
        log.warning("webhook request with a wrong secret token from %s", _client(request))
        return Response(status_code=403)
    update = parse_update(await request.body(), webhook.application.bot)
    if update is None:
        return Response(status_code=400)
    try:
        await runtime.admit(webhook, update)
    except (UpdateNotRecorded, BotsNotRunning) as exc:
        log.warning("%s; answered 503 so that Telegram redelivers it", exc)
        return Response(status_code=503)
    return Response(status_code=200)


def parse_update(body: bytes, bot: Bot) -> Update | None:
    """The body as an Update, or None when it is not a JSON object Telegram could have sent."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # invalid JSON or UTF-8; nesting too deep
        return None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:  # not a bool either
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # any malformed field: PTB raises TypeError, KeyError, AttributeError...
        log.debug("webhook body is not an update", exc_info=True)
        return None


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "-"
