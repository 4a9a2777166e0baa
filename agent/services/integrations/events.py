"""The events an agency's webhook endpoints can subscribe to, and the one call that records one.

Call `record_event` in the transaction that makes the change, so an event exists exactly when its change
does; delivery happens later, from the job worker.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession


class EventKind(StrEnum):
    LEAD_CREATED = "lead.created"
    LEAD_HOT = "lead.hot"
    LEAD_STATUS_CHANGED = "lead.status_changed"
    VIEWING_BOOKED = "viewing.booked"
    VIEWING_CANCELLED = "viewing.cancelled"


async def record_event(
    session: AsyncSession, *, tenant_id: int, kind: EventKind, data: dict[str, object]
) -> None:
    """Queue `kind` with its `data` for every endpoint of the agency subscribed to it.

    The outbox and its delivery are built on the integrations branch of issue 14; until it merges this
    records nothing.
    """
    del session, tenant_id, kind, data
