"""/api/v1/webhooks: the agency's outgoing webhook endpoints (admins and the agency's integrations).

The secret is in the answer to POST only; GET never shows it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from agent.services.integrations.endpoints import InvalidEndpoint
from agent.services.integrations.events import EventKind
from agent.services.webhook_admin import WebhookAdmin, WebhooksRefused
from agent.web.api_auth import ApiViewerDep
from agent.web.deps import ServicesDep
from agent.web.errors import BadForm, Forbidden, NotFound
from prompts.catalogue import text
from storage.models import WebhookDelivery, WebhookEndpoint

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


class WebhookIn(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    url: str = Field(max_length=2000)
    """https:// (plain http only for a loopback address)."""
    events: list[EventKind] = Field(min_length=1)
    """The events to send to this URL."""


class WebhookOut(BaseModel):
    id: uuid.UUID
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    created_by: str
    last_status: str | None
    last_status_code: int | None
    last_delivery_at: datetime | None

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> WebhookOut:
        return cls(
            id=endpoint.id,
            url=endpoint.url,
            events=list(endpoint.events),
            active=endpoint.active,
            created_at=endpoint.created_at,
            created_by=endpoint.created_by,
            last_status=endpoint.last_status,
            last_status_code=endpoint.last_status_code,
            last_delivery_at=endpoint.last_delivery_at,
        )


class NewWebhookOut(WebhookOut):
    model_config = ConfigDict(use_attribute_docstrings=True)

    secret: str
    """Signs every delivery (X-Realty-Signature); shown only in this answer."""


class DeliveryOut(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    id: uuid.UUID
    event_id: uuid.UUID
    kind: str
    status: str
    """pending | failed (will retry) | delivered | dead"""
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryOut:
        due = delivery.status in ("pending", "failed") and delivery.attempts > 0
        return cls(
            id=delivery.id,
            event_id=delivery.event_id,
            kind=delivery.kind,
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at if due else None,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
        )


def _admin(services: ServicesDep) -> WebhookAdmin:
    return WebhookAdmin(services.database, services.settings, services.clock)


@router.get("", response_model=list[WebhookOut])
async def list_webhooks(services: ServicesDep, viewer: ApiViewerDep) -> list[WebhookOut]:
    try:
        overview = await _admin(services).overview(viewer, recent=0)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    return [WebhookOut.of(endpoint) for endpoint in overview.endpoints]


@router.post("", response_model=NewWebhookOut, status_code=201)
async def add_webhook(body: WebhookIn, services: ServicesDep, viewer: ApiViewerDep) -> NewWebhookOut:
    try:
        new = await _admin(services).add(viewer, body.url, [kind.value for kind in body.events])
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    except InvalidEndpoint as exc:
        if exc.code == "private_address":  # the admin's words: why their address is refused
            raise BadForm(text(viewer.language, "web_integrations", "invalid.private_address")) from None
        raise BadForm(str(exc)) from None
    return NewWebhookOut(**WebhookOut.of(new.endpoint).model_dump(), secret=new.secret)


@router.delete("/{webhook_id}", status_code=204)
async def remove_webhook(webhook_id: uuid.UUID, services: ServicesDep, viewer: ApiViewerDep) -> Response:
    try:
        removed = await _admin(services).remove(viewer, webhook_id)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    if not removed:
        raise NotFound("no such webhook")
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryOut])
async def webhook_deliveries(
    webhook_id: uuid.UUID,
    services: ServicesDep,
    viewer: ApiViewerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryOut]:
    """The endpoint's latest deliveries, newest first."""
    try:
        found = await _admin(services).deliveries(viewer, webhook_id, limit=limit)
    except WebhooksRefused:
        raise Forbidden("admins only") from None
    if found is None:
        raise NotFound("no such webhook")
    return [DeliveryOut.of(delivery) for delivery in found]
