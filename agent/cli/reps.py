"""`realty reps`: an agency's sales reps: list, show, suspend, remove (as an admin does in the team bot)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, fail, run

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import Tenant

app = typer.Typer(
    help="An agency's sales reps. Reps register themselves in the team bot; admins approve them there. "
    'Here an operator lists them and suspends or removes one (audited, actor "cli").\n\n'
    "Example: [bold]realty reps list --tenant acme[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

TenantOption = Annotated[
    str | None,
    typer.Option("--tenant", "-t", help="The agency's slug; may be left out when there is one agency."),
]
RepArgument = Annotated[
    str,
    typer.Argument(
        help="The rep: e-mail, @username, Telegram id, id (or its first 8 characters) or full name.",
        show_default=False,
    ),
]


async def _tenant(session: AsyncSession, slug: str | None) -> Tenant:
    from agent.services.agencies.agencies import AgencyError, agency_for_command

    try:
        return await agency_for_command(session, slug)
    except AgencyError as exc:
        raise fail(str(exc)) from None


@app.command("list")
def list_(
    tenant: TenantOption = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status", help="Only these statuses (repeatable): pending, active, suspended, removed."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """The agency's reps, oldest first: name, status, role, Telegram, e-mail, working hours and time zone.

    Examples: [bold]realty reps list[/] · [bold]realty reps list --tenant acme --status active --status pending[/]
    """
    from agent.services.agencies.reps import ALL_STATUSES

    wanted = tuple(s.strip().lower() for s in status or ALL_STATUSES)
    unknown = [s for s in wanted if s not in ALL_STATUSES]
    if unknown:
        raise fail(f"unknown status {unknown[0]!r}: use {', '.join(ALL_STATUSES)}", 2)

    async def main() -> None:
        from rich import box
        from rich.table import Table

        from agent.services.agencies.reps import rep_view, tenant_reps
        from agent.services.provider import open_services

        async with open_services() as services, services.database.session() as session:
            found = await _tenant(session, tenant)
            views = [rep_view(rep, found) for rep in await tenant_reps(session, found, wanted)]
        if as_json:
            print(json.dumps(views, ensure_ascii=False, indent=2))
            return
        if not views:
            console.print(
                f"No reps in '{found.slug}' yet: they register in the team bot with an e-mail "
                f"@{found.corporate_email_domain or 'DOMAIN'}.",
                highlight=False,
            )
            return
        table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("Name", "Status", "Role", "Telegram", "E-mail", "Working hours"):
            table.add_column(column)
        for view in views:
            table.add_row(
                str(view["name"]),
                str(view["status"]),
                str(view["role"]),
                str(view["telegram_username"] or view["telegram_id"]),
                str(view["email"]),
                str(view["working_hours"]),
            )
        console.print(table)

    run(main)


@app.command()
def show(
    rep: RepArgument,
    tenant: TenantOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """One rep's record (no calendar tokens).

    Example: [bold]realty reps show anna@acme.co.id --json[/]
    """

    async def main() -> None:
        from agent.services.agencies.reps import RepCommandError, find_rep, rep_view
        from agent.services.provider import open_services

        async with open_services() as services, services.database.session() as session:
            found = await _tenant(session, tenant)
            try:
                view = rep_view(await find_rep(session, found, rep), found)
            except RepCommandError as exc:
                raise fail(str(exc)) from None
        if as_json:
            print(json.dumps(view, ensure_ascii=False, indent=2))
            return
        for key, value in view.items():
            console.print(f"{key.replace('_', ' '):<19}{'-' if value is None else value}", highlight=False)

    run(main)


def _change(rep: str, tenant: str | None, action: str) -> None:
    async def main() -> None:
        from agent.services.agencies.reps import RepCommandError, find_rep, remove_rep, suspend_rep
        from agent.services.provider import open_services

        async with open_services() as services:
            try:
                async with services.database.session() as session:
                    found = await _tenant(session, tenant)
                    record = await find_rep(session, found, rep)
                    stop = suspend_rep if action == "suspend" else remove_rep
                    change = await stop(session, record, services.clock.now())
            except RepCommandError as exc:
                raise fail(str(exc)) from None
        done = "suspended" if action == "suspend" else "removed"
        console.print(f"{change.rep.name} <{change.rep.email}> {done}", highlight=False)
        if change.prospects_handed_over:
            console.print(
                f"{change.prospects_handed_over} open prospect(s) handed to the other active reps "
                "(left unassigned when there is none)",
                highlight=False,
            )
        if change.leads_assigned:
            console.print(
                f"{change.leads_assigned} lead(s) keep their history and go to an active rep at their next hand-off",
                highlight=False,
            )

    run(main)


@app.command()
def suspend(rep: RepArgument, tenant: TenantOption = None) -> None:
    """Suspend an active rep: no new leads, no admin rights; their open prospects go to the other active reps.

    An admin restores a suspended rep in the team bot. Audited (actor "cli").

    Example: [bold]realty reps suspend anna@acme.co.id --tenant acme[/]
    """
    _change(rep, tenant, "suspend")


@app.command()
def remove(rep: RepArgument, tenant: TenantOption = None) -> None:
    """Remove a rep (pending, active or suspended) for good; the record stays for the history.

    Their open prospects go to the other active reps; their leads go to an active rep at the next hand-off.
    Audited (actor "cli"). The person can register again in the team bot, and an admin decides anew.

    Example: [bold]realty reps remove @anna --tenant acme[/]
    """
    _change(rep, tenant, "remove")
