"""Sales representatives: look up, register, change status, list by status."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RepStatus, SalesRepresentative

LIVE_STATUSES = (RepStatus.PENDING, RepStatus.ACTIVE, RepStatus.SUSPENDED)
"""Statuses of a rep who still has a record the bot talks about; REMOVED reps may register again."""


@dataclass
class RepRepository:
    session: AsyncSession

    async def get(self, rep_id: uuid.UUID) -> SalesRepresentative | None:
        return await self.session.get(SalesRepresentative, rep_id)

    async def by_telegram_id(
        self, telegram_id: int, *, tenant_id: int | None = None, for_update: bool = False
    ) -> SalesRepresentative | None:
        """The newest record of this Telegram user (in one tenant when given), whatever its status."""
        query = select(SalesRepresentative).where(SalesRepresentative.telegram_id == telegram_id)
        if tenant_id is not None:
            query = query.where(SalesRepresentative.tenant_id == tenant_id)
        query = query.order_by(SalesRepresentative.created_at.desc()).limit(1)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_email(self, email: str) -> SalesRepresentative | None:
        query = select(SalesRepresentative).where(func.lower(SalesRepresentative.email) == email.lower()).limit(1)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def active_for_tenant(self, tenant_id: int) -> list[SalesRepresentative]:
        return await self.list_by_status(tenant_id, RepStatus.ACTIVE)

    async def list_by_status(self, tenant_id: int | None, *statuses: str) -> list[SalesRepresentative]:
        """Reps in any of these statuses (every tenant when tenant_id is None), oldest first."""
        query = select(SalesRepresentative).where(SalesRepresentative.status.in_(statuses))
        if tenant_id is not None:
            query = query.where(SalesRepresentative.tenant_id == tenant_id)
        query = query.order_by(SalesRepresentative.created_at, SalesRepresentative.name)
        return list((await self.session.execute(query)).scalars())

    async def admins(self, tenant_id: int | None = None) -> list[SalesRepresentative]:
        """Active reps an existing admin promoted to admin."""
        query = select(SalesRepresentative).where(
            SalesRepresentative.is_admin.is_(True), SalesRepresentative.status == RepStatus.ACTIVE
        )
        if tenant_id is not None:
            query = query.where(SalesRepresentative.tenant_id == tenant_id)
        return list((await self.session.execute(query)).scalars())

    async def upsert_pending(
        self,
        *,
        tenant_id: int,
        telegram_id: int,
        chat_id: int | None,
        username: str | None,
        name: str,
        email: str,
        language: str,
        now: datetime,
    ) -> SalesRepresentative:
        """Create a PENDING application, or turn a removed/rejected record of the same user into one."""
        rep = await self.by_telegram_id(telegram_id, tenant_id=tenant_id, for_update=True)
        if rep is None:
            rep = SalesRepresentative(tenant_id=tenant_id, telegram_id=telegram_id)
            self.session.add(rep)
        rep.telegram_chat_id = chat_id
        rep.telegram_username = username
        rep.name = name
        rep.email = email
        rep.language = language
        rep.status = RepStatus.PENDING
        rep.registered_at = now
        rep.approved_at = None
        rep.approved_by = None
        rep.decided_by_telegram_id = None
        await self.session.flush()
        return rep
