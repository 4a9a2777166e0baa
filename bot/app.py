"""Every bot of the deployment in one process: the team bot, each tenant's lead bot, the alert dispatcher.

Polling (the default) or webhooks: one tornado server for all bots, a path per bot that does not reveal its
token, Telegram's `X-Telegram-Bot-Api-Secret-Token` checked on every request. Several processes may serve
the same webhook URL: a repeated update id is dropped (processed_updates), conversations are locked per
user in PostgreSQL, and alerts are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from agent.adapters.crypto import TokenEncryptionKeyMissing, TokenUnreadable
from agent.adapters.telegram.outbound import TEAM_BOT_KEY, lead_bot_key
from agent.adapters.telegram.sender import BotSender
from agent.services.provider import Services
from agent.services.team import TeamService
from bot.alerts import AlertDispatcher
from bot.approvals import ApprovalCards
from bot.dedupe import UpdateNotRecorded, UpdateQueue
from bot.lead import build_lead_application
from bot.privacy import ErasureCards
from bot.team import TeamBot, build_team_application
from storage.repositories.telegram import TelegramRepository
from storage.repositories.tenants import TenantRepository

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
HOUSEKEEPING_EVERY = timedelta(hours=1)
UPDATE_MEMORY = timedelta(days=2)
"""Telegram gives up redelivering an update after 24 hours; ids older than this are forgotten."""


class NoBotTokens(RuntimeError):
    """Nothing to run: neither the team bot nor any lead bot has a token."""

    def __init__(self) -> None:
        super().__init__(
            "no bot token is configured. Set REGISTRY_BOT_TOKEN (the team bot; with ADMIN_TELEGRAM_IDS and "
            "CORPORATE_EMAIL_DOMAIN) in the environment or .env, and/or give an agency its lead bot with "
            "`realty bot set-token SLUG TOKEN` (tokens come from @BotFather)."
        )


@dataclass
class Bots:
    """The Applications this process runs, each with its key (team | lead:<tenant slug>)."""

    team: AnyApplication | None = None
    team_bot: TeamBot | None = None
    leads: dict[str, AnyApplication] = field(default_factory=dict)

    def applications(self) -> list[tuple[str, AnyApplication]]:
        found = [(TEAM_BOT_KEY, self.team)] if self.team is not None else []
        return found + [(lead_bot_key(slug), app) for slug, app in self.leads.items()]


async def build_bots(services: Services) -> Bots:
    """The team bot (REGISTRY_BOT_TOKEN) and a lead bot per tenant with a token; raises NoBotTokens."""
    bots = Bots()
    token = services.settings.registry_bot_token
    if token is not None and token.get_secret_value():
        bots.team_bot = TeamBot.create(services)
        bots.team = build_team_application(services, token.get_secret_value(), bots.team_bot)
    async with services.database.session() as session:
        tenants = await TenantRepository(session).with_lead_bots()
    for tenant in tenants:
        try:
            bots.leads[tenant.slug] = build_lead_application(services, tenant)
        except (TokenEncryptionKeyMissing, TokenUnreadable) as exc:  # the others still run
            log.error("the lead bot of agency %s is not started: %s", tenant.slug, exc)
    if not bots.applications():
        raise NoBotTokens()
    if bots.team is None:
        log.warning("REGISTRY_BOT_TOKEN is not set: no team bot, so hot-lead alerts wait undelivered")
    return bots


def webhook_path(bot_key: str, token: str) -> str:
    """The bot's path on the webhook server; derived from the token, so it cannot be guessed, and not the token."""
    digest = hashlib.sha256(f"{bot_key}:{token}".encode()).hexdigest()[:24]
    return f"/telegram/{digest}"


def webhook_secret(configured: str | None, token: str) -> str:
    """WEBHOOK_SECRET when set, else a per-bot secret derived from the token (the same in every process)."""
    if configured:
        return configured
    digest = hmac.new(b"realty-agent/webhook-secret/v1", token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class _UpdateHandler(tornado.web.RequestHandler):
    """Telegram POSTs one update: check the secret, record it as seen, queue it for the bot's Application and
    answer at once. 400 for a body that is not an update object; 503 when the update cannot be recorded (the
    database is down), so that Telegram delivers it again later."""

    def initialize(self, bot_application: AnyApplication, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        received = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(received, self.secret):
            log.warning("webhook request with a wrong secret token from %s", self.request.remote_ip)
            self.set_status(403)
            return
        update = self._update()
        if update is None:
            self.set_status(400)
            return
        queue = self.bot_application.update_queue
        try:
            if isinstance(queue, UpdateQueue):
                await queue.admit(update)
            else:
                await queue.put(update)
        except UpdateNotRecorded as exc:
            log.warning("%s; answered 503 so that Telegram redelivers it", exc)
            self.set_status(503)
            return
        self.set_status(200)

    def _update(self) -> Update | None:
        """The body as an Update, or None when it is not a JSON object Telegram could have sent."""
        try:
            data = json.loads(self.request.body)
        except (ValueError, RecursionError):  # invalid JSON or UTF-8; nesting too deep
            return None
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:  # not a bool either
            return None
        try:
            return Update.de_json(data, self.bot_application.bot)
        except Exception:  # any malformed field: PTB raises TypeError, KeyError, AttributeError...
            log.debug("webhook body is not an update", exc_info=True)
            return None

    def check_xsrf_cookie(self) -> None:  # Telegram sends no cookies
        return None


class _HealthHandler(tornado.web.RequestHandler):
    def get(self) -> None:
        self.finish({"ok": True})


Route = tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]


def webhook_routes(bots: Bots, configured_secret: str | None) -> list[Route]:
    routes: list[Route] = [("/healthz", _HealthHandler, {})]
    for key, application in bots.applications():
        token = application.bot.token
        routes.append(
            (
                webhook_path(key, token),
                _UpdateHandler,
                {"bot_application": application, "secret": webhook_secret(configured_secret, token)},
            )
        )
    return routes


async def _housekeeping(services: Services, stopping: asyncio.Event) -> None:
    """Forget old update ids and expired buttons, hourly."""
    while not stopping.is_set():
        try:
            now = services.clock.now()
            async with services.database.session() as session:
                store = TelegramRepository(session)
                updates = await store.forget_updates(now - UPDATE_MEMORY)
                buttons = await store.forget_callbacks(now)
            log.debug("housekeeping: forgot %d update ids and %d buttons", updates, buttons)
        except Exception:
            log.exception("bot housekeeping failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=HOUSEKEEPING_EVERY.total_seconds())


async def run_bots(
    services: Services,
    stopping: asyncio.Event,
    *,
    webhook_url: str | None = None,
    listen: str = "0.0.0.0",
    port: int = 8080,
    with_jobs: bool = True,
    extra_routes: Sequence[Route] = (),
    bots: Bots | None = None,
    poll_timeout: int = 10,
) -> Bots:
    """Run every bot until `stopping` is set: polling, or webhooks at `webhook_url` on one server."""
    bots = bots or await build_bots(services)
    settings = services.settings
    configured_secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    async with contextlib.AsyncExitStack() as stack:
        for _, application in bots.applications():
            await stack.enter_async_context(application)
        server: tornado.httpserver.HTTPServer | None = None
        if webhook_url:
            base = webhook_url.rstrip("/")
            server = tornado.httpserver.HTTPServer(
                tornado.web.Application([*webhook_routes(bots, configured_secret), *extra_routes])
            )
            server.listen(port, listen)
            for key, application in bots.applications():
                token = application.bot.token
                await application.bot.set_webhook(
                    f"{base}{webhook_path(key, token)}",
                    secret_token=webhook_secret(configured_secret, token),
                    allowed_updates=Update.ALL_TYPES,
                )
            log.info(
                "webhooks for %d bots at %s (listening on %s:%d)",
                len(bots.applications()),
                base,
                listen,
                port,
            )
        else:
            for _, application in bots.applications():
                await application.bot.delete_webhook()
                assert application.updater is not None
                await application.updater.start_polling(
                    timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
                )
        for _, application in bots.applications():
            await application.start()

        tasks = [asyncio.create_task(_housekeeping(services, stopping), name="bot-housekeeping")]
        if bots.team is not None:
            sender = BotSender.for_bot(bots.team.bot, TEAM_BOT_KEY, services.database, services.clock)
            team = (
                bots.team_bot.team
                if bots.team_bot
                else TeamService(services.database, settings, services.clock)
            )
            dispatcher = AlertDispatcher(services.database, sender, team, services.clock)
            tasks.append(asyncio.create_task(dispatcher.run(stopping), name="alert-dispatcher"))
            approvals: ApprovalCards = bots.team.bot_data["approvals"]
            tasks.append(asyncio.create_task(approvals.run(stopping), name="approval-cards"))
            erasures: ErasureCards = bots.team.bot_data["erasures"]
            tasks.append(asyncio.create_task(erasures.run(stopping), name="erasure-cards"))
        jobs = None
        if with_jobs:
            from agent.services.jobs.app import start_background_jobs

            jobs = start_background_jobs(services)
        try:
            await stopping.wait()
        finally:
            if jobs is not None:
                await jobs.stop()
            stopping.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            for _, application in reversed(bots.applications()):
                if application.updater is not None and application.updater.running:
                    await application.updater.stop()
                if application.running:
                    await application.stop()
            if server is not None:
                server.stop()
                await server.close_all_connections()
    return bots
