"""Loads the generated agency group into PostgreSQL: agencies, reps, listings and sequences through the ORM,
then leads and everything that hangs off them with COPY, chunk by chunk.

While one chunk is copied the next is made in a thread; a chunk's leads are copied first, then its child
tables at once, each on its own connection. Into empty tables the secondary indexes (not those behind a
primary key or unique constraint) are dropped first and built again after, in parallel, and the per-row
foreign-key triggers and autovacuum are off while copying (the rows are consistent by construction); then
VACUUM ANALYZE.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text

from bench.web.rows import (
    AGENCY_LANGUAGES,
    CHILD_TABLES,
    COLUMNS,
    LOCATIONS,
    SEQUENCE_TEMPERATURES,
    STEPS_PER_SEQUENCE,
    TYPES,
    ZONES,
    Context,
    RepRow,
    Shape,
    lead_chunk,
    rep_rows,
)
from storage.db import Database
from storage.models import FollowUpSequence, FollowUpStep, Lead, Property, SalesRepresentative, Tenant

TABLES = ("leads", *CHILD_TABLES)
CHUNK_LEADS = 25_000
BULK_LEADS = 100_000
"""From this many leads into empty tables: indexes dropped and rebuilt, foreign-key triggers off while copying."""
LISTINGS_PER_AGENCY = 30


@dataclass
class TableLoad:
    rows: int = 0
    copy_seconds: float = 0.0


@dataclass
class Generated:
    """What was made (for the load: tenants, reps, lead ids) and how long it took."""

    shape: Shape
    context: Context
    reps: list[RepRow]
    tables: dict[str, TableLoad] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    dropped_indexes: list[str] = field(default_factory=list)

    def lead_ids_of_rep(self, rep: int) -> range:
        """Ids of rep `rep`'s leads, every shape.reps-th one (a few of them are the agency's unassigned pool)."""
        first = self.context.first_lead_id
        return range(first + rep, first + self.shape.leads, self.shape.reps)

    def tenant_id(self, agency: int) -> int:
        return self.context.tenant_ids[agency]

    def figures(self) -> dict[str, Any]:
        return {
            "shape": {
                "agencies": self.shape.agencies,
                "reps": self.shape.reps,
                "leads": self.shape.leads,
                "seed": self.shape.seed,
            },
            "rows": {table: load.rows for table, load in self.tables.items()},
            "copy_seconds": {table: round(load.copy_seconds, 2) for table, load in self.tables.items()},
            "seconds": {step: round(value, 2) for step, value in self.seconds.items()},
            "dropped_indexes": self.dropped_indexes,
        }


async def generate(
    database: Database, shape: Shape, *, now: datetime | None = None, connections: int = 4
) -> Generated:
    """Make the whole group; `now` anchors every date (today's tasks, overdue ones, upcoming viewings)."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    started = time.perf_counter()
    reps = rep_rows(shape)
    context = await _prepare(database, shape, reps, now)
    generated = Generated(shape, context, reps, tables={table: TableLoad() for table in TABLES})
    generated.seconds["agencies, reps, listings, sequences (ORM)"] = time.perf_counter() - started
    async with _raw_connections(database, connections) as drivers:
        bulk = shape.leads >= BULK_LEADS and await _empty(drivers[0])
        if bulk:
            await _without_foreign_key_checks(drivers)
            generated.dropped_indexes = await _drop_secondary_indexes(drivers[0])
            await _autovacuum(drivers[0], enabled=False)  # the VACUUM ANALYZE at the end does its work once
        mark = time.perf_counter()
        await _copy_all(drivers, context, generated)
        generated.seconds["COPY (rows made and copied)"] = time.perf_counter() - mark
        mark = time.perf_counter()
        await _recreate_indexes(drivers, generated.dropped_indexes)
        generated.seconds["indexes rebuilt"] = time.perf_counter() - mark
        if bulk:
            await _autovacuum(drivers[0], enabled=True)
        mark = time.perf_counter()
        await drivers[0].execute(
            "SELECT setval(pg_get_serial_sequence('leads', 'id'), (SELECT max(id) FROM leads))"
        )
        await _share(drivers, [_statement(f"VACUUM ANALYZE {table}") for table in TABLES])
        generated.seconds["VACUUM ANALYZE"] = time.perf_counter() - mark
    generated.seconds["total"] = time.perf_counter() - started
    return generated


async def _prepare(database: Database, shape: Shape, reps: list[RepRow], now: datetime) -> Context:
    tenant_ids: list[int] = []
    zones: list[str] = []
    property_ids: list[list[int]] = []
    step_ids: list[dict[str, list[int]]] = []
    async with database.session() as session:
        stamp = int(now.timestamp())
        for agency in range(shape.agencies):
            zone = ZONES[agency % len(ZONES)]
            tenant = Tenant(
                name=f"Bench Agency {agency + 1}",
                slug=f"bench-{stamp}-{agency + 1}",
                time_zone=zone,
                default_language=AGENCY_LANGUAGES[agency % len(AGENCY_LANGUAGES)],
            )
            session.add(tenant)
            await session.flush()
            tenant_ids.append(tenant.id)
            zones.append(zone)
            listings = [
                Property(
                    tenant_id=tenant.id,
                    external_id=f"B{agency}-{n}",
                    title=f"{TYPES[n % len(TYPES)].title()} in {LOCATIONS[n % len(LOCATIONS)]}",
                    property_type=TYPES[n % len(TYPES)],
                    transaction=("sale", "rent")[n % 2],
                    price=Decimal(200_000 + 25_000 * n),
                    currency="USD",
                    bedrooms=1 + n % 4,
                    location=LOCATIONS[n % len(LOCATIONS)],
                )
                for n in range(LISTINGS_PER_AGENCY)
            ]
            session.add_all(listings)
            steps: dict[str, list[FollowUpStep]] = {}
            for temperature in SEQUENCE_TEMPERATURES:
                sequence = FollowUpSequence(
                    tenant_id=tenant.id, name=f"{temperature} leads", temperature=temperature
                )
                session.add(sequence)
                await session.flush()
                steps[temperature] = [
                    FollowUpStep(
                        sequence_id=sequence.id, position=p, delay_minutes=1440 * (1 + 2 * p), purpose="nudge"
                    )
                    for p in range(STEPS_PER_SEQUENCE)
                ]
                session.add_all(steps[temperature])
            await session.flush()
            property_ids.append([listing.id for listing in listings])
            step_ids.append({t: [step.id for step in s] for t, s in steps.items()})
        session.add_all(
            SalesRepresentative(
                id=rep.id,
                tenant_id=tenant_ids[rep.agency],
                telegram_id=rep.telegram_id,
                telegram_chat_id=rep.telegram_id,
                name=rep.name,
                email=f"rep{rep.index}@bench.example",
                language=rep.language,
                status="active" if rep.active else "suspended",
                is_admin=rep.is_admin,
                time_zone=zones[rep.agency],
                approved_at=now,
            )
            for rep in reps
        )
        first_lead_id = (
            int((await session.execute(select(func.coalesce(func.max(Lead.id), 0)))).scalar_one()) + 1
        )
    return Context(
        shape=shape,
        now=now,
        first_lead_id=first_lead_id,
        tenant_ids=tenant_ids,
        zones=zones,
        rep_ids=[rep.id for rep in reps],
        property_ids=property_ids,
        step_ids=step_ids,
    )


@asynccontextmanager
async def _raw_connections(database: Database, count: int) -> AsyncIterator[list[Any]]:
    """`count` asyncpg connections from the engine's pool (COPY needs the driver itself)."""
    async with AsyncExitStack() as stack:
        drivers: list[Any] = []
        for _ in range(count):
            connection = await stack.enter_async_context(database.engine.connect())
            raw = await connection.get_raw_connection()
            drivers.append(raw.driver_connection)  # used directly: each COPY commits on its own
        try:
            yield drivers
        finally:
            for driver in drivers:  # back to the pool as they came
                if await driver.fetchval("SHOW session_replication_role") != "origin":
                    await driver.execute("RESET session_replication_role")


async def _without_foreign_key_checks(drivers: list[Any]) -> None:
    """The rows are consistent by construction: skip the per-row foreign-key triggers (superuser only)."""
    if await drivers[0].fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        for driver in drivers:
            await driver.execute("SET session_replication_role = replica")


async def _empty(driver: Any) -> bool:
    return all([await driver.fetchval(f"SELECT NOT EXISTS (SELECT 1 FROM {table})") for table in TABLES])


async def _autovacuum(driver: Any, *, enabled: bool) -> None:
    for table in TABLES:
        if enabled:
            await driver.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
        else:
            await driver.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")


async def _drop_secondary_indexes(driver: Any) -> list[str]:
    """Drop the loaded tables' indexes that no constraint owns; their definitions, to build them again."""
    rows = await driver.fetch(
        """
        SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY($1::text[]) AND t.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        list(TABLES),
    )
    for row in rows:
        await driver.execute(f"DROP INDEX {row['name']}")
    return [row["definition"] for row in rows]


async def _recreate_indexes(drivers: list[Any], definitions: list[str]) -> None:
    await _share(drivers, [_statement(sql) for sql in definitions])


Job = Callable[[Any], Awaitable[object]]
"""Something to do on one of the raw connections."""


def _statement(sql: str) -> Job:
    async def run(driver: Any) -> object:
        return await driver.execute(sql)

    return run


def _copy_job(table: str, rows: list[tuple[object, ...]], generated: Generated) -> Job:
    async def run(driver: Any) -> object:
        await _copy(driver, table, rows, generated)
        return None

    return run


async def _share(drivers: list[Any], jobs: list[Job]) -> None:
    """Run the jobs on the connections, one job at a time on each, until none is left."""
    queue = list(reversed(jobs))

    async def work(driver: Any) -> None:
        while queue:
            await queue.pop()(driver)

    await asyncio.gather(*(work(driver) for driver in drivers))


async def _copy_all(drivers: list[Any], context: Context, generated: Generated) -> None:
    """Chunk after chunk: make the next one in a thread while this one is copied."""
    leads = context.shape.leads
    bounds = [(start, min(start + CHUNK_LEADS, leads)) for start in range(0, leads, CHUNK_LEADS)]
    pending = asyncio.create_task(asyncio.to_thread(lead_chunk, context, *bounds[0]))
    for n in range(len(bounds)):
        chunk = await pending
        if n + 1 < len(bounds):
            pending = asyncio.create_task(asyncio.to_thread(lead_chunk, context, *bounds[n + 1]))
        await _copy(drivers[0], "leads", chunk.rows["leads"], generated)
        children = [table for table in CHILD_TABLES if chunk.rows.get(table)]
        await _share(drivers, [_copy_job(table, chunk.rows[table], generated) for table in children])


async def _copy(driver: Any, table: str, rows: list[tuple[object, ...]], generated: Generated) -> None:
    started = time.perf_counter()
    await driver.copy_records_to_table(table, records=rows, columns=list(COLUMNS[table]))
    load = generated.tables[table]
    load.rows += len(rows)
    load.copy_seconds += time.perf_counter() - started


async def database_bytes(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(text("SELECT pg_database_size(current_database())"))).scalar_one())
