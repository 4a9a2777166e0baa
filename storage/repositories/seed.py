"""Fixtures written only when missing: re-running a seed never overwrites what people have changed since."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Prospect


async def insert_missing_prospects(
    session: AsyncSession, tenant_id: int, prospects: Sequence[Mapping[str, Any]]
) -> int:
    """Insert the prospects whose id this tenant does not use yet; returns how many were inserted.

    Ids are the agency's own: one another tenant uses does not stop this tenant's prospect.
    """
    if not prospects:
        return 0
    rows = [{**prospect, "tenant_id": tenant_id} for prospect in prospects]
    statement = (
        insert(Prospect).values(rows).on_conflict_do_nothing(index_elements=[Prospect.tenant_id, Prospect.id])
    )
    inserted = await session.execute(statement.returning(Prospect.id))
    return len(inserted.all())


async def count_prospects(session: AsyncSession, tenant_id: int) -> int:
    rows = await session.execute(select(Prospect.id).where(Prospect.tenant_id == tenant_id))
    return len(rows.all())
