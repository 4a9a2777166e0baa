"""The durable job system: a procrastinate App on our PostgreSQL with the follow-up jobs as periodic tasks.

Periodic tasks (procrastinate defers each tick once, however many workers run):
- `realty.follow_ups`  every minute: reconcile dead claims, plan Ghost Protocol nudges and sequence steps, then
                       send what is due (quiet-hour releases and approvals too), in that order (`run_due`);
- `realty.outreach`    every OUTREACH_INTERVAL_MINUTES: assign prospects, plan contacts and cards, send;
- `realty.webhooks`    every minute: send the agencies' due webhook deliveries (signed, retried with backoff).
- `realty.analytics_facts` every minute: consolidate the analytics facts of leads changed since the last run.
- `realty.insights_nightly` at 03:00 UTC: every active lead's insight composed again (`agent.services.insights`);
- `realty.insights_due` every 2 minutes: the full refresh of insights marked due by a lead's turn (catalog search,
                       and the model's summary when a model is configured).
- `realty.scoring_train` daily at 03:17 UTC: train each agency's conversion model (used only if it beats the base).
Exactly-once lives in our ledger, not in the queue: a job that runs twice only finds nothing left to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import procrastinate
from procrastinate.schema import SchemaManager

from agent.services.analytics_facts.refresh import refresh_all
from agent.services.insights import refresh_all as refresh_insights
from agent.services.insights import refresh_due
from agent.services.integrations.delivery import deliver_due
from agent.services.jobs.dispatch import dispatch_due
from agent.services.jobs.outreach import run_outreach
from agent.services.jobs.run import run_due
from agent.services.provider import Services
from storage.db import libpq_url

log = logging.getLogger(__name__)

QUEUE = "realty"
FOLLOW_UPS_TASK = "realty.follow_ups"
OUTREACH_TASK = "realty.outreach"
WEBHOOKS_TASK = "realty.webhooks"
ANALYTICS_TASK = "realty.analytics_facts"
INSIGHTS_NIGHTLY_TASK = "realty.insights_nightly"
INSIGHTS_DUE_TASK = "realty.insights_due"
SCORING_TASK = "realty.scoring_train"
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


def build_app(services: Services) -> procrastinate.App:
    """The App with its connector and the periodic follow-up tasks bound to `services`. Opens nothing."""
    connector = procrastinate.PsycopgConnector(
        conninfo=libpq_url(services.database.url), min_size=1, max_size=4
    )
    app = procrastinate.App(connector=connector, periodic_defaults={"max_delay": 120})

    # The aliases are the three every-minute tasks this one replaced: jobs an older worker queued still run.
    @app.periodic(cron="* * * * *", periodic_id="every-minute")
    @app.task(
        name=FOLLOW_UPS_TASK,
        aliases=["realty.ghost_scan", "realty.sequence_scan", "realty.dispatch"],
        queue=QUEUE,
        queueing_lock=FOLLOW_UPS_TASK,
    )
    async def follow_ups(timestamp: int) -> None:
        await run_due(services, services.clock.now(), outreach=False, webhooks=False)

    @app.periodic(cron=cron_every(services.settings.outreach_interval_minutes), periodic_id="interval")
    @app.task(name=OUTREACH_TASK, queue=QUEUE, queueing_lock=OUTREACH_TASK)
    async def outreach(timestamp: int) -> None:
        now = services.clock.now()
        await run_outreach(services, now)
        await dispatch_due(services, now)

    @app.periodic(cron="* * * * *", periodic_id="webhooks")
    @app.task(name=WEBHOOKS_TASK, queue=QUEUE, queueing_lock=WEBHOOKS_TASK)
    async def webhooks(timestamp: int) -> None:
        await deliver_due(services, services.clock.now())

    # Consolidate the analytics facts of the leads changed since the last run (reports stay exact meanwhile).
    @app.periodic(cron="* * * * *", periodic_id="analytics")
    @app.task(name=ANALYTICS_TASK, queue=QUEUE, queueing_lock=ANALYTICS_TASK)
    async def analytics_facts(timestamp: int) -> None:
        await refresh_all(services.database, services.clock)

    # Insights: all active leads nightly; after a lead's turn, the full refresh (search, model) off the reply path.
    @app.periodic(cron="0 3 * * *", periodic_id="insights-nightly")
    @app.task(name=INSIGHTS_NIGHTLY_TASK, queue=QUEUE, queueing_lock=INSIGHTS_NIGHTLY_TASK)
    async def insights_nightly(timestamp: int) -> None:
        await refresh_insights(services, services.clock.now())

    @app.periodic(cron="*/2 * * * *", periodic_id="insights-due")
    @app.task(name=INSIGHTS_DUE_TASK, queue=QUEUE, queueing_lock=INSIGHTS_DUE_TASK)
    async def insights_due(timestamp: int) -> None:
        await refresh_due(services, services.clock.now())

    @app.periodic(cron="17 3 * * *", periodic_id="scoring")
    @app.task(name=SCORING_TASK, queue=QUEUE, queueing_lock=SCORING_TASK)
    async def scoring_train(timestamp: int) -> None:
        from agent.services.leads.training import train_all  # scikit-learn loads only when training runs

        await train_all(services.database, services.clock.now())

    return app


async def run_worker(
    services: Services,
    *,
    concurrency: int = 2,
    name: str | None = None,
    install_signal_handlers: bool = False,
) -> None:
    """Run the procrastinate worker until cancelled (or SIGINT/SIGTERM with `install_signal_handlers`)."""
    await ensure_job_schema(services.database.url)
    app = build_app(services)
    async with app.open_async():
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=concurrency,
            name=name or services.worker_id,
            install_signal_handlers=install_signal_handlers,
            delete_jobs="successful",
        )


@dataclass
class BackgroundJobs:
    """The worker running inside another process (`realty bot` on a one-machine install)."""

    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Stop after the running jobs finish (procrastinate stops gracefully when its task is cancelled)."""
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def start_background_jobs(services: Services, *, concurrency: int = 2) -> BackgroundJobs:
    """Start the worker as a task of the running loop; `await jobs.stop()` on shutdown."""
    task = asyncio.create_task(run_worker(services, concurrency=concurrency), name="realty-jobs-worker")

    def _report(done: asyncio.Task[None]) -> None:
        if not done.cancelled() and done.exception() is not None:
            log.error("the background job worker stopped", exc_info=done.exception())

    task.add_done_callback(_report)
    return BackgroundJobs(task=task)
