"""`realty analytics`: consolidate the facts the analytics page and API read (the worker does it every minute)."""

from __future__ import annotations

from typing import Annotated

import typer

from agent.cli.common import console, err_console, fail, run

app = typer.Typer(
    help="Analytics facts. Reports read consolidated per-lead facts and compute live only the leads changed "
    "since the last consolidation, so they are always exact; consolidating often keeps them fast. "
    "The worker (`realty worker`) consolidates every minute.\n\n"
    "Example: [bold]realty analytics refresh --tenant acme --full[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@app.command()
def refresh(
    tenant: Annotated[
        str | None, typer.Option("--tenant", "-t", help="The agency's slug; every agency when left out.")
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Rebuild every lead's facts, not only the leads changed since the last run."
        ),
    ] = False,
) -> None:
    """Consolidate the leads changed since the last refresh (all leads with --full), with a progress bar.

    Example: [bold]realty analytics refresh --tenant acme[/]
    """

    async def main() -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from agent.services.agencies.agencies import AgencyError, find_agency
        from agent.services.analytics_facts.refresh import mark_all_stale, refresh_tenant, stale_leads
        from agent.services.provider import open_services
        from storage.models import Tenant
        from storage.repositories.tenants import TenantRepository

        async with open_services() as services:
            async with services.database.session() as session:
                try:
                    agencies: list[Tenant] = (
                        [await find_agency(session, tenant)]
                        if tenant
                        else await TenantRepository(session).all()
                    )
                except AgencyError as exc:
                    raise fail(str(exc)) from None
            for agency in agencies:
                total = await (mark_all_stale if full else stale_leads)(services.database, agency.id)
                with Progress(
                    TextColumn("[progress.description]{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeRemainingColumn(),
                    console=err_console,
                    transient=True,
                ) as bar:
                    task = bar.add_task(f"Consolidating {agency.slug}", total=total)
                    done = await refresh_tenant(
                        services.database,
                        services.clock,
                        agency.id,
                        progress=lambda taken, task=task: bar.advance(task, taken),  # type: ignore[misc]
                    )
                console.print(f"{agency.slug}: {done.leads} leads consolidated.", highlight=False)

    run(main)
