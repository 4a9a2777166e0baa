"""An agency's webhook endpoints: add (the secret is shown once), list, rotate the secret, remove, test.

Callers (the web page, the API, the CLI) decide who may; these only act within the agency they are given.
"""

from __future__ import annotations

import ipaddress
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.crypto import token_cipher
from agent.services.integrations.addresses import is_local_name, literal_blocked
from agent.services.integrations.events import EventKind, iso
from agent.services.integrations.signing import new_secret
from agent.settings import Settings
from storage.models import WebhookEndpoint
from storage.repositories.integrations import WebhookRepository

TEST_EVENT = "ping"
"""What "send a test event" sends: to one endpoint, subscribed or not."""
MAX_ENDPOINTS = 20
"""Per agency: each event is one delivery per endpoint."""


class InvalidEndpoint(ValueError):
    """The URL or the events cannot be taken; the message names which (no secrets in it), `code` says it
    for a page: "url", "events" or "too_many"."""

    def __init__(self, message: str, code: str = "url") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str
    """Shown once, now; only its encrypted form is stored."""


def check_url(url: str, *, allow_private: bool = False) -> str:
    """An https URL to a host that is not an IP literal in a private, loopback, link-local or reserved range (nor
    localhost); with `allow_private` (tests, a receiver on this machine) also those, and plain http to loopback."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > 2000 or not parts.hostname or parts.scheme not in ("https", "http"):
        raise InvalidEndpoint("url must be an https:// address")
    if parts.username or parts.password:
        raise InvalidEndpoint("url must not carry a user or password")
    if not allow_private and literal_blocked(parts.hostname):
        raise InvalidEndpoint(
            "url must be on the public internet (no private, loopback or link-local address)",
            "private_address",
        )
    if parts.scheme == "http" and not (allow_private and _is_loopback(parts.hostname)):
        raise InvalidEndpoint("url must be https://")
    return url


def _is_loopback(host: str) -> bool:
    if is_local_name(host):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_events(events: list[str]) -> list[str]:
    known = {kind.value for kind in EventKind}
    unknown = sorted(set(events) - known)
    if unknown:
        raise InvalidEndpoint(
            f"unknown events: {', '.join(unknown)} (known: {', '.join(sorted(known))})", "events"
        )
    if not events:
        raise InvalidEndpoint("choose at least one event", "events")
    return sorted(set(events))


@dataclass
class WebhookEndpoints:
    """Endpoint management within one transaction (the caller's session), for one agency."""

    session: AsyncSession
    settings: Settings

    async def add(
        self, tenant_id: int, url: str, events: list[str], *, created_by: str, now: datetime
    ) -> NewEndpoint:
        repo = WebhookRepository(self.session)
        url = check_url(url, allow_private=self.settings.webhooks_allow_private_hosts)
        events = check_events(events)
        if len(await repo.endpoints(tenant_id)) >= MAX_ENDPOINTS:
            raise InvalidEndpoint(f"an agency has at most {MAX_ENDPOINTS} endpoints", "too_many")
        secret = new_secret()
        endpoint = await repo.add_endpoint(
            tenant_id=tenant_id,
            url=url,
            events=events,
            secret_encrypted=token_cipher(self.settings).encrypt(secret.encode()),
            created_by=created_by[:64],
            now=now,
        )
        return NewEndpoint(endpoint, secret)

    async def rotate_secret(self, tenant_id: int, endpoint_id: uuid.UUID) -> NewEndpoint | None:
        """A new secret for the endpoint (the old one stops signing at once); None if it is not the agency's."""
        endpoint = await WebhookRepository(self.session).endpoint(tenant_id, endpoint_id, for_update=True)
        if endpoint is None:
            return None
        secret = new_secret()
        endpoint.secret_encrypted = token_cipher(self.settings).encrypt(secret.encode())
        await self.session.flush()
        return NewEndpoint(endpoint, secret)

    async def send_test(self, tenant_id: int, endpoint_id: uuid.UUID, now: datetime) -> bool:
        """Queue a `ping` to this endpoint alone; False if it is not the agency's."""
        repo = WebhookRepository(self.session)
        endpoint = await repo.endpoint(tenant_id, endpoint_id)
        if endpoint is None:
            return False
        event_id = uuid.uuid4()
        payload: dict[str, object] = {
            "id": str(event_id),
            "type": TEST_EVENT,
            "occurred_at": iso(now),
            "agency_id": tenant_id,
            "data": {"endpoint_id": str(endpoint_id)},
        }
        await repo.queue_one(
            tenant_id=tenant_id,
            endpoint_id=endpoint_id,
            kind=TEST_EVENT,
            event_id=event_id,
            payload=payload,
            now=now,
        )
        return True


def secret_of(secret_encrypted: bytes, settings: Settings) -> str:
    """The endpoint's signing secret, decrypted (for signing only: never logged, never shown again)."""
    return token_cipher(settings).decrypt(secret_encrypted).decode()


__all__ = [
    "MAX_ENDPOINTS",
    "TEST_EVENT",
    "InvalidEndpoint",
    "NewEndpoint",
    "WebhookEndpoints",
    "check_events",
    "check_url",
    "secret_of",
]
