"""`realty tenants`: create, list, show and change agencies (tenants): name, zone, currency, languages, domain."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import console, fail, run

if TYPE_CHECKING:
    from agent.services.agencies.agencies import AgencyInput

app = typer.Typer(
    help="Agencies (tenants): each has its own lead bot, catalog, team and settings.\n\n"
    'Example: [bold]realty tenants create "Acme Realty" --time-zone Asia/Makassar --currency IDR '
    "--email-domain acme.co.id[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

NameOption = Annotated[
    str | None, typer.Option("--name", help="The agency's name, as reps and leads read it.")
]
ZoneOption = Annotated[
    str | None, typer.Option("--time-zone", "-z", help="IANA time zone, e.g. Asia/Makassar (default UTC).")
]
CurrencyOption = Annotated[
    str | None,
    typer.Option("--currency", help="ISO 4217 code budgets and prices are read in, e.g. IDR (default USD)."),
]
LanguageOption = Annotated[
    str | None, typer.Option("--language", help="Default language of leads: en, ru, fa or ar (default en).")
]
CountryOption = Annotated[
    str | None,
    typer.Option("--country", help="Phone region for numbers without +, two letters, e.g. ID (default US)."),
]
DomainOption = Annotated[
    str | None,
    typer.Option(
        "--email-domain",
        help="Corporate e-mail domain: reps who register with it join this agency (none clears it).",
    ),
]
QuietOption = Annotated[
    str | None,
    typer.Option(
        "--quiet-hours", help="No follow-ups between these local times, HH:MM-HH:MM (default 21:00-08:00)."
    ),
]
GhostOption = Annotated[
    str | None,
    typer.Option(
        "--ghost-delay",
        help="Minutes of silence before the Ghost Protocol nudge (none: the GHOST_AFTER_MINUTES setting).",
    ),
]
AlertOption = Annotated[
    str | None,
    typer.Option(
        "--alert-chat", help="Telegram chat id for hot-lead alerts, e.g. -1001234567890 (none clears it)."
    ),
]
MeetingOption = Annotated[
    str | None, typer.Option("--meeting-provider", help="Online viewings: zoom, google_meet or none.")
]
RateOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rate",
        help="Exchange rate CODE=RATE, repeatable: EUR=1.08 means one EUR is 1.08 of the agency's currency.",
    ),
]


def _input(**typed: Any) -> AgencyInput:
    from agent.services.agencies.agencies import AgencyInput

    typed["rates"] = tuple(typed.get("rates") or ())
    return AgencyInput(**typed)


def _view_lines(view: dict[str, Any]) -> list[str]:
    rates = ", ".join(
        f"1 {code} = {rate:g} {view['default_currency']}" for code, rate in view["exchange_rates"].items()
    )
    return [
        f"[bold]{view['name']}[/] ({view['slug']})",
        f"  time zone        {view['time_zone']}",
        f"  currency         {view['default_currency']}" + (f"  ({rates})" if rates else ""),
        f"  language         {view['default_language']}",
        f"  phone region     {view['country_code']}",
        f"  e-mail domain    {view['corporate_email_domain'] or '-'}",
        f"  quiet hours      {view['quiet_hours']}",
        "  ghost delay      "
        + (
            f"{view['ghost_after_minutes']} min"
            if view["ghost_after_minutes"]
            else "the GHOST_AFTER_MINUTES setting"
        ),
        f"  alert chat       {view['alert_chat_id'] or '- (alerts go to the admins)'}",
        f"  meeting provider {view['meeting_provider']}",
        f"  lead bot         {view['lead_bot'] or '- (`realty bot set-token ' + view['slug'] + ' TOKEN`)'}",
    ]


@app.command()
def create(
    name: Annotated[str, typer.Argument(help='The agency\'s name, e.g. "Acme Realty".', show_default=False)],
    slug: Annotated[
        str | None,
        typer.Option("--slug", help="Short id used by other commands (--tenant); default: from the name."),
    ] = None,
    time_zone: ZoneOption = None,
    currency: CurrencyOption = None,
    language: LanguageOption = None,
    country: CountryOption = None,
    email_domain: DomainOption = None,
    quiet_hours: QuietOption = None,
    ghost_delay: GhostOption = None,
    alert_chat: AlertOption = None,
    meeting_provider: MeetingOption = None,
    rates: RateOption = None,
) -> None:
    """Create an agency. Settings left out take their defaults; change any later with [bold]realty tenants set[/].

    Example: [bold]realty tenants create "Acme Realty" --slug acme --time-zone Asia/Makassar --currency IDR
    --language en --country ID --email-domain acme.co.id --rate USD=16200[/]

    Then: [bold]realty bot set-token acme TOKEN[/] gives it a lead bot, [bold]realty properties import FILE
    --tenant acme[/] fills its catalog, and reps with an @acme.co.id e-mail register in the team bot.
    """
    typed = _input(
        time_zone=time_zone,
        currency=currency,
        language=language,
        country=country,
        email_domain=email_domain,
        quiet_hours=quiet_hours,
        ghost_delay=ghost_delay,
        alert_chat=alert_chat,
        meeting_provider=meeting_provider,
        rates=rates,
    )

    async def main() -> None:
        from agent.services.agencies.agencies import AgencyError, agency_view, create_agency
        from agent.services.agencies.fields import AgencyFieldError
        from agent.services.provider import open_services

        async with open_services() as services:
            try:
                async with services.database.session() as session:
                    tenant = await create_agency(session, name, slug, typed)
                    view = agency_view(tenant, has_lead_bot=False)
            except (AgencyError, AgencyFieldError) as exc:
                raise fail(str(exc)) from None
        console.print(f"created agency '{view['slug']}'", highlight=False)
        for line in _view_lines(view):
            console.print(line, highlight=False)

    run(main)


@app.command("list")
def list_() -> None:
    """Every agency, one line each: slug, name, zone, currency, language, e-mail domain, lead bot.

    Example: [bold]realty tenants list[/]
    """

    async def main() -> None:
        from rich import box
        from rich.table import Table

        from agent.services.agencies.agencies import agency_view, lead_bot_tenant_ids
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantRepository

        async with open_services() as services, services.database.session() as session:
            with_bot = await lead_bot_tenant_ids(session)
            views = [
                agency_view(t, has_lead_bot=t.id in with_bot) for t in await TenantRepository(session).all()
            ]
        if not views:
            console.print("No agency yet: create one with [bold]realty tenants create NAME[/].")
            return
        table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("Slug", no_wrap=True)
        for column in ("Name", "Time zone", "Currency", "Lang", "E-mail domain", "Lead bot"):
            table.add_column(column)
        for view in views:
            table.add_row(
                view["slug"],
                view["name"],
                view["time_zone"],
                view["default_currency"],
                view["default_language"],
                view["corporate_email_domain"] or "-",
                view["lead_bot"] or "-",
            )
        console.print(table)

    run(main)


@app.command()
def show(
    slug: Annotated[
        str, typer.Argument(help="The agency's slug (see `realty tenants list`).", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Every setting of one agency (never its lead bot's token).

    Example: [bold]realty tenants show acme --json[/]
    """

    async def main() -> None:
        from agent.services.agencies.agencies import (
            AgencyError,
            agency_view,
            find_agency,
            lead_bot_tenant_ids,
        )
        from agent.services.provider import open_services

        async with open_services() as services, services.database.session() as session:
            try:
                tenant = await find_agency(session, slug)
            except AgencyError as exc:
                raise fail(str(exc)) from None
            view = agency_view(tenant, has_lead_bot=tenant.id in await lead_bot_tenant_ids(session))
        if as_json:
            print(json.dumps(view, ensure_ascii=False, indent=2))
            return
        for line in _view_lines(view):
            console.print(line, highlight=False)

    run(main)


@app.command("set")
def set_(
    slug: Annotated[
        str, typer.Argument(help="The agency's slug (see `realty tenants list`).", show_default=False)
    ],
    name: NameOption = None,
    time_zone: ZoneOption = None,
    currency: CurrencyOption = None,
    language: LanguageOption = None,
    country: CountryOption = None,
    email_domain: DomainOption = None,
    quiet_hours: QuietOption = None,
    ghost_delay: GhostOption = None,
    alert_chat: AlertOption = None,
    meeting_provider: MeetingOption = None,
    rates: RateOption = None,
    clear_rates: Annotated[
        bool, typer.Option("--clear-rates", help="Forget every exchange rate (before adding any --rate).")
    ] = False,
) -> None:
    """Change some settings of an agency; the others stay. --rate adds or replaces one currency's rate.

    Examples: [bold]realty tenants set acme --time-zone Asia/Makassar --quiet-hours 22:00-07:30[/]
    · [bold]realty tenants set acme --rate EUR=17600 --rate USD=16200[/] · [bold]realty tenants set acme
    --email-domain none --ghost-delay none[/] (clears them)
    """
    typed = _input(
        name=name,
        time_zone=time_zone,
        currency=currency,
        language=language,
        country=country,
        email_domain=email_domain,
        quiet_hours=quiet_hours,
        ghost_delay=ghost_delay,
        alert_chat=alert_chat,
        meeting_provider=meeting_provider,
        rates=rates,
        clear_rates=clear_rates,
    )

    async def main() -> None:
        from agent.services.agencies.agencies import AgencyError, change_agency
        from agent.services.agencies.fields import AgencyFieldError
        from agent.services.provider import open_services

        async with open_services() as services:
            try:
                async with services.database.session() as session:
                    tenant, changed = await change_agency(session, slug, typed)
            except (AgencyError, AgencyFieldError) as exc:
                raise fail(str(exc)) from None
        what = (
            ", ".join(column.replace("_", " ") for column in changed) if changed else "nothing (same values)"
        )
        console.print(f"{tenant.slug}: changed {what}", highlight=False)
        if "default_currency" in changed and tenant.exchange_rates:
            rates = ", ".join(f"{code}={rate:g}" for code, rate in tenant.exchange_rates.items())
            console.print(
                f"[yellow]check the exchange rates[/] ({rates}): each is now read as {tenant.default_currency} "
                f"per unit; fix them with --clear-rates --rate CODE=RATE",
                highlight=False,
            )

    run(main)
