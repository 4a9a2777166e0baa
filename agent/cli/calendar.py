"""`realty calendar`: a rep's free viewing slots (as the agent would offer them) and a live check of their Google Calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import console, fail, run

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import SalesRepresentative

app = typer.Typer(
    help="Calendars: reps' free viewing slots and Google Calendar connections.", no_args_is_help=True
)

RepOption = Annotated[str, typer.Option("--rep", "-r", help="The rep: corporate e-mail or Telegram id.")]


async def _rep(session: AsyncSession, rep: str) -> SalesRepresentative:
    from storage.repositories.reps import RepRepository

    reps = RepRepository(session)
    found = (
        await reps.current_across_tenants(int(rep))
        if rep.strip().isdigit()
        else await reps.by_email_across_tenants(rep.strip())
    )
    if found is None:
        raise fail(
            f"no rep {rep!r}: give their corporate e-mail or Telegram id (see the team bot's admin list)"
        )
    return found


@app.command("slots")
def slots(
    rep: RepOption,
    days: Annotated[int, typer.Option(min=1, max=60, help="How many days ahead to look.")] = 7,
    zone: Annotated[
        str | None,
        typer.Option(help="Also show each slot on this clock (a lead's zone, e.g. Europe/Moscow)."),
    ] = None,
    minutes: Annotated[int, typer.Option(min=15, max=480, help="Viewing length in minutes.")] = 60,
) -> None:
    """The rep's free viewing slots: working hours minus viewings and (when connected) Google busy time."""

    async def main() -> None:
        from datetime import timedelta

        from agent.core.availability import Interval
        from agent.core.policies.slots import earliest_start
        from agent.core.zones import known_zone, zone_of
        from agent.services.calendars.service import calendar_for_tenant, rep_free_slots
        from agent.services.provider import open_services
        from prompts.calendar import format_when
        from storage.models import Tenant

        viewer = known_zone(zone)
        if zone and viewer is None:
            raise fail(f"unknown time zone {zone!r}: use an IANA name such as Europe/Moscow")
        async with open_services() as services, services.database.session() as session:
            found = await _rep(session, rep)
            tenant = await session.get(Tenant, found.tenant_id)
            assert tenant is not None
            now = services.clock.now()
            start = earliest_start(now)
            calendar = calendar_for_tenant(services, tenant)
            free = await rep_free_slots(
                session,
                found,
                tenant,
                Interval(start, start + timedelta(days=days)),
                timedelta(minutes=minutes),
                now=now,
                calendar=calendar,
            )
            rep_zone = zone_of(found.time_zone or tenant.time_zone)
            source = (
                "Google Calendar + viewings" if found.calendar_connected else "internal calendar (viewings)"
            )
            console.print(f"[bold]{found.name}[/] ({found.email}) — {len(free)} free slots, {source}")
            for slot in free:
                line = format_when(slot.start, rep_zone, "en")
                if viewer is not None:
                    line += f"   = {format_when(slot.start, viewer, 'en')}"
                console.print(f"  {line}", highlight=False)
            for lost in calendar.disconnected:
                console.print(f"[yellow]{lost.name}'s Google grant was refused: they must reconnect[/]")

    run(main)


@app.command("check")
def check(rep: RepOption) -> None:
    """A real call on the rep's Google Calendar; updates "calendar connected" with what Google says."""

    async def main() -> None:
        from agent.services.calendars import connection
        from agent.services.provider import open_services

        async with open_services() as services, services.database.session() as session:
            found = await _rep(session, rep)
            result = await connection.verify(
                found, settings=services.settings, transport=services.calendars.google
            )
        if result.connected:
            console.print(f"calendar connected ✓ ({result.account}, {result.time_zone})")
        elif result.unavailable:
            raise fail("Google did not answer; nothing was changed. Try again in a minute.")
        elif result.reconnect:
            raise fail(
                f"Google refused {found.name}'s grant: they must reconnect (say 'connect calendar' to the team bot)"
            )
        else:
            console.print(f"{found.name} has no Google Calendar connected: the internal calendar is used")
            raise typer.Exit(1)

    run(main)
