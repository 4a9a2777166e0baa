"""`realty properties`: search a tenant's catalog, import listing files, refresh embeddings; edit, hide, delete one."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import console, err_console, fail, run
from storage.enums import PropertyType, Transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from agent.adapters.embeddings import Embedder
    from agent.services.catalog.importer import ValidatedCatalog
    from agent.services.catalog.readers import RawCatalog
    from agent.services.provider import Services
    from storage.models import Property, Tenant
    from storage.repositories.listings import Progress
    from storage.repositories.properties import PropertyHit

app = typer.Typer(
    help="The listing catalog: hybrid search, importing CSV/JSON/SGD files, re-embedding; editing, hiding and "
    "deleting one listing.\n\nExample: [bold]realty properties edit V-1 --price 410000 --units 0[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

EXIT_REJECTED = 1
EXIT_UNREADABLE = 2
REFRESH_STATISTICS_AFTER = 500
"""Listings written by one import past which search statistics are refreshed at once, not by autovacuum later."""

TenantOption = Annotated[str, typer.Option("--tenant", "-t", help="Slug of the agency whose catalog to use.")]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON on stdout instead of a table.")
]


class FileFormatChoice(StrEnum):
    csv = "csv"
    json = "json"
    sgd = "sgd"


@contextmanager
def embedding_progress(description: str = "Embedding listings") -> Iterator[Progress]:
    """A rich progress bar on stderr, fed through the repositories' (done, total) callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


async def _demo_or_existing_tenant(
    session: AsyncSession, services: Services, embedder: Embedder, slug: str, *, create: bool = False
) -> Tenant:
    """The tenant; the demo agency is seeded on first use, others are created only when asked."""
    from agent.services.catalog.demo import DEMO_TENANT_SLUG
    from agent.services.catalog.seed import seed_demo
    from storage.repositories.tenants import TenantNotFound, TenantRepository

    tenants = TenantRepository(session)
    tenant = await tenants.by_slug(slug)
    if tenant is not None:
        return tenant
    if slug == DEMO_TENANT_SLUG:
        err_console.print("[dim]No demo catalog yet: seeding it first (same as `realty db seed`).[/]")
        with embedding_progress("Embedding the demo catalog") as progress:
            await seed_demo(session, embedder, settings=services.settings, progress=progress)
        return await tenants.require(slug)
    if create:
        err_console.print(f"[dim]Created tenant '{slug}'.[/]")
        return await tenants.create(name=slug, slug=slug)
    raise fail(str(TenantNotFound(slug)) + f" (or pass --create-tenant to create '{slug}')")


async def _refresh_embeddings(session: AsyncSession, tenant_id: int | None, embedder: Embedder) -> int:
    from storage.repositories.listings import reembed_stale

    with embedding_progress(f"Re-embedding with {embedder.name}") as progress:
        return await reembed_stale(session, tenant_id, embedder, progress=progress)


# ---------------------------------------------------------------------------------------------------------
# search


def _money(value: Decimal, currency: str, period: str | None) -> str:
    amount = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{amount} {currency}" + (f"/{'mo' if period == 'month' else 'yr'}" if period else "")


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return "-"
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _hits_table(hits: list[PropertyHit], query: str) -> None:
    from rich import box
    from rich.table import Table

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Listing", ratio=1, min_width=20)
    table.add_column("Price", justify="right", no_wrap=True)
    for column in ("Beds", "Baths", "m²", "Units", "Match"):
        table.add_column(column, justify="right", no_wrap=True)
    for rank, hit in enumerate(hits, start=1):
        where = f"{hit.property_type} for {hit.transaction} · {hit.location} · #{hit.id} {hit.external_id}"
        table.add_row(
            str(rank),
            f"[bold]{hit.title}[/]\n[dim]{where}[/]",
            _money(hit.price, hit.currency, hit.price_period),
            _number(hit.bedrooms),
            _number(hit.bathrooms),
            _number(hit.size_m2),
            str(hit.units_available),
            f"{hit.similarity:.2f}" if query.strip() else "-",
        )
    console.print(table)


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='What the lead asked for, in any language, e.g. "villa with a pool".')
    ] = "",
    max_price: Annotated[
        Decimal | None, typer.Option("--max-price", help="Highest price (see --currency).")
    ] = None,
    min_price: Annotated[
        Decimal | None, typer.Option("--min-price", help="Lowest price (see --currency).")
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="ISO 4217 code. Only listings priced in this currency match: prices are never converted "
            "(no exchange rates). Default with a price bound: the agency's default currency.",
        ),
    ] = None,
    bedrooms: Annotated[
        int | None, typer.Option("--bedrooms", "-b", min=0, help="At least this many bedrooms.")
    ] = None,
    bathrooms: Annotated[
        int | None, typer.Option("--bathrooms", min=0, help="At least this many bathrooms.")
    ] = None,
    property_type: Annotated[PropertyType | None, typer.Option("--type", help="Kind of property.")] = None,
    transaction: Annotated[
        Transaction | None, typer.Option("--transaction", help="For sale or for rent.")
    ] = None,
    location: Annotated[
        str | None,
        typer.Option(
            "--location", "-l", help="An area of the catalog (any case), else a part of an area or address."
        ),
    ] = None,
    pets: Annotated[bool | None, typer.Option("--pets/--no-pets", help="Pets allowed (or not).")] = None,
    furnished: Annotated[
        bool | None, typer.Option("--furnished/--unfurnished", help="Furnished (or not).")
    ] = None,
    include_unavailable: Annotated[
        bool, typer.Option("--include-unavailable", help="Also reserved, sold, rented and hidden listings.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=100, help="How many listings to show.")
    ] = 5,
    tenant: TenantOption = "demo",
    as_json: JsonOption = False,
) -> None:
    """Find listings: structured filters in SQL, ranked by meaning with pgvector.

    Example: [bold]realty properties search "quiet villa near the beach with a pool" --max-price 500000
    --bedrooms 3 --location Canggu --type villa[/]

    Without a query, the matching listings are listed cheapest first. The demo agency is seeded on first
    use; other agencies fill their catalog with [bold]realty properties import[/].
    """
    from agent.services.catalog.schema import CURRENCIES

    if currency is not None and currency.upper() not in CURRENCIES:
        raise fail(f"unknown currency {currency!r}: use an ISO 4217 code such as USD, EUR, IDR", 2)

    async def main() -> None:
        from agent.adapters.embeddings import EmbeddingError, make_embedder
        from agent.services.provider import open_services
        from storage.repositories.properties import PropertyFilters, count_listings, search_properties

        filters = PropertyFilters(
            min_price=min_price,
            max_price=max_price,
            currency=currency.upper() if currency else None,
            bedrooms=bedrooms,
            bathrooms=bathrooms,
            property_type=property_type.value if property_type else None,
            transaction=transaction.value if transaction else None,
            location=location,
            pets_allowed=pets,
            furnished=furnished,
            include_unavailable=include_unavailable,
        )
        async with open_services() as services:
            embedder = make_embedder(services.settings)
            try:
                async with services.database.session() as session:
                    found = await _demo_or_existing_tenant(session, services, embedder, tenant)
                    if not await count_listings(session, found.id):
                        raise fail(
                            f"tenant '{tenant}' has no listings yet: run `realty properties import FILE "
                            f"--tenant {tenant}` (or `realty db seed` for the demo catalog)"
                        )
                    await _refresh_embeddings(session, found.id, embedder)
                    hits = await search_properties(session, found.id, query, filters, embedder, limit=limit)
            except EmbeddingError as exc:
                raise fail(str(exc)) from None
        if as_json:
            payload = [{k: _json_value(v) for k, v in dataclasses.asdict(hit).items()} for hit in hits]
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        elif not hits:
            console.print(
                "No listing matches these filters. Try fewer filters or [bold]--include-unavailable[/]."
            )
        else:
            _hits_table(hits, query)

    run(main)


# ---------------------------------------------------------------------------------------------------------
# import

IMPORT_HELP = """Import listings from a CSV, JSON or SGD Homes file into an agency's catalog.

Rows are upserted by (agency, external_id): importing the same file again changes nothing, and only listings whose text changed are re-embedded. Every row is validated first; a rejected row is reported with its line number and the reason, and the valid rows are written together in one transaction.

[bold]Exit status[/]: 0 every row imported; 1 some rows rejected (the others imported); 2 the file cannot be read (missing, not UTF-8, malformed JSON or CSV, a CSV header without the required columns).

[bold]CSV[/]: a header line naming the columns below (comma, semicolon or tab separated); lists separated by ";". [bold]JSON[/]: an array of objects with these keys, or an object whose "listings" is that array; lists may be JSON arrays. [bold].jsonl[/]: one such object per line.

[bold]Columns[/] (* required)

* external_id*: your id, unique per agency (max 120 characters)
* title*, description
* property_type*: villa, apartment, townhouse, house, land
* transaction*: sale, rent
* price*: a number >= 0, no thousands separators
* currency: ISO 4217 code (USD, EUR, IDR...); empty: the agency's default currency
* price_period: rentals only, month (the default) or year
* bedrooms (whole number), bathrooms (2.5 is fine), size_m2
* location*: the area leads ask for (e.g. Canggu); address
* units_available: default 1; 0 means none left
* amenities: "pool;garden;gym"
* pets_allowed, furnished: true/false, yes/no, 1/0
* photos: http(s) URLs separated by ";"
* status: available (default), reserved, sold, rented, hidden
* language: of the description, e.g. en, ru (default en)
* any other column is kept in the listing's extra data

[bold]SGD Homes[/] (--format sgd; detected for .jsonl dialogue files such as shared/data/sgd_homes/train.jsonl): every dialogue's "listings" become US rentals: property_name -> title, area -> location, address -> address, rent -> price (USD per month), number_of_beds -> bedrooms, number_of_baths -> bathrooms, pets_allowed, furnished, phone_number -> extra.phone_number; property_type apartment, transaction rent, units_available 1; external_id "sgd-<name>-<digest of the whole record>". The dataset repeats a building with different layouts and rents: each distinct record is one listing, exact repeats across dialogues are merged.
"""


def _print_rejections(catalog: ValidatedCatalog, raw: RawCatalog) -> None:
    for warning in raw.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    for error in catalog.errors:
        who = f" [{error.external_id}]" if error.external_id else ""
        err_console.print(f"[red]rejected[/] {error.label}{who}: {error.reason}", highlight=False)


@app.command("import", help=IMPORT_HELP)
def import_(
    file: Annotated[
        Path, typer.Argument(help="A .csv, .json, .jsonl or SGD Homes .jsonl file.", show_default=False)
    ],
    tenant: TenantOption = "demo",
    file_format: Annotated[
        FileFormatChoice | None,
        typer.Option("--format", "-f", help="File format; default: from the file name and its first line."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    create_tenant: Annotated[
        bool, typer.Option("--create-tenant", help="Create the agency if no agency has this slug yet.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    from agent.services.catalog.readers import CatalogFileError, read_catalog

    try:
        raw = read_catalog(file, file_format.value if file_format else None)  # type: ignore[arg-type]
    except CatalogFileError as exc:
        raise fail(str(exc), EXIT_UNREADABLE) from None

    async def main() -> int:
        from agent.adapters.embeddings import EmbeddingError, make_embedder
        from agent.services.catalog.importer import import_listings, validate_catalog
        from agent.services.provider import open_services
        from storage.repositories.listings import UpsertReport
        from storage.repositories.properties import refresh_search_statistics

        async with open_services() as services:
            embedder = make_embedder(services.settings)
            try:
                async with services.database.session() as session:
                    found = await _demo_or_existing_tenant(
                        session, services, embedder, tenant, create=create_tenant and not dry_run
                    )
                    catalog = validate_catalog(raw, default_currency=found.default_currency)
                    report = UpsertReport()
                    if not dry_run and catalog.listings:
                        with embedding_progress() as progress:
                            report = await import_listings(
                                session, found.id, catalog, embedder, progress=progress
                            )
            except EmbeddingError as exc:
                raise fail(str(exc)) from None
            if report.created + report.updated >= REFRESH_STATISTICS_AFTER:
                await refresh_search_statistics(services.database.engine)
        _print_rejections(catalog, raw)
        summary = {
            "file": str(file),
            "format": raw.format,
            "tenant": tenant,
            "dry_run": dry_run,
            "valid": len(catalog.listings),
            "rejected": catalog.rejected,
            "merged_duplicates": raw.merged_duplicates,
            **dataclasses.asdict(report),
            "errors": [dataclasses.asdict(error) for error in catalog.errors],
        }
        if as_json:
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            verb = "would import" if dry_run else "imported"
            line = (
                f"{verb} {len(catalog.listings)} listing(s) into '{tenant}' from {file.name} ({raw.format})"
            )
            if not dry_run:
                line += f": {report.created} new, {report.updated} updated, {report.unchanged} unchanged"
            if raw.merged_duplicates:
                line += f"; {raw.merged_duplicates} repeated record(s) merged"
            console.print(line, highlight=False)
            if catalog.rejected:
                console.print(f"[red]{catalog.rejected} row(s) rejected[/] (see above)", highlight=False)
        return EXIT_REJECTED if catalog.rejected else 0

    code = run(main)
    if code:
        raise typer.Exit(code)


# ---------------------------------------------------------------------------------------------------------
# reembed


@app.command()
def reembed(
    tenant: Annotated[
        str | None,
        typer.Option("--tenant", "-t", help="Only this agency's listings (default: every agency)."),
    ] = None,
) -> None:
    """Embed listings that have no vector or one from another embeddings provider.

    Run after changing REALTY_EMBEDDINGS_MODEL (search also does it on the fly for its agency).
    """

    async def main() -> None:
        from agent.adapters.embeddings import EmbeddingError, make_embedder
        from agent.services.provider import open_services
        from storage.repositories.tenants import TenantNotFound, TenantRepository

        async with open_services() as services:
            embedder = make_embedder(services.settings)
            try:
                async with services.database.session() as session:
                    tenant_id = None
                    if tenant is not None:
                        try:
                            tenant_id = (await TenantRepository(session).require(tenant)).id
                        except TenantNotFound as exc:
                            raise fail(str(exc)) from None
                    count = await _refresh_embeddings(session, tenant_id, embedder)
            except EmbeddingError as exc:
                raise fail(str(exc)) from None
        console.print(f"re-embedded {count} listing(s) with {embedder.name}", highlight=False)

    run(main)


# ---------------------------------------------------------------------------------------------------------
# edit, hide, unhide, delete

ListingArgument = Annotated[
    str,
    typer.Argument(
        help="The listing: its number as search shows it (12 or #12) or its external id (V-1).",
        show_default=False,
    ),
]
AgencyOption = Annotated[
    str | None,
    typer.Option("--tenant", "-t", help="The agency's slug; may be left out when there is one agency."),
]


def _change_listing(
    ref: str, tenant: str | None, change: Callable[[AsyncSession, Tenant, Property], Awaitable[str]]
) -> None:
    """Find the agency and the listing, apply `change` in one transaction, print the line it returns."""

    async def main() -> None:
        from agent.services.agencies.agencies import AgencyError, agency_for_command
        from agent.services.agencies.fields import AgencyFieldError
        from agent.services.agencies.listings import ListingCommandError, find_listing
        from agent.services.provider import open_services

        async with open_services() as services:
            try:
                async with services.database.session() as session:
                    found = await agency_for_command(session, tenant)
                    listing = await find_listing(session, found, ref)
                    line = await change(session, found, listing)
            except (AgencyError, AgencyFieldError, ListingCommandError) as exc:
                raise fail(str(exc)) from None
        console.print(line, highlight=False)

    run(main)


def _label(listing: Property) -> str:
    return f"#{listing.id} {listing.external_id} ({listing.title})"


@app.command()
def edit(
    listing: ListingArgument,
    price: Annotated[str | None, typer.Option("--price", help="New price, e.g. 425000 or 950.50.")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="ISO 4217 code of the price.")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="available, reserved, sold, rented or hidden (leads see only available)."
        ),
    ] = None,
    units: Annotated[
        int | None, typer.Option("--units", help="Units left; 0 keeps it out of leads' searches.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title (re-embedded at once).")] = None,
    tenant: AgencyOption = None,
) -> None:
    """Change a listing's price, currency, status, units left or title; the rest stays.

    Examples: [bold]realty properties edit V-1 --price 410000[/] · [bold]realty properties edit 12 --status
    reserved --tenant acme[/] · [bold]realty properties edit V-1 --title "Pool villa, Berawa" --units 2[/]

    Leads see the change on their next message (the next import of the same file writes the file's values back).
    """

    async def change(session: AsyncSession, found: Tenant, record: Property) -> str:
        from agent.adapters.embeddings import make_embedder
        from agent.services.agencies.listings import ListingEdit, edit_listing
        from agent.settings import get_settings

        edits = ListingEdit(price=price, currency=currency, status=status, units=units, title=title)
        changed = await edit_listing(session, record, edits, make_embedder(get_settings()))
        what = ", ".join(column.replace("_", " ") for column in changed) or "nothing (same values)"
        return f"{_label(record)}: changed {what}"

    _change_listing(listing, tenant, change)


@app.command()
def hide(listing: ListingArgument, tenant: AgencyOption = None) -> None:
    """Hide a listing from leads (search, details, booking) and keep it in the database; unhide shows it again.

    Example: [bold]realty properties hide V-1 --tenant acme[/]
    """

    async def change(session: AsyncSession, found: Tenant, record: Property) -> str:
        from agent.services.agencies.listings import hide_listing

        if await hide_listing(session, record):
            return (
                f"{_label(record)} hidden from leads (`realty properties unhide {record.id}` shows it again)"
            )
        return f"{_label(record)} was already hidden"

    _change_listing(listing, tenant, change)


@app.command()
def unhide(listing: ListingArgument, tenant: AgencyOption = None) -> None:
    """Show a hidden listing to leads again, with the status it had before it was hidden.

    Example: [bold]realty properties unhide V-1 --tenant acme[/]
    """

    async def change(session: AsyncSession, found: Tenant, record: Property) -> str:
        from agent.services.agencies.listings import unhide_listing

        if await unhide_listing(session, record):
            return f"{_label(record)} shown to leads again ({record.status})"
        return f"{_label(record)} was not hidden ({record.status})"

    _change_listing(listing, tenant, change)


@app.command()
def delete(
    listing: ListingArgument,
    tenant: AgencyOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a listing for good. Refused while viewings refer to it: hide it instead.

    Example: [bold]realty properties delete V-1 --tenant acme --yes[/]
    """
    if not yes and not typer.confirm(f"Delete listing {listing} for good?", default=False):
        raise typer.Exit(1)

    async def change(session: AsyncSession, found: Tenant, record: Property) -> str:
        from agent.services.agencies.listings import delete_listing

        label = _label(record)
        await delete_listing(session, found, record)
        return f"{label} deleted"

    _change_listing(listing, tenant, change)
