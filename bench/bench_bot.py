"""Telegram bots benchmark: lead-bot updates/s end to end and reply latency with many simulated leads,
and hot-lead alert latency from the lead's phone message to the admin's sendMessage.

    uv run python bench/bench_bot.py [--leads 500] [--moderate 50] [--quiet-alerts 50] [--pool 20] [--burst 0]

Everything real but Telegram: the lead bot and team bot Applications (python-telegram-bot, handlers,
dedupe, signed buttons), the sales graph on the offline model, the checkpointer and PostgreSQL (a private
embedded server in a fresh temporary folder), the alert dispatcher (LISTEN/NOTIFY). Telegram is the
loopback Bot API stand-in over HTTP. Updates enter through each Application's update queue, as polling
or a webhook would put them. Each simulated lead talks like a person: a message, then waits for the
answer before the next one (deep-link /start, two texts, a shared contact).

Runs: a quiet one (one lead at a time), a moderate one (--moderate leads at once), then --leads at once
twice: with PTB's AIORateLimiter (the production setting: about 30 messages/s per bot, so replies queue
behind Telegram's limit) and without it, to show what the system itself sustains. A saturated process
queues turns (at most DB_POOL_SIZE run at once); a phone number skips that queue. The burst
window (texts from one lead within BURST_SECONDS become one turn) is set by --burst: 0 measures
processing alone; in production every text reply waits that window on top.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from telegram import Update  # noqa: E402

from agent.adapters.checkpointer import conversation_store  # noqa: E402
from agent.adapters.crypto import LeadBotTokens  # noqa: E402
from agent.adapters.embeddings import HashingEmbedder  # noqa: E402
from agent.core.clock import SystemClock  # noqa: E402
from agent.services.catalog.seed import seed_demo  # noqa: E402
from agent.services.provider import Services  # noqa: E402
from agent.settings import Settings  # noqa: E402
from bot.lead import build_lead_application  # noqa: E402
from evals.bot_api import ApiCall, FakeTelegramAPI, Updates  # noqa: E402
from storage.db import create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Tenant  # noqa: E402
from tests.fakes.realty_bots import TEAM_TOKEN, running_alerts, running_team_bot, started  # noqa: E402

ADMIN = 424_242
TEXTS = ("I want to buy a villa in Canggu", "My budget is up to 600k USD, 3 bedrooms")


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else float("nan")


@dataclass
class Results:
    figures: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, value: Any) -> None:
        self.figures[name] = value
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        print(f"  {name:<66} {shown}", flush=True)


class Replies:
    """Resolves a waiter when the bot sends a message to a chat (timed at the Bot API, as Telegram would)."""

    def __init__(self, api: FakeTelegramAPI) -> None:
        self.waiters: dict[tuple[str, int], list[asyncio.Future[float]]] = defaultdict(list)
        self.alert_waiters: dict[str, asyncio.Future[float]] = {}
        api.listeners.append(self.on_call)

    def on_call(self, call: ApiCall) -> None:
        if call.method != "sendMessage" or not isinstance(call.chat_id, int):
            return
        now = time.perf_counter()
        if call.token == TEAM_TOKEN and call.chat_id == ADMIN:
            for line in call.text.splitlines():
                if line.startswith("📞"):
                    waiter = self.alert_waiters.pop(digits(line), None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(now)
            return
        for waiter in self.waiters.pop((call.token, call.chat_id), []):
            if not waiter.done():
                waiter.set_result(now)

    def reply_to(self, token: str, chat_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[(token, chat_id)].append(future)
        return future

    def alert_for(self, phone: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.alert_waiters[digits(phone)] = future
        return future


async def simulate_lead(
    application: Any,
    replies: Replies,
    updates: Updates,
    user: int,
    latencies: list[float],
    alerts: list[float],
) -> int:
    """One lead's conversation, a message at a time; returns how many updates it sent."""
    token = application.bot.token
    phone = f"+62812{user % 10_000_000:07d}"
    script = [
        updates.text(user, "/start expo_bench", language_code="en"),
        *(updates.text(user, text, language_code="en") for text in TEXTS),
        updates.contact(user, phone, language_code="en"),
    ]
    for index, data in enumerate(script):
        waiter = replies.reply_to(token, user)
        alert = replies.alert_for(phone) if index == len(script) - 1 else None
        sent_at = time.perf_counter()
        await application.update_queue.put(Update.de_json(data, application.bot))
        latencies.append(await asyncio.wait_for(waiter, timeout=600) - sent_at)
        if alert is not None:
            alerts.append(await asyncio.wait_for(alert, timeout=600) - sent_at)
    return len(script)


async def bench_leads(
    results: Results,
    label: str,
    services: Services,
    tenant: Tenant,
    api: FakeTelegramAPI,
    replies: Replies,
    *,
    leads: int,
    first_user: int,
    burst: float,
    rate_limit: bool,
) -> None:
    application = build_lead_application(
        services, tenant, burst_seconds=burst, telegram_rate_limit=rate_limit
    )
    updates = Updates()
    latencies: list[float] = []
    alerts: list[float] = []
    async with started(application):
        began = time.perf_counter()
        counts = await asyncio.gather(
            *(
                simulate_lead(application, replies, updates, first_user + n, latencies, alerts)
                for n in range(leads)
            )
        )
        elapsed = time.perf_counter() - began
    results.put(f"{label}: leads (concurrent)", leads)
    results.put(f"{label}: updates", sum(counts))
    results.put(f"{label}: updates/s end to end", sum(counts) / elapsed)
    results.put(f"{label}: reply latency p50 ms", percentile(latencies, 0.5) * 1000)
    results.put(f"{label}: reply latency p95 ms", percentile(latencies, 0.95) * 1000)
    results.put(f"{label}: alert latency under this load p50 ms", percentile(alerts, 0.5) * 1000)
    results.put(f"{label}: alert latency under this load p95 ms", percentile(alerts, 0.95) * 1000)


async def bench_quiet_alerts(
    results: Results,
    services: Services,
    tenant: Tenant,
    replies: Replies,
    *,
    leads: int,
    first_user: int,
    burst: float,
) -> None:
    """Leads one after another on a quiet system: the phone message to the admin's alert."""
    application = build_lead_application(services, tenant, burst_seconds=burst)
    updates = Updates()
    latencies: list[float] = []
    alerts: list[float] = []
    async with started(application):
        for n in range(leads):
            await simulate_lead(application, replies, updates, first_user + n, latencies, alerts)
    results.put("quiet system: leads one at a time", leads)
    results.put("quiet system: alert latency p50 ms (phone message -> admin)", percentile(alerts, 0.5) * 1000)
    results.put("quiet system: alert latency p95 ms (target < 1000)", percentile(alerts, 0.95) * 1000)
    results.put("quiet system: alert latency max ms", max(alerts) * 1000)
    results.put("quiet system: reply latency p50 ms", percentile(latencies, 0.5) * 1000)
    results.put("quiet system: reply latency p95 ms", percentile(latencies, 0.95) * 1000)


async def main(args: argparse.Namespace) -> None:
    results = Results()
    base = Path(tempfile.mkdtemp(prefix="realty-bench-", dir="/tmp"))
    try:
        url = await asyncio.to_thread(embedded_database_url, base)
        async with FakeTelegramAPI() as api:
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                database_url=url,
                realty_data_dir=base,
                db_pool_size=args.pool,
                telegram_api_base_url=api.base_url,
                telegram_file_base_url=api.file_base_url,
                registry_bot_token=SecretStr(TEAM_TOKEN),
                admin_telegram_ids=[ADMIN],
                token_encryption_key=SecretStr(Fernet.generate_key().decode()),
            )
            database = create_database(url, pool_size=args.pool)
            await upgrade(database)
            services = Services(
                settings=settings, database=database, clock=SystemClock(), embedder=HashingEmbedder()
            )
            async with database.session() as session:
                report = await seed_demo(session, services.embedder)  # type: ignore[arg-type]
                tenant = await session.get(Tenant, report.tenant_id)
                assert tenant is not None
                LeadBotTokens(settings).store(tenant, "9001:BENCH-LEAD")
            await conversation_store(services)
            replies = Replies(api)
            print(
                f"realty-agent bot bench · {platform.machine()} · Python {platform.python_version()} · "
                f"pool {args.pool} · burst window {args.burst} s · offline model · loopback Bot API"
            )
            async with running_team_bot(services, api) as team, running_alerts(services, team.application):
                await bench_quiet_alerts(
                    results,
                    services,
                    tenant,
                    replies,
                    leads=args.quiet_alerts,
                    first_user=1_000_000,
                    burst=args.burst,
                )
                await bench_leads(
                    results, f"{args.moderate} leads at once, AIORateLimiter", services, tenant, api, replies,
                    leads=args.moderate, first_user=1_500_000, burst=args.burst, rate_limit=True,
                )  # fmt: skip
                await bench_leads(
                    results, "no Telegram rate limit", services, tenant, api, replies,
                    leads=args.leads, first_user=2_000_000, burst=args.burst, rate_limit=False,
                )  # fmt: skip
                await bench_leads(
                    results, "AIORateLimiter (30 msg/s)", services, tenant, api, replies,
                    leads=args.leads, first_user=3_000_000, burst=args.burst, rate_limit=True,
                )  # fmt: skip
            await services.resources.aclose()
            await database.dispose()
    finally:
        await asyncio.to_thread(stop_embedded_server, base)
    out = ROOT / "bench" / "results" / f"bot-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": {"platform": platform.platform(), "python": platform.python_version()},
                "args": vars(args),
                "figures": results.figures,
            },
            indent=2,
        )
    )
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--leads", type=int, default=500, help="Simulated leads talking at once.")
    parser.add_argument(
        "--quiet-alerts", type=int, default=50, help="Leads run one at a time for alert latency."
    )
    parser.add_argument("--moderate", type=int, default=50, help="Leads at once in the moderate-load run.")
    parser.add_argument("--pool", type=int, default=20, help="Connections per pool (DB_POOL_SIZE).")
    parser.add_argument("--burst", type=float, default=0.0, help="Burst window in seconds (production: 1.2).")
    asyncio.run(main(parser.parse_args()))
