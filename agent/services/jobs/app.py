"""The durable job system: a procrastinate App on our PostgreSQL with the follow-up jobs as periodic tasks.

Periodic tasks (procrastinate defers each tick once, however many workers run):
- `realty.ghost_scan`     every minute: plan Ghost Protocol nudges, then send what is due;
- `realty.sequence_scan`  every minute: plan sequence steps, then send what is due;
- `realty.dispatch`       every minute: reconcile dead claims, send what is due (quiet-hour releases, approvals);
- `realty.outreach`       every OUTREACH_INTERVAL_MINUTES: assign prospects, plan contacts and cards, send.
Exactly-once lives in our ledger, not in the queue: a job that runs twice only finds nothing left to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import procrastinate
from procrastinate.schema import SchemaManager

from agent.services.jobs.context import JobContext, job_context
from agent.services.jobs.dispatch import dispatch_due, reconcile
from agent.services.jobs.ghost import plan_ghost_nudges
from agent.services.jobs.outreach import run_outreach
from agent.services.jobs.sequences import plan_sequence_steps
from agent.services.provider import Services
from storage.db import libpq_url

log = logging.getLogger(__name__)

QUEUE = "realty"
SCHEMA_LOCK_ID = 0x5EA1_70B5
"""Advisory lock key: only one process creates procrastinate's tables."""


def cron_every(minutes: int) -> str:
    """A cron line firing every `minutes` (whole hours above 59, since cron steps cannot span an hour)."""
    if minutes <= 0:
        raise ValueError("OUTREACH_INTERVAL_MINUTES must be at least 1")
    if minutes == 1:
        return "* * * * *"
    if minutes < 60:
        return f"*/{minutes} * * * *"
    return f"0 */{min(max(minutes // 60, 1), 23)} * * *"


async def ensure_job_schema(database_url: str) -> bool:
    """Create procrastinate's tables when missing (under an advisory lock); True when they were created."""
    import psycopg

    async with await psycopg.AsyncConnection.connect(libpq_url(database_url)) as conn:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_ID,))
            row = await (await conn.execute("SELECT to_regclass('procrastinate_jobs')")).fetchone()
            if row is not None and row[0] is not None:
                return False
            await conn.execute(SchemaManager.get_schema())  # type: ignore[arg-type]
    log.info("created the procrastinate job tables")
    return True


def build_app(ctx: JobContext) -> procrastinate.App:
    """The App with its connector and the periodic follow-up tasks bound to `ctx`. Opens nothing."""
    connector = procrastinate.PsycopgConnector(conninfo=libpq_url(ctx.database.url), min_size=1, max_size=4)
    app = procrastinate.App(connector=connector, periodic_defaults={"max_delay": 120})

    @app.periodic(cron="* * * * *", periodic_id="every-minute")
    @app.task(name="realty.ghost_scan", queue=QUEUE, queueing_lock="realty.ghost_scan")
    async def ghost_scan(timestamp: int) -> None:
        now = ctx.clock.now()
        await plan_ghost_nudges(ctx, now)
        await dispatch_due(ctx, now)

    @app.periodic(cron="* * * * *", periodic_id="every-minute")
    @app.task(name="realty.sequence_scan", queue=QUEUE, queueing_lock="realty.sequence_scan")
    async def sequence_scan(timestamp: int) -> None:
        now = ctx.clock.now()
        await plan_sequence_steps(ctx, now)
        await dispatch_due(ctx, now)

    @app.periodic(cron="* * * * *", periodic_id="every-minute")
    @app.task(name="realty.dispatch", queue=QUEUE, queueing_lock="realty.dispatch")
    async def dispatch(timestamp: int) -> None:
        now = ctx.clock.now()
        await reconcile(ctx, now)
        await dispatch_due(ctx, now)

    @app.periodic(cron=cron_every(ctx.settings.outreach_interval_minutes), periodic_id="interval")
    @app.task(name="realty.outreach", queue=QUEUE, queueing_lock="realty.outreach")
    async def outreach(timestamp: int) -> None:
        now = ctx.clock.now()
        await run_outreach(ctx, now)
        await dispatch_due(ctx, now)

    return app


async def run_worker(
    ctx: JobContext, *, concurrency: int = 2, name: str | None = None, install_signal_handlers: bool = False
) -> None:
    """Run the procrastinate worker until cancelled (or SIGINT/SIGTERM with `install_signal_handlers`)."""
    await ensure_job_schema(ctx.database.url)
    app = build_app(ctx)
    async with app.open_async():
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=concurrency,
            name=name or ctx.worker_id,
            install_signal_handlers=install_signal_handlers,
            delete_jobs="successful",
        )


@dataclass
class BackgroundJobs:
    """The worker running inside another process (`realty bot` on a one-machine install)."""

    task: asyncio.Task[None]
    ctx: JobContext

    async def stop(self) -> None:
        """Stop after the running jobs finish (procrastinate stops gracefully when its task is cancelled)."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.ctx.channels.close()


def start_background_jobs(services: Services, *, concurrency: int = 2) -> BackgroundJobs:
    """Start the worker as a task of the running loop; `await jobs.stop()` on shutdown."""
    ctx = job_context(services)
    task = asyncio.create_task(run_worker(ctx, concurrency=concurrency), name="realty-jobs-worker")

    def _report(done: asyncio.Task[None]) -> None:
        if not done.cancelled() and done.exception() is not None:
            log.error("the background job worker stopped", exc_info=done.exception())

    task.add_done_callback(_report)
    return BackgroundJobs(task=task, ctx=ctx)
