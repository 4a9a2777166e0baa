"""`realty serve`: the web app (dashboard, /api/v1, webhooks, Google callback, health) on uvicorn."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from agent.cli.bot import open_web_socket, reach_telegram, run_until_stopped
from agent.cli.common import console, fail, run

log = logging.getLogger(__name__)


def serve(
    host: Annotated[str, typer.Option(help="Address to bind (0.0.0.0: every interface).")] = "0.0.0.0",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8080,
    webhook_url: Annotated[
        str | None,
        typer.Option(
            help="Public https base URL Telegram should POST updates to (e.g. $PUBLIC_BASE_URL). Every bot "
            "gets its own path under it; requests must carry WEBHOOK_SECRET (derived per bot when unset). "
            "Without it this process runs no bot (`realty bot` polls).",
        ),
    ] = None,
    jobs: Annotated[bool, typer.Option(help="Also run the follow-up job worker in this process.")] = True,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated addresses or networks of the reverse proxies whose X-Forwarded-For and "
            "X-Forwarded-Proto are trusted ('*': any), so the sign-in rate limit counts people, not the proxy, "
            "and cookies stay Secure. Default: FORWARDED_ALLOW_IPS, else 127.0.0.1.",
        ),
    ] = None,
    retry_for: Annotated[
        float,
        typer.Option(
            min=0, help="Seconds to keep retrying (with backoff) when the Bot API cannot be reached at start."
        ),
    ] = 60,
) -> None:
    """Serve the web app: the dashboard, the HTTP API under /api/v1 (docs at /api/docs), the bots' webhooks
    (with --webhook-url), Google Calendar's OAuth callback, /healthz and /readyz.

    Several `realty serve --webhook-url URL` processes may run behind one URL: each update is claimed in
    PostgreSQL, nothing another process needs is kept in memory. SIGTERM stops it cleanly.
    """

    async def main() -> None:
        from agent.services.agencies.startup import agencies_on_start
        from agent.services.provider import open_services
        from bot.app import BotRuntime, Bots, NoBotTokens, build_bots

        async with open_services() as services:
            for line in await agencies_on_start(services.database, services.settings):
                console.print(line, highlight=False)
            bots = Bots()
            if webhook_url:
                try:
                    bots = await build_bots(services)
                except NoBotTokens as exc:
                    raise fail(str(exc)) from None
                await reach_telegram(services, bots, retry_for, "realty serve")
            sock = open_web_socket(host, port, "--port")
            runtime = BotRuntime(services, bots, webhook_url=webhook_url, with_jobs=jobs)
            names = ", ".join(key for key, _ in bots.applications())
            running = (
                f"running {names} (webhooks at {webhook_url})"
                if names
                else "running the web app without bots (they need --webhook-url here, or `realty bot`)"
            )
            await run_until_stopped(
                services, runtime, sock, running, "realty serve", forwarded_allow_ips=forwarded_allow_ips
            )
        log.info("realty serve stopped")
        console.print("stopped")

    run(main)
