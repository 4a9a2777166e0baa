"""What the web page, the API and the CLI do with an agency's webhooks, for one viewer: admins read and change
them; the agency's integrations (API tokens) only read them (a token that could add an endpoint could have every
new lead's name and phone sent to it); every change audited in its transaction, every refusal audited too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from agent.services.integrations.endpoints import NewEndpoint, WebhookEndpoints
from agent.services.team.base import TeamPart
from agent.services.web_access import Viewer, audit_change, audit_refusal
from storage.models import WebhookDelivery, WebhookEndpoint
from storage.repositories.integrations import WebhookRepository

RECENT_DELIVERIES = 20


class WebhooksRefused(Exception):
    """A rep asked, or an integration asked for a change; the refusal is already audited."""


@dataclass(frozen=True)
class WebhooksOverview:
    endpoints: list[WebhookEndpoint]
    recent: list[WebhookDelivery]


def _where(url: str) -> str:
    """What the audit keeps of a URL: its scheme, host and path (a query string may hold a receiver's token)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


@dataclass
class WebhookAdmin(TeamPart):
    async def _check(self, viewer: Viewer, action: str, target: str) -> None:
        """Reading: admins and integrations."""
        if not viewer.sees_whole_agency:
            await audit_refusal(self.database, self.clock, viewer, action, target, "admins_only")
            raise WebhooksRefused(action)

    async def _check_change(self, viewer: Viewer, action: str, target: str) -> None:
        """Adding, rotating, removing, testing: admins (people) only."""
        if not viewer.is_admin:
            reason = "people_only" if viewer.sees_whole_agency else "admins_only"
            await audit_refusal(self.database, self.clock, viewer, action, target, reason)
            raise WebhooksRefused(action)

    async def overview(self, viewer: Viewer, *, recent: int = RECENT_DELIVERIES) -> WebhooksOverview:
        await self._check(viewer, "webhook.view", "webhooks")
        async with self.database.session() as session:
            repo = WebhookRepository(session)
            return WebhooksOverview(
                await repo.endpoints(viewer.tenant_id), await repo.deliveries(viewer.tenant_id, limit=recent)
            )

    async def deliveries(
        self, viewer: Viewer, endpoint_id: uuid.UUID, *, limit: int = 50
    ) -> list[WebhookDelivery] | None:
        """The endpoint's latest deliveries; None when the agency has no such endpoint."""
        await self._check(viewer, "webhook.view", f"webhook:{endpoint_id}")
        async with self.database.session() as session:
            repo = WebhookRepository(session)
            if await repo.endpoint(viewer.tenant_id, endpoint_id) is None:
                return None
            return await repo.deliveries(viewer.tenant_id, endpoint_id, limit=limit)

    async def add(self, viewer: Viewer, url: str, events: list[str]) -> NewEndpoint:
        """A new endpoint and its secret (to show once); InvalidEndpoint for a URL or events it cannot take."""
        await self._check_change(viewer, "webhook.add", "webhooks")
        async with self.database.session() as session:
            new = await WebhookEndpoints(session, self.settings).add(
                viewer.tenant_id, url, events, created_by=_created_by(viewer), now=self.clock.now()
            )
            await audit_change(
                session,
                self.clock,
                viewer,
                "webhook.add",
                f"webhook:{new.endpoint.id}",
                f"{_where(new.endpoint.url)} {','.join(new.endpoint.events)}",
            )
            return new

    async def rotate(self, viewer: Viewer, endpoint_id: uuid.UUID) -> NewEndpoint | None:
        await self._check_change(viewer, "webhook.rotate", f"webhook:{endpoint_id}")
        async with self.database.session() as session:
            new = await WebhookEndpoints(session, self.settings).rotate_secret(viewer.tenant_id, endpoint_id)
            if new is not None:
                await audit_change(session, self.clock, viewer, "webhook.rotate", f"webhook:{endpoint_id}")
            return new

    async def remove(self, viewer: Viewer, endpoint_id: uuid.UUID) -> bool:
        await self._check_change(viewer, "webhook.remove", f"webhook:{endpoint_id}")
        async with self.database.session() as session:
            removed = await WebhookRepository(session).remove_endpoint(viewer.tenant_id, endpoint_id)
            if removed:
                await audit_change(session, self.clock, viewer, "webhook.remove", f"webhook:{endpoint_id}")
            return removed

    async def send_test(self, viewer: Viewer, endpoint_id: uuid.UUID) -> bool:
        await self._check_change(viewer, "webhook.test", f"webhook:{endpoint_id}")
        async with self.database.session() as session:
            sent = await WebhookEndpoints(session, self.settings).send_test(
                viewer.tenant_id, endpoint_id, self.clock.now()
            )
            if sent:
                await audit_change(session, self.clock, viewer, "webhook.test", f"webhook:{endpoint_id}")
            return sent


def _created_by(viewer: Viewer) -> str:
    return f"telegram:{viewer.telegram_id}" if viewer.telegram_id is not None else viewer.via
