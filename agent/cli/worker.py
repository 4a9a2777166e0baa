"""`realty worker` runs the job worker; `realty jobs run-due` runs what is due once; `realty jobs status` reports."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from agent.cli.common import console, err_console, fail, run, runnable

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)

SKIP_FIXES = {
    "tenant has no lead bot": "give the agency its lead bot with `realty bot set-token {slug} TOKEN`",
    "SMTP is not configured": "set SMTP_HOST and SMTP_FROM (and SMTP_USERNAME, SMTP_PASSWORD) for e-mail",
    "WhatsApp is not configured": "set WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID for WhatsApp",
    "team bot not configured (REGISTRY_BOT_TOKEN)": "set REGISTRY_BOT_TOKEN (the team bot) and run `realty bot`",
}
"""What an operator sets so that a send skipped for this reason (dispatch's words) can go next time."""

jobs_app = typer.Typer(
    help="Follow-up jobs: run what is due now, see held / unknown / failed sends.", no_args_is_help=True
)


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Jobs run at once by this worker.")] = 2,
) -> None:
    """Run the durable job worker: Ghost Protocol, sequences and dispatch every minute, outreach on its interval."""

    async def main() -> None:
        from agent.services.jobs.app import run_worker
        from agent.services.provider import open_services

        async with open_services() as services:
            console.print(
                f"worker [bold]{services.worker_id}[/] running (outreach every "
                f"{services.settings.outreach_interval_minutes} min); Ctrl+C stops it"
            )
            await run_worker(services, concurrency=concurrency, install_signal_handlers=True)
        log.info("realty worker stopped")
        console.print("stopped")

    run(main)


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"--now {value!r} is not an ISO time; try 2026-01-01T09:00:00+00:00") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@jobs_app.command("run-due")
def run_due_command(
    now: Annotated[
        str | None, typer.Option(help="The moment to act at (ISO 8601; no offset means UTC). Default: now.")
    ] = None,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (slug).")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Messages sent at once.")] = 4,
    outreach: Annotated[bool, typer.Option(help="Also run an outreach round.")] = True,
) -> None:
    """Run everything due at that moment, once: reconcile, ghost, sequences, outreach, send. For cron and tests."""
    moment = _parse_now(now)

    async def main() -> None:
        from agent.core.clock import FrozenClock
        from agent.services.jobs.run import run_due
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        clock = FrozenClock(moment) if moment is not None else None
        async with open_services(clock=clock) as services:
            tenant_id = None
            if tenant is not None:
                async with services.database.session() as session:
                    try:
                        tenant_id = (await TenantRepository(session).require(tenant)).id
                    except TenantNotFound as exc:
                        raise fail(str(exc)) from None
            with console.status("running due jobs…") as status:
                report = await run_due(
                    services,
                    tenant_id=tenant_id,
                    outreach=outreach,
                    concurrency=concurrency,
                    progress=lambda stage: status.update(f"running due jobs: {stage}…"),
                )
        d = report.dispatch
        table = Table(title=f"due at {report.now.isoformat(timespec='seconds')}", show_header=False)
        for label, value in (
            ("ghost nudges planned", report.ghost_planned),
            ("sequence steps planned", report.sequence_planned),
            ("prospects assigned", report.prospects_assigned),
            ("outreach messages planned", report.outreach_planned),
            ("sent", d.sent),
            ("held (quiet hours)", d.held),
            ("cancelled", d.cancelled),
            (runnable("skipped (no channel; `realty jobs status` says why)"), d.skipped),
            ("failed", d.failed),
            ("unknown", d.unknown + len(report.reconciled_unknown)),
            ("put back (flood control)", d.retried),
            ("webhooks delivered", report.webhooks.delivered),
            ("webhooks to retry", report.webhooks.retrying),
            ("webhooks given up (dead)", report.webhooks.dead),
        ):
            table.add_row(label, str(value))
        console.print(table)
        if report.reconciled_unknown:
            err_console.print(
                runnable(
                    f"[yellow]warning:[/] {len(report.reconciled_unknown)} send(s) left in flight by a stopped "
                    f"worker are now 'unknown' and will not be resent: {report.reconciled_unknown}. "
                    "See `realty jobs status`."
                )
            )

    run(main)


@jobs_app.command("status")
def status_command(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (slug).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Rows listed.")] = 30,
) -> None:
    """Counts of the sends ledger by status, and the held, unknown and failed sends that need a look."""

    async def main() -> None:
        from agent.services.provider import open_services
        from storage.repositories.followups import FollowUpRepository
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        async with open_services() as services, services.database.session() as session:
            tenant_id = None
            if tenant is not None:
                try:
                    tenant_id = (await TenantRepository(session).require(tenant)).id
                except TenantNotFound as exc:
                    raise fail(str(exc)) from None
            repo = FollowUpRepository(session)
            counts = await repo.counts_by_status(tenant_id)
            rows = await repo.attention_needed(tenant_id, limit=limit)
            skipped = await _skipped_by_reason(session, tenant_id)
        console.print(
            "sends: "
            + (", ".join(f"{status} {count}" for status, count in sorted(counts.items())) or "none yet")
        )
        for slug, channel, reason, count in skipped:
            fix = SKIP_FIXES.get(reason)
            todo = (
                fix.format(slug=slug)
                if fix
                else "nothing to configure: the recipient cannot be reached there"
            )
            console.print(
                runnable(f"skipped (no channel) {count} · {slug} · {channel}: {reason} — {todo}"),
                highlight=False,
                soft_wrap=True,
            )
        if not rows:
            console.print("nothing held, unknown or failed")
            return
        table = Table("id", "status", "why", "due", "to", "step", "claimed by")
        for send in rows:
            to = f"lead {send.lead_id}" if send.lead_id else f"prospect {send.prospect_id}"
            table.add_row(
                str(send.id),
                send.status,
                send.hold_reason or (send.error or "")[:70],
                send.due_at.isoformat(timespec="minutes"),
                to,
                send.step_key,
                send.claimed_by or "",
            )
        console.print(table)

    run(main)


async def _skipped_by_reason(session: AsyncSession, tenant_id: int | None) -> list[tuple[str, str, str, int]]:
    """Skipped sends counted by agency, channel and reason, most first."""
    from sqlalchemy import func, select

    from storage.enums import SendStatus
    from storage.models import FollowUpSend, Tenant

    count = func.count().label("n")
    query = (
        select(Tenant.slug, FollowUpSend.channel, FollowUpSend.error, count)
        .join(Tenant, Tenant.id == FollowUpSend.tenant_id)
        .where(FollowUpSend.status == SendStatus.SKIPPED)
        .group_by(Tenant.slug, FollowUpSend.channel, FollowUpSend.error)
        .order_by(count.desc(), Tenant.slug)
    )
    if tenant_id is not None:
        query = query.where(FollowUpSend.tenant_id == tenant_id)
    return [
        (slug, channel, error or "-", n)
        for slug, channel, error, n in (await session.execute(query)).tuples()
    ]
