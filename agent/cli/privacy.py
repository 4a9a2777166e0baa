"""`realty leads export|erase`: everything stored about a lead as JSON, and erasing their personal data.

Registered onto the `leads` app by `add_commands` (agent.cli.leads), so they read as `realty leads export 12`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, err_console, fail, run

if TYPE_CHECKING:
    from agent.services.provider import Services

LeadId = Annotated[int, typer.Argument(help="The lead's id, as `realty leads list` shows it.")]
Tenant = Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency the lead belongs to.")]


def export_lead(
    lead_id: LeadId,
    tenant: Tenant = "demo",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the JSON to this file instead of stdout.")
    ] = None,
) -> None:
    """Export everything stored about a lead (profile, interactions, viewings, follow-ups, questions, audit,
    conversation checkpoints) as UTF-8 JSON."""

    async def main() -> None:
        from agent.services.privacy import export_lead as export
        from agent.services.provider import open_services
        from storage.repositories.leads import LeadNotFound

        async with open_services() as services:
            tenant_id = await _tenant_id(services, tenant)
            try:
                document = await export(services, tenant_id, lead_id)
            except LeadNotFound:
                raise fail(
                    f"no lead {lead_id} in '{tenant}': `realty leads list --tenant {tenant}` shows the leads"
                ) from None
        body = json.dumps(document, ensure_ascii=False, indent=2)  # PostgreSQL text is always valid UTF-8
        if out is None:
            typer.echo(body)
            return
        out.write_text(body + "\n", encoding="utf-8")
        err_console.print(f"lead {lead_id} exported to {out}", highlight=False)

    run(main)


def erase_lead(
    lead_id: LeadId,
    tenant: Tenant = "demo",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a lead's personal data everywhere (name, contacts, Telegram identity, message texts, follow-up
    texts, questions, notes) and delete their conversation checkpoints; counts are kept. Audited."""
    if not yes and not typer.confirm(
        f"Erase the personal data of lead {lead_id} in '{tenant}'? This cannot be undone", default=False
    ):
        raise fail("nothing erased", code=1)

    async def main() -> None:
        from agent.services.privacy import Eraser
        from agent.services.privacy import erase_lead as erase
        from agent.services.provider import open_services
        from storage.repositories.leads import LeadNotFound

        async with open_services() as services:
            tenant_id = await _tenant_id(services, tenant)
            try:
                report = await erase(services, tenant_id, lead_id, Eraser(None, "cli"), note=_operator())
            except LeadNotFound:
                raise fail(
                    f"no lead {lead_id} in '{tenant}': `realty leads list --tenant {tenant}` shows the leads"
                ) from None
        if report.already_erased:
            console.print(f"lead {lead_id} was already erased; checked again, nothing personal is left")
        else:
            console.print(f"erased lead {lead_id} of '{tenant}':")
        for table, count in sorted(report.rows.items()):
            console.print(f"  {table}: {count} row(s) anonymised", highlight=False)
        console.print(
            f"  conversation checkpoints: {report.threads_deleted} thread(s) deleted", highlight=False
        )

    run(main)


def _operator() -> str:
    """Who ran the command, for the audit entry (the OS user; no personal data of the lead)."""
    return f"operator {os.environ.get('USER') or os.environ.get('USERNAME') or 'unknown'}"


async def _tenant_id(services: Services, slug: str) -> int:
    from storage.repositories.tenants import TenantNotFound, TenantRepository

    async with services.database.session() as session:
        try:
            return (await TenantRepository(session).require(slug)).id
        except TenantNotFound as exc:
            raise fail(str(exc)) from None


def add_commands(app: typer.Typer) -> None:
    """`export` and `erase` on the leads app."""
    app.command("export")(export_lead)
    app.command("erase")(erase_lead)
