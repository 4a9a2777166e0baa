"""The events an agency's webhook endpoints can subscribe to, and the one call that records one.

Call `record_event` in the transaction that makes the change, so an event exists exactly when its change
does (a rollback takes its deliveries with it); delivery happens later, from the job worker
(agent.services.integrations.delivery).

Every delivery's body is `{"id", "type", "occurred_at", "agency_id", "data"}`; `data` holds ids, statuses,
score and temperature, and times in ISO-8601 UTC. Personal data is kept to what an agency's own CRM needs:
a lead's name and phone on lead.created and lead.hot, nothing else, and never a secret.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lead, Tenant, Viewing
from storage.repositories.integrations import WebhookRepository


class EventKind(StrEnum):
    LEAD_CREATED = "lead.created"
    LEAD_HOT = "lead.hot"
    LEAD_STATUS_CHANGED = "lead.status_changed"
    VIEWING_BOOKED = "viewing.booked"
    VIEWING_CANCELLED = "viewing.cancelled"


EVENT_KINDS: tuple[EventKind, ...] = tuple(EventKind)


def iso(moment: datetime | None) -> str | None:
    """A moment as ISO-8601 in UTC ("2026-12-07T07:00:00+00:00")."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


async def record_event(
    session: AsyncSession,
    *,
    tenant_id: int,
    kind: EventKind,
    data: dict[str, object],
    now: datetime | None = None,
) -> int:
    """Queue `kind` with its `data` for every active endpoint of the agency subscribed to it, in the caller's
    transaction; how many deliveries were queued.

    When no endpoint of the agency listens to `kind` (`tenants.webhook_events`; the tenant is usually in the
    session already, loaded with the lead) this costs no statement at all."""
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None or kind.value not in (tenant.webhook_events or ()):
        return 0
    moment = now or datetime.now(UTC)
    event_id = uuid.uuid4()
    payload: dict[str, object] = {
        "id": str(event_id),
        "type": kind.value,
        "occurred_at": iso(moment),
        "agency_id": tenant_id,
        "data": data,
    }
    return await WebhookRepository(session).queue_event(
        tenant_id=tenant_id, kind=kind.value, event_id=event_id, payload=payload, now=moment
    )


def lead_data(lead: Lead, *, contact: bool = False) -> dict[str, object]:
    """What an event says of a lead; its name and phone only with `contact` (lead.created, lead.hot)."""
    data: dict[str, object] = {
        "lead_id": lead.id,
        "status": lead.status,
        "score": lead.lead_score,
        "temperature": lead.temperature,
        "source": lead.source,
        "language": lead.language,
        "assigned_rep_id": str(lead.assigned_rep_id) if lead.assigned_rep_id else None,
    }
    if contact:
        data["name"] = lead.name
        data["phone"] = lead.phone
    return data


def viewing_data(viewing: Viewing) -> dict[str, object]:
    """What an event says of a viewing: ids, status and times (no meeting links: they admit a guest)."""
    return {
        "viewing_id": viewing.id,
        "lead_id": viewing.lead_id,
        "property_id": viewing.property_id,
        "rep_id": str(viewing.rep_id) if viewing.rep_id else None,
        "status": viewing.status,
        "starts_at": iso(viewing.starts_at),
        "ends_at": iso(viewing.ends_at),
        "online": viewing.online,
    }


async def lead_created(session: AsyncSession, lead: Lead, now: datetime | None = None) -> None:
    await record_event(
        session,
        tenant_id=lead.tenant_id,
        kind=EventKind.LEAD_CREATED,
        data=lead_data(lead, contact=True),
        now=now,
    )


async def lead_status_changed(
    session: AsyncSession, lead: Lead, previous: str | None, now: datetime | None = None, *, by: str = "agent"
) -> None:
    """lead.status_changed, only when the status really changed; `by` is "agent", "rep" or "web"."""
    if previous is None or previous == lead.status:
        return
    await record_event(
        session,
        tenant_id=lead.tenant_id,
        kind=EventKind.LEAD_STATUS_CHANGED,
        data={**lead_data(lead), "previous_status": previous, "changed_by": by},
        now=now,
    )
