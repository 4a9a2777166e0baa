"""Key rotation: every stored secret re-encrypted with the first key of TOKEN_ENCRYPTION_KEY, so older keys can go.

Secrets at rest: `tenants.lead_bot_token_encrypted` (its digest is of the token, so it stays) and
`sales_representatives.google_token_encrypted`, `webhook_endpoints.secret_encrypted`. A value no key reads is reported and left as it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select

from agent.adapters.crypto import TokenUnreadable, rotate_token, token_cipher
from storage.models import SalesRepresentative, Tenant, WebhookEndpoint

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from agent.settings import Settings


@dataclass(frozen=True)
class UnreadableSecret:
    """A stored secret no key decrypts: whose it is, never the value."""

    kind: Literal["lead_bot", "calendar", "webhook"]
    tenant_slug: str
    rep_email: str | None = None
    webhook_url: str | None = None


@dataclass
class RotationReport:
    """What `rotate_secrets` re-encrypted (or, in a dry run, would re-encrypt) and what it could not read."""

    lead_bot_tokens: int = 0
    calendar_tokens: int = 0
    webhook_secrets: int = 0
    unreadable: list[UnreadableSecret] = field(default_factory=list)


async def rotate_secrets(
    session: AsyncSession, settings: Settings, *, dry_run: bool = False
) -> RotationReport:
    """Re-encrypt every stored secret with the first key, in the session's transaction (rows locked meanwhile).

    Raises TokenEncryptionKeyMissing without a usable key. A dry run decrypts and counts, and writes nothing."""
    cipher = token_cipher(settings)
    report = RotationReport()
    tenants = await session.scalars(
        select(Tenant)
        .where(Tenant.lead_bot_token_encrypted.is_not(None))
        .order_by(Tenant.id)
        .with_for_update()
    )
    for tenant in tenants:
        assert tenant.lead_bot_token_encrypted is not None
        try:
            rotated = rotate_token(tenant.lead_bot_token_encrypted, cipher)
        except TokenUnreadable:
            report.unreadable.append(UnreadableSecret("lead_bot", tenant.slug))
            continue
        report.lead_bot_tokens += 1
        if not dry_run:
            tenant.lead_bot_token_encrypted = rotated
    reps = await session.execute(
        select(SalesRepresentative, Tenant.slug)
        .join(Tenant, Tenant.id == SalesRepresentative.tenant_id)
        .where(SalesRepresentative.google_token_encrypted.is_not(None))
        .order_by(Tenant.id, SalesRepresentative.email)
        .with_for_update(of=SalesRepresentative)
    )
    for rep, slug in reps.tuples():
        assert rep.google_token_encrypted is not None
        try:
            rotated = rotate_token(rep.google_token_encrypted, cipher)
        except TokenUnreadable:
            report.unreadable.append(UnreadableSecret("calendar", slug, rep.email))
            continue
        report.calendar_tokens += 1
        if not dry_run:
            rep.google_token_encrypted = rotated
    endpoints = await session.execute(
        select(WebhookEndpoint, Tenant.slug)
        .join(Tenant, Tenant.id == WebhookEndpoint.tenant_id)
        .order_by(Tenant.id, WebhookEndpoint.created_at, WebhookEndpoint.id)
        .with_for_update(of=WebhookEndpoint)
    )
    for endpoint, slug in endpoints.tuples():
        try:
            rotated = rotate_token(endpoint.secret_encrypted, cipher)
        except TokenUnreadable:
            report.unreadable.append(UnreadableSecret("webhook", slug, webhook_url=endpoint.url))
            continue
        report.webhook_secrets += 1
        if not dry_run:
            endpoint.secret_encrypted = rotated
    await session.flush()
    return report
