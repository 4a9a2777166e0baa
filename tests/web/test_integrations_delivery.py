"""Outgoing webhooks end to end: an agency's receiver (a loopback HTTP server) hears about its leads and viewings,
signed, once, with retries and backoff, and never about another agency's."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.services.integrations.delivery import MAX_ATTEMPTS, RETRY_AFTER, deliver_due
from agent.services.integrations.endpoints import WebhookEndpoints
from agent.services.leads.intake import create_lead, get_or_create_telegram_lead
from agent.services.provider import Services
from storage.models import Tenant, WebhookDelivery, WebhookEndpoint
from storage.repositories.integrations import WebhookRepository
from tests.web.web_support import Agencies
from tests.web.webhook_receiver import TIMEOUT, Receiver, verify_realty_webhook, webhook_receiver

SHORT = httpx.Timeout(0.5)
"""The sender's timeout in these tests (the receiver's "timeout" answer sleeps past it)."""


@pytest.fixture
def now(clock: FrozenClock) -> datetime:
    moment = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    clock.set(moment)
    return moment


async def add_endpoint(
    services: Services, receiver: Receiver, tenant: Tenant, path: str, events: list[str]
) -> uuid.UUID:
    async with services.database.session() as session:
        new = await WebhookEndpoints(session, services.settings).add(
            tenant.id, f"{receiver.url}/{path}", events, created_by="test", now=services.clock.now()
        )
    receiver.secrets[path] = new.secret
    return new.endpoint.id


async def deliver(services: Services, at: datetime, **kwargs: object) -> object:
    async with httpx.AsyncClient(timeout=SHORT) as client:
        return await deliver_due(services, at, client=client, **kwargs)  # type: ignore[arg-type]


async def deliveries(services: Services) -> list[WebhookDelivery]:
    async with services.database.session() as session:
        return list(
            (await session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at))).all()
        )


async def test_a_new_lead_reaches_the_subscribed_endpoint_of_its_agency_signed_and_nobody_else(
    web_services: Services, agencies: Agencies, now: datetime
) -> None:
    async with webhook_receiver() as receiver:
        receiver.now = now.timestamp()
        await add_endpoint(web_services, receiver, agencies.tre, "crm", ["lead.created", "lead.hot"])
        await add_endpoint(web_services, receiver, agencies.tre, "viewings-only", ["viewing.booked"])
        await add_endpoint(web_services, receiver, agencies.other, "other-agency", ["lead.created"])
        async with web_services.database.session() as session:
            lead = await get_or_create_telegram_lead(
                session, agencies.tre, 555001, chat_id=555001, name="Maya Lee", language="en"
            )
            lead.phone = "+6281234567890"
            again = await get_or_create_telegram_lead(session, agencies.tre, 555001, name="Maya Lee")
            assert again.id == lead.id  # a second message is not a second lead

        report = await deliver(web_services, now)

    assert [r.path for r in receiver.received] == ["crm"]
    got = receiver.received[0]
    assert got.verified
    assert got.headers["x-realty-event"] == "lead.created"
    assert got.headers["x-realty-timestamp"] == str(int(now.timestamp()))
    body = got.json
    assert body["type"] == "lead.created" and body["agency_id"] == agencies.tre.id
    assert body["data"]["lead_id"] == lead.id and body["data"]["name"] == "Maya Lee"
    assert body["data"]["status"] == "new" and body["data"]["temperature"] == "cold"
    assert datetime.fromisoformat(str(body["occurred_at"])).utcoffset() == timedelta(0)
    (row,) = await deliveries(web_services)
    assert str(row.id) == got.headers["x-realty-delivery"] and row.status == "delivered"
    assert report.delivered == 1  # type: ignore[attr-defined]
    # The recipe refuses the same delivery replayed six minutes later, and a body changed on the way.
    assert not verify_realty_webhook(receiver.secrets["crm"], got.headers, got.body, now.timestamp() + 360)
    assert not verify_realty_webhook(receiver.secrets["crm"], got.headers, got.body + b" ", now.timestamp())


async def test_an_event_exists_exactly_when_its_change_commits(
    web_services: Services, agencies: Agencies, now: datetime
) -> None:
    async with webhook_receiver() as receiver:
        await add_endpoint(web_services, receiver, agencies.tre, "crm", ["lead.created"])

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with web_services.database.session() as session:
            await create_lead(session, agencies.tre.id, name="Rolled Back")
            raise Abandoned
    assert await deliveries(web_services) == []

    async with web_services.database.session() as session:
        await create_lead(session, agencies.tre.id, name="Kept")
    (row,) = await deliveries(web_services)
    assert row.kind == "lead.created" and row.payload["data"]["name"] == "Kept"  # type: ignore[index]


async def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    web_services: Services, agencies: Agencies, now: datetime
) -> None:
    async with webhook_receiver() as receiver:
        endpoint_id = await add_endpoint(web_services, receiver, agencies.tre, "crm", ["lead.created"])
        async with web_services.database.session() as session:
            await create_lead(session, agencies.tre.id, name="Retry Me")
        receiver.answers.extend([500, TIMEOUT, 200])

        moments = [
            now,
            now + timedelta(seconds=30),
            now + RETRY_AFTER[0],
            now + RETRY_AFTER[0] + RETRY_AFTER[1],
        ]
        statuses = []
        for moment in moments:
            receiver.now = moment.timestamp()
            await deliver(web_services, moment)
            (row,) = await deliveries(web_services)
            statuses.append((row.status, row.attempts, row.last_status_code, row.last_error))

    assert statuses == [
        ("failed", 1, 500, "http_500"),
        ("failed", 1, 500, "http_500"),  # not due yet: nothing sent 30 s later
        ("failed", 2, None, "timeout"),
        ("delivered", 3, 200, None),
    ]
    assert len(receiver.received) == 3 and all(r.verified for r in receiver.received)
    assert len({r.headers["x-realty-delivery"] for r in receiver.received}) == 1  # one delivery, retried
    async with web_services.database.session() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None
        assert (endpoint.last_status, endpoint.last_status_code) == ("delivered", 200)


async def test_a_delivery_is_dead_after_the_last_attempt(
    web_services: Services, agencies: Agencies, now: datetime
) -> None:
    async with webhook_receiver() as receiver:
        endpoint_id = await add_endpoint(web_services, receiver, agencies.tre, "down", ["lead.created"])
        async with web_services.database.session() as session:
            await create_lead(session, agencies.tre.id, name="Never Heard")
        receiver.answers.extend([503] * 10)
        moment = now
        for wait in (*RETRY_AFTER, timedelta(days=2)):
            receiver.now = moment.timestamp()
            await deliver(web_services, moment)
            moment += wait

    assert len(receiver.received) == MAX_ATTEMPTS == 6
    (row,) = await deliveries(web_services)
    assert (row.status, row.attempts, row.last_status_code) == ("dead", MAX_ATTEMPTS, 503)
    async with web_services.database.session() as session:
        endpoint = await session.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None and endpoint.last_status == "dead"


async def test_two_workers_racing_send_each_delivery_once(
    web_services: Services, agencies: Agencies, now: datetime
) -> None:
    async with webhook_receiver() as receiver:
        receiver.now = now.timestamp()
        receiver.delay = 0.05
        await add_endpoint(web_services, receiver, agencies.tre, "crm", ["lead.created"])
        async with web_services.database.session() as session:
            for n in range(30):
                await create_lead(session, agencies.tre.id, name=f"Lead {n}")
        await asyncio.gather(
            deliver(web_services, now), deliver(web_services, now), deliver(web_services, now)
        )

    sent = Counter(r.headers["x-realty-delivery"] for r in receiver.received)
    assert len(sent) == 30 and set(sent.values()) == {1}
    assert Counter(row.status for row in await deliveries(web_services)) == {"delivered": 30}


async def test_an_agency_without_endpoints_records_nothing(
    web_services: Services, agencies: Agencies, now: datetime
) -> None:
    async with web_services.database.session() as session:
        repo = WebhookRepository(session)
        endpoint = await repo.add_endpoint(
            tenant_id=agencies.tre.id, url="https://crm.example.com/h", events=["lead.created"],
            secret_encrypted=b"x", created_by="test", now=now,
        )  # fmt: skip
        assert await repo.remove_endpoint(agencies.tre.id, endpoint.id)
    async with web_services.database.session() as session:
        await create_lead(session, agencies.tre.id, name="Quiet")
        count = await session.scalar(select(func.count()).select_from(WebhookDelivery))
    assert count == 0
