"""book_viewing on the internal calendar: real free slots in the agency's zone, never double-booked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from agent.adapters.embeddings import HashingEmbedder
from agent.core.clock import FrozenClock
from agent.services.leads import create_lead, ensure_demo_rep, load_lead
from agent.services.provider import Services
from agent.settings import Settings
from storage.db import Database
from storage.models import Property, SalesRepresentative, Tenant, Viewing, ViewingBlock
from storage.repositories.listings import ListingRecord, upsert_listings
from storage.repositories.tenants import TenantRepository
from tools.booking import book_viewing
from tools.context import LeadContext, call_tool
from tools.search import search_properties

MONDAY_10_BALI = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_10_BALI)


@pytest.fixture
def services(settings: Settings, database: Database, clock: FrozenClock) -> Services:
    return Services(settings=settings, database=database, clock=clock, embedder=HashingEmbedder())


async def new_tenant(database: Database, slug: str = "bali", **fields: Any) -> Tenant:
    defaults = {"time_zone": "Asia/Makassar", "country_code": "ID", "default_currency": "USD"}
    async with database.session() as session:
        return await TenantRepository(session).create(name=slug.title(), slug=slug, **{**defaults, **fields})


async def new_lead(services: Services, tenant: Tenant, language: str = "en") -> LeadContext:
    async with services.database.session() as session:
        lead = await create_lead(session, tenant.id, language=language)
        return LeadContext(services=services, tenant_id=tenant.id, lead_id=lead.id)


async def add_rep(
    database: Database, tenant: Tenant, name: str, telegram_id: int, **fields: Any
) -> SalesRepresentative:
    async with database.session() as session:
        values = {"status": "active", "working_hours": {}, **fields}
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=telegram_id,
            name=name,
            email=f"{telegram_id}@example.com",
            **values,
        )
        session.add(rep)
        await session.flush()
        return rep


async def add_listing(database: Database, tenant: Tenant, external_id: str = "v1", **fields: Any) -> int:
    record = ListingRecord(
        external_id=external_id,
        title=f"Villa {external_id}",
        property_type="villa",
        transaction="sale",
        price=Decimal(400_000),
        currency="USD",
        location="Canggu",
        **fields,
    )
    async with database.session() as session:
        await upsert_listings(session, tenant.id, [record], HashingEmbedder())
        found = await session.execute(
            select(Property.id).where(Property.tenant_id == tenant.id, Property.external_id == external_id)
        )
        return found.scalar_one()


@pytest.fixture
async def bali(services: Services) -> Tenant:
    tenant = await new_tenant(services.database)
    async with services.database.session() as session:
        await ensure_demo_rep(session, tenant)
    return tenant


async def test_a_lead_books_the_time_they_asked_for_in_the_agencys_zone(
    services: Services, bali: Tenant
) -> None:
    listing_id = await add_listing(services.database, bali)
    ctx = await new_lead(services, bali)
    result = await call_tool(book_viewing, ctx, property_id=listing_id, when="2026-03-03T10:00")
    assert result["status"] == "booked"
    viewing = result["viewing"]
    assert (
        viewing["starts_at"] == "2026-03-03T02:00:00+00:00"
        and viewing["starts_at_local"] == "2026-03-03T10:00+08:00"
    )
    assert viewing["time_zone"] == "Asia/Makassar" and viewing["rep_name"] == "Demo Agent"
    assert (
        viewing["property_id"] == listing_id
        and viewing["property_title"] == "Villa v1"
        and viewing["meeting_link"] is None
    )
    async with services.database.session() as session:
        lead = await load_lead(session, bali.id, ctx.lead_id)
        blocks = (await session.execute(select(func.count()).select_from(ViewingBlock))).scalar_one()
        row = (await session.execute(select(Viewing))).scalar_one()
    assert lead.status == "viewing_scheduled" and lead.assigned_rep_id == row.rep_id
    assert (
        blocks == 4 and row.ends_at - row.starts_at == timedelta(hours=1) and row.created_at == MONDAY_10_BALI
    )


async def test_the_last_listing_shown_is_the_one_booked_and_words_are_understood(
    services: Services, bali: Tenant
) -> None:
    listing_id = await add_listing(services.database, bali)
    ctx = await new_lead(services, bali, language="ru")
    assert (await call_tool(search_properties, ctx, query="вилла"))["count"] == 1
    result = await call_tool(book_viewing, ctx, when="завтра в 15:00")
    assert result["status"] == "booked"
    assert (
        result["viewing"]["property_id"] == listing_id
        and result["viewing"]["starts_at_local"] == "2026-03-03T15:00+08:00"
    )


async def test_without_a_time_the_lead_gets_real_free_options(services: Services, bali: Tenant) -> None:
    villa = await add_listing(services.database, bali)
    ctx = await new_lead(services, bali)
    result = await call_tool(book_viewing, ctx, property_id=villa)
    # an hour's notice from 10:00, options two hours apart inside Mon-Sat 09:00-18:00
    assert result == {
        "status": "needs_time",
        "options": ["2026-03-02T11:00+08:00", "2026-03-02T13:00+08:00", "2026-03-02T15:00+08:00"],
    }
    late = await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-03T22:00")
    assert late["status"] == "needs_time" and late["options"][-1] == "2026-03-03T17:00+08:00"
    a_day = await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-04")
    # a day without a time: its first free time is proposed, with two other times that day
    assert a_day == {
        "status": "proposed",
        "property_id": villa,
        "property_title": "Villa v1",
        "proposal": "2026-03-04T09:00+08:00",
        "options": ["2026-03-04T11:00+08:00", "2026-03-04T13:00+08:00"],
    }
    assert await viewings_of(services) == 0  # proposed, not booked


async def test_a_taken_time_offers_the_nearest_free_ones_or_another_rep(
    services: Services, bali: Tenant
) -> None:
    villa = await add_listing(services.database, bali)
    first, second = await new_lead(services, bali), await new_lead(services, bali)
    assert (await call_tool(book_viewing, first, property_id=villa, when="2026-03-03T10:00"))[
        "status"
    ] == "booked"
    clash = await call_tool(book_viewing, second, property_id=villa, when="2026-03-03T10:30")
    assert clash == {
        "status": "needs_time",
        "options": ["2026-03-03T09:00+08:00", "2026-03-03T11:00+08:00", "2026-03-03T13:00+08:00"],
    }

    await add_rep(services.database, bali, "Wayan", 2002)
    third = await new_lead(services, bali)
    booked = await call_tool(book_viewing, third, property_id=villa, when="2026-03-03T10:00")
    assert (
        booked["status"] == "booked" and booked["viewing"]["rep_name"] == "Wayan"
    )  # the least busy active rep


async def test_two_leads_racing_for_one_slot_never_double_book(services: Services, bali: Tenant) -> None:
    villa = await add_listing(services.database, bali)
    leads = [await new_lead(services, bali) for _ in range(4)]
    results = await asyncio.gather(
        *(call_tool(book_viewing, ctx, property_id=villa, when="2026-03-05T14:00") for ctx in leads)
    )
    assert sorted(r["status"] for r in results) == ["booked", "needs_time", "needs_time", "needs_time"]
    assert all("2026-03-05T14:00+08:00" not in r.get("options", []) for r in results)
    async with services.database.session() as session:
        assert (await session.execute(select(func.count()).select_from(Viewing))).scalar_one() == 1
        assert (await session.execute(select(func.count()).select_from(ViewingBlock))).scalar_one() == 4


async def test_no_active_rep_means_unavailable(services: Services) -> None:
    tenant = await new_tenant(services.database, "empty")
    await add_rep(services.database, tenant, "Suspended Sam", 3003, status="suspended")
    villa = await add_listing(services.database, tenant)
    ctx = await new_lead(services, tenant, language="ru")
    result = await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-03T10:00")
    assert result["status"] == "unavailable" and "агент" in result["reason"]


async def test_only_this_agencys_viewable_listings_can_be_booked(services: Services, bali: Tenant) -> None:
    other = await new_tenant(services.database, "dubai", time_zone="Asia/Dubai")
    foreign = await add_listing(services.database, other, "d1")
    sold = await add_listing(services.database, bali, "sold", status="sold", units_available=0)
    ctx = await new_lead(services, bali)
    for property_id in (foreign, sold, 999_999):
        result = await call_tool(book_viewing, ctx, property_id=property_id, when="2026-03-03T10:00")
        assert result == {"status": "unavailable", "reason": "That listing is not available for a viewing."}
    async with services.database.session() as session:
        assert (await session.execute(select(func.count()).select_from(Viewing))).scalar_one() == 0


async def test_a_us_agency_books_correctly_across_the_march_dst_change(
    services: Services, clock: FrozenClock
) -> None:
    tenant = await new_tenant(services.database, "la", time_zone="America/Los_Angeles", country_code="US")
    await add_rep(services.database, tenant, "Rosa", 4004)
    villa = await add_listing(services.database, tenant)
    clock.set(datetime(2026, 3, 6, 17, 0, tzinfo=UTC))  # Friday 09:00 PST; clocks spring forward on Sunday
    ctx = await new_lead(services, tenant)
    before = await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-06T14:00")
    after = await call_tool(
        book_viewing, await new_lead(services, tenant), property_id=villa, when="2026-03-09T10:00"
    )
    assert before["viewing"]["starts_at"] == "2026-03-06T22:00:00+00:00"  # PST, UTC-8
    assert after["viewing"]["starts_at"] == "2026-03-09T17:00:00+00:00"  # PDT, UTC-7
    assert after["viewing"]["starts_at_local"] == "2026-03-09T10:00-07:00"
    sunday = await call_tool(
        book_viewing, await new_lead(services, tenant), property_id=villa, when="2026-03-08"
    )
    # the rep does not work on Sundays: said so, with the nearest days' first free times
    assert sunday["status"] == "day_off" and sunday["day"] == "2026-03-08"
    assert sunday["options"] == ["2026-03-07T09:00-08:00", "2026-03-09T09:00-07:00"]
    assert sunday["message"] == (
        "Our agent doesn't hold viewings on Sun 8 Mar. The nearest days are Sat 7 Mar, Mon 9 Mar: which suits you?"
    )


async def viewings_of(services: Services) -> int:
    async with services.database.session() as session:
        return int((await session.execute(select(func.count()).select_from(Viewing))).scalar_one())


@pytest.mark.parametrize(
    ("when", "problem", "message"),
    [
        (
            "9999-03-09",
            "too_far",
            "I can book viewings up to a year ahead. Which date within that would suit you?",
        ),
        (
            "9999-12-31T23:30",
            "too_far",
            "I can book viewings up to a year ahead. Which date within that would suit you?",
        ),
        ("2026-02-27T10:00", "past", "That time has already passed. Which day and time would suit you?"),
        ("2026-03-01", "past", "That time has already passed. Which day and time would suit you?"),
        (
            "tomorrow at 25:00",
            "no_such_time",
            "There is no such time on the clock (25:00). What time would suit you?",
        ),
    ],
)
async def test_a_time_that_cannot_be_booked_is_said_plainly_and_nothing_is_written(
    services: Services, bali: Tenant, when: str, problem: str, message: str
) -> None:
    villa = await add_listing(services.database, bali)
    ctx = await new_lead(services, bali)
    result = await call_tool(book_viewing, ctx, property_id=villa, when=when)
    assert result == {"status": "invalid_time", "problem": problem, "message": message}
    assert await viewings_of(services) == 0
    after = await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-03T10:00")
    assert after["status"] == "booked"  # the conversation goes on


async def test_without_a_known_listing_the_lead_is_asked_which_and_nothing_is_booked(
    services: Services, bali: Tenant
) -> None:
    for n in (1, 2):
        await add_listing(services.database, bali, f"v{n}")
    ctx = await new_lead(services, bali)
    nothing_shown = await call_tool(book_viewing, ctx, when="2026-03-03T10:00")
    assert nothing_shown["status"] == "needs_listing" and nothing_shown["options"] == []
    assert (await call_tool(search_properties, ctx, query="villa"))["count"] == 2
    two_shown = await call_tool(book_viewing, ctx, when="2026-03-03T10:00")
    assert two_shown["status"] == "needs_listing"
    assert sorted(option["title"] for option in two_shown["options"]) == ["Villa v1", "Villa v2"]
    assert two_shown["message"] == "Which listing would you like to see?"
    assert await viewings_of(services) == 0


async def test_a_viewed_listing_cannot_be_deleted_but_its_agency_can(
    services: Services, bali: Tenant
) -> None:
    from sqlalchemy import delete
    from sqlalchemy.exc import IntegrityError

    villa = await add_listing(services.database, bali)
    ctx = await new_lead(services, bali)
    assert (await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-03T10:00"))[
        "status"
    ] == "booked"
    with pytest.raises(IntegrityError):
        async with services.database.session() as session:
            await session.execute(delete(Property).where(Property.id == villa))
    assert await viewings_of(services) == 1  # a viewed listing is hidden by its status, never deleted
    async with services.database.session() as session:
        await session.execute(delete(Tenant).where(Tenant.id == bali.id))
    assert await viewings_of(services) == 0


async def test_a_proposed_time_gone_today_proposes_todays_next_free_time(
    services: Services, bali: Tenant
) -> None:
    villa = await add_listing(services.database, bali)
    ctx = await new_lead(services, bali)
    # "No, today instead", the 09:00 of the earlier proposal kept: gone at 10:00, so today's first free time.
    result = await call_tool(book_viewing, ctx, property_id=villa, when="2026-03-02T09:00", propose=True)
    assert result["status"] == "proposed" and result["proposal"] == "2026-03-02T11:00+08:00"
    assert await viewings_of(services) == 0
