"""Web benchmark: the dashboard and the API under 50 concurrent signed-in clients, on a generated agency group
of 1,000 reps and 1,000,000 leads (10 agencies of 100 reps) with their interactions, score factors,
viewings, follow-up sends, tasks and alerts, loaded with COPY.

    uv run python bench/bench_web.py                      # full: 1M leads (generation about 5 minutes)
    uv run python bench/bench_web.py --scale 0.01         # quick: 10,000 leads, 10 reps
    uv run python bench/bench_web.py --scale 0.01 --seconds 5 --only leads --only analytics

The app (`agent.web.app.create_app`) runs on uvicorn at 127.0.0.1 in a process of its own; the clients are
httpx (keep-alive), each signed in with a real session as a random rep or admin, or with an API token.
Per scenario: p50/p95/p99 from the client, the app's own p50/p95 (Server-Timing), requests/s, errors,
PostgreSQL transactions and rows per request (pg_stat_database), and the target met or not. A route this
branch does not have is reported as "404: not on this branch".
Runs on a private embedded PostgreSQL in a fresh temporary folder (removed at the end unless --keep), or on
--database-url / DATABASE_URL (use an empty database: it is filled with rows). Writes bench/results/web-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pickle
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from agent.services.provider import Services  # noqa: E402
from agent.settings import Settings  # noqa: E402
from agent.web.app import create_app  # noqa: E402
from bench.web.facts import refresh_facts  # noqa: E402
from bench.web.generate import Generated, database_bytes, generate  # noqa: E402
from bench.web.load import MISSING, SCENARIOS, Scenario, Sessions, route_exists, run_scenario, skipped  # noqa: E402
from bench.web.rows import Shape  # noqa: E402
from bench.web.server import free_port, server_process  # noqa: E402
from storage.db import Database, create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def folder_size(path: Path) -> str:
    """`du -sh` of the data folder."""
    done = subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True, check=False)
    return done.stdout.split()[0] if done.returncode == 0 and done.stdout else "?"


def print_generation(generated: Generated, size_bytes: int, folder: str | None) -> None:
    figures = generated.figures()
    print("\ngenerated                     rows     COPY s")
    for table, rows in figures["rows"].items():
        print(f"  {table:22} {rows:>12,} {figures['copy_seconds'][table]:>9.1f}")
    for step, seconds in figures["seconds"].items():
        print(f"  {step:44} {seconds:>8.1f} s")
    print(
        f"  database size {size_bytes / 1024**3:.2f} GB"
        + (f"; data folder (du -sh) {folder}" if folder else "")
    )
    if generated.dropped_indexes:
        print(f"  {len(generated.dropped_indexes)} secondary indexes dropped before COPY and built after")


def print_table(results: list[dict[str, Any]]) -> None:
    head = f"{'scenario':52} {'target':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'app p95':>8} {'req/s':>7} {'err':>5}"
    head += f" {'cli cpu':>7}"
    print("\n" + head + "  verdict (ms; target is p95)")
    for r in results:
        if not r["requests"]:
            print(f"{r['scenario']:52} {_ms(r['target_p95_ms']):>7} {'':>46}  {r['verdict']}")
            continue
        print(
            f"{r['scenario']:52} {_ms(r['target_p95_ms']):>7} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
            f"{r['p99_ms']:>7.1f} {_ms(r.get('server_p95_ms')):>8} {r['throughput_rps']:>7.1f} {r['errors']:>5}"
            f" {r.get('client_cpu_ms_per_request', 0):>7.1f}  {r['verdict']}"
        )
    pg = [r for r in results if r.get("pg_per_request")]
    if pg:
        print("\nPostgreSQL per request (pg_stat_database deltas; approximate):")
        print(
            f"  {'scenario':52} {'xacts':>6} {'rows returned':>14} {'rows fetched':>13} {'blocks hit':>11} {'read':>6}"
        )
        for r in pg:
            c = r["pg_per_request"]
            print(
                f"  {r['scenario']:52} {c['xact_commit']:>6} {c['tup_returned']:>14} {c['tup_fetched']:>13} "
                f"{c['blks_hit']:>11} {c['blks_read']:>6}"
            )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def chosen(only: list[str] | None) -> list[Scenario]:
    if not only:
        return list(SCENARIOS)
    return [s for s in SCENARIOS if any(word.lower() in s.name.lower() for word in only)]


async def load(
    database: Database, settings: Settings, generated: Generated, args: argparse.Namespace
) -> list[dict[str, Any]]:
    services = Services(settings, database)
    async with services.resources:
        app = create_app(services)
    env = {
        "DATABASE_URL": settings.database_url or "",
        "REALTY_DATA_DIR": str(settings.realty_data_dir),
        "LOG_LEVEL": "WARNING",
    }
    if settings.token_encryption_key is not None:
        env["TOKEN_ENCRYPTION_KEY"] = settings.token_encryption_key.get_secret_value()
    results: list[dict[str, Any]] = []
    async with AsyncExitStack() as stack:
        urls = [
            await stack.enter_async_context(
                server_process(
                    free_port(),
                    env,
                    pool_size=args.pool_size,
                    log=Path(settings.realty_data_dir) / f"bench-web-server-{n}.log",
                )
            )
            for n in range(args.server_processes)
        ]
        print(
            f"\nweb server: {args.server_processes} process(es) at {', '.join(urls)}; {args.clients} clients, "
            f"{args.seconds:g} s per scenario"
        )
        for scenario in chosen(args.only):
            if not route_exists(app, scenario.probe):
                results.append(skipped(scenario, MISSING))
                print(f"  {scenario.name}: {MISSING}", flush=True)
                continue
            sessions = Sessions(database, settings, generated, *urls)
            try:
                callers = await sessions.callers(scenario.who, args.clients, random.Random(args.seed))
                result = await run_scenario(
                    scenario,
                    callers,
                    generated,
                    database,
                    seconds=args.seconds,
                    warmup=args.warmup,
                    requests=args.requests,
                )
            finally:
                await sessions.close()
            results.append(result)
            print(
                f"  {scenario.name}: {result['requests']} requests, p95 {result.get('p95_ms', '-')} ms, "
                f"{result['verdict']}",
                flush=True,
            )
    return results


GENERATED = "bench-web-generated.pickle"
"""What an earlier run generated (ids, shape), kept beside its data for --reuse."""


async def main(args: argparse.Namespace) -> int:
    url = args.database_url or os.environ.get("DATABASE_URL")
    folder = (
        Path(args.data_dir)
        if args.data_dir
        else Path(tempfile.mkdtemp(prefix="realty-bench-web-", dir="/tmp"))
    )
    embedded = not url
    if embedded:
        print(f"embedded PostgreSQL in {folder}", flush=True)
        url = embedded_database_url(folder)
    assert url is not None
    database = create_database(url, pool_size=10)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        realty_data_dir=folder,
        token_encryption_key=SecretStr(Fernet.generate_key().decode()),
    )
    report: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "args": vars(args),
    }
    try:
        await upgrade(database)
        saved = folder / GENERATED
        if args.reuse and saved.exists():
            generated = pickle.loads(saved.read_bytes())  # our own file, written below by an earlier run
            print(
                f"reusing the data generated earlier in {folder} ({generated.shape.leads:,} leads)",
                flush=True,
            )
        else:
            shape = Shape.at_scale(args.scale, args.agencies, args.seed)
            print(
                f"generating {shape.agencies} agencies x {shape.reps_per_agency} reps, {shape.leads:,} leads "
                "(COPY) ...",
                flush=True,
            )
            generated = await generate(database, shape, connections=args.connections)
            saved.write_bytes(pickle.dumps(generated))
        size = await database_bytes(database)
        disk = folder_size(folder) if embedded else None
        print_generation(generated, size, disk)
        report["generation"] = {**generated.figures(), "database_bytes": size, "data_folder_du": disk}
        print("analytics facts refresh (as `realty analytics refresh`) ...", flush=True)
        facts = await refresh_facts(database)
        print(
            f"  {facts['leads']:,} leads consolidated in {facts['seconds']:.1f} s "
            f"({facts['full']} agencies in full, the rest only their stale leads)",
            flush=True,
        )
        report["analytics_facts_refresh"] = facts
        if not args.generate_only:
            report["scenarios"] = await load(database, settings, generated, args)
            print_table(report["scenarios"])
    finally:
        await database.dispose()
        if embedded:
            stop_embedded_server(folder)
        if not args.keep and (embedded or not args.data_dir):  # never a folder of the caller's own server
            shutil.rmtree(folder, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"web-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(f"\nresults: {out}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--scale", type=float, default=1.0, help="1 = 1,000 reps and 1,000,000 leads; 0.01 for a quick run"
    )
    p.add_argument(
        "--agencies", type=int, default=None, help="default: 10 at full scale (reps / 10, at most 10)"
    )
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--clients", type=int, default=50, help="concurrent clients per scenario")
    p.add_argument("--seconds", type=float, default=20.0, help="measured time per scenario")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds per scenario before measuring")
    p.add_argument(
        "--requests", type=int, default=None, help="stop a scenario after this many measured requests"
    )
    p.add_argument("--only", action="append", help="scenarios whose name contains this (repeatable)")
    p.add_argument(
        "--server-processes", type=int, default=1, help="web server processes (clients go round robin)"
    )
    p.add_argument(
        "--pool-size", type=int, default=20, help="the server's database connections (+ as many overflow)"
    )
    p.add_argument("--connections", type=int, default=4, help="COPY connections while generating")
    p.add_argument("--generate-only", action="store_true", help="generate and report, no load")
    p.add_argument(
        "--database-url", default=None, help="default: $DATABASE_URL, else a private embedded server"
    )
    p.add_argument(
        "--data-dir", default=None, help="the embedded server's folder (default: a fresh one in /tmp)"
    )
    p.add_argument("--keep", action="store_true", help="keep the data folder (and its server log) at the end")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="with --data-dir of an earlier run with --keep: measure again on its data, without generating",
    )
    return p


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parser().parse_args())))
