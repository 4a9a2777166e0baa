"""Fixtures the viewing tests share."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.embeddings import HashingEmbedder
from storage.models import Property
from storage.repositories.listings import ListingRecord, upsert_listings
from tests.fakes.google_api import GoogleStub


@pytest.fixture
def google() -> GoogleStub:
    """A fresh stand-in for Google's Calendar API (real wire format), per test."""
    return GoogleStub()


async def add_viewable_listing(session: AsyncSession, tenant_id: int, title: str = "Villa Sunset") -> int:
    """One available listing of the agency (a viewing always has one), its id."""
    record = ListingRecord(
        external_id=title.lower().replace(" ", "-"),
        title=title,
        property_type="villa",
        transaction="sale",
        price=Decimal(450_000),
        currency="USD",
        location="Canggu",
    )
    await upsert_listings(session, tenant_id, [record], HashingEmbedder())
    found = await session.execute(
        select(Property.id).where(Property.tenant_id == tenant_id, Property.external_id == record.external_id)
    )
    return int(found.scalar_one())
