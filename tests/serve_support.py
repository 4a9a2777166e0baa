"""`realty serve --webhook-url` inside the test's event loop: the web app on uvicorn at a free loopback port,
every bot of the services on webhooks at that address."""

from __future__ import annotations

import asyncio

from agent.services.provider import Services
from agent.web.server import listening_socket, local_url, serve
from bot.app import BotRuntime, build_bots


async def serving_webhooks(
    services: Services, stopping: asyncio.Event, *, with_jobs: bool = False
) -> tuple[asyncio.Task[None], str]:
    """The running server (it ends once `stopping` is set) and its base URL."""
    sock = listening_socket("127.0.0.1", 0)
    url = local_url(sock)
    runtime = BotRuntime(services, await build_bots(services), webhook_url=url, with_jobs=with_jobs)
    return asyncio.create_task(serve(services, stopping, runtime, sock), name="realty-serve"), url
