"""The integrations page and /api/v1/webhooks: an admin manages the agency's endpoints (the secret shown once),
a rep is refused (and the refusal audited), another agency's admin never sees them; the page in Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.integrations.delivery import deliver_due
from agent.services.provider import Services
from storage.models import AuditLog, WebhookDelivery, WebhookEndpoint
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, OLGA, OTTO, Agencies, screenshots
from tests.web.webhook_receiver import webhook_receiver

SECRET = re.compile(r"whsec_[A-Za-z0-9_-]{20,}")


def csrf_of(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert found, "the page carries its CSRF token"
    return found.group(1)


async def audit(services: Services) -> list[tuple[str, bool, int | None]]:
    async with services.database.session() as session:
        rows = await session.scalars(select(AuditLog).order_by(AuditLog.id))
        return [(row.action, row.allowed, row.actor_telegram_id) for row in rows]


async def endpoints(services: Services) -> list[WebhookEndpoint]:
    async with services.database.session() as session:
        return list((await session.scalars(select(WebhookEndpoint))).all())


async def test_an_admin_adds_an_endpoint_sees_its_secret_once_sends_a_test_and_removes_it(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(datetime.now(UTC).replace(microsecond=0))
    olga = await clients(agencies.tre, OLGA)
    page = await olga.get("/integrations")
    assert page.status_code == 200 and "No endpoints yet." in page.text
    csrf = csrf_of(page.text)

    async with webhook_receiver() as receiver:
        refused = await olga.post(
            "/integrations", data={"csrf": csrf, "url": "http://crm.example.com/hook", "events": ["lead.hot"]}
        )
        assert refused.status_code == 400 and "must start with https://" in refused.text
        assert await endpoints(web_services) == []

        added = await olga.post(
            "/integrations",
            data={"csrf": csrf, "url": f"{receiver.url}/crm", "events": ["lead.created", "lead.hot"]},
        )
        assert added.status_code == 200
        shown = SECRET.findall(added.text)
        assert len(set(shown)) == 1
        secret = shown[0]
        (endpoint,) = await endpoints(web_services)
        assert (
            endpoint.events == ["lead.created", "lead.hot"]
            and secret.encode() not in endpoint.secret_encrypted
        )

        again = await olga.get("/integrations")
        assert receiver.url in again.text and not SECRET.search(again.text)  # shown once, never again

        tested = await olga.post(f"/integrations/{endpoint.id}/test", data={"csrf": csrf})
        assert tested.status_code == 303 and tested.headers["location"] == "/integrations?done=test_queued"
        receiver.secrets["crm"] = secret
        receiver.now = clock.now().timestamp()
        await deliver_due(web_services, clock.now())
        (ping,) = receiver.received
        assert ping.verified and ping.headers["x-realty-event"] == "ping"
        listed = await olga.get("/integrations")
        assert "Delivered" in listed.text and "Test event" in listed.text

        rotated = await olga.post(f"/integrations/{endpoint.id}/rotate", data={"csrf": csrf})
        (new_secret,) = set(SECRET.findall(rotated.text))
        assert new_secret != secret

    removed = await olga.post(f"/integrations/{endpoint.id}/remove", data={"csrf": csrf})
    assert removed.status_code == 303 and await endpoints(web_services) == []
    actions = [(action, allowed) for action, allowed, actor in await audit(web_services) if actor == OLGA]
    assert actions == [
        ("webhook.add", True),
        ("webhook.test", True),
        ("webhook.rotate", True),
        ("webhook.remove", True),
    ]


async def test_a_form_without_its_csrf_token_changes_nothing(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    olga = await clients(agencies.tre, OLGA)
    forged = await olga.post(
        "/integrations", data={"url": "https://crm.example.com/h", "events": ["lead.hot"]}
    )
    assert forged.status_code == 400 and await endpoints(web_services) == []


async def test_a_rep_is_refused_the_page_and_the_api_and_the_refusal_is_audited(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    anna = await clients(agencies.tre, ANNA)
    page = await anna.get("/integrations")
    assert page.status_code == 403
    csrf = csrf_of(page.text)
    posted = await anna.post(
        "/integrations", data={"csrf": csrf, "url": "https://crm.example.com/h", "events": ["lead.hot"]}
    )
    assert posted.status_code == 403
    api = await anna.post(
        "/api/v1/webhooks",
        json={"url": "https://crm.example.com/h", "events": ["lead.hot"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert api.status_code == 403 and api.headers["content-type"] == "application/problem+json"
    assert await endpoints(web_services) == []
    assert await audit(web_services) == [
        ("webhook.view", False, ANNA),
        ("webhook.add", False, ANNA),
        ("webhook.add", False, ANNA),
    ]


async def test_the_api_manages_endpoints_within_the_callers_agency_only(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    olga = await clients(agencies.tre, OLGA)
    csrf = csrf_of((await olga.get("/integrations")).text)
    headers = {"X-CSRF-Token": csrf}
    created = await olga.post(
        "/api/v1/webhooks",
        json={"url": "https://crm.example.com/realty?token=abc", "events": ["lead.status_changed"]},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_") and hook["events"] == ["lead.status_changed"]
    unknown = await olga.post(
        "/api/v1/webhooks",
        json={"url": "https://crm.example.com/x", "events": ["lead.deleted"]},
        headers=headers,
    )
    assert unknown.status_code == 422

    listed = (await olga.get("/api/v1/webhooks")).json()
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    assert (await olga.get(f"/api/v1/webhooks/{hook['id']}/deliveries")).json() == []

    otto = await clients(agencies.other, OTTO)
    otto_csrf = csrf_of((await otto.get("/integrations")).text)
    assert (await otto.get("/api/v1/webhooks")).json() == []
    assert (await otto.get(f"/api/v1/webhooks/{hook['id']}/deliveries")).status_code == 404
    stolen = await otto.delete(f"/api/v1/webhooks/{hook['id']}", headers={"X-CSRF-Token": otto_csrf})
    assert stolen.status_code == 404 and len(await endpoints(web_services)) == 1

    assert (await olga.delete(f"/api/v1/webhooks/{hook['id']}", headers=headers)).status_code == 204
    assert await endpoints(web_services) == []
    async with web_services.database.session() as session:
        details = [
            row.detail
            for row in await session.scalars(select(AuditLog).where(AuditLog.action == "webhook.add"))
        ]
    assert details and all("token=abc" not in (detail or "") for detail in details)  # no query string kept


async def test_the_page_in_chromium_an_admin_adds_an_endpoint_and_sees_the_secret_once(
    browser_as: object, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    page = await browser_as(agencies.tre, OLGA)  # type: ignore[operator]
    await page.goto("/integrations")
    await page.fill("#hook-url", "https://crm.tre.example/realty/webhooks")
    await page.uncheck("input[value='viewing.cancelled']")
    await page.click("form.add-hook button[type=submit]")
    secret = await page.input_value("#webhook-secret")
    assert SECRET.fullmatch(secret)
    await screenshots(page, "integrations-secret")

    (endpoint,) = await endpoints(web_services)
    assert "viewing.cancelled" not in endpoint.events and "lead.created" in endpoint.events
    async with web_services.database.session() as session:
        session.add_all(
            WebhookDelivery(
                tenant_id=agencies.tre.id,
                endpoint_id=endpoint.id,
                event_id=endpoint.id,
                kind=kind,
                payload={},
                status=status,
                attempts=attempts,
                next_attempt_at=clock.now(),
                last_status_code=code,
                last_error=None if code else "timeout",
                created_at=clock.now(),
            )
            for kind, status, attempts, code in (
                ("lead.created", "delivered", 1, 200),
                ("lead.hot", "failed", 2, 500),
                ("lead.status_changed", "dead", 6, None),
            )
        )
        row = await session.get(WebhookEndpoint, endpoint.id)
        assert row is not None
        row.last_status, row.last_status_code, row.last_delivery_at = "failed", 500, clock.now()

    await page.click("a[href='/integrations']")
    content = await page.content()
    assert secret not in content and "crm.tre.example" in content
    scroll = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert scroll, "no horizontal page scroll at phone width"
    await screenshots(page, "integrations")

    ar = await browser_as(agencies.other, OTTO)  # type: ignore[operator]
    async with web_services.database.session() as session:
        from storage.models import SalesRepresentative

        otto = await session.get(SalesRepresentative, agencies.rep(OTTO).id)
        assert otto is not None
        otto.language = "ar"
    await ar.goto("/integrations")
    assert await ar.get_attribute("html", "dir") == "rtl"
    assert "crm.tre.example" not in await ar.content()  # another agency's endpoints are not here
    await screenshots(ar, "integrations-ar")


async def test_an_http_client_without_a_session_is_told_to_sign_in(web_app: object) -> None:
    transport = httpx.ASGITransport(app=web_app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anonymous:
        assert (await anonymous.get("/integrations")).status_code == 401
        assert (await anonymous.get("/api/v1/webhooks")).status_code == 401
