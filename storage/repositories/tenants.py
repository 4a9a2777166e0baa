"""Tenants: look up, create and change agencies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Tenant

DEFAULT_AGENCY_LOCK = 0x7265_616C_7479_0D
"""Advisory lock key ("realty" + 13) held while a starting `realty bot` makes or finds the default agency."""


class TenantNotFound(LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no tenant '{slug}': run `realty db seed` for the demo tenant, or check --tenant")
        self.slug = slug


@dataclass
class TenantRepository:
    session: AsyncSession

    async def get(self, tenant_id: int) -> Tenant | None:
        return await self.session.get(Tenant, tenant_id)

    async def by_slug(self, slug: str) -> Tenant | None:
        return (await self.session.execute(select(Tenant).where(Tenant.slug == slug))).scalar_one_or_none()

    async def require(self, slug: str) -> Tenant:
        tenant = await self.by_slug(slug)
        if tenant is None:
            raise TenantNotFound(slug)
        return tenant

    async def lock_default_agency(self) -> None:
        """Until the transaction ends: one process at a time makes or finds the default agency."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DEFAULT_AGENCY_LOCK})

    async def all(self) -> list[Tenant]:
        return list((await self.session.execute(select(Tenant).order_by(Tenant.id))).scalars())

    async def with_lead_bots(self) -> list[Tenant]:
        rows = await self.session.execute(
            select(Tenant).where(Tenant.lead_bot_token_encrypted.is_not(None)).order_by(Tenant.id)
        )
        return list(rows.scalars())

    async def create(self, *, name: str, slug: str, **fields: object) -> Tenant:
        tenant = Tenant(name=name, slug=slug, **fields)
        self.session.add(tenant)
        await self.session.flush()
        return tenant

    async def slugs(self) -> list[str]:
        """Every agency's slug, oldest first (what an operator may type for --tenant)."""
        return list((await self.session.execute(select(Tenant.slug).order_by(Tenant.id))).scalars())

    async def by_email_domain(self, domain: str) -> Tenant | None:
        """The oldest agency whose corporate e-mail domain this is (compared case-insensitively)."""
        statement = (
            select(Tenant)
            .where(func.lower(Tenant.corporate_email_domain) == domain.lower())
            .order_by(Tenant.id)
            .limit(1)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def update(self, tenant: Tenant, **fields: object) -> Tenant:
        """Change these columns of the agency and write them out (the caller's transaction commits)."""
        for column, value in fields.items():
            if column not in Tenant.__table__.columns:
                raise AttributeError(f"tenants has no column {column!r}")
            setattr(tenant, column, value)
        await self.session.flush()
        return tenant
