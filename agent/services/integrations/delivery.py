"""Send what the outbox holds: signed POSTs, retried with backoff, across any number of workers.

1. claim: in a short transaction take due deliveries with FOR UPDATE SKIP LOCKED, count the attempt and hold
   them for a lease from the clock of that claim (next_attempt_at moves past it), commit: another worker skips them.
2. send: outside any transaction, one POST each, several endpoints at once (CONCURRENCY), each within DEADLINE
   (resolve, connect, send, answer) and never started if it could outlive the lease; the host is resolved and
   checked right before (no private, loopback or link-local address unless the settings allow it) and the POST
   goes to the checked address. At most BODY_CAP bytes of an answer are read.
3. record: 2xx is delivered; anything else waits the next step of RETRY_AFTER, and after the last attempt (or a
   blocked address, which no retry fixes) the delivery is dead. Recorded only while the claim still holds. The
   endpoint keeps the last status.
A run goes on claiming until nothing is due or BUDGET runs out. A worker that dies between 1 and 3 leaves the
delivery due again when the lease ends (at least once; the receiver dedupes on X-Realty-Delivery). The secret and
the signature are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from cryptography.fernet import InvalidToken

from agent.adapters.crypto import TokenEncryptionKeyMissing
from agent.services.integrations.addresses import BlockedAddress, pin
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
DEADLINE = timedelta(seconds=10)
"""The whole of one POST: resolving, connecting, sending, the answer."""
LEASE = timedelta(minutes=1)
"""How long a claim holds; a POST starts only if DEADLINE still fits in it, so a live worker's claim never lapses
mid-send."""
BATCH = 20
CONCURRENCY = 10
"""POSTs in flight at once per worker (different endpoints are not kept waiting by a slow one)."""
BUDGET = 45.0
"""Seconds one run goes on claiming (the job runs every minute)."""
BODY_CAP = 4096
"""Bytes of an answer read at most (only its status matters)."""
BLOCKED = "blocked_address"
PERMANENT_ERRORS = frozenset({BLOCKED, "secret_unreadable"})
"""Failures no retry can fix: the delivery is dead at once."""
USER_AGENT = "realty-agent-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    """A code, not a sentence: timeout, connect_error:<kind>, http_<status>, secret_unreadable, blocked_address."""

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
    limit: int | None = None,
    client: httpx.AsyncClient | None = None,
    budget: float = BUDGET,
) -> DeliveryReport:
    """Send due deliveries (of one agency with `tenant_id`), BATCH at a time, until none is due, `limit` were
    handled or `budget` seconds have passed. `now` is the run's start (the clock's by default); every claim,
    signature and record takes the time that has passed since on the clock."""
    started = services.clock.now()
    base = now or started

    def moment() -> datetime:
        return base + (services.clock.now() - started)

    stop_at = time.monotonic() + budget
    report = DeliveryReport()
    owned = client is None
    http = client or httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
    gate = asyncio.Semaphore(CONCURRENCY)
    try:
        handled = 0
        while (limit is None or handled < limit) and time.monotonic() < stop_at:
            at = moment()
            size = BATCH if limit is None else min(BATCH, limit - handled)
            async with services.database.session() as session:
                claimed = await WebhookRepository(session).claim_due_across_tenants(
                    at, at + LEASE, limit=size, tenant_id=tenant_id
                )
            if not claimed:
                break
            outcomes = await asyncio.gather(
                *(_send(gate, http, services, delivery, moment) for delivery in claimed)
            )
            async with services.database.session() as session:
                for delivery, outcome in zip(claimed, outcomes, strict=True):
                    if outcome is not None:
                        await _record(WebhookRepository(session), delivery, outcome, moment(), report)
            handled += len(claimed)
    finally:
        if owned:
            await http.aclose()
    return report


async def _send(
    gate: asyncio.Semaphore,
    http: httpx.AsyncClient,
    services: Services,
    delivery: ClaimedDelivery,
    moment: Callable[[], datetime],
) -> Outcome | None:
    """One POST when its turn comes; None (nothing sent) when the lease could end before the POST would: the
    delivery is due again when the lease ends."""
    async with gate:
        at = moment()
        if at + DEADLINE > delivery.lease_until:
            return None
        return await _post(http, services, delivery, at)


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
        async with asyncio.timeout(DEADLINE.total_seconds()):
            target = await pin(delivery.url, allow_private=services.settings.webhooks_allow_private_hosts)
            request = http.build_request(
                "POST",
                target.url,
                content=body,
                headers={**headers, **target.headers},
                extensions=target.extensions,
            )
            response = await http.send(request, stream=True)
            try:
                await _read_capped(response)
            finally:
                await response.aclose()
    except BlockedAddress:
        return Outcome(None, BLOCKED)
    except (TimeoutError, httpx.TimeoutException):
        return Outcome(None, "timeout")
    except httpx.HTTPError as exc:
        return Outcome(None, f"connect_error:{type(exc).__name__}")
    except OSError as exc:  # the name does not resolve
        return Outcome(None, f"connect_error:{type(exc).__name__}")
    return Outcome(response.status_code, None if response.is_success else f"http_{response.status_code}")


async def _read_capped(response: httpx.Response) -> None:
    """Read at most BODY_CAP bytes of the answer (a receiver cannot make us hold a large body)."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read >= BODY_CAP:
            break


async def _record(
    repo: WebhookRepository,
    delivery: ClaimedDelivery,
    outcome: Outcome,
    now: datetime,
    report: DeliveryReport,
) -> None:
    if outcome.delivered:
        status, next_at = "delivered", now
    else:
        wait = None if outcome.error in PERMANENT_ERRORS else retry_wait(delivery.attempts)
        status, next_at = ("failed", now + wait) if wait is not None else ("dead", now)
        log.info(
            "webhook delivery %s (%s) to endpoint %s: attempt %d %s",
            delivery.id,
            delivery.kind,
            delivery.endpoint_id,
            delivery.attempts,
            outcome.error,
        )
    recorded = await repo.record_attempt(
        tenant_id=delivery.tenant_id,
        claim=delivery,
        status=status,
        status_code=outcome.status_code,
        error=outcome.error,
        next_attempt_at=next_at,
        now=now,
    )
    if not recorded:
        log.warning("webhook delivery %s: claim lost before its outcome was recorded", delivery.id)
    elif status == "delivered":
        report.delivered += 1
    elif status == "dead":
        report.dead += 1
    else:
        report.retrying += 1
