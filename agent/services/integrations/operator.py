"""The operator's webhooks (`realty webhooks`): one agency by its slug, every change audited as made from the CLI."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from agent.services.integrations.endpoints import NewEndpoint, WebhookEndpoints
from agent.services.provider import Services
from storage.models import WebhookEndpoint
from storage.repositories.audit import AuditRepository
from storage.repositories.integrations import WebhookRepository
from storage.repositories.tenants import TenantRepository

CLI = "cli"


@dataclass
class OperatorWebhooks:
    services: Services

    async def add(self, slug: str, url: str, events: list[str]) -> NewEndpoint:
        """TenantNotFound for an unknown slug; InvalidEndpoint for a URL or events it cannot take."""
        now = self.services.clock.now()
        async with self.services.database.session() as session:
            tenant = await TenantRepository(session).require(slug)
            new = await WebhookEndpoints(session, self.services.settings).add(
                tenant.id, url, events, created_by=CLI, now=now
            )
            await AuditRepository(session).record(
                action="webhook.add",
                now=now,
                actor_telegram_id=None,
                tenant_id=tenant.id,
                target=f"webhook:{new.endpoint.id}",
                detail=f"{CLI}: {','.join(new.endpoint.events)}",
            )
            return new

    async def list(self, slug: str) -> list[WebhookEndpoint]:
        async with self.services.database.session() as session:
            tenant = await TenantRepository(session).require(slug)
            return await WebhookRepository(session).endpoints(tenant.id)

    async def remove(self, slug: str, endpoint_id: uuid.UUID) -> bool:
        now = self.services.clock.now()
        async with self.services.database.session() as session:
            tenant = await TenantRepository(session).require(slug)
            removed = await WebhookRepository(session).remove_endpoint(tenant.id, endpoint_id)
            if removed:
                await AuditRepository(session).record(
                    action="webhook.remove",
                    now=now,
                    actor_telegram_id=None,
                    tenant_id=tenant.id,
                    target=f"webhook:{endpoint_id}",
                    detail=CLI,
                )
            return removed
