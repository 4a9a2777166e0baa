"""Webhook endpoints of an agency and the outbox of deliveries to them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import WebhookDelivery, WebhookEndpoint

DUE_STATUSES = ("pending", "failed")
DUE_AT_ONCE = datetime(1970, 1, 1, tzinfo=UTC)
"""A new delivery's first attempt time: due for any worker at once, whatever its clock says."""


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery a worker holds until its lease ends: what to send and where."""

    id: uuid.UUID
    tenant_id: int
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    kind: str
    payload: dict[str, object]
    attempts: int
    """The attempt this claim is (counted when claimed): with `lease_until`, what identifies the claim."""
    lease_until: datetime
    created_at: datetime
    url: str
    secret_encrypted: bytes


@dataclass
class WebhookRepository:
    session: AsyncSession

    # --- Endpoints --------------------------------------------------------------------------------------

    async def add_endpoint(
        self,
        *,
        tenant_id: int,
        url: str,
        events: list[str],
        secret_encrypted: bytes,
        created_by: str,
        now: datetime,
    ) -> WebhookEndpoint:
        endpoint = WebhookEndpoint(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            url=url,
            events=sorted(set(events)),
            secret_encrypted=secret_encrypted,
            active=True,
            created_by=created_by,
            created_at=now,
        )
        self.session.add(endpoint)
        await self.session.flush()
        await self.refresh_subscriptions(tenant_id)
        return endpoint

    async def refresh_subscriptions(self, tenant_id: int) -> None:
        """Keep `tenants.webhook_events` (what the agency's active endpoints listen to) true; call after every
        change of endpoints."""
        await self.session.execute(
            text(
                "UPDATE tenants SET webhook_events = ARRAY(SELECT DISTINCT kind FROM webhook_endpoints, "
                "unnest(events) AS kind WHERE tenant_id = :tenant AND active ORDER BY kind) WHERE id = :tenant"
            ),
            {"tenant": tenant_id},
        )

    async def endpoints(self, tenant_id: int) -> list[WebhookEndpoint]:
        """The agency's endpoints, oldest first."""
        query = (
            select(WebhookEndpoint)
            .where(WebhookEndpoint.tenant_id == tenant_id)
            .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        )
        return list((await self.session.execute(query)).scalars())

    async def endpoint(
        self, tenant_id: int, endpoint_id: uuid.UUID, *, for_update: bool = False
    ) -> WebhookEndpoint | None:
        query = select(WebhookEndpoint).where(
            WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.id == endpoint_id
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def remove_endpoint(self, tenant_id: int, endpoint_id: uuid.UUID) -> bool:
        """Delete the endpoint and its deliveries; False when the agency has no such endpoint."""
        statement = (
            delete(WebhookEndpoint)
            .where(WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.id == endpoint_id)
            .returning(WebhookEndpoint.id)
        )
        removed = (await self.session.execute(statement)).scalar_one_or_none() is not None
        await self.refresh_subscriptions(tenant_id)
        return removed

    # --- The outbox -------------------------------------------------------------------------------------

    async def queue_event(
        self,
        *,
        tenant_id: int,
        kind: str,
        event_id: uuid.UUID,
        payload: dict[str, object],
        now: datetime,
    ) -> int:
        """One pending delivery per active endpoint of the agency subscribed to `kind`, in one statement;
        how many were queued."""
        subscribed = select(
            func.gen_random_uuid(),
            WebhookEndpoint.tenant_id,
            WebhookEndpoint.id,
            literal(event_id),
            literal(kind),
            literal(payload, WebhookDelivery.payload.type),
            literal("pending"),
            literal(0),
            literal(DUE_AT_ONCE),
            literal(now),
        ).where(
            WebhookEndpoint.tenant_id == tenant_id,
            WebhookEndpoint.active.is_(True),
            WebhookEndpoint.events.contains([kind]),
        )
        statement = (
            insert(WebhookDelivery)
            .from_select(
                [
                    "id",
                    "tenant_id",
                    "endpoint_id",
                    "event_id",
                    "kind",
                    "payload",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                subscribed,
            )
            .returning(WebhookDelivery.id)
        )
        return len((await self.session.execute(statement)).all())

    async def queue_one(
        self,
        *,
        tenant_id: int,
        endpoint_id: uuid.UUID,
        kind: str,
        event_id: uuid.UUID,
        payload: dict[str, object],
        now: datetime,
    ) -> WebhookDelivery:
        """A pending delivery to one endpoint of the agency (a test event)."""
        delivery = WebhookDelivery(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            endpoint_id=endpoint_id,
            event_id=event_id,
            kind=kind,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=DUE_AT_ONCE,
            created_at=now,
        )
        self.session.add(delivery)
        await self.session.flush()
        return delivery

    async def claim_due_across_tenants(
        self, now: datetime, lease_until: datetime, *, limit: int, tenant_id: int | None = None
    ) -> list[ClaimedDelivery]:
        """Take up to `limit` due deliveries (FOR UPDATE SKIP LOCKED, so two workers never take one), count
        the attempt and hold them until `lease_until`: a worker that dies mid-send leaves them due again then."""
        due = (
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status.in_(DUE_STATUSES), WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if tenant_id is not None:
            due = due.where(WebhookDelivery.tenant_id == tenant_id)
        claimed = (
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(due.scalar_subquery()))
            .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=lease_until)
            .returning(WebhookDelivery)
        )
        rows = list((await self.session.execute(claimed)).scalars())
        if not rows:
            return []
        endpoints = {
            endpoint.id: endpoint
            for endpoint in (
                await self.session.execute(
                    select(WebhookEndpoint).where(WebhookEndpoint.id.in_({row.endpoint_id for row in rows}))
                )
            ).scalars()
        }
        return [
            ClaimedDelivery(
                id=row.id,
                tenant_id=row.tenant_id,
                endpoint_id=row.endpoint_id,
                event_id=row.event_id,
                kind=row.kind,
                payload=row.payload,
                attempts=row.attempts,
                lease_until=row.next_attempt_at,
                created_at=row.created_at,
                url=endpoints[row.endpoint_id].url,
                secret_encrypted=endpoints[row.endpoint_id].secret_encrypted,
            )
            for row in rows
            if row.endpoint_id in endpoints
        ]

    async def record_attempt(
        self,
        *,
        tenant_id: int,
        claim: ClaimedDelivery,
        status: str,
        status_code: int | None,
        error: str | None,
        next_attempt_at: datetime,
        now: datetime,
    ) -> bool:
        """The outcome of one attempt on the delivery and, as its last status, on the endpoint; only while the
        claim still holds (same attempt, same lease, still due): False, and nothing written, when another worker
        has claimed the delivery since (its lease ran out)."""
        recorded = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.tenant_id == tenant_id,
                WebhookDelivery.id == claim.id,
                WebhookDelivery.attempts == claim.attempts,
                WebhookDelivery.next_attempt_at == claim.lease_until,
                WebhookDelivery.status.in_(DUE_STATUSES),
            )
            .values(
                status=status,
                last_status_code=status_code,
                last_error=error[:300] if error else None,
                next_attempt_at=next_attempt_at,
                delivered_at=now if status == "delivered" else None,
            )
            .returning(WebhookDelivery.id)
        )
        if recorded.scalar_one_or_none() is None:
            return False
        await self.session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.id == claim.endpoint_id)
            .values(last_status=status, last_status_code=status_code, last_delivery_at=now)
        )
        return True

    async def deliveries(
        self, tenant_id: int, endpoint_id: uuid.UUID | None = None, *, limit: int = 50
    ) -> list[WebhookDelivery]:
        """The agency's latest deliveries (of one endpoint, or of all), newest first."""
        query = select(WebhookDelivery).where(WebhookDelivery.tenant_id == tenant_id)
        if endpoint_id is not None:
            query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
        query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).limit(limit)
        return list((await self.session.execute(query)).scalars())
