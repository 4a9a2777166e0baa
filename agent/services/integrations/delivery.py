"""Send what the outbox holds: signed POSTs, retried with backoff, across any number of workers.

1. claim: in a short transaction take due deliveries with FOR UPDATE SKIP LOCKED, count the attempt and hold
   them for a lease (next_attempt_at moves past it), commit: another worker skips them.
2. send: outside any transaction, one POST each (a short timeout), signed with the endpoint's secret.
3. record: 2xx is delivered; anything else waits the next step of RETRY_AFTER, and after the last attempt
   the delivery is dead. The endpoint keeps the last status.
A worker that dies between 1 and 3 leaves the delivery due again when the lease ends (at least once; the
receiver dedupes on X-Realty-Delivery). The secret and the signature are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from cryptography.fernet import InvalidToken

from agent.adapters.crypto import TokenEncryptionKeyMissing
from agent.services.integrations.endpoints import secret_of
from agent.services.integrations.signing import signature_header
from agent.services.provider import Services
from storage.repositories.integrations import ClaimedDelivery, WebhookRepository

log = logging.getLogger(__name__)

RETRY_AFTER: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
"""The wait after each failed attempt; the attempt after the last wait is the last one."""
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
LEASE = timedelta(minutes=1)
"""Longer than one POST can take (TIMEOUT), so a live worker's claim never lapses mid-send."""
BATCH = 20
USER_AGENT = "realty-agent-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    """A code, not a sentence: timeout, connect_error:<kind>, http_<status>, secret_unreadable."""

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


def retry_wait(attempts: int) -> timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None when it was the last (dead)."""
    return RETRY_AFTER[attempts - 1] if attempts < MAX_ATTEMPTS else None


def body_of(delivery: ClaimedDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


async def deliver_due(
    services: Services,
    now: datetime | None = None,
    *,
    tenant_id: int | None = None,
    limit: int = 200,
    client: httpx.AsyncClient | None = None,
) -> DeliveryReport:
    """Send up to `limit` due deliveries (of one agency with `tenant_id`), BATCH at a time."""
    now = now or services.clock.now()
    report = DeliveryReport()
    owned = client is None
    http = client or httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
    try:
        handled = 0
        while handled < limit:
            async with services.database.session() as session:
                claimed = await WebhookRepository(session).claim_due_across_tenants(
                    now, now + LEASE, limit=min(BATCH, limit - handled), tenant_id=tenant_id
                )
            if not claimed:
                break
            outcomes = await asyncio.gather(*(_post(http, services, delivery, now) for delivery in claimed))
            async with services.database.session() as session:
                for delivery, outcome in zip(claimed, outcomes, strict=True):
                    await _record(WebhookRepository(session), delivery, outcome, now, report)
            handled += len(claimed)
    finally:
        if owned:
            await http.aclose()
    return report


async def _post(
    http: httpx.AsyncClient, services: Services, delivery: ClaimedDelivery, now: datetime
) -> Outcome:
    try:
        secret = secret_of(delivery.secret_encrypted, services.settings)
    except (InvalidToken, TokenEncryptionKeyMissing):
        return Outcome(None, "secret_unreadable")
    body = body_of(delivery)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Realty-Event": delivery.kind,
        "X-Realty-Delivery": str(delivery.id),
        "X-Realty-Timestamp": str(timestamp),
        "X-Realty-Signature": signature_header(secret, timestamp, body),
    }
    try:
        response = await http.post(delivery.url, content=body, headers=headers)
    except httpx.TimeoutException:
        return Outcome(None, "timeout")
    except httpx.HTTPError as exc:
        return Outcome(None, f"connect_error:{type(exc).__name__}")
    return Outcome(response.status_code, None if response.is_success else f"http_{response.status_code}")


async def _record(
    repo: WebhookRepository,
    delivery: ClaimedDelivery,
    outcome: Outcome,
    now: datetime,
    report: DeliveryReport,
) -> None:
    if outcome.delivered:
        status, next_at = "delivered", now
        report.delivered += 1
    else:
        wait = retry_wait(delivery.attempts)
        status, next_at = ("failed", now + wait) if wait is not None else ("dead", now)
        if wait is None:
            report.dead += 1
        else:
            report.retrying += 1
        log.info(
            "webhook delivery %s (%s) to endpoint %s: attempt %d %s",
            delivery.id,
            delivery.kind,
            delivery.endpoint_id,
            delivery.attempts,
            outcome.error,
        )
    await repo.record_attempt(
        tenant_id=delivery.tenant_id,
        delivery_id=delivery.id,
        endpoint_id=delivery.endpoint_id,
        status=status,
        status_code=outcome.status_code,
        error=outcome.error,
        next_attempt_at=next_at,
        now=now,
    )
