"""`realty db seed`: the demo agency, a realistic Bali catalog and the registry's test prospects, idempotently."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from agent.adapters.embeddings import HashingEmbedder
from agent.cli import app
from agent.services.catalog.seed import seed_demo
from agent.settings import Settings, get_settings
from storage.db import Database
from storage.models import Property, Prospect, Tenant

EMBEDDER = HashingEmbedder()


async def counts(database: Database) -> tuple[int, int, int]:
    async with database.session() as session:
        return (
            await session.scalar(select(func.count()).select_from(Tenant)) or 0,
            await session.scalar(select(func.count()).select_from(Property)) or 0,
            await session.scalar(select(func.count()).select_from(Prospect)) or 0,
        )


async def test_seeding_twice_gives_the_same_rows(database: Database) -> None:
    async with database.session() as session:
        first = await seed_demo(session, EMBEDDER)
    after_first = await counts(database)
    async with database.session() as session:
        second = await seed_demo(session, EMBEDDER)
    assert after_first == await counts(database) == (1, first.listings.created, 3)
    assert first.tenant_created and not second.tenant_created
    assert (second.listings.created, second.listings.updated, second.listings.embedded) == (0, 0, 0)
    assert second.listings.unchanged == first.listings.created and second.prospects_created == 0


async def test_two_first_runs_at_once_create_one_demo_agency(database: Database) -> None:
    async def seed() -> bool:
        async with database.session() as session:
            return (await seed_demo(session, EMBEDDER)).tenant_created

    created = await asyncio.gather(seed(), seed())
    assert sorted(created) == [False, True]
    tenants, listings, prospects = await counts(database)
    assert (tenants, prospects) == (1, 3) and listings > 0


async def test_the_demo_catalog_is_a_realistic_bali_market(database: Database) -> None:
    async with database.session() as session:
        await seed_demo(session, EMBEDDER)
        tenant = (await session.execute(select(Tenant))).scalar_one()
        listings = list((await session.execute(select(Property))).scalars())
    assert (tenant.slug, tenant.name, tenant.time_zone, tenant.country_code) == (
        "demo", "Bali Dream Homes", "Asia/Makassar", "ID"
    )  # fmt: skip
    assert (tenant.default_currency, tenant.default_language, tenant.corporate_email_domain) == (
        "USD",
        "en",
        "example.com",
    )
    assert len(listings) >= 40
    per_area = Counter(p.location for p in listings)
    assert set(per_area) == {"Canggu", "Seminyak", "Ubud", "Uluwatu", "Sanur"} and min(per_area.values()) >= 5
    assert {p.property_type for p in listings} >= {"villa", "apartment", "townhouse", "land"}
    assert {p.transaction for p in listings} == {"sale", "rent"}
    assert {p.language for p in listings} == {"en", "ru"}
    assert all(p.currency == "USD" and p.embedding_model == EMBEDDER.name for p in listings)
    assert all((p.price_period == "month") == (p.transaction == "rent") for p in listings)
    assert all(p.units_available == 0 for p in listings if p.status != "available")
    assert all(p.bedrooms is None for p in listings if p.property_type == "land")
    assert all(500 <= p.price <= 10_000 for p in listings if p.transaction == "rent")
    assert all(100_000 <= p.price <= 2_000_000 for p in listings if p.transaction == "sale")


async def test_the_registry_test_prospects_are_seeded_as_specified(database: Database) -> None:
    async with database.session() as session:
        await seed_demo(session, EMBEDDER)
        prospects = {p.id: p for p in (await session.execute(select(Prospect))).scalars()}
    assert sorted(prospects) == ["test_prospect_001", "test_prospect_002", "test_prospect_003"]
    alex, maria, dmitry = (prospects[f"test_prospect_00{i}"] for i in (1, 2, 3))
    assert (alex.telegram_id, alex.name, alex.email) == (
        "@test_buyer_alex",
        "Алексей Петров",
        "alex.petrov@gmail.com",
    )
    assert alex.context == "Интересуется виллой в Чангу, бюджет $300-500k"
    assert alex.notes == "Видел рекламу в Instagram"
    assert (maria.telegram_id, maria.name, maria.email) == (
        "@test_investor_maria",
        "Мария Козлова",
        "m.kozlova@yandex.ru",
    )
    assert (dmitry.telegram_id, dmitry.name, dmitry.email) == (
        "@test_family_dmitry",
        "Дмитрий Новиков",
        "d.novikov@mail.ru",
    )
    assert dmitry.notes == "Планирует переезд через 6 месяцев"
    assert all(
        p.status == "unreached" and p.language == "ru" and p.assigned_rep_id is None
        for p in prospects.values()
    )


async def test_reseeding_keeps_what_the_team_changed(database: Database, settings: Settings) -> None:
    custom = settings.model_copy(update={"corporate_email_domain": "balidream.co"})
    async with database.session() as session:
        report = await seed_demo(session, EMBEDDER, settings=custom)
        await session.execute(
            update(Prospect).where(Prospect.id == "test_prospect_001").values(status="contacted")
        )
        await session.execute(update(Tenant).values(name="Renamed Agency"))
    async with database.session() as session:
        again = await seed_demo(session, EMBEDDER)
        prospect = await session.get(Prospect, (report.tenant_id, "test_prospect_001"))
        tenant = await session.get(Tenant, report.tenant_id)
    assert prospect is not None and prospect.status == "contacted"
    assert tenant is not None and (tenant.name, tenant.corporate_email_domain) == (
        "Renamed Agency",
        "balidream.co",
    )
    assert again.tenant_name == "Renamed Agency"


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_realty_db_seed_says_what_it_did(cli_env: None, database: Database) -> None:
    first = CliRunner().invoke(app, ["db", "seed"])
    assert first.exit_code == 0, first.output
    assert "tenant 'demo' (Bali Dream Homes): created" in first.output and "49 new" in first.output
    again = CliRunner().invoke(app, ["db", "seed"])
    assert "already there" in again.output and "0 new, 0 updated, 49 unchanged" in again.output


def test_search_on_a_fresh_database_seeds_the_demo_catalog(cli_env: None, database: Database) -> None:
    result = CliRunner().invoke(
        app, ["properties", "search", "villa with a pool", "--location", "Ubud", "--json"]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout[result.stdout.index("[") :])
    assert hits and all(hit["location"] == "Ubud" for hit in hits)
    assert "seeding" in result.output
