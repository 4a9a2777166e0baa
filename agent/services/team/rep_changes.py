"""What goes with every change to a rep's record: its audit row; the prospects and web sessions of a rep who
stops working."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.team.cards import Actor
from storage.models import SalesRepresentative
from storage.repositories.audit import AuditRepository
from storage.repositories.web import WebSessionRepository


async def audit_rep_change(
    session: AsyncSession,
    action: str,
    actor: Actor,
    rep: SalesRepresentative,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Audit a change made to a rep by `actor`, and write it out with the change."""
    await AuditRepository(session).record(
        action=action,
        now=now,
        actor_telegram_id=actor.telegram_id,
        tenant_id=rep.tenant_id,
        target=str(rep.id),
        detail=detail,
    )
    await session.flush()


async def end_web_sessions(session: AsyncSession, rep: SalesRepresentative, now: datetime) -> None:
    """A rep who is suspended or removed is signed out of the web app in every agency, for good: restoring
    them later does not bring old cookies back."""
    await WebSessionRepository(session).end_all_across_tenants(rep.telegram_id, now)


async def hand_over_prospects(session: AsyncSession, rep: SalesRepresentative, now: datetime) -> None:
    """A rep who stops working hands their open prospects to the other active reps (the outreach rule)."""
    from agent.services.jobs.outreach import reassign_prospects_of

    await reassign_prospects_of(session, rep.id, now=now)
