"""The audit log: every admin decision and every refused attempt, append-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditLog


@dataclass
class AuditRepository:
    session: AsyncSession

    async def record(
        self,
        *,
        action: str,
        now: datetime,
        actor_telegram_id: int | None,
        tenant_id: int | None = None,
        target: str | None = None,
        allowed: bool = True,
        detail: str | None = None,
    ) -> AuditLog:
        entry = AuditLog(
            tenant_id=tenant_id,
            actor_telegram_id=actor_telegram_id,
            action=action,
            target=target,
            allowed=allowed,
            detail=detail,
            created_at=now,
        )
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def recent(self, tenant_id: int, limit: int = 50) -> list[AuditLog]:
        """This tenant's newest entries first."""
        return await self._recent(limit, AuditLog.tenant_id == tenant_id)

    async def recent_all_tenants(self, limit: int = 50) -> list[AuditLog]:
        """The newest entries of every tenant, and those no tenant could be known for, first."""
        return await self._recent(limit)

    async def _recent(self, limit: int, *where: ColumnElement[bool]) -> list[AuditLog]:
        query = (
            select(AuditLog)
            .where(*where)
            .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(query)).scalars())

    async def count_by_actor_across_tenants(
        self, actor_telegram_id: int, action: str, since: datetime
    ) -> int:
        """How often this user did `action` since then, in any agency (the registration rate limit); refused
        attempts are audited too and do not count."""
        query = select(func.count()).where(
            AuditLog.actor_telegram_id == actor_telegram_id,
            AuditLog.action == action,
            AuditLog.allowed.is_(True),
            AuditLog.created_at >= since,
        )
        return int((await self.session.execute(query)).scalar_one())
