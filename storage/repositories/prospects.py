"""Prospects: people a rep should reach out to, their assignment to reps and their status."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Prospect, ProspectStatus, RepStatus, SalesRepresentative

OPEN_PROSPECT_STATUSES = (ProspectStatus.UNREACHED, ProspectStatus.CONTACTED, ProspectStatus.IN_CONVERSATION)
"""A rep is still working these; they count towards the rep's load and move with reassignment."""


@dataclass
class ProspectRepository:
    session: AsyncSession

    async def get(self, tenant_id: int, prospect_id: str, *, for_update: bool = False) -> Prospect | None:
        """This tenant's prospect with this id (another agency may use the same id for someone else)."""
        query = select(Prospect).where(Prospect.tenant_id == tenant_id, Prospect.id == prospect_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def by_link_token(self, tenant_id: int, token: str, *, for_update: bool = False) -> Prospect | None:
        """This tenant's prospect whose deep link carries `token`."""
        query = select(Prospect).where(Prospect.tenant_id == tenant_id, Prospect.link_token == token)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def lock_tenant(self, tenant_id: int) -> None:
        """Serialise assignment within a tenant across workers (released at commit)."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended('realty.prospect_assignment', :tenant_id))"),
            {"tenant_id": tenant_id},
        )

    async def unassigned_unreached(self, tenant_id: int) -> list[Prospect]:
        query = (
            select(Prospect)
            .where(
                Prospect.tenant_id == tenant_id,
                Prospect.status == ProspectStatus.UNREACHED,
                Prospect.assigned_rep_id.is_(None),
            )
            .order_by(Prospect.created_at, Prospect.id)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())

    async def active_reps_in_order(self, tenant_id: int) -> list[SalesRepresentative]:
        """Active reps in the stable tie-break order: approved first-come, then by id."""
        query = (
            select(SalesRepresentative)
            .where(SalesRepresentative.tenant_id == tenant_id, SalesRepresentative.status == RepStatus.ACTIVE)
            .order_by(SalesRepresentative.approved_at.asc().nulls_last(), SalesRepresentative.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def open_counts(self, tenant_id: int) -> dict[uuid.UUID, int]:
        """How many open prospects each rep holds."""
        query = (
            select(Prospect.assigned_rep_id, func.count())
            .where(
                Prospect.tenant_id == tenant_id,
                Prospect.assigned_rep_id.is_not(None),
                Prospect.status.in_(OPEN_PROSPECT_STATUSES),
            )
            .group_by(Prospect.assigned_rep_id)
        )
        return {rep_id: count for rep_id, count in (await self.session.execute(query)).tuples() if rep_id}

    async def open_of_rep(self, tenant_id: int, rep_id: uuid.UUID) -> list[Prospect]:
        """The open prospects this rep of this tenant holds (locked: they are about to move)."""
        query = (
            select(Prospect)
            .where(
                Prospect.tenant_id == tenant_id,
                Prospect.assigned_rep_id == rep_id,
                Prospect.status.in_(OPEN_PROSPECT_STATUSES),
            )
            .order_by(Prospect.created_at, Prospect.id)
            .with_for_update()
        )
        return list((await self.session.execute(query)).scalars())

    async def assigned_open(self, tenant_id: int) -> list[tuple[Prospect, SalesRepresentative]]:
        """Open prospects with their assigned rep, when that rep is active."""
        query = (
            select(Prospect, SalesRepresentative)
            .join(SalesRepresentative, SalesRepresentative.id == Prospect.assigned_rep_id)
            .where(
                Prospect.tenant_id == tenant_id,
                Prospect.status.in_(OPEN_PROSPECT_STATUSES),
                SalesRepresentative.status == RepStatus.ACTIVE,
            )
            .order_by(Prospect.created_at, Prospect.id)
        )
        return list((await self.session.execute(query)).tuples())

    async def mark_contacted(self, tenant_id: int, prospect_id: str, now: datetime) -> None:
        """This tenant's prospect: UNREACHED -> CONTACTED; every contact refreshes last_contact_at."""
        await self.session.execute(
            update(Prospect)
            .where(Prospect.tenant_id == tenant_id, Prospect.id == prospect_id)
            .values(
                last_contact_at=now,
                status=func.coalesce(
                    func.nullif(Prospect.status, ProspectStatus.UNREACHED.value),
                    ProspectStatus.CONTACTED.value,
                ),
            )
        )
