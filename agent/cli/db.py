"""`realty db`: migrate, seed the demo tenant, and show where the data lives."""

from __future__ import annotations

import typer

from agent.cli.common import console, run

app = typer.Typer(help="Database: migrations, demo data, status.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Apply pending migrations (every other command also does this on start when needed)."""

    async def main() -> None:
        from agent.runtime import open_services
        from storage.migrate import upgrade as run_upgrade

        async with open_services(migrate=False) as services:
            revision = await run_upgrade(services.database)
        console.print(f"schema at revision [bold]{revision}[/]")

    run(main)


@app.command()
def status() -> None:
    """Show which database is in use and its schema revision."""

    async def main() -> None:
        from agent.runtime import open_services
        from storage.db import redacted
        from storage.migrate import current_revision, head_revision

        async with open_services(migrate=False) as services:
            current = await current_revision(services.database)
            kind = "DATABASE_URL" if services.settings.database_url else "embedded"
            console.print(f"database: {redacted(services.database.url)} ({kind})")
            console.print(f"schema:   {current or 'empty'} (newest: {head_revision()})")

    run(main)
