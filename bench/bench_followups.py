"""Follow-up bench: the Ghost Protocol due-scan over 1,000,000 leads (1% due) and ledger dispatch throughput,
each against a naive loop over every lead.

    uv run python bench/bench_followups.py [--leads 1000000] [--dispatch 2000] [--runs 40]

Runs on its own embedded PostgreSQL in a temporary folder (or REALTY_BENCH_DATABASE_URL, which it fills with
rows: use an empty database). Leads are bulk-loaded with COPY. Dispatch uses a fake transport that answers at
once (no network, no 30 msg/s limit), so it measures the ledger: claim, record, timeline, counters.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import select, text

from agent.adapters.channels import Channels, Outbound
from agent.adapters.crypto import LeadBotTokens
from agent.core.clock import FrozenClock
from agent.services.jobs.dispatch import dispatch_due
from agent.services.provider import Services
from agent.settings import Settings
from storage.db import Database, create_database
from storage.embedded import embedded_database_url, stop_embedded_server
from storage.migrate import upgrade
from storage.models import Lead, Tenant
from storage.repositories.followups import GHOST_DUE_SQL

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CUTOFF = NOW - timedelta(minutes=120)
LEAD_COLUMNS = (
    "tenant_id telegram_user_id telegram_chat_id name phone language status message_count voice_message_count "
    "qr_scan_count catalog_views total_interactions urgency_mentions specific_questions lead_score temperature "
    "score_confidence urgency_score fomo_messages_sent ghost_reminder_sent opted_out extra last_inbound_at"
).split()


class InstantTransport:
    """The fake boundary: every message is 'delivered' at once."""

    def __init__(self) -> None:
        self.count = 0

    async def send(self, message: Outbound) -> str:
        self.count += 1
        return f"fake:{self.count}"


def lead_row(tenant_id: int, i: int) -> tuple[object, ...]:
    """1% due; the rest: no phone, already reminded, booked, opted out, or silent for less than 2 hours."""
    bucket = i % 100
    phone: str | None = f"+1415{i:07d}"
    status, reminded, opted_out = "qualifying", False, False
    last_inbound = NOW - timedelta(days=3, minutes=i % 5000)
    if bucket == 0:
        last_inbound = NOW - timedelta(hours=3, minutes=i % 1000)
    elif bucket <= 40:
        phone = None
    elif bucket <= 60:
        reminded = True
    elif bucket <= 70:
        status = "viewing_scheduled"
    elif bucket <= 75:
        opted_out = True
    else:
        last_inbound = NOW - timedelta(minutes=i % 119)
    return (
        tenant_id, 10_000_000 + i, 10_000_000 + i, f"Lead {i}", phone, "en", status,
        1, 0, 0, 0, 1, 0, 0, 10, "cold", 0.0, 0, 0, reminded, opted_out, "{}", last_inbound,
    )  # fmt: skip


async def load_leads(database: Database, tenant_id: int, count: int) -> float:
    started = time.perf_counter()
    async with database.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        chunk = 100_000
        for start in range(0, count, chunk):
            rows = [lead_row(tenant_id, i) for i in range(start, min(start + chunk, count))]
            await driver.copy_records_to_table("leads", records=rows, columns=LEAD_COLUMNS)
        await driver.execute("VACUUM ANALYZE leads")
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def explain(database: Database, sql: str, params: dict[str, object], *, indexes: bool) -> list[str]:
    async with database.session() as session:
        if not indexes:
            for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                await session.execute(text(f"SET LOCAL {setting} = off"))
        return [row[0] for row in await session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql), params)]


async def time_query(
    database: Database, sql: str, params: dict[str, object], runs: int, *, no_index: bool = False
) -> list[float]:
    samples = []
    for run in range(runs + 1):  # the first run prepares the statement and warms the cache: not counted
        async with database.session() as session:
            if no_index:
                await session.execute(text("SET LOCAL enable_indexscan = off"))
                await session.execute(text("SET LOCAL enable_bitmapscan = off"))
                await session.execute(text("SET LOCAL enable_indexonlyscan = off"))
            # A distinct statement text: a prepared statement's cached plan ignores the settings above.
            statement = text(f"/* indexes {'off' if no_index else 'on'} */ {sql}")
            started = time.perf_counter()
            (await session.execute(statement, params)).all()
            if run:
                samples.append((time.perf_counter() - started) * 1000)
    return samples


async def naive_python_scan(database: Database) -> tuple[float, list[int]]:
    """What a loop over every lead does: read them all, decide in Python."""
    started = time.perf_counter()
    due = []
    async with database.session() as session:
        result = await session.stream(
            select(
                Lead.id,
                Lead.phone,
                Lead.status,
                Lead.ghost_reminder_sent,
                Lead.opted_out,
                Lead.last_inbound_at,
            )
        )
        async for row in result:
            if (
                row.phone
                and not row.ghost_reminder_sent
                and not row.opted_out
                and row.status not in ("viewing_scheduled", "won", "handed_off", "lost")
                and row.last_inbound_at is not None
                and row.last_inbound_at <= CUTOFF
            ):
                due.append(row.id)
    return time.perf_counter() - started, due


async def naive_dispatch(database: Database, transport: InstantTransport, count: int) -> float:
    """The seed's loop: scan every lead, send to each due one, flag it, commit; no ledger, no exactly-once."""
    started = time.perf_counter()
    _, due = await naive_python_scan(database)
    for lead_id in due[:count]:
        async with database.session() as session:
            await transport.send(Outbound(channel="telegram", text="hi", bot_token="t", chat_id=lead_id))
            await session.execute(
                text(
                    "UPDATE leads SET ghost_reminder_sent = true, fomo_messages_sent = fomo_messages_sent + 1 "
                    "WHERE id = :id"
                ),
                {"id": lead_id},
            )
    return time.perf_counter() - started


async def ledger_dispatch(
    database: Database, settings: Settings, tenant_id: int, count: int
) -> tuple[float, int]:
    """Plan `count` ghost rows for due leads, then send them through the ledger (claim, send, record)."""
    async with database.session() as session:
        await session.execute(
            text(
                """
                INSERT INTO followup_sends (tenant_id, lead_id, step_key, channel, status, due_at, text, created_at)
                SELECT tenant_id, id, 'ghost:' || floor(extract(epoch FROM last_inbound_at))::bigint, 'telegram',
                       'pending', :now, 'Hi, any news on your search?', :now
                FROM leads
                WHERE id IN (SELECT id FROM ("""
                + GHOST_DUE_SQL
                + """) due)
                """
            ),
            {"tenant_id": tenant_id, "cutoff": CUTOFF, "limit": count, "now": NOW},
        )
    transport = InstantTransport()
    services = Services(settings, database, channels=Channels(telegram=transport), clock=FrozenClock(NOW))
    async with services.resources:
        started = time.perf_counter()
        report = await dispatch_due(services, concurrency=8)
        return time.perf_counter() - started, report.sent


async def main(args: argparse.Namespace) -> None:
    bench_url = os.environ.get("REALTY_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="realty-bench-", dir="/tmp") as tmp:
        url = bench_url or embedded_database_url(Path(tmp))
        database = create_database(url, pool_size=10)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=url,
            realty_data_dir=Path(tmp),
            token_encryption_key=SecretStr(Fernet.generate_key().decode()),
        )
        try:
            await upgrade(database)
            async with database.session() as session:
                tenant = Tenant(
                    name="Bench",
                    slug=f"bench-{os.getpid()}",
                    **LeadBotTokens(settings).columns(f"{os.getpid()}:bench"),
                )
                session.add(tenant)
                await session.flush()
                tenant_id = tenant.id
            print(f"loading {args.leads:,} leads with COPY ...", flush=True)
            seconds = await load_leads(database, tenant_id, args.leads)
            print(f"  loaded in {seconds:.1f} s")

            params: dict[str, object] = {"tenant_id": tenant_id, "cutoff": CUTOFF}
            async with database.session() as session:
                due_total = (await session.execute(text(GHOST_DUE_SQL), {**params, "limit": 10**9})).all()
                plan = "\n".join(
                    row[0]
                    for row in await session.execute(
                        text("EXPLAIN (ANALYZE, BUFFERS) " + GHOST_DUE_SQL), {**params, "limit": 500}
                    )
                )
            print(
                f"\ndue now: {len(due_total):,} of {args.leads:,} leads\n\nEXPLAIN (ANALYZE, BUFFERS), batch of 500:"
            )
            print("  " + plan.replace("\n", "\n  "))
            assert "ix_leads_ghost_due" in plan, "the due-scan does not use the partial index"
            print(f"\nall {len(due_total):,} due leads, on the server (EXPLAIN ANALYZE):")
            for label, indexes in (("indexed", True), ("indexes off", False)):
                lines = await explain(database, GHOST_DUE_SQL, {**params, "limit": 10**9}, indexes=indexes)
                scan = next(line.strip() for line in lines if "Scan" in line and " on leads" in line).split(
                    "  ("
                )[0]
                buffers = next(line.strip() for line in lines if line.strip().startswith("Buffers:"))
                timing = next(line.strip() for line in lines if line.strip().startswith("Execution Time"))
                print(f"  {label:12} {timing:28} {buffers:32} {scan}")

            print("\ndue-scan, from the client (ms)        p50       p95")
            batch = await time_query(database, GHOST_DUE_SQL, {**params, "limit": 500}, args.runs)
            every = await time_query(database, GHOST_DUE_SQL, {**params, "limit": 10**9}, args.runs)
            seq = await time_query(database, GHOST_DUE_SQL, {**params, "limit": 10**9}, 10, no_index=True)
            for label, samples in (
                ("indexed, one batch of 500", batch),
                (f"indexed, all {len(due_total):,} due", every),
                ("same query, indexes off (seq scan)", seq),
            ):
                p50, p95 = percentiles(samples)
                print(f"  {label:34} {p50:8.1f}  {p95:8.1f}")
            naive_seconds, naive_due = await naive_python_scan(database)
            assert len(naive_due) == len(due_total)
            print(f"  {'naive loop over every lead':34} {naive_seconds * 1000:8.1f}  (one run)")
            p50_all = percentiles(every)[0]
            print(
                f"  ratio: naive loop / indexed all-due scan = {naive_seconds * 1000 / p50_all:,.0f}x; "
                f"seq scan / indexed = {percentiles(seq)[0] / p50_all:,.1f}x"
            )

            print(
                f"\ndispatch of {args.dispatch:,} messages, fake transport:     wall      msg/s   client CPU/msg"
            )
            cpu = time.process_time()
            ours_seconds, sent = await ledger_dispatch(database, settings, tenant_id, args.dispatch)
            ours_cpu = (time.process_time() - cpu) * 1000 / max(sent, 1)
            print(
                f"  ledger (claim, send, record; 8 senders) {ours_seconds:6.1f} s {sent / ours_seconds:8.0f}"
                f"   {ours_cpu:6.1f} ms"
            )
            naive_transport = InstantTransport()
            cpu = time.process_time()
            naive_seconds = await naive_dispatch(database, naive_transport, args.dispatch)
            naive_cpu = (time.process_time() - cpu) * 1000 / max(naive_transport.count, 1)
            print(
                f"  naive loop over every lead              {naive_seconds:6.1f} s "
                f"{naive_transport.count / naive_seconds:8.0f}   {naive_cpu:6.1f} ms"
            )
            print(f"  ratio: ledger throughput / naive = {naive_seconds / ours_seconds:.2f}x")
        finally:
            await database.dispose()
            if not bench_url:
                stop_embedded_server(Path(tmp))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--dispatch", type=int, default=2000, help="messages sent in the throughput part")
    parser.add_argument("--runs", type=int, default=40, help="timed runs of the batch due-scan")
    asyncio.run(main(parser.parse_args()))
