"""Foundation benchmark: embedded server start, `realty --help`, and hybrid search latency and recall.

    uv run python bench/bench_foundation.py [--listings 100000] [--queries 100] [--data-dir /tmp/rb]

Runs against a private embedded PostgreSQL in a fresh temporary folder (never your data), prints a table and
writes the figures as JSON to bench/results/. With `--data-dir` the folder is kept and reused: a second run
finds the generated catalog already loaded and indexed (and skips the cold-start figure).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from agent.adapters.embeddings import HashingEmbedder  # noqa: E402
from agent.services.catalog.seed import seed_demo  # noqa: E402
from storage.db import Database, create_database  # noqa: E402
from storage.embedded import embedded_database_url, stop_embedded_server  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repositories import properties  # noqa: E402
from storage.repositories.listings import listing_document  # noqa: E402
from storage.repositories.properties import PropertyFilters, search_properties  # noqa: E402
from storage.repositories.tenants import TenantRepository  # noqa: E402

EMBEDDER = HashingEmbedder()

AREAS = ["Canggu", "Seminyak", "Ubud", "Uluwatu", "Sanur", "Jimbaran", "Nusa Dua", "Kuta", "Legian", "Pererenan",
         "Berawa", "Umalas", "Kerobokan", "Tabanan", "Amed", "Lovina", "Sidemen", "Munduk", "Bingin", "Padang Padang",
         "Ungasan", "Pecatu", "Denpasar", "Keramas", "Nusa Penida"]  # fmt: skip
TYPES = ["villa", "apartment", "townhouse", "house", "land"]
FEATURES = ["private pool", "shared pool", "ocean view", "rice field view", "jungle view", "garden", "gym", "rooftop",
            "sunset terrace", "home cinema", "yoga deck", "staff room", "parking", "security 24/7", "fibre wifi",
            "open-plan kitchen", "walk-in wardrobe", "outdoor bathtub", "river view", "mountain view"]  # fmt: skip
MOODS = [
    "quiet",
    "modern",
    "tropical",
    "spacious",
    "cozy",
    "luxury",
    "family",
    "minimalist",
    "bohemian",
    "new",
]
NEAR = ["the beach", "surf breaks", "international schools", "cafes and coworkings", "the rice terraces",
        "beach clubs", "the old town market", "a golf course", "the airport", "yoga studios"]  # fmt: skip
QUERY_WORDS = [*MOODS, "villa", "apartment", "townhouse", "land", "pool", "ocean", "view", "beach", "garden",
               "rice", "jungle", "gym", "school", "surf", "quiet", "investment", "вилла", "бассейн", "океан",
               "ویلا", "استخر"]  # fmt: skip


@dataclass
class Results:
    machine: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, value: Any) -> None:
        self.figures[name] = value
        print(f"  {name:<48} {format_value(value)}", flush=True)


def format_value(value: Any) -> str:
    if isinstance(value, dict):
        return "  ".join(f"{k}={format_value(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


# ---------------------------------------------------------------------------------------------------------
# Server start and CLI start-up


START_SCRIPT = """
import sys, time, json, warnings
warnings.filterwarnings("ignore")
from pathlib import Path
t = time.perf_counter()
from storage.embedded import embedded_database_url
embedded_database_url(Path(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - t}))
"""


def timed_start(data_dir: Path) -> float:
    """Seconds for a fresh process to get a usable URL (import of the wheel included)."""
    output = subprocess.run(
        [sys.executable, "-c", START_SCRIPT, str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return float(json.loads(output.strip().splitlines()[-1])["seconds"])


def bench_server(results: Results, base: Path) -> Path:
    data_dir = base / "srv"
    reused = data_dir.exists()
    cold = timed_start(data_dir)  # initdb + start (when the folder is new)
    running = statistics.median(timed_start(data_dir) for _ in range(3))  # already running: reuse
    stop_embedded_server(data_dir)
    warm = timed_start(data_dir)  # initialised, stopped: start only
    if not reused:
        results.put("embedded server start, cold (initdb + start) s", cold)
    results.put("embedded server start, warm (stopped) s", warm)
    results.put("embedded server reuse (already running) s", running)
    return data_dir


def bench_help(results: Results) -> None:
    realty = shutil.which("realty", path=str(Path(sys.executable).parent)) or "realty"
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([realty, "--help"], capture_output=True, check=True, cwd=ROOT)
        samples.append(time.perf_counter() - started)
    results.put("realty --help wall s (median of 5)", statistics.median(samples))


# ---------------------------------------------------------------------------------------------------------
# Catalogs


def generated_rows(count: int, seed: int = 2026) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        kind = rng.choices(TYPES, weights=[40, 30, 15, 5, 10])[0]
        transaction = "sale" if kind == "land" or rng.random() < 0.55 else "rent"
        area = rng.choice(AREAS)
        bedrooms = (
            None
            if kind == "land"
            else rng.choices([0, 1, 2, 3, 4, 5, 6], weights=[3, 20, 30, 25, 13, 6, 3])[0]
        )
        features = rng.sample(FEATURES, rng.randint(2, 5))
        mood, near = rng.choice(MOODS), rng.choice(NEAR)
        if transaction == "sale":
            price = Decimal(rng.randrange(60_000, 2_500_000, 500))
        else:
            price = Decimal(rng.randrange(400, 12_000, 50))
        what = f"{bedrooms}-bedroom {kind}" if bedrooms else kind
        rows.append({
            "external_id": f"BENCH-{i:06d}",
            "title": f"{mood.title()} {what} in {area}",
            "description": f"A {mood} {what} with {', '.join(features)}, close to {near} in {area}. "
                           f"Listing {i}, {'leasehold' if rng.random() < 0.8 else 'freehold via PT PMA'}.",
            "property_type": kind, "transaction": transaction, "price": price, "currency": "USD",
            "price_period": "month" if transaction == "rent" else None, "bedrooms": bedrooms,
            "bathrooms": None if bedrooms is None else Decimal(max(1, bedrooms)),
            "size_m2": Decimal(rng.randrange(30, 2000)), "location": area, "address": f"Jl. {rng.choice(NEAR)} {i}",
            "units_available": rng.choice([1, 1, 1, 2, 3]), "amenities": features,
            "pets_allowed": rng.random() < 0.5, "furnished": rng.random() < 0.6,
        })  # fmt: skip
    return rows


async def load_generated(
    database: Database, tenant_id: int, rows: list[dict[str, Any]], results: Results
) -> None:
    """Embed, COPY in, then build the HNSW index once (much faster than maintaining it row by row)."""
    from pgvector.asyncpg import register_vector

    started = time.perf_counter()
    vectors = await EMBEDDER.embed([listing_document(row) for row in rows])
    results.put("100k: embed (offline hashing) s", time.perf_counter() - started)

    columns = [
        "tenant_id",
        *rows[0].keys(),
        "photos",
        "status",
        "language",
        "extra",
        "embedding",
        "embedding_model",
    ]
    records = [
        (tenant_id, *row.values(), [], "available", "en", "{}", vector, EMBEDDER.name)
        for row, vector in zip(rows, vectors, strict=True)
    ]
    async with database.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        await register_vector(raw)
        started = time.perf_counter()
        await raw.execute("DROP INDEX IF EXISTS ix_properties_embedding_hnsw")
        await raw.copy_records_to_table("properties", records=records, columns=columns)
        results.put("100k: COPY rows s", time.perf_counter() - started)
        started = time.perf_counter()
        await raw.execute("SET maintenance_work_mem = '1GB'")
        await raw.execute("SET max_parallel_maintenance_workers = 2")
        await raw.execute(
            "CREATE INDEX ix_properties_embedding_hnsw ON properties "
            "USING hnsw (embedding_half halfvec_cosine_ops) WITH (m = 16, ef_construction = 128)"
        )
        results.put("100k: build HNSW index s", time.perf_counter() - started)
        await raw.execute("VACUUM ANALYZE properties")  # as autovacuum would: index-only scans need it
        await conn.invalidate()  # its binary vector codec must not serve SQLAlchemy's text-bound vectors


def random_filters(rng: random.Random, areas: Sequence[str]) -> PropertyFilters:
    """A mix like a lead's: some filters, never none."""
    while True:
        transaction = rng.choice(["sale", "rent"]) if rng.random() < 0.6 else None
        budget = None
        if rng.random() < 0.5:
            budget = Decimal(
                rng.choice([300_000, 500_000, 1_000_000])
                if transaction != "rent"
                else rng.choice([1500, 3000, 6000])
            )
        filters = PropertyFilters(
            location=rng.choice(areas) if rng.random() < 0.6 else None,
            transaction=transaction,
            property_type=rng.choice(["villa", "apartment", "townhouse"]) if rng.random() < 0.5 else None,
            max_price=budget,
            bedrooms=rng.choice([1, 2, 3, 4]) if rng.random() < 0.4 else None,
            pets_allowed=True if rng.random() < 0.2 else None,
        )
        if any(v is not None for v in (filters.location, filters.transaction, filters.property_type, budget,
                                         filters.bedrooms, filters.pets_allowed)):  # fmt: skip
            return filters


def random_query(rng: random.Random) -> str:
    return " ".join(rng.sample(QUERY_WORDS, rng.randint(2, 5)))


async def exact_top(
    database: Database, tenant_id: int, query: str, filters: PropertyFilters, k: int
) -> list[tuple[int, float]]:
    """The true top k (id, cosine distance): every filtered row ranked, the index kept out by a materialised CTE."""
    from sqlalchemy import select

    from storage.models import Property

    [vector] = await EMBEDDER.embed([query])
    async with database.session() as session:
        conditions = await properties._conditions(session, tenant_id, filters)
        candidates = (
            select(Property.id, Property.embedding.cosine_distance(vector).label("d"))
            .where(*conditions, Property.embedding_model == EMBEDDER.name)
            .cte("c")
            .prefix_with("MATERIALIZED")
        )
        rows = await session.execute(
            select(candidates.c.id, candidates.c.d).order_by(candidates.c.d, candidates.c.id).limit(k)
        )
        return [(row.id, float(row.d)) for row in rows]


def recall(
    hits: Sequence[properties.PropertyHit], expected: Sequence[tuple[int, float]], epsilon: float
) -> float:
    """Share of the true top k found; a hit as close as the k-th true neighbour (within epsilon) counts too,
    as in ann-benchmarks' k-NN recall (epsilon 1e-3), since near-ties make the exact id set arbitrary."""
    if not expected:
        return 1.0
    kth = expected[-1][1]
    return min(1.0, sum(1 for hit in hits if (1.0 - hit.similarity) <= kth + epsilon) / len(expected))


async def takes_index_path(database: Database, tenant_id: int, filters: PropertyFilters) -> bool:
    async with database.session() as session:
        conditions = await properties._conditions(session, tenant_id, filters)
        return (
            await properties._estimated_candidates(session, conditions) > properties.EXACT_SCAN_MAX_CANDIDATES
        )


async def bench_search(
    database: Database,
    tenant_id: int,
    label: str,
    results: Results,
    queries: int,
    *,
    areas: Sequence[str] = AREAS,
    filtered: bool,
    with_recall: bool,
) -> None:
    def draw(rng: random.Random) -> list[tuple[str, PropertyFilters]]:
        return [
            (random_query(rng), random_filters(rng, areas) if filtered else PropertyFilters())
            for _ in range(queries)
        ]

    async def run(
        cases: list[tuple[str, PropertyFilters]],
    ) -> tuple[list[float], list[list[properties.PropertyHit]]]:
        latencies, found = [], []
        for query, filters in cases:
            started = time.perf_counter()
            async with database.session() as session:
                hits = await search_properties(session, tenant_id, query, filters, EMBEDDER, limit=10)
            latencies.append((time.perf_counter() - started) * 1000)
            found.append(hits)
        return latencies, found

    # Warm-up: as many other queries of the same mix, as a running bot's server has already served; they
    # are reported too ("first pass"), since right after a server start the caches are empty.
    first_pass, _ = await run(draw(random.Random(zlib.crc32(f"warm-up {label}".encode()))))
    cases = draw(random.Random(zlib.crc32(label.encode())))
    latencies, found = await run(cases)
    figures: dict[str, Any] = {
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "first_pass_p95_ms": percentile(first_pass, 95),
    }
    if with_recall:
        strict, knn, index_path = [], [], 0
        for (query, filters), hits in zip(cases, found, strict=True):
            expected = await exact_top(database, tenant_id, query, filters, 10)
            index_path += await takes_index_path(database, tenant_id, filters)
            strict.append(recall(hits, expected, 1e-6))
            knn.append(recall(hits, expected, 1e-3))
        figures["recall@10"] = statistics.mean(knn)
        figures["strict_recall@10"] = statistics.mean(strict)
        figures["min_strict_recall@10"] = min(strict)
        figures["queries_on_hnsw_path"] = index_path
    results.put(f"search {label} ({queries} queries)", figures)


# ---------------------------------------------------------------------------------------------------------


async def bench_database(url: str, results: Results, listings: int, queries: int) -> None:
    database = create_database(url, pool_size=4)
    try:
        await upgrade(database)
        async with database.session() as session:
            demo = await seed_demo(session, EMBEDDER)
        await bench_search(
            database,
            demo.tenant_id,
            "seed catalog, filtered",
            results,
            queries,
            areas=AREAS[:5],
            filtered=True,
            with_recall=True,
        )
        async with database.session() as session:
            tenants = TenantRepository(session)
            tenant = await tenants.by_slug("bench") or await tenants.create(name="Bench Agency", slug="bench")
            loaded = await properties.count_listings(session, tenant.id)
        if loaded != listings:
            print(f"  generating {listings:,} listings...", flush=True)
            async with database.engine.begin() as conn:
                await conn.execute(text("DELETE FROM properties WHERE tenant_id = :t"), {"t": tenant.id})
            await load_generated(database, tenant.id, generated_rows(listings), results)
        label = f"{listings // 1000}k catalog"
        await bench_search(
            database, tenant.id, f"{label}, filtered", results, queries, filtered=True, with_recall=True
        )
        await bench_search(
            database, tenant.id, f"{label}, query only", results, queries, filtered=False, with_recall=True
        )
        async with database.engine.connect() as conn:
            size = (
                await conn.execute(text("SELECT pg_size_pretty(pg_total_relation_size('properties'))"))
            ).scalar()
        results.put("properties table + indexes size", size)
    finally:
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000, help="size of the generated catalog")
    parser.add_argument("--queries", type=int, default=100, help="queries per search figure")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the server and generated catalog here and reuse them on the next run",
    )
    args = parser.parse_args()

    import os
    import warnings

    warnings.filterwarnings("ignore")
    results = Results(machine={
        "python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
        "listings": args.listings, "queries": args.queries,
        "exact_scan_max_candidates": properties.EXACT_SCAN_MAX_CANDIDATES, "hnsw_ef_search": properties.HNSW_EF_SEARCH,
        "hnsw_max_scan_tuples": properties.HNSW_MAX_SCAN_TUPLES, "rerank_extra": properties.RERANK_EXTRA,
        "load_average_at_start": os.getloadavg(),
    })  # fmt: skip
    if args.data_dir:
        base = args.data_dir.resolve()  # keep it short: the unix socket lives there
        base.mkdir(parents=True, exist_ok=True)
    else:
        base = Path(
            tempfile.mkdtemp(prefix="realty-bench-", dir="/tmp")
        )  # short path: the unix socket lives there
    print(f"realty-agent foundation benchmark ({args.listings:,} listings, {args.queries} queries)")
    try:
        data_dir = bench_server(results, base)
        bench_help(results)
        url = embedded_database_url(data_dir)
        asyncio.run(bench_database(url, results, args.listings, args.queries))
    finally:
        stop_embedded_server(base / "srv")
        if not args.keep and not args.data_dir:
            shutil.rmtree(base, ignore_errors=True)
    results.machine["load_average_at_end"] = os.getloadavg()
    print(
        f"  load average (1, 5, 15 min) at start {results.machine['load_average_at_start']}, at end {os.getloadavg()}"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"foundation-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(
        json.dumps({"machine": results.machine, "figures": results.figures}, indent=2, default=str)
    )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
