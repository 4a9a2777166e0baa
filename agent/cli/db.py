"""`realty db`: migrate, seed the demo tenant, and show where the data lives."""

from __future__ import annotations

import typer

from agent.cli.common import console, run

app = typer.Typer(
    help="Database: migrations, demo data, status, stopping the embedded server.", no_args_is_help=True
)


@app.command()
def upgrade() -> None:
    """Apply pending migrations (every other command also does this on start when needed)."""

    async def main() -> None:
        from agent.services.provider import open_services
        from storage.migrate import upgrade as run_upgrade

        async with open_services(migrate=False) as services:
            revision = await run_upgrade(services.database)
        console.print(f"schema at revision [bold]{revision}[/]")

    run(main)


@app.command()
def status() -> None:
    """Show which database is in use and its schema revision."""

    async def main() -> None:
        from agent.services.provider import open_services
        from storage.db import redacted
        from storage.migrate import current_revision, head_revision

        async with open_services(migrate=False) as services:
            current = await current_revision(services.database)
            kind = "DATABASE_URL" if services.settings.database_url else "embedded"
            console.print(f"database: {redacted(services.database.url)} ({kind})")
            console.print(f"schema:   {current or 'empty'} (newest: {head_revision()})")

    run(main)


@app.command()
def stop() -> None:
    """Stop the embedded PostgreSQL under REALTY_DATA_DIR (it keeps running after a command, so the next one
    starts fast). With DATABASE_URL set there is nothing to stop: that server is yours."""
    from agent.settings import get_settings
    from storage.embedded import stop_embedded_server

    settings = get_settings()
    if settings.database_url:
        console.print(
            "DATABASE_URL is set: this install runs no embedded PostgreSQL to stop.", highlight=False
        )
        return
    stopped = stop_embedded_server(settings.realty_data_dir)
    where = settings.realty_data_dir / "pgdata"
    console.print(
        f"embedded PostgreSQL in {where}: {'stopped' if stopped else 'was not running'}",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def seed() -> None:
    """Create the demo agency "demo" (Bali Dream Homes): its Bali catalog and the registry's test prospects.

    Safe to run again: what exists is kept, listings are brought back to the demo data, nothing is duplicated.
    """

    async def main() -> None:
        from agent.adapters.embeddings import make_embedder
        from agent.cli.properties import embedding_progress
        from agent.services.catalog.seed import seed_demo
        from agent.services.provider import open_services

        async with open_services() as services:
            embedder = make_embedder(services.settings)
            async with services.database.session() as session:
                with embedding_progress("Embedding the demo catalog") as progress:
                    report = await seed_demo(session, embedder, settings=services.settings, progress=progress)
        listings = report.listings
        state = "created" if report.tenant_created else "already there, kept as is"
        console.print(f"tenant '{report.tenant_slug}' ({report.tenant_name}): {state}", highlight=False)
        console.print(
            f"listings: {listings.created} new, {listings.updated} updated, {listings.unchanged} unchanged "
            f"({listings.embedded} embedded with {embedder.name})",
            highlight=False,
        )
        console.print(
            f"prospects: {report.prospects_created} new, {report.prospects_total} in total", highlight=False
        )
        console.print(f"demo agent: {report.demo_rep}; default follow-up sequences in place", highlight=False)

    run(main)
