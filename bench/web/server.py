"""The web app under load: `create_app(services)` on uvicorn at 127.0.0.1, in a process of its own.

    python -m bench.web.server --port 8765 [--pool-size 20]

It reads DATABASE_URL, REALTY_DATA_DIR and TOKEN_ENCRYPTION_KEY from the environment (the bench sets them)
and never migrates. A thin ASGI wrapper adds `Server-Timing: app;dur=<ms>` to every response: the time the
app took, without the client and the loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
Scope = dict[str, Any]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerTiming:
    """ASGI middleware: the app's own time in a Server-Timing header."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={took:.2f}".encode()),
                ]
            await send(message)

        await self.app(scope, receive, timed_send)


async def serve(port: int, pool_size: int) -> None:
    import uvicorn

    from agent.services.provider import Services
    from agent.settings import Settings
    from agent.web.app import create_app
    from storage.db import create_database

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url, "DATABASE_URL is not set"
    database = create_database(settings.database_url, pool_size=pool_size)
    services = Services(settings, database)
    try:
        async with services.resources:
            config = uvicorn.Config(
                ServerTiming(create_app(services)),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                access_log=False,
                lifespan="off",
                backlog=2048,
            )
            await uvicorn.Server(config).serve()
    finally:
        await database.dispose()


@asynccontextmanager
async def server_process(
    port: int, env: dict[str, str], *, pool_size: int = 20, log: Path | None = None
) -> AsyncIterator[str]:
    """The server in a child process; yields its base URL once /healthz answers, stops it at the end."""
    out = log.open("wb") if log else subprocess.DEVNULL
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bench.web.server", "--port", str(port), "--pool-size", str(pool_size)),
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(600):
                if process.returncode is not None:
                    raise RuntimeError(f"the web server exited with {process.returncode} (log: {log})")
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the web server did not answer /healthz within 60 s")
        yield url
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        if log and hasattr(out, "close"):
            out.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--pool-size", type=int, default=20, help="database connections (and as many overflow)"
    )
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.port, arguments.pool_size))
