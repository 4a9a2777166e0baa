"""Outgoing webhooks under load and misuse: a run longer than its lease never lets a second worker send again, an
outcome is recorded only while its claim holds, a POST has a deadline, one run goes on until nothing is due, the
POST goes to the checked address with the URL's own Host, an integration token only reads webhooks, and a lead
marked hot by a person is heard of like one the score made hot."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.integrations import delivery as delivery_module
from agent.services.integrations.delivery import LEASE, deliver_due
from agent.services.integrations.endpoints import WebhookEndpoints
from agent.services.leads.intake import create_lead
from agent.services.provider import Services
from agent.services.team.crm import change_lead
from storage.models import Lead, WebhookDelivery, WebhookEndpoint
from storage.repositories.integrations import WebhookRepository
from tests.web.admin_support import audit_rows, integration_token
from tests.web.web_support import Agencies
from tests.web.webhook_receiver import TIMEOUT, Receiver, webhook_receiver

START = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


async def add_endpoint(
    services: Services, receiver: Receiver, agencies: Agencies, path: str, url: str = ""
) -> uuid.UUID:
    async with services.database.session() as session:
        new = await WebhookEndpoints(session, services.settings).add(
            agencies.tre.id,
            url or f"{receiver.url}/{path}",
            ["lead.created", "lead.hot"],
            created_by="t",
            now=START,
        )
    receiver.secrets[path] = new.secret
    return new.endpoint.id


async def rows(services: Services) -> list[WebhookDelivery]:
    async with services.database.session() as session:
        return list((await session.scalars(select(WebhookDelivery))).all())


async def test_a_run_longer_than_its_lease_does_not_let_a_second_worker_send_again(
    web_services: Services, agencies: Agencies, clock: FrozenClock
) -> None:
    """Worker A's first batch is slow: the clock passes A's lease before A claims its second batch. Worker B starts
    while that batch is in flight; every delivery still reaches the receiver once."""
    clock.set(START)
    later = START + 2 * LEASE
    second_batch_in_flight = asyncio.Event()

    def on_request(count: int) -> None:
        clock.set(later)  # the first POST took "two minutes"
        if count == 21:
            second_batch_in_flight.set()

    async with webhook_receiver() as receiver:
        receiver.now = later.timestamp()
        receiver.delay = 0.2
        receiver.on_request = on_request
        await add_endpoint(web_services, receiver, agencies, "crm")
        async with web_services.database.session() as session:
            for n in range(25):
                await create_lead(session, agencies.tre.id, name=f"Lead {n}")

        async def worker_b() -> None:
            await second_batch_in_flight.wait()
            await deliver_due(web_services, later)

        async with httpx.AsyncClient(timeout=httpx.Timeout(2.0)) as client:
            await asyncio.wait_for(
                asyncio.gather(deliver_due(web_services, START, client=client), worker_b()), timeout=30
            )
            # Whatever a worker left unsent comes due when its lease ends.
            clock.set(later + 2 * LEASE)
            await deliver_due(web_services, client=client)

    sent = Counter(r.headers["x-realty-delivery"] for r in receiver.received)
    assert len(sent) == 25 and set(sent.values()) == {1}, sent.most_common(3)
    assert Counter(row.status for row in await rows(web_services)) == {"delivered": 25}


async def test_an_outcome_is_recorded_only_while_its_claim_holds(
    web_services: Services, agencies: Agencies
) -> None:
    async with web_services.database.session() as session:
        repo = WebhookRepository(session)
        endpoint = await repo.add_endpoint(
            tenant_id=agencies.tre.id, url="https://crm.example.com/h", events=["lead.created"],
            secret_encrypted=b"x", created_by="test", now=START,
        )  # fmt: skip
        await repo.queue_one(
            tenant_id=agencies.tre.id,
            endpoint_id=endpoint.id,
            kind="ping",
            event_id=uuid.uuid4(),
            payload={},
            now=START,
        )
    async with web_services.database.session() as session:
        (first,) = await WebhookRepository(session).claim_due_across_tenants(START, START + LEASE, limit=5)
    later = START + 2 * LEASE
    async with web_services.database.session() as session:
        (second,) = await WebhookRepository(session).claim_due_across_tenants(later, later + LEASE, limit=5)
    assert (first.id, first.attempts, second.attempts) == (second.id, 1, 2)

    async with web_services.database.session() as session:
        repo = WebhookRepository(session)
        stale = await repo.record_attempt(
            tenant_id=agencies.tre.id,
            claim=first,
            status="failed",
            status_code=500,
            error="http_500",
            next_attempt_at=later,
            now=later,
        )
        (row,) = await rows(web_services)
        assert not stale and (row.status, row.last_status_code) == ("pending", None)
        held = await repo.record_attempt(
            tenant_id=agencies.tre.id,
            claim=second,
            status="delivered",
            status_code=200,
            error=None,
            next_attempt_at=later,
            now=later,
        )
    (row,) = await rows(web_services)
    assert held and (row.status, row.attempts, row.last_status_code) == ("delivered", 2, 200)


async def test_a_post_that_takes_too_long_ends_at_its_deadline(
    web_services: Services, agencies: Agencies, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's own timeouts are per read; the deadline bounds the whole POST."""
    monkeypatch.setattr(delivery_module, "DEADLINE", timedelta(seconds=0.3))
    clock.set(START)
    async with webhook_receiver() as receiver:
        await add_endpoint(web_services, receiver, agencies, "slow")
        async with web_services.database.session() as session:
            await create_lead(session, agencies.tre.id, name="Slow Poke")
        receiver.answers.append(TIMEOUT)  # sleeps 2 s before answering
        began = time.monotonic()
        report = await deliver_due(web_services)
        took = time.monotonic() - began
    (row,) = await rows(web_services)
    assert (row.status, row.last_error, report.retrying) == ("failed", "timeout", 1)
    assert took < 1.5


async def test_one_run_goes_on_until_nothing_is_due(
    web_services: Services, agencies: Agencies, clock: FrozenClock
) -> None:
    clock.set(START)
    async with webhook_receiver() as receiver:
        endpoint_id = await add_endpoint(web_services, receiver, agencies, "crm")
        async with web_services.database.session() as session:
            repo = WebhookRepository(session)
            for _ in range(230):
                await repo.queue_one(
                    tenant_id=agencies.tre.id, endpoint_id=endpoint_id, kind="ping", event_id=uuid.uuid4(),
                    payload={"type": "ping"}, now=START,
                )  # fmt: skip
        receiver.now = START.timestamp()
        report = await deliver_due(web_services)
    assert report.delivered == 230 and len(receiver.received) == 230
    assert Counter(row.status for row in await rows(web_services)) == {"delivered": 230}


async def test_the_post_goes_to_the_checked_address_with_the_urls_own_host(
    web_services: Services, agencies: Agencies, clock: FrozenClock
) -> None:
    clock.set(START)
    async with webhook_receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        await add_endpoint(web_services, receiver, agencies, "named", url=f"http://localhost:{port}/named")
        async with web_services.database.session() as session:
            await create_lead(session, agencies.tre.id, name="Maya Lee")
        receiver.now = START.timestamp()
        report = await deliver_due(web_services)
    (got,) = receiver.received
    assert report.delivered == 1 and got.verified and got.headers["host"] == f"localhost:{port}"


async def test_an_integration_token_reads_webhooks_but_cannot_add_or_remove_one(
    web_services: Services, web_app: FastAPI, agencies: Agencies
) -> None:
    async with web_services.database.session() as session:
        endpoint = await WebhookRepository(session).add_endpoint(
            tenant_id=agencies.tre.id, url="https://crm.example.com/h", events=["lead.created"],
            secret_encrypted=b"x", created_by="test", now=START,
        )  # fmt: skip
    token = await integration_token(web_services, agencies.tre)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    ) as crm:
        listed = await crm.get("/api/v1/webhooks")
        deliveries = await crm.get(f"/api/v1/webhooks/{endpoint.id}/deliveries")
        added = await crm.post(
            "/api/v1/webhooks", json={"url": "https://attacker.example.net/h", "events": ["lead.created"]}
        )
        removed = await crm.delete(f"/api/v1/webhooks/{endpoint.id}")
    assert listed.status_code == 200 and [item["id"] for item in listed.json()] == [str(endpoint.id)]
    assert deliveries.status_code == 200
    assert (added.status_code, removed.status_code) == (403, 403)
    async with web_services.database.session() as session:
        assert [e.url for e in (await session.scalars(select(WebhookEndpoint))).all()] == [
            "https://crm.example.com/h"
        ]
    for action in ("webhook.add", "webhook.remove"):
        (refusal,) = await audit_rows(web_services, action)
        assert not refusal.allowed and (refusal.detail or "").startswith("people_only")


async def test_a_lead_marked_hot_by_a_person_is_heard_of_once(
    web_services: Services, agencies: Agencies
) -> None:
    async with web_services.database.session() as session:
        await WebhookRepository(session).add_endpoint(
            tenant_id=agencies.tre.id, url="https://crm.example.com/h", events=["lead.hot"],
            secret_encrypted=b"x", created_by="test", now=START,
        )  # fmt: skip
        lead = await create_lead(session, agencies.tre.id, name="Maya Lee")
        lead_id = lead.id
    for _ in range(2):  # the second time it is hot already: nothing new to hear
        async with web_services.database.session() as session:
            lead = await session.get_one(Lead, lead_id)
            await change_lead(session, lead, by="telegram:1", now=START, mark_hot=True, channel="web")
    (row,) = await rows(web_services)
    data = row.payload["data"]
    assert row.kind == "lead.hot" and isinstance(data, dict)
    assert (data["lead_id"], data["temperature"], data["name"], data["changed_by"]) == (
        lead_id,
        "hot",
        "Maya Lee",
        "web",
    )
