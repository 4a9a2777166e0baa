"""`realty bot`: run the team bot, every agency's lead bot, the hot-lead alerts and the dashboard on a local
port (polling); `realty bot set-token`."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import EXIT_UNAVAILABLE, console, fail, run, runnable

if TYPE_CHECKING:
    from agent.services.provider import Services
    from bot.app import BotRuntime, Bots

log = logging.getLogger(__name__)

app = typer.Typer(
    invoke_without_command=True,
    rich_markup_mode="rich",
)


@app.callback()
def bot(
    ctx: typer.Context,
    web_port: Annotated[
        int,
        typer.Option(
            min=0, max=65535, help="Port of the dashboard (the web app) in this process; 0 turns it off."
        ),
    ] = 8080,
    web_host: Annotated[
        str, typer.Option(help="Address the dashboard binds (loopback: only this machine can open it).")
    ] = "127.0.0.1",
    jobs: Annotated[
        bool, typer.Option(help="Also run the follow-up job worker in this process (one-machine installs).")
    ] = True,
    retry_for: Annotated[
        float,
        typer.Option(
            min=0, help="Seconds to keep retrying (with backoff) when the Bot API cannot be reached at start."
        ),
    ] = 60,
    webhook_url: Annotated[str | None, typer.Option(hidden=True)] = None,
    listen: Annotated[str | None, typer.Option(hidden=True)] = None,
    port: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Run every bot (polling): the team bot (REGISTRY_BOT_TOKEN) and each agency's lead bot, plus hot-lead
    alerts, and the dashboard on a local port.

    Tokens: the team bot's is REGISTRY_BOT_TOKEN (admins in ADMIN_TELEGRAM_IDS, reps' e-mail domain in
    CORPORATE_EMAIL_DOMAIN); an agency's lead bot token is stored with `realty bot set-token SLUG TOKEN`.
    Set TELEGRAM_API_BASE_URL for a self-hosted Bot API server.

    For webhooks (several processes behind one URL) run `realty serve --webhook-url URL` instead.
    """
    if ctx.invoked_subcommand is not None:
        return
    if webhook_url is not None or listen is not None or port is not None:  # the webhook server's options
        raise fail(
            "`realty bot --webhook-url` (with --listen and --port) is gone: run `realty serve --webhook-url URL` for webhooks "
            "(it also serves the dashboard, the API and the Google callback); `realty bot` polls"
        )

    async def main() -> None:
        from agent.services.agencies.startup import agencies_on_start
        from agent.services.provider import open_services
        from bot.app import BotRuntime, NoBotTokens, build_bots

        async with open_services() as services:
            for line in await agencies_on_start(services.database, services.settings):
                console.print(line, highlight=False)
            try:
                bots = await build_bots(services)
            except NoBotTokens as exc:
                raise fail(str(exc)) from None
            await reach_telegram(services, bots, retry_for)
            sock = open_web_socket(web_host, web_port, "--web-port") if web_port else None
            runtime = BotRuntime(services, bots, with_jobs=jobs)
            names = ", ".join(key for key, _ in bots.applications())
            await run_until_stopped(services, runtime, sock, f"running {names} (polling)", "realty bot")
        log.info("realty bot stopped")
        console.print("stopped")

    run(main)


def open_web_socket(host: str, port: int, option: str) -> socket.socket:
    """The web app's listening socket, or one clear line when the address cannot be used."""
    from agent.web.server import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as exc:
        raise fail(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another port with {option}"
            + (" (0 turns the dashboard off)" if option == "--web-port" else "")
        ) from None


async def run_until_stopped(
    services: Services,
    runtime: BotRuntime,
    sock: socket.socket | None,
    running: str,
    command: str,
    *,
    forwarded_allow_ips: str | None = None,
) -> None:
    """Run the bots (and the web app on `sock`, if any) until SIGINT or SIGTERM; say where the dashboard is."""
    from telegram.error import TelegramError

    from agent.web.server import WebServerFailed, local_url, serve

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)

    def started() -> None:
        if sock is not None:
            url = local_url(sock)
            console.print(f"dashboard: {url}/  (API docs: {url}/api/docs)", highlight=False, soft_wrap=True)
        console.print(runnable(f"{running}; Ctrl+C stops"), highlight=False, soft_wrap=True)

    try:
        if sock is None:
            await runtime.start()
            try:
                started()
                await stopping.wait()
            finally:
                await runtime.stop()
        else:
            await serve(
                services, stopping, runtime, sock, on_started=started, forwarded_allow_ips=forwarded_allow_ips
            )
    except TelegramError as exc:
        raise fail(
            f"Telegram failed while the bots started or ran ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:160] if str(exc) else '-'}); check the network and "
            f"TELEGRAM_API_BASE_URL, then start `{command}` again",
            EXIT_UNAVAILABLE,
        ) from None
    except WebServerFailed as exc:
        raise fail(f"{exc}; start `{command}` again", EXIT_UNAVAILABLE) from None


@app.command("set-token")
def set_token(
    slug: Annotated[str, typer.Argument(help="The agency (tenant slug).")],
    token: Annotated[str, typer.Argument(help="The lead bot's token from @BotFather.")],
    check: Annotated[
        bool,
        typer.Option(
            help="Ask Telegram who the bot is (getMe) before saving. With --no-check the token is saved "
            "unchecked and the bot's @name is read when `realty bot` starts."
        ),
    ] = True,
) -> None:
    """Give an agency its lead bot: `realty bot` then runs it. An empty TOKEN ("") removes it."""

    async def main() -> None:
        from sqlalchemy.exc import IntegrityError

        from agent.adapters.crypto import LeadBotTokens
        from agent.cli.telegram_check import TelegramUnreachable, TokenRejected, bot_username
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        async with open_services() as services:
            username = None
            if token and check:
                try:
                    username = await bot_username(token, services.settings)
                except TokenRejected as exc:
                    raise fail(
                        f"Telegram rejects this token ({exc}); copy the current one from @BotFather"
                    ) from None
                except TelegramUnreachable as exc:
                    raise fail(
                        f"{exc}, so the token is not saved; check the network, "
                        "or try --no-check to save it unchecked",
                        EXIT_UNAVAILABLE,
                    ) from None
            try:
                async with services.database.session() as session:
                    try:
                        tenant = await TenantRepository(session).require(slug)
                    except TenantNotFound as exc:
                        raise fail(str(exc)) from None
                    LeadBotTokens(services.settings).store(tenant, token)
                    tenant.lead_bot_username = username if token else None
            except IntegrityError:
                raise fail("this token already belongs to another agency's lead bot") from None
        if token and username:
            console.print(
                runnable(f"{slug}: lead bot @{username} saved; `realty bot` runs it"),
                highlight=False,
                soft_wrap=True,
            )
        elif token:
            console.print(
                runnable(
                    f"{slug}: lead bot token saved unchecked; `realty bot` runs it and reads the bot's @name "
                    "when it starts"
                ),
                highlight=False,
                soft_wrap=True,
            )
        else:
            console.print(f"{slug}: lead bot removed")

    run(main)


async def reach_telegram(
    services: Services, bots: Bots, retry_for: float, command: str = "realty bot"
) -> None:
    """Ask Telegram who each bot is (retrying while it is unreachable); keep each lead bot's @name current."""
    from agent.cli.telegram_check import TelegramUnreachable, TokenRejected, bot_username_retrying
    from storage.repositories.tenants import TenantRepository

    tokens: list[tuple[str | None, str]] = [(None, bots.team.bot.token)] if bots.team is not None else []
    tokens += [(slug, application.bot.token) for slug, application in bots.leads.items()]
    names: dict[str, str] = {}
    for slug, token in tokens:
        try:
            username = await bot_username_retrying(token, services.settings, retry_for=retry_for)
        except TelegramUnreachable as exc:
            raise fail(
                f"{exc}; gave up after {retry_for:.0f} s. Check the network (and TELEGRAM_API_BASE_URL "
                f"if you use your own Bot API server), then start `{command}` again",
                EXIT_UNAVAILABLE,
            ) from None
        except TokenRejected:
            if slug is None:
                raise fail(
                    "Telegram rejects REGISTRY_BOT_TOKEN (the team bot's token); "
                    "copy the current one from @BotFather into REGISTRY_BOT_TOKEN"
                ) from None
            raise fail(
                f"Telegram rejects the lead bot token of agency '{slug}'; set the current one from @BotFather "
                f"with `realty bot set-token {slug} TOKEN`, or remove it with `realty bot set-token {slug} ''`"
            ) from None
        if slug is not None:
            names[slug] = username
    if not names:
        return
    async with services.database.session() as session:
        tenants = TenantRepository(session)
        for slug, username in names.items():
            tenant = await tenants.require(slug)
            if tenant.lead_bot_username != username:  # saved with --no-check, or renamed in @BotFather
                tenant.lead_bot_username = username
