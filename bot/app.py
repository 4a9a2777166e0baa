"""Every bot of the deployment in one process: the team bot, each tenant's lead bot, the alert dispatcher.

Polling (the default) or webhooks: the web app (agent.web) serves them, a path per bot that does not reveal
its token, Telegram's `X-Telegram-Bot-Api-Secret-Token` checked on every request. Several processes may serve
the same webhook URL: a repeated update id is dropped (processed_updates), conversations are locked per
user in PostgreSQL, and alerts are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application

from agent.adapters.crypto import TokenEncryptionKeyMissing, TokenUnreadable
from agent.adapters.telegram.outbound import TEAM_BOT_KEY, lead_bot_key
from agent.adapters.telegram.sender import BotSender
from agent.services.provider import Services
from agent.services.team import TeamService
from agent.services.web_access import purge_old_sign_ins
from bot.alerts import AlertDispatcher
from bot.approvals import ApprovalCards
from bot.dedupe import UpdateQueue
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


async def _housekeeping(services: Services, stopping: asyncio.Event) -> None:
    """Forget old update ids, expired buttons and old sign-in rows (sessions, links, failures), hourly."""
    while not stopping.is_set():
        try:
            now = services.clock.now()
            async with services.database.session() as session:
                store = TelegramRepository(session)
                updates = await store.forget_updates(now - UPDATE_MEMORY)
                buttons = await store.forget_callbacks(now)
            sign_ins = await purge_old_sign_ins(services.database, services.clock)
            log.debug(
                "housekeeping: forgot %d update ids, %d buttons, %d sign-in rows", updates, buttons, sign_ins
            )
        except Exception:
            log.exception("bot housekeeping failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), timeout=HOUSEKEEPING_EVERY.total_seconds())


@dataclass(frozen=True)
class Webhook:
    """One bot's webhook: the path Telegram POSTs its updates to and the secret each request must carry."""

    key: str
    application: AnyApplication
    path: str
    secret: str


class BotsNotRunning(RuntimeError):
    """A webhook update arrived while this process's bots are starting or stopping (Telegram redelivers it)."""


class BotRuntime:
    """Starts and stops this process's bots: polling, or webhooks served by the web app (agent.web).

    Nothing another process needs is kept here: a webhook update is claimed in PostgreSQL before it is queued,
    so several processes can serve the same webhook URL.
    """

    def __init__(
        self,
        services: Services,
        bots: Bots,
        *,
        webhook_url: str | None = None,
        with_jobs: bool = True,
        poll_timeout: int = 10,
    ) -> None:
        self.services = services
        self.bots = bots
        self.webhook_url = webhook_url.rstrip("/") if webhook_url else None
        self.with_jobs = with_jobs
        self.poll_timeout = poll_timeout
        self.running = False
        self.webhooks: dict[str, Webhook] = {}
        if self.webhook_url:
            secret = services.settings.webhook_secret
            configured = secret.get_secret_value() if secret else None
            for key, application in bots.applications():
                token = application.bot.token
                path = webhook_path(key, token)
                self.webhooks[path] = Webhook(key, application, path, webhook_secret(configured, token))
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._initialized: list[AnyApplication] = []
        self._jobs: Any = None

    @property
    def mode(self) -> str:
        return "webhooks" if self.webhook_url else "polling"

    def status(self) -> dict[str, object]:
        """What /readyz says about the bots: their keys (team, lead:<agency>), never a token."""
        return {
            "running": self.running,
            "mode": self.mode,
            "bots": [key for key, _ in self.bots.applications()],
        }

    async def admit(self, webhook: Webhook, update: Update) -> bool:
        """Claim and queue a webhook update; False for a repeat. Raises BotsNotRunning, UpdateNotRecorded."""
        if not self.running:
            raise BotsNotRunning(f"update {update.update_id} arrived while the bots were not running")
        queue = webhook.application.update_queue
        if isinstance(queue, UpdateQueue):
            return await queue.admit(update)
        await queue.put(update)
        return True

    async def start(self) -> None:
        """Start every bot, the alert dispatcher, the cards, housekeeping and (optionally) the job worker."""
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        applications = [application for _, application in self.bots.applications()]
        for application in applications:
            await application.initialize()
            self._initialized.append(application)
        for application in applications:
            await application.start()
        self._start_tasks()
        if self.with_jobs:
            from agent.services.jobs.app import start_background_jobs

            self._jobs = start_background_jobs(self.services)
        self.running = True
        if self.webhook_url:
            for webhook in self.webhooks.values():
                await webhook.application.bot.set_webhook(
                    f"{self.webhook_url}{webhook.path}",
                    secret_token=webhook.secret,
                    allowed_updates=Update.ALL_TYPES,
                )
            log.info("webhooks for %d bots at %s", len(self.webhooks), self.webhook_url)
            return
        for application in applications:
            await application.bot.delete_webhook()
            assert application.updater is not None
            await application.updater.start_polling(
                timeout=self.poll_timeout, allowed_updates=Update.ALL_TYPES
            )

    def _start_tasks(self) -> None:
        services, bots = self.services, self.bots
        self._tasks.append(
            asyncio.create_task(_housekeeping(services, self._stopping), name="bot-housekeeping")
        )
        if bots.team is None:
            return
        sender = BotSender.for_bot(bots.team.bot, TEAM_BOT_KEY, services.database, services.clock)
        team = (
            bots.team_bot.team
            if bots.team_bot
            else TeamService(services.database, services.settings, services.clock)
        )
        dispatcher = AlertDispatcher(services.database, sender, team, services.clock)
        approvals: ApprovalCards = bots.team.bot_data["approvals"]
        erasures: ErasureCards = bots.team.bot_data["erasures"]
        self._tasks += [
            asyncio.create_task(dispatcher.run(self._stopping), name="alert-dispatcher"),
            asyncio.create_task(approvals.run(self._stopping), name="approval-cards"),
            asyncio.create_task(erasures.run(self._stopping), name="erasure-cards"),
        ]
        if bots.team_bot is not None and bots.team_bot.takeover is not None:
            forwards = bots.team_bot.takeover.forwards()
            self._tasks.append(asyncio.create_task(forwards.run(self._stopping), name="takeover-forwards"))

    def refuse_updates(self) -> None:
        """From now on a webhook update is answered 503 (Telegram redelivers it, maybe to another process)."""
        self.running = False

    async def stop(self) -> None:
        """Stop what started, in reverse; queued updates are handled before an Application stops."""
        self.running = False
        if self._jobs is not None:
            await self._jobs.stop()
            self._jobs = None
        self._stopping.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for application in reversed(self._initialized):
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
        self._initialized.clear()


async def run_bots(
    services: Services,
    stopping: asyncio.Event,
    *,
    with_jobs: bool = True,
    bots: Bots | None = None,
    poll_timeout: int = 10,
) -> Bots:
    """Run every bot, polling, until `stopping` is set (webhooks: agent.web.server.serve)."""
    bots = bots or await build_bots(services)
    runtime = BotRuntime(services, bots, with_jobs=with_jobs, poll_timeout=poll_timeout)
    await runtime.start()
    try:
        await stopping.wait()
    finally:
        await runtime.stop()
    return bots
