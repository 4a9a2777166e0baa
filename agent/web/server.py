"""The web app on uvicorn inside the caller's event loop, with this process's bots started and stopped around it.

Order matters for webhooks: the server listens before the bots start (setWebhook comes last), and on the
way out webhook updates are refused (503) before the server drains its requests, then the bots stop, so an
update claimed in PostgreSQL is always handled by this process or redelivered by Telegram to another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterator

import uvicorn
from starlette.types import ASGIApp

from agent.services.provider import Services
from agent.web.app import create_app
from bot.app import BotRuntime

log = logging.getLogger(__name__)

GRACEFUL_SECONDS = 10


class _Server(uvicorn.Server):
    """uvicorn without signal handlers of its own: the command stops it through its `stopping` event."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebServerFailed(RuntimeError):
    """uvicorn ended before it started serving."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0: any free port); raises OSError (address in use, not permitted)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


def local_url(sock: socket.socket) -> str:
    """A URL a person on this machine can open for the socket (0.0.0.0 and :: mean every address)."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def web_config(app: ASGIApp, forwarded_allow_ips: str | None) -> uvicorn.Config:
    """uvicorn's settings for the web app. Behind a reverse proxy at one of `forwarded_allow_ips` (None:
    127.0.0.1), the client's address and scheme come from X-Forwarded-For / X-Forwarded-Proto: the sign-in
    rate limit then counts the person, not the proxy, and cookies keep Secure over https."""
    return uvicorn.Config(
        app,
        log_config=None,
        access_log=False,  # webhook paths are derived from tokens: not for the logs
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )


async def serve(
    services: Services,
    stopping: asyncio.Event,
    runtime: BotRuntime,
    sock: socket.socket,
    *,
    on_started: Callable[[], None] | None = None,
    forwarded_allow_ips: str | None = None,
) -> None:
    """Serve the web app on `sock` and run `runtime` until `stopping` is set (or the server fails).

    `forwarded_allow_ips`: the trusted proxies (`realty serve --forwarded-allow-ips`), else FORWARDED_ALLOW_IPS."""
    trusted = forwarded_allow_ips or services.settings.forwarded_allow_ips
    config = web_config(create_app(services, bots=runtime), trusted)
    server = _Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]), name="web-server")
    try:
        while not server.started:
            if serving.done():
                raise WebServerFailed("the web server stopped while starting (see the log above)")
            await asyncio.sleep(0.02)
        await runtime.start()
        if on_started is not None:
            on_started()
        waiting = asyncio.create_task(stopping.wait())
        await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
    finally:
        runtime.refuse_updates()
        server.should_exit = True
        await asyncio.gather(serving, return_exceptions=True)  # a failure to start is raised above
        await runtime.stop()
        sock.close()
    if serving.done() and not stopping.is_set():
        raise WebServerFailed("the web server stopped unexpectedly (see the log above)")
