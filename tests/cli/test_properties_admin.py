"""`realty properties edit|hide|unhide|delete`: an operator changes one listing; leads see the change at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from agent.adapters.embeddings import HashingEmbedder
from agent.services.catalog.names import catalog_names
from storage.db import Database
from storage.models import Lead, Property, Viewing
from storage.repositories.properties import (
    PropertyFilters,
    get_property,
    property_by_external_id,
    search_properties,
)
from tests.cli.conftest import Realty

CSV = """external_id,title,property_type,transaction,price,currency,location,units_available,status
V-1,Pool villa in Canggu,villa,sale,425000,USD,Canggu,1,reserved
A-1,Studio in Seminyak,apartment,rent,950,USD,Seminyak,4,available
"""


async def imported(realty: Realty, tmp_path: Path) -> None:
    path = tmp_path / "listings.csv"
    path.write_text(CSV, encoding="utf-8")
    result = await realty("tenants", "create", "Acme")
    assert result.exit_code == 0, result.output
    result = await realty("properties", "import", str(path), "--tenant", "acme")
    assert result.exit_code == 0, result.output


async def listing(database: Database, external_id: str) -> Property:
    async with database.session() as session:
        found = await property_by_external_id(session, 1, external_id)
        assert found is not None
        return found


async def test_an_edit_changes_what_leads_see_and_the_catalog_names_follow(
    realty: Realty, database: Database, tmp_path: Path
) -> None:
    await imported(realty, tmp_path)
    async with database.session() as session:
        before = await catalog_names(session, 1)  # this process's cache learns the old title
    assert "Studio in Seminyak" in before.titles.values()

    studio = await listing(database, "A-1")
    result = await realty(
        "properties",
        "edit",
        f"#{studio.id}",
        "--price",
        "1,100",
        "--units",
        "2",
        "--title",
        "Loft in Seminyak",
    )
    assert result.exit_code == 0, result.output
    assert "changed price, units available, title" in result.output
    edited = await listing(database, "A-1")
    assert (edited.price, edited.units_available, edited.title) == (Decimal("1100.00"), 2, "Loft in Seminyak")
    assert edited.embedding_model is not None  # the new title is embedded at once
    async with database.session() as session:
        after = await catalog_names(session, 1)
        hits = await search_properties(session, 1, "loft", PropertyFilters(), HashingEmbedder(), limit=5)
    assert after.titles[studio.id] == "Loft in Seminyak"
    assert [hit.title for hit in hits] == ["Loft in Seminyak"]  # the villa is reserved

    bad = await realty("properties", "edit", "A-1", "--currency", "dollars")
    assert bad.exit_code == 1 and "ISO 4217" in bad.output


async def test_a_hidden_listing_is_kept_but_never_shown_to_leads_until_unhidden(
    realty: Realty, database: Database, tmp_path: Path
) -> None:
    await imported(realty, tmp_path)
    villa, studio = await listing(database, "V-1"), await listing(database, "A-1")
    for ref in ("V-1", str(studio.id)):
        result = await realty("properties", "hide", ref)
        assert result.exit_code == 0 and "hidden from leads" in result.output, result.output
    async with database.session() as session:
        assert await get_property(session, 1, studio.id) is None  # details and booking
        assert await get_property(session, 1, studio.id, include_hidden=True) is not None
        names = await catalog_names(session, 1)
        hits = await search_properties(session, 1, "studio", PropertyFilters(), HashingEmbedder(), limit=5)
    assert hits == [] and names.titles == {} and names.areas == ()

    for ref, status in (("V-1", "reserved"), ("A-1", "available")):
        shown = await realty("properties", "unhide", ref)
        assert shown.exit_code == 0 and f"shown to leads again ({status})" in shown.output, shown.output
    restored = await listing(database, "V-1")
    assert restored.status == "reserved" and "status_before_hidden" not in restored.extra
    async with database.session() as session:
        assert set((await catalog_names(session, 1)).titles) == {villa.id, studio.id}
        hits = await search_properties(session, 1, "studio", PropertyFilters(), HashingEmbedder(), limit=5)
    assert [hit.external_id for hit in hits] == ["A-1"]


async def test_a_listing_with_viewings_cannot_be_deleted_only_hidden(
    realty: Realty, database: Database, tmp_path: Path
) -> None:
    await imported(realty, tmp_path)
    villa, studio = await listing(database, "V-1"), await listing(database, "A-1")
    async with database.session() as session:
        lead = Lead(tenant_id=1, name="Maria")
        session.add(lead)
        await session.flush()
        start = datetime(2026, 12, 20, 3, tzinfo=UTC)
        session.add(
            Viewing(
                tenant_id=1,
                lead_id=lead.id,
                property_id=villa.id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                time_zone="UTC",
            )
        )
    refused = await realty("properties", "delete", "V-1", "--yes")
    assert refused.exit_code == 1
    message = " ".join(refused.output.split())
    assert "has viewings" in message and f"realty properties hide {villa.id} --tenant acme" in message
    await listing(database, "V-1")  # still there

    asked = await realty("properties", "delete", "A-1", input="n\n")
    assert asked.exit_code == 1
    deleted = await realty("properties", "delete", "A-1", "--yes")
    assert deleted.exit_code == 0 and "deleted" in deleted.output
    async with database.session() as session:
        assert await get_property(session, 1, studio.id, include_hidden=True) is None
