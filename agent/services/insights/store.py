"""The stored insight of a lead: one row, replaced on each refresh (upsert)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.insights import Insight
from storage.models import Lead, LeadInsight

OFFLINE = "offline"
MODEL = "model"


async def save_insight(
    session: AsyncSession,
    lead: Lead,
    insight: Insight,
    *,
    source: str,
    now: datetime,
    full_due: bool = False,
) -> None:
    """Replace the lead's insight; `full_due` asks the due job for a full refresh."""
    values = {
        "lead_id": lead.id,
        "tenant_id": lead.tenant_id,
        "content": insight.to_json(),
        "source": source,
        "refreshed_at": now,
        "due_at": now if full_due else None,
    }
    statement = insert(LeadInsight).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[LeadInsight.lead_id],
        set_={key: statement.excluded[key] for key in values if key != "lead_id"},
    )
    await session.execute(statement)


async def stored_insight(session: AsyncSession, lead_id: int, tenant_id: int) -> LeadInsight | None:
    return (
        await session.execute(
            select(LeadInsight).where(LeadInsight.lead_id == lead_id, LeadInsight.tenant_id == tenant_id)
        )
    ).scalar_one_or_none()


def insight_of(row: LeadInsight | None) -> Insight | None:
    """The stored content as an Insight; None when missing or written by an incompatible version."""
    if row is None:
        return None
    try:
        return Insight.from_json(dict(row.content))
    except (KeyError, TypeError, ValueError):
        return None


async def mark_due(session: AsyncSession, lead_id: int, now: datetime) -> None:
    """Something a person did changed what the insight says (a note, a status, a take-over): the due job
    composes it again within minutes. A lead with no insight yet gets one on its next turn or nightly."""
    await session.execute(update(LeadInsight).where(LeadInsight.lead_id == lead_id).values(due_at=now))
