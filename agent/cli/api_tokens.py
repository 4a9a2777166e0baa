"""`realty api-tokens`: an agency's bearer tokens for integrations with /api/v1: create, list, revoke."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, fail, run

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import Tenant

app = typer.Typer(
    help="An agency's API tokens for integrations (Zapier, a CRM, your own scripts). A token is sent as "
    "[bold]Authorization: Bearer rk_…[/] to /api/v1 (docs at /api/docs of `realty serve`), acts for the whole "
    "agency (its leads, viewings, follow-ups and listings; not its reps) and is shown once: only its digest is "
    'stored. Admins do the same in the team bot ("new API token Zapier"). Every change is audited (actor "cli").\n\n'
    "Example: [bold]realty api-tokens create Zapier --tenant acme[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

TenantOption = Annotated[
    str | None,
    typer.Option("--tenant", "-t", help="The agency's slug; may be left out when there is one agency."),
]


async def _tenant(session: AsyncSession, slug: str | None) -> Tenant:
    from agent.services.agencies.agencies import AgencyError, agency_for_command

    try:
        return await agency_for_command(session, slug)
    except AgencyError as exc:
        raise fail(str(exc)) from None


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. Zapier.", show_default=False)],
    tenant: TenantOption = None,
) -> None:
    """Create a token and print it once: copy it now, it cannot be shown again.

    Example: [bold]realty api-tokens create Zapier --tenant acme[/]
    """

    async def main() -> None:
        from agent.services.provider import open_services
        from agent.services.web_access import ApiTokens

        async with open_services() as services:
            async with services.database.session() as session:
                found = await _tenant(session, tenant)
            tokens = ApiTokens(services.database, services.settings, services.clock)
            created = await tokens.create(found.id, name, created_by="cli")
        console.print(
            f"API token '{created.line.name}' ({created.line.prefix}…) for '{found.slug}'. "
            "Copy it now; it is not shown again:",
            highlight=False,
        )
        print(created.token)

    run(main)


@app.command("list")
def list_(
    tenant: TenantOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """The agency's tokens, newest first: prefix, name, who created it, last use, revoked or not.

    Example: [bold]realty api-tokens list --tenant acme[/]
    """

    async def main() -> None:
        from rich import box
        from rich.table import Table

        from agent.services.provider import open_services
        from agent.services.web_access import ApiTokens

        async with open_services() as services:
            async with services.database.session() as session:
                found = await _tenant(session, tenant)
            lines = await ApiTokens(services.database, services.settings, services.clock).list(found.id)
        views = [
            {
                "id": str(line.id),
                "prefix": line.prefix,
                "name": line.name,
                "created_by": line.created_by,
                "created_at": line.created_at.isoformat(),
                "last_used_at": line.last_used_at.isoformat() if line.last_used_at else None,
                "revoked_at": line.revoked_at.isoformat() if line.revoked_at else None,
            }
            for line in lines
        ]
        if as_json:
            print(json.dumps(views, ensure_ascii=False, indent=2))
            return
        if not views:
            console.print(
                f"No API tokens in '{found.slug}' yet: realty api-tokens create NAME --tenant {found.slug}",
                highlight=False,
            )
            return
        table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("Prefix", "Name", "Created by", "Created", "Last used", "State"):
            table.add_column(column)
        for view in views:
            table.add_row(
                str(view["prefix"]),
                str(view["name"]),
                str(view["created_by"]),
                str(view["created_at"])[:16],
                str(view["last_used_at"] or "never")[:16],
                "revoked" if view["revoked_at"] else "live",
            )
        console.print(table)

    run(main)


@app.command()
def revoke(
    token: Annotated[
        str,
        typer.Argument(help="The token's id, or its prefix (rk_ab12…, or just ab12).", show_default=False),
    ],
    tenant: TenantOption = None,
) -> None:
    """Revoke a token: from now on it opens nothing (401). Cannot be undone; create a new one instead.

    Example: [bold]realty api-tokens revoke rk_ab12cd34 --tenant acme[/]
    """

    async def main() -> None:
        from agent.services.provider import open_services
        from agent.services.web_access import ApiTokens, TokenNotFound

        async with open_services() as services:
            async with services.database.session() as session:
                found = await _tenant(session, tenant)
            tokens = ApiTokens(services.database, services.settings, services.clock)
            try:
                line = await tokens.revoke(found.id, token, revoked_by="cli")
            except TokenNotFound:
                raise fail(
                    f"no single live API token of '{found.slug}' is {token!r}: "
                    f"see realty api-tokens list --tenant {found.slug}"
                ) from None
        console.print(f"API token {line.prefix}… ('{line.name}') revoked", highlight=False)

    run(main)
