"""Webhook ingest benchmark: updates/s acknowledged by one `realty serve`-like process, with dedupe.

    uv run python bench/bench_webhook_ingest.py [--updates 4000] [--senders 1,10,50] [--duplicates 0.1]

The server is a child process running what `realty serve --webhook-url` runs: the FastAPI app on uvicorn
(agent.web.server.serve, BotRuntime, POST /telegram/<path> with the secret checked, the body parsed into a PTB
Update, the update claimed in PostgreSQL's processed_updates, queued, and marked handled after its handlers).
The handlers are the ACK PATH ALONE: one lead-bot Application built like the real one (concurrent updates,
bot.dedupe installed) whose only handler counts the update; no conversation runs, so the figures are what
the HTTP + dedupe path sustains, not replies per second (bench/bench_bot.py measures those).

The senders are this process: N concurrent HTTP/1.1 keep-alive connections over loopback, each POSTing
Telegram-shaped text updates (a request with no answer counts as a failure); a --duplicates share of the requests repeats an update id already sent (as
Telegram does when it retries). Reported per N: acknowledged updates/s, p50/p95/p99 ack latency, non-200
answers, and the check that every distinct update was claimed and handled exactly once. PostgreSQL is a private
embedded server in a fresh temporary folder; the figures go to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from agent.settings import Settings  # noqa: E402
from evals.bot_api import FakeTelegramAPI, Updates  # noqa: E402
from storage.db import create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import ProcessedUpdate  # noqa: E402

TOKEN = "8801:BENCH-INGEST-TOKEN"
BOT_KEY = "lead:bench"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else float("nan")


@dataclass
class Results:
    machine: dict[str, Any]
    figures: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, value: Any) -> None:
        self.figures[name] = value
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        print(f"  {name:<60} {shown}", flush=True)


def serve_process(database_url: str, api_base: str, port: int, data_dir: str) -> None:
    """The child: `realty serve --webhook-url http://127.0.0.1:<port> --no-jobs` with the bench bot."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="server %(levelname)s %(name)s: %(message)s")
    asyncio.run(_serve(database_url, api_base, port, data_dir))


async def _serve(database_url: str, api_base: str, port: int, data_dir: str) -> None:
    from telegram import Update
    from telegram.ext import Application, ContextTypes, TypeHandler

    from agent.core.clock import SystemClock
    from agent.services.provider import Services
    from agent.web.server import listening_socket, local_url, serve
    from bot.app import BotRuntime, Bots
    from bot.dedupe import Dedupe

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        realty_data_dir=Path(data_dir),
        telegram_api_base_url=api_base,
        webhook_secret=SecretStr("bench-webhook-secret"),
    )
    database = create_database(database_url, pool_size=20)
    services = Services(settings=settings, database=database, clock=SystemClock())
    dedupe = Dedupe(database, BOT_KEY, services.clock)
    application: Any = (
        Application.builder()
        .token(TOKEN)
        .base_url(api_base)
        .concurrent_updates(True)
        .update_queue(dedupe.queue())
        .updater(None)
        .build()
    )
    handled = 0

    async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        handled += 1

    dedupe.install(application)
    application.add_handler(TypeHandler(Update, count))
    sock = listening_socket("127.0.0.1", port)
    runtime = BotRuntime(
        services, Bots(leads={"bench": application}), webhook_url=local_url(sock), with_jobs=False
    )
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    async with services.resources:
        await serve(services, stopping, runtime, sock)
    await database.dispose()


async def send(
    url: str, secret: str, total: int, senders: int, duplicates: float, first_user: int, seed: int
) -> tuple[list[float], int, set[int], float]:
    """POST `total` updates from `senders` connections; latencies (s), non-200 count, distinct ids, elapsed."""
    rng = random.Random(seed)
    updates = Updates()
    sent_ids: list[dict[str, Any]] = []
    plan: list[dict[str, Any]] = []
    for n in range(total):
        if sent_ids and rng.random() < duplicates:
            plan.append(rng.choice(sent_ids))
        else:
            update = updates.text(first_user + n % 500, f"message {n}", language_code="en")
            sent_ids.append(update)
            plan.append(update)
    bodies = [json.dumps(update).encode() for update in plan]
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    latencies: list[float] = []
    failures = 0
    position = 0
    limits = httpx.Limits(max_connections=senders, max_keepalive_connections=senders)

    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def sender() -> None:
            nonlocal position, failures
            while position < len(bodies):
                body = bodies[position]
                position += 1
                began = time.perf_counter()
                try:
                    answer = await client.post(url, content=body, headers=headers)
                except httpx.TransportError:  # counted, as Telegram would count it: it retries later
                    failures += 1
                    continue
                latencies.append(time.perf_counter() - began)
                if answer.status_code != 200:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(senders)))
        elapsed = time.perf_counter() - began
    return latencies, failures, {update["update_id"] for update in sent_ids}, elapsed


async def claims(database_url: str, ids: set[int]) -> tuple[int, int]:
    """How many of `ids` are claimed, and how many of them handled."""
    database = create_database(database_url, pool_size=1)
    try:
        async with database.session() as session:
            scope = (ProcessedUpdate.bot_key == BOT_KEY, ProcessedUpdate.update_id.in_(ids))
            claimed = await session.scalar(select(func.count()).where(*scope))
            handled = await session.scalar(
                select(func.count()).where(*scope, ProcessedUpdate.handled_at.is_not(None))
            )
        return int(claimed or 0), int(handled or 0)
    finally:
        await database.dispose()


async def run(args: argparse.Namespace, base: Path, results: Results) -> None:
    url = embedded_database_url(base / "srv")
    database = create_database(url, pool_size=2)
    await upgrade(database)
    await database.dispose()
    port = _free_port()
    async with FakeTelegramAPI() as api:
        child = multiprocessing.get_context("spawn").Process(
            target=serve_process, args=(url, api.base_url, port, str(base)), name="realty-serve"
        )
        child.start()
        try:
            await api.wait_for(lambda _: TOKEN in api.webhooks, within=120)
            hook, secret = api.webhooks[TOKEN]
            assert secret is not None
            await send(hook, secret, 200, 10, 0.0, 10_000_000, args.seed)  # warm-up (pool, imports)
            for n, senders in enumerate(args.senders):
                latencies, failures, ids, elapsed = await send(
                    hook, secret, args.updates, senders, args.duplicates, 20_000_000 + n * 1000, args.seed + n
                )
                await asyncio.sleep(1)  # the last handlers mark their updates handled
                claimed, handled = await claims(url, ids)
                label = f"{senders} senders"
                results.put(f"{label}: requests (duplicates {args.duplicates:.0%})", len(latencies))
                results.put(f"{label}: acknowledged updates/s", len(latencies) / elapsed)
                results.put(f"{label}: ack latency p50 ms", percentile(latencies, 0.5) * 1000)
                results.put(f"{label}: ack latency p95 ms", percentile(latencies, 0.95) * 1000)
                results.put(f"{label}: ack latency p99 ms", percentile(latencies, 0.99) * 1000)
                results.put(f"{label}: answers other than 200 (or no answer)", failures)
                results.put(
                    f"{label}: distinct updates / claimed / handled", f"{len(ids)} / {claimed} / {handled}"
                )
        finally:
            if child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)
            child.join(30)
            if child.is_alive():
                child.kill()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--updates", type=int, default=4000, help="requests per concurrency level")
    parser.add_argument(
        "--senders",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 10, 50],
        help="concurrent senders, comma-separated (default 1,10,50)",
    )
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of requests repeating an update")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    results = Results(machine={
        "python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
        "updates": args.updates, "senders": args.senders, "duplicates": args.duplicates,
        "handlers": "ack path alone (dedupe claim + mark handled; a counting handler)",
        "load_average_at_start": os.getloadavg(),
    })  # fmt: skip
    base = Path(
        tempfile.mkdtemp(prefix="realty-bench-", dir="/tmp")
    )  # short path: the unix socket lives there
    print(
        f"realty-agent webhook ingest benchmark ({args.updates} requests per level, senders {args.senders}, "
        f"{args.duplicates:.0%} duplicates; ack path alone)"
    )
    try:
        asyncio.run(run(args, base, results))
    finally:
        stop_embedded_server(base / "srv")
        shutil.rmtree(base, ignore_errors=True)
    results.machine["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"webhook-ingest-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(
        json.dumps({"machine": results.machine, "figures": results.figures}, indent=2, default=str)
    )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
