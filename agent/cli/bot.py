"""`realty bot`: run the team bot, every agency's lead bot and the hot-lead alerts; `realty bot set-token`."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer

from agent.cli.common import console, fail, run

app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode="rich",
)


@app.callback()
def bot(
    ctx: typer.Context,
    webhook_url: Annotated[
        str | None,
        typer.Option(
            help="Public https base URL Telegram should POST updates to (e.g. $PUBLIC_BASE_URL). "
            "Each bot gets its own path under it; requests must carry WEBHOOK_SECRET (derived per bot when unset). "
            "Without it the bots poll.",
        ),
    ] = None,
    listen: Annotated[str, typer.Option(help="Address the webhook server binds.")] = "0.0.0.0",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port the webhook server listens on.")] = 8080,
    jobs: Annotated[
        bool, typer.Option(help="Also run the follow-up job worker in this process (one-machine installs).")
    ] = True,
) -> None:
    """Run every bot: the team bot (REGISTRY_BOT_TOKEN) and each agency's lead bot, plus hot-lead alerts.

    Tokens: the team bot's is REGISTRY_BOT_TOKEN (admins in ADMIN_TELEGRAM_IDS, reps' e-mail domain in
    CORPORATE_EMAIL_DOMAIN); an agency's lead bot token is stored with `realty bot set-token SLUG TOKEN`.
    Set TELEGRAM_API_BASE_URL for a self-hosted Bot API server.

    Polling by default. With --webhook-url, one server on --listen/--port serves every bot, so several
    processes can share the load behind one URL.
    """
    if ctx.invoked_subcommand is not None:
        return

    async def main() -> None:
        from agent.services.agencies.startup import agencies_on_start
        from agent.services.provider import open_services
        from bot.app import NoBotTokens, build_bots, run_bots
        from bot.calendar import calendar_routes

        async with open_services() as services:
            for line in await agencies_on_start(services.database, services.settings):
                console.print(line, highlight=False)
            try:
                bots = await build_bots(services)
            except NoBotTokens as exc:
                raise fail(str(exc)) from None
            names = [key for key, _ in bots.applications()]
            mode = f"webhooks at {webhook_url}" if webhook_url else "polling"
            console.print(f"running {', '.join(names)} ({mode}); Ctrl+C stops")
            stopping = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stopping.set)
            await run_bots(
                services,
                stopping,
                webhook_url=webhook_url,
                listen=listen,
                port=port,
                with_jobs=jobs,
                bots=bots,
                extra_routes=calendar_routes(services),
            )

    run(main)


@app.command("set-token")
def set_token(
    slug: Annotated[str, typer.Argument(help="The agency (tenant slug).")],
    token: Annotated[str, typer.Argument(help="The lead bot's token from @BotFather.")],
    check: Annotated[bool, typer.Option(help="Ask Telegram who the bot is (getMe) before saving.")] = True,
) -> None:
    """Give an agency its lead bot: `realty bot` then runs it. An empty TOKEN ("") removes it."""

    async def main() -> None:
        from sqlalchemy.exc import IntegrityError
        from telegram import Bot
        from telegram.error import TelegramError

        from agent.adapters.crypto import LeadBotTokens
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        async with open_services() as services:
            settings = services.settings
            username = None
            if token and check:
                try:
                    async with Bot(
                        token,
                        base_url=settings.telegram_api_base_url,
                        base_file_url=settings.telegram_file_base_url,
                    ) as bot:
                        username = bot.username
                except TelegramError as exc:
                    raise fail(
                        f"Telegram does not accept this token ({exc}); check it with @BotFather"
                    ) from None
            try:
                async with services.database.session() as session:
                    try:
                        tenant = await TenantRepository(session).require(slug)
                    except TenantNotFound as exc:
                        raise fail(str(exc)) from None
                    LeadBotTokens(settings).store(tenant, token)
                    tenant.lead_bot_username = username if token else None
            except IntegrityError:
                raise fail("this token already belongs to another agency's lead bot") from None
        if token:
            console.print(
                f"{slug}: lead bot {'@' + username if username else ''} saved; `realty bot` runs it"
            )
        else:
            console.print(f"{slug}: lead bot removed")

    run(main)
