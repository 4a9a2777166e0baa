"""Importing listing files: clear errors per row with line numbers, the valid rows kept, re-import a no-op."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from agent.adapters.embeddings import EmbeddingError, HashingEmbedder, OpenAIEmbedder
from agent.cli import app
from agent.services.catalog.importer import import_listings, validate_catalog
from agent.services.catalog.readers import CatalogFileError, read_catalog, sgd_external_id
from agent.settings import get_settings
from storage.db import Database
from storage.models import Property, Tenant
from storage.repositories.tenants import TenantRepository

SGD_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "sgd_homes"
needs_sgd_data = pytest.mark.skipif(
    not (SGD_DIR / "dev.jsonl").exists(), reason=f"the SGD Homes data is not beside this checkout ({SGD_DIR})"
)

HEADER = (
    "external_id,title,description,property_type,transaction,price,currency,price_period,bedrooms,bathrooms,"
    "size_m2,location,address,units_available,amenities,pets_allowed,furnished,photos,status,language"
)
GOOD_ROWS = [
    'V-1,Pool villa in Canggu,"Quiet villa, five minutes to the beach",villa,sale,425000,USD,,3,2.5,220,Canggu,'
    "Jl. Pantai Berawa,1,pool;garden,yes,true,https://example.com/1.jpg,available,en",
    "A-1,Studio in Seminyak,Small studio,apartment,rent,950,usd,month,0,1,35,Seminyak,,4,wifi,no,1,,,ru",
    "L-1,Land in Ubud,Rice field view,land,sale,180000,USD,,,,1000,Ubud,,1,,,,,,",
]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.fixture
def realty(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Run the `realty` command line against the test database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


async def listings_of(database: Database, slug: str) -> dict[str, Property]:
    async with database.session() as session:
        rows = await session.execute(
            select(Property).join(Tenant, Tenant.id == Property.tenant_id).where(Tenant.slug == slug)
        )
        return {p.external_id: p for p in rows.scalars()}


async def new_tenant(database: Database, slug: str = "acme", currency: str = "USD") -> int:
    async with database.session() as session:
        tenant = await TenantRepository(session).create(
            name=slug.title(), slug=slug, default_currency=currency
        )
        return tenant.id


# ---------------------------------------------------------------------------------------------------------
# Validation, without a database


def test_a_good_csv_validates_every_row(tmp_path: Path) -> None:
    raw = read_catalog(write(tmp_path, "good.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n"))
    catalog = validate_catalog(raw, default_currency="USD")
    assert catalog.errors == []
    villa, studio, land = catalog.listings
    assert villa.amenities == ("pool", "garden") and villa.pets_allowed is True and villa.furnished is True
    assert (
        villa.bathrooms == Decimal("2.5")
        and villa.price == Decimal("425000.00")
        and villa.price_period is None
    )
    assert villa.photos == ("https://example.com/1.jpg",)
    assert studio.currency == "USD" and studio.price_period == "month" and studio.language == "ru"
    assert studio.pets_allowed is False and studio.bedrooms == 0
    assert land.bedrooms is None and land.status == "available" and land.units_available == 1


def test_each_bad_csv_row_is_reported_with_its_line_and_reason(tmp_path: Path) -> None:
    rows = [
        HEADER,
        GOOD_ROWS[0],  # line 2
        "V-2,Villa,,villa,sale,-5,USD,,3,2,,Canggu,,1,,,,,,",  # 3 negative price
        "V-3,Villa,,villa,sale,100,XYZ,,3,2,,Canggu,,1,,,,,,",  # 4 unknown currency
        "V-4,Villa,,villa,sale,100,USD,,three,2,,Canggu,,1,,,,,,",  # 5 wrong type
        "V-5,,,villa,sale,100,USD,,3,2,,Canggu,,1,,,,,,",  # 6 missing title
        'V-6,"Multi-line',  # 7-8: a quoted field spanning two lines, property_type unknown
        'title",,castle,sale,100,USD,,3,2,,Canggu,,1,,,,,,',
        "V-1,Same id again,,villa,sale,100,USD,,3,2,,Canggu,,1,,,,,,",  # 9 duplicate
        "V-7,Villa,,villa,sale,100,USD,month,3,2,,Canggu,,1,,,,,,",  # 10 sale with a period
        "V-8,Villa,,villa,sale,100,USD",  # 11 too few fields
        GOOD_ROWS[1],  # 12
    ]
    catalog = validate_catalog(read_catalog(write(tmp_path, "bad.csv", "\n".join(rows) + "\n")))
    reasons = {error.line: error.reason for error in catalog.errors}
    assert [listing.external_id for listing in catalog.listings] == ["V-1", "A-1"]
    assert sorted(reasons) == [3, 4, 5, 6, 7, 9, 10, 11]
    assert "price: must not be negative" in reasons[3]
    assert "unknown currency 'XYZ'" in reasons[4]
    assert reasons[5].startswith("bedrooms:") and "'three'" in reasons[5]
    assert reasons[6] == "title: is required"
    assert reasons[7].startswith("property_type: must be one of") and "villa" in reasons[7]
    assert reasons[9] == "duplicate external_id 'V-1' (first on line 2)"
    assert "only for rentals" in reasons[10]
    assert reasons[11] == "has 7 fields, the header has 20"


def test_json_rows_carry_the_line_where_each_object_starts(tmp_path: Path) -> None:
    listings = [
        {"external_id": "J-1", "title": "Villa", "property_type": "villa", "transaction": "sale", "price": 1,
         "currency": "USD", "location": "Ubud", "amenities": ["pool"]},
        {"external_id": "J-2", "title": "Villa", "property_type": "villa", "transaction": "sale", "price": "x",
         "currency": "USD", "location": "Ubud"},
        {"external_id": "J-3", "title": "Villa", "property_type": "villa", "transaction": "sale", "price": 5,
         "currency": "USD", "location": "Ubud", "bedrooms": 2.5},
    ]  # fmt: skip
    text = json.dumps({"agency": "acme", "listings": listings}, indent=2)
    catalog = validate_catalog(read_catalog(write(tmp_path, "feed.json", text)))
    lines = text.splitlines()
    second = next(i for i, line in enumerate(lines, start=1) if '"J-2"' in line) - 1  # the "{" above it
    third = next(i for i, line in enumerate(lines, start=1) if '"J-3"' in line) - 1
    assert [(e.line, e.external_id) for e in catalog.errors] == [(second, "J-2"), (third, "J-3")]
    assert "price: must be a number" in catalog.errors[0].reason
    assert catalog.errors[1].reason.startswith("bedrooms:")
    assert [listing.amenities for listing in catalog.listings] == [("pool",)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", '[{"external_id": "x",', "malformed JSON at line 1"),
        ("latin1.csv", HEADER.encode() + b"\nV-1,Caf\xe9,,villa,sale,1,USD,,,,,Ubud,,1,,,,,,\n", "not UTF-8"),
        ("columns.csv", "id,name\n1,x\n", r"lacks required column\(s\): external_id, title"),
        ("empty.csv", "", "empty"),
        ("scalar.json", '"hello"', "expected a JSON array"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    with pytest.raises(CatalogFileError, match=message):
        read_catalog(write(tmp_path, name, content))


@needs_sgd_data
def test_sgd_dialogues_map_to_rentals_with_repeats_merged() -> None:
    raw = read_catalog(SGD_DIR / "dev.jsonl")
    records = {
        json.dumps(listing, sort_keys=True)
        for line in (SGD_DIR / "dev.jsonl").read_text().splitlines()
        for listing in json.loads(line)["listings"]
    }
    catalog = validate_catalog(raw)
    assert raw.format == "sgd" and catalog.errors == []
    assert len(catalog.listings) == len(records) and raw.merged_duplicates > 0
    first = json.loads((SGD_DIR / "dev.jsonl").read_text().splitlines()[0])["listings"][0]
    listing = next(item for item in catalog.listings if item.external_id == sgd_external_id(first))
    assert listing.title == first["property_name"] and listing.location == first["area"]
    assert listing.address == first["address"] and listing.price == Decimal(first["rent"])
    assert (listing.transaction, listing.price_period, listing.currency, listing.property_type) == (
        "rent", "month", "USD", "apartment"
    )  # fmt: skip
    assert listing.bedrooms == int(first["number_of_beds"]) and listing.bathrooms == Decimal(
        first["number_of_baths"]
    )
    assert listing.pets_allowed == (first["pets_allowed"] == "True")
    assert listing.furnished == (first["furnished"] == "True")
    assert listing.extra["phone_number"] == first["phone_number"]


# ---------------------------------------------------------------------------------------------------------
# Writing


async def test_reimporting_the_same_file_changes_nothing(database: Database, tmp_path: Path) -> None:
    tenant_id = await new_tenant(database)
    path = write(tmp_path, "good.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n")
    embedder = HashingEmbedder()
    async with database.session() as session:
        first = await import_listings(session, tenant_id, validate_catalog(read_catalog(path)), embedder)
    async with database.session() as session:
        again = await import_listings(session, tenant_id, validate_catalog(read_catalog(path)), embedder)
    assert (first.created, first.embedded) == (3, 3)
    assert (again.created, again.updated, again.unchanged, again.embedded) == (0, 0, 3, 0)

    cheaper = path.read_text().replace("425000", "399000").replace("Small studio", "Bright studio")
    async with database.session() as session:
        changed = await import_listings(
            session, tenant_id, validate_catalog(read_catalog(write(tmp_path, "good.csv", cheaper))), embedder
        )
    assert (changed.updated, changed.unchanged, changed.embedded) == (
        2,
        1,
        1,
    )  # only the new text is re-embedded
    stored = await listings_of(database, "acme")
    assert stored["V-1"].price == Decimal("399000.00") and stored["A-1"].description == "Bright studio"


async def test_titles_and_descriptions_in_other_languages_are_read_and_stored(
    database: Database, tmp_path: Path
) -> None:
    header = "external_id,title,description,property_type,transaction,price,location,title_ru,description_fa"
    row = 'V-1,Pool villa in Canggu,Quiet villa,villa,sale,425000,Canggu,Вилла с бассейном,"ویلای آرام، نزدیک ساحل"'
    raw = read_catalog(write(tmp_path, "translated.csv", f"{header}\n{row}\n"))
    assert raw.warnings == []  # title_ru and description_fa are known columns, not leftovers for `extra`
    catalog = validate_catalog(raw, default_currency="USD")
    assert catalog.errors == []
    [villa] = catalog.listings
    assert villa.translations == {
        "ru": {"title": "Вилла с бассейном"},
        "fa": {"description": "ویلای آرام، نزدیک ساحل"},
    }
    assert villa.extra == {}

    german = {
        "external_id": "V-2",
        "title": "Villa",
        "property_type": "villa",
        "transaction": "sale",
        "price": 1,
        "currency": "USD",
        "location": "Canggu",
        "translations": {"de": {"title": "Villa am Meer"}},
    }
    unknown = validate_catalog(read_catalog(write(tmp_path, "de.json", json.dumps([german]))))
    assert "unknown language(s) de" in unknown.errors[0].reason

    tenant_id = await new_tenant(database)
    async with database.session() as session:
        await import_listings(session, tenant_id, catalog, HashingEmbedder())
    stored = await listings_of(database, "acme")
    assert stored["V-1"].translations == villa.translations


async def test_a_failing_embeddings_provider_leaves_nothing_half_written(
    database: Database, tmp_path: Path
) -> None:
    tenant_id = await new_tenant(database)
    catalog = validate_catalog(read_catalog(write(tmp_path, "good.csv", "\n".join([HEADER, *GOOD_ROWS]))))
    down = httpx.MockTransport(lambda request: httpx.Response(503, json={"error": {"message": "overloaded"}}))
    embedder = OpenAIEmbedder(model="text-embedding-3-small", api_key="k", max_retries=1, transport=down)
    with pytest.raises(EmbeddingError, match="embeddings request"):
        async with database.session() as session:
            await import_listings(session, tenant_id, catalog, embedder)
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Property)) == 0


# ---------------------------------------------------------------------------------------------------------
# The command line


def test_import_exits_0_when_every_row_is_imported(
    realty: Callable[..., Result], database: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "good.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n")
    result = realty("properties", "import", str(path), "--tenant", "acme", "--create-tenant")
    assert result.exit_code == 0, result.output
    assert "imported 3 listing(s)" in result.output and "3 new" in result.output


def test_import_exits_1_and_keeps_the_valid_rows(
    realty: Callable[..., Result], database: Database, tmp_path: Path
) -> None:
    bad = "V-9,Villa,,villa,sale,-1,USD,,3,2,,Canggu,,1,,,,,,"
    path = write(tmp_path, "mixed.csv", "\n".join([HEADER, *GOOD_ROWS, bad]) + "\n")
    result = realty("properties", "import", str(path), "-t", "acme", "--create-tenant", "--json")
    assert result.exit_code == 1, result.output
    assert "rejected line 5 [V-9]: price: must not be negative" in result.output
    summary = json.loads(result.stdout[result.stdout.index("{") :])
    assert (summary["created"], summary["rejected"]) == (3, 1)
    assert summary["errors"][0]["line"] == 5


def test_import_exits_2_when_the_file_cannot_be_read(realty: Callable[..., Result], tmp_path: Path) -> None:
    assert realty("properties", "import", str(tmp_path / "missing.csv")).exit_code == 2
    broken = write(tmp_path, "broken.json", "[{")
    result = realty("properties", "import", str(broken))
    assert result.exit_code == 2 and "malformed JSON" in result.output


def test_dry_run_writes_nothing(realty: Callable[..., Result], database: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "good.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n")
    assert realty("properties", "import", str(path), "--create-tenant", "-t", "acme").exit_code == 0
    result = realty("properties", "import", str(path), "-t", "acme", "--dry-run")
    assert result.exit_code == 0 and "would import 3" in result.output


def test_import_to_an_unknown_tenant_says_how_to_create_it(
    realty: Callable[..., Result], tmp_path: Path
) -> None:
    path = write(tmp_path, "good.csv", "\n".join([HEADER, *GOOD_ROWS]) + "\n")
    result = realty("properties", "import", str(path), "--tenant", "nobody")
    assert result.exit_code == 1 and "--create-tenant" in result.output


@needs_sgd_data
def test_the_sgd_homes_files_import_and_reimport_idempotently(
    realty: Callable[..., Result], database: Database
) -> None:
    first = realty(
        "properties", "import", str(SGD_DIR / "dev.jsonl"), "-t", "sgd", "--create-tenant", "--json"
    )
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout[first.stdout.index("{") :])
    assert summary["format"] == "sgd" and summary["created"] == summary["valid"] > 100
    again = realty("properties", "import", str(SGD_DIR / "dev.jsonl"), "-t", "sgd", "--json")
    repeat = json.loads(again.stdout[again.stdout.index("{") :])
    assert (repeat["created"], repeat["unchanged"], repeat["embedded"]) == (0, summary["valid"], 0)
