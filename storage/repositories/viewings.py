"""Viewings and the per-rep blocks that make double-booking impossible in the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SalesRepresentative, Viewing, ViewingBlock, ViewingStatus

LIVE_STATUSES = (ViewingStatus.SCHEDULED, ViewingStatus.RESCHEDULED)
"""Viewings that still hold a rep's time."""


class SlotTaken(Exception):
    """Another viewing holds one of the blocks; nothing of this attempt was kept."""


@dataclass
class ViewingRepository:
    session: AsyncSession

    async def busy_blocks(
        self, rep_ids: Sequence[uuid.UUID], start: datetime, end: datetime
    ) -> set[tuple[uuid.UUID, datetime]]:
        """(rep, block start) of every taken block in [start, end)."""
        if not rep_ids:
            return set()
        query = select(ViewingBlock.rep_id, ViewingBlock.block_start).where(
            ViewingBlock.rep_id.in_(rep_ids),
            ViewingBlock.block_start >= start,
            ViewingBlock.block_start < end,
        )
        return {(row.rep_id, row.block_start) for row in await self.session.execute(query)}

    async def upcoming_counts(
        self, tenant_id: int, rep_ids: Sequence[uuid.UUID], now: datetime
    ) -> dict[uuid.UUID, int]:
        """How many live viewings each rep has from now on."""
        if not rep_ids:
            return {}
        query = (
            select(Viewing.rep_id, func.count())
            .where(
                Viewing.tenant_id == tenant_id,
                Viewing.rep_id.in_(rep_ids),
                Viewing.status.in_(LIVE_STATUSES),
                Viewing.starts_at >= now,
            )
            .group_by(Viewing.rep_id)
        )
        counts = {rep_id: int(n) for rep_id, n in await self.session.execute(query) if rep_id is not None}
        return {rep_id: counts.get(rep_id, 0) for rep_id in rep_ids}

    async def bookings_since(
        self, tenant_id: int, property_ids: Iterable[int], since: datetime, until: datetime
    ) -> dict[int, int]:
        """Viewings of each listing booked (created) in [since, until], cancelled ones left out."""
        ids = list(property_ids)
        if not ids:
            return {}
        query = (
            select(Viewing.property_id, func.count())
            .where(
                Viewing.tenant_id == tenant_id,
                Viewing.property_id.in_(ids),
                Viewing.status != ViewingStatus.CANCELLED,
                Viewing.created_at >= since,
                Viewing.created_at <= until,
            )
            .group_by(Viewing.property_id)
        )
        return {
            property_id: int(n)
            for property_id, n in await self.session.execute(query)
            if property_id is not None
        }

    async def book(self, viewing: Viewing, blocks: Sequence[datetime]) -> Viewing:
        """Insert the viewing and its rep blocks atomically, or raise SlotTaken and keep nothing.

        Runs in a SAVEPOINT so the caller's transaction stays usable for another try. A concurrent
        booking of the same block waits for the other transaction and fails here once it commits.
        """
        if viewing.rep_id is None:
            raise ValueError("a booked viewing needs a rep")
        try:
            async with self.session.begin_nested():
                self.session.add(viewing)
                await self.session.flush()
                self.session.add_all(
                    ViewingBlock(rep_id=viewing.rep_id, block_start=block, viewing_id=viewing.id)
                    for block in blocks
                )
                await self.session.flush()
        except IntegrityError as exc:
            raise SlotTaken(str(exc.orig)) from None
        return viewing

    async def move(
        self, viewing: Viewing, starts_at: datetime, ends_at: datetime, blocks: Sequence[datetime]
    ) -> Viewing:
        """Give a live viewing new times and blocks atomically, or raise SlotTaken and keep the old ones."""
        if viewing.rep_id is None:
            raise ValueError("a booked viewing needs a rep")
        try:
            async with self.session.begin_nested():
                await self.session.execute(delete(ViewingBlock).where(ViewingBlock.viewing_id == viewing.id))
                await self.session.execute(
                    insert(ViewingBlock),
                    [{"rep_id": viewing.rep_id, "block_start": b, "viewing_id": viewing.id} for b in blocks],
                )
        except IntegrityError as exc:
            raise SlotTaken(str(exc.orig)) from None
        viewing.starts_at, viewing.ends_at = starts_at, ends_at
        viewing.status = ViewingStatus.RESCHEDULED.value
        await self.session.flush()
        return viewing

    async def release(self, viewing: Viewing, status: str) -> None:
        """End a viewing's hold on the rep's time (cancelled, completed, no-show)."""
        await self.session.execute(delete(ViewingBlock).where(ViewingBlock.viewing_id == viewing.id))
        viewing.status = status
        await self.session.flush()

    async def upcoming_for_lead(self, tenant_id: int, lead_id: int, now: datetime) -> list[Viewing]:
        """The lead's live viewings that have not ended yet, soonest first (locked for a change)."""
        query = (
            select(Viewing)
            .where(
                Viewing.tenant_id == tenant_id,
                Viewing.lead_id == lead_id,
                Viewing.status.in_(LIVE_STATUSES),
                Viewing.ends_at > now,
            )
            .order_by(Viewing.starts_at)
            .with_for_update()
        )
        return list((await self.session.execute(query)).scalars())

    async def upcoming_for_rep(self, tenant_id: int, rep_id: uuid.UUID, now: datetime) -> list[Viewing]:
        """The rep's live viewings that have not ended yet, soonest first."""
        query = (
            select(Viewing)
            .where(
                Viewing.tenant_id == tenant_id,
                Viewing.rep_id == rep_id,
                Viewing.status.in_(LIVE_STATUSES),
                Viewing.ends_at > now,
            )
            .order_by(Viewing.starts_at)
        )
        return list((await self.session.execute(query)).scalars())

    async def awaiting_outcome(self, rep: SalesRepresentative, now: datetime) -> Viewing | None:
        """The rep's latest viewing that has ended, is still live and has no outcome yet (locked)."""
        query = (
            select(Viewing)
            .where(
                Viewing.tenant_id == rep.tenant_id,
                Viewing.rep_id == rep.id,
                Viewing.status.in_(LIVE_STATUSES),
                Viewing.outcome.is_(None),
                Viewing.ends_at <= now,
            )
            .order_by(Viewing.ends_at.desc())
            .limit(1)
            .with_for_update()
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def for_lead(self, tenant_id: int, lead_id: int) -> list[Viewing]:
        query = (
            select(Viewing)
            .where(Viewing.tenant_id == tenant_id, Viewing.lead_id == lead_id)
            .order_by(Viewing.starts_at)
        )
        return list((await self.session.execute(query)).scalars())
