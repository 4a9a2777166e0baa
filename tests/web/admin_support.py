"""What the admin pages' tests share: listings in an agency, an integration's API token, the audit, CSRF."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from agent.services.provider import Services
from agent.services.web_access.sessions import token_digest
from storage.db import Database
from storage.models import AuditLog, Property, Tenant, WebSession
from storage.repositories.web import ApiTokenRepository


async def add_listing(
    database: Database, tenant: Tenant, external_id: str, title: str, **fields: object
) -> int:
    values: dict[str, object] = {
        "external_id": external_id,
        "title": title,
        "description": "",
        "property_type": "villa",
        "transaction": "sale",
        "price": Decimal(425000),
        "currency": "USD",
        "location": "Canggu",
        "units_available": 1,
        "amenities": [],
        "photos": [],
        "status": "available",
        "language": "en",
        "extra": {},
    }
    values.update(fields)
    async with database.session() as session:
        listing = Property(tenant_id=tenant.id, **values)
        session.add(listing)
        await session.flush()
        return listing.id


async def integration_token(services: Services, tenant: Tenant) -> str:
    token = f"rk_test_{tenant.slug}_0123456789abcdef"
    async with services.database.session() as session:
        await ApiTokenRepository(session).create(
            tenant_id=tenant.id,
            name="CRM sync",
            token_digest=token_digest(token),
            prefix=token[:8],
            created_by="test",
            now=services.clock.now(),
        )
    return token


async def audit_rows(services: Services, action: str) -> list[AuditLog]:
    async with services.database.session() as session:
        rows = await session.execute(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        return list(rows.scalars())


async def csrf_of(services: Services, telegram_id: int) -> str:
    """The CSRF token of this person's newest session (what the page's forms carry)."""
    async with services.database.session() as session:
        rows = await session.execute(
            select(WebSession.csrf_token)
            .where(WebSession.telegram_id == telegram_id)
            .order_by(WebSession.created_at.desc())
        )
        return str(rows.scalars().first())
