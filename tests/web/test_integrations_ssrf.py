"""Outgoing webhooks never reach inside this network (SSRF): with WEBHOOKS_ALLOW_PRIVATE_HOSTS off (the default),
a private, loopback or link-local address is refused when an admin adds it (in the admin's language), and a name
that resolves to one is refused when sending: the delivery is dead at once, nothing is sent."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from agent.adapters.crypto import token_cipher
from agent.core.clock import FrozenClock
from agent.services.integrations.addresses import blocked
from agent.services.integrations.delivery import deliver_due
from agent.services.integrations.endpoints import InvalidEndpoint, WebhookEndpoints
from agent.services.leads.intake import create_lead
from agent.services.provider import Services
from agent.settings import Settings
from prompts.catalogue import text
from storage.models import SalesRepresentative, WebhookDelivery, WebhookEndpoint
from storage.repositories.integrations import WebhookRepository
from tests.web.admin_support import csrf_of
from tests.web.conftest import SignIn
from tests.web.web_support import OLGA, Agencies
from tests.web.webhook_receiver import webhook_receiver

INSIDE = [
    "https://10.0.0.5/hook",
    "https://192.168.1.20/hook",
    "https://172.16.3.4/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://127.0.0.1:8443/hook",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://localhost/hook",
    "http://localhost:9000/hook",
    "http://127.0.0.1:6379/hook",
]


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    """Production's default: no private hosts."""
    return web_settings.model_copy(update={"webhooks_allow_private_hosts": False})


@pytest.mark.parametrize("url", INSIDE)
async def test_an_address_inside_the_network_is_refused_when_added(
    web_services: Services, agencies: Agencies, url: str
) -> None:
    async with web_services.database.session() as session:
        with pytest.raises(InvalidEndpoint) as refused:
            await WebhookEndpoints(session, web_services.settings).add(
                agencies.tre.id, url, ["lead.created"], created_by="test", now=web_services.clock.now()
            )
    assert refused.value.code == "private_address"


async def test_a_public_https_address_is_still_taken_and_plain_http_is_not(
    web_services: Services, agencies: Agencies
) -> None:
    async with web_services.database.session() as session:
        endpoints = WebhookEndpoints(session, web_services.settings)
        new = await endpoints.add(
            agencies.tre.id,
            "https://crm.example.com/hook",
            ["lead.created"],
            created_by="t",
            now=datetime.now(UTC),
        )
        assert new.endpoint.url == "https://crm.example.com/hook"
        with pytest.raises(InvalidEndpoint) as refused:
            await endpoints.add(
                agencies.tre.id,
                "http://crm.example.com/hook",
                ["lead.created"],
                created_by="t",
                now=datetime.now(UTC),
            )
        assert refused.value.code == "url"


async def test_the_page_and_the_api_tell_the_admin_why_in_their_language(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    async with web_services.database.session() as session:
        await session.execute(
            update(SalesRepresentative).where(SalesRepresentative.telegram_id == OLGA).values(language="ru")
        )
    olga = await clients(agencies.tre, OLGA)
    csrf = await csrf_of(web_services, OLGA)
    why = text("ru", "web_integrations", "invalid.private_address")

    page = await olga.post(
        "/integrations",
        data={"csrf": csrf, "url": "https://169.254.169.254/latest/meta-data", "events": ["lead.created"]},
    )
    assert page.status_code == 400 and why in page.text
    api = await olga.post(
        "/api/v1/webhooks",
        json={"url": "https://10.1.2.3/hook", "events": ["lead.created"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert api.status_code == 400 and why in api.text
    async with web_services.database.session() as session:
        assert (await session.scalars(select(WebhookEndpoint))).all() == []


async def test_a_name_resolving_inside_is_refused_when_sending_and_the_delivery_is_dead_at_once(
    web_services: Services, agencies: Agencies, clock: FrozenClock
) -> None:
    """Endpoints stored before this check (or a name whose DNS answer changed since) are refused at delivery."""
    inside_name = socket.gethostname()
    resolved = await asyncio.get_running_loop().getaddrinfo(inside_name, None)
    assert any(blocked(ipaddress.ip_address(info[4][0])) for info in resolved), "this machine's name is local"
    clock.set(datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    async with webhook_receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        async with web_services.database.session() as session:
            repo = WebhookRepository(session)
            for url in (f"http://{inside_name}:{port}/by-name", f"{receiver.url}/by-address"):
                await repo.add_endpoint(
                    tenant_id=agencies.tre.id,
                    url=url,
                    events=["lead.created"],
                    secret_encrypted=token_cipher(web_services.settings).encrypt(b"whsec_test"),
                    created_by="test",
                    now=clock.now(),
                )
            await create_lead(session, agencies.tre.id, name="Maya Lee")
        report = await deliver_due(web_services)
        again = await deliver_due(web_services, clock.now().replace(year=2027))

    assert receiver.received == []
    assert (report.dead, report.retrying, report.delivered) == (2, 0, 0)
    assert (again.dead, again.retrying, again.delivered) == (0, 0, 0)  # dead: no retry storm
    async with web_services.database.session() as session:
        rows = (await session.scalars(select(WebhookDelivery))).all()
    assert sorted((row.status, row.attempts, row.last_error) for row in rows) == [
        ("dead", 1, "blocked_address"),
        ("dead", 1, "blocked_address"),
    ]
