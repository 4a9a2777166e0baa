"""Every route of the web app and the API, walked as nobody, an admin of another agency, a rep who does not own
the data, the rep who does, the agency's admin and the agency's integration token.

The walk reads the routes from the app itself, so a route added later is walked too (or the test fails until
it is placed below). Refusals must be 401 (nobody), 403 or 404 (signed in, not theirs), audited, and must not
show the data; allowed callers must get past authority (any answer but 401, 403 and 404).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.services.web_access import WebAccess
from agent.web.deps import SESSION_COOKIE
from storage.models import AuditLog, Tenant
from storage.repositories.integrations import WebhookRepository
from tests.web.admin_support import add_listing, integration_token
from tests.web.test_agenda_support import add_lead, add_task, add_viewing
from tests.web.web_support import ANNA, BORIS, OLGA, OTTO, PENDING, Agencies

LEAD_NAME = "Walker Wandersmann"
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/"),
    ("POST", "/telegram/{digest}"),
    ("GET", "/oauth/google/callback"),
    ("GET", "/app"),
    ("POST", "/auth/telegram"),
    ("GET", "/signin/{token}"),
    ("POST", "/signin/{token}"),
}
"""Routes with their own proof of identity (Telegram's signature, a one-time link, Google's state) or none."""
SIGNS_OUT = ("POST", "/signout")
ADMIN_ONLY = re.compile(
    r"^(/listings|/reps|/integrations|/api/v1/reps|/api/v1/webhooks)|^PATCH /api/v1/listings"
)
PEOPLE_ONLY = re.compile(
    r"^\w+ /api/v1/reps(/\{rep_id\}/|$)|^(POST|PUT|PATCH|DELETE) /api/v1/webhooks"
    r"|^POST /api/v1/leads/\{lead_id\}/(takeover|handback)$"
)
"""An integration's token must not see or decide on reps (only admins read and approve reps) nor change webhooks
(it may only read them), nor take a lead over (it has no chat to talk to the lead from)."""
OWNED = re.compile(r"\{(lead_id|viewing_id|task_id|follow_up_id)\}")
"""Routes about one of Anna's things: another rep and another agency are refused."""
AGENCY_THING = re.compile(r"\{(listing_id|rep_id|webhook_id|endpoint_id)\}")
"""Routes about one thing of the agency (admins): another agency's admin is refused."""


@dataclass
class World:
    tenant: Tenant
    params: dict[str, str]


@pytest.fixture
async def world(agencies: Agencies, web_services: Services, clock: FrozenClock) -> World:
    database = web_services.database
    anna = agencies.rep(ANNA)
    lead_id = await add_lead(database, agencies.tre, anna, LEAD_NAME, phone="+6281234567890", score=81)
    viewing_id = await add_viewing(database, anna, lead_id, clock.now() - timedelta(hours=2))
    task_id = await add_task(database, anna, lead_id, clock.now() + timedelta(hours=1), "call back")
    listing_id = await add_listing(database, agencies.tre, "walk-1", "Walk Villa")
    async with database.session() as session:
        endpoints = [
            await WebhookRepository(session).add_endpoint(
                tenant_id=agencies.tre.id,
                url=f"https://crm.example/hook/{n}",
                events=["lead.created"],
                secret_encrypted=b"not-read-here",
                created_by="test",
                now=clock.now(),
            )
            for n in (1, 2)
        ]
    return World(
        agencies.tre,
        {
            "lead_id": str(lead_id),
            "viewing_id": str(viewing_id),
            "task_id": str(task_id),
            "follow_up_id": f"task-{task_id}",
            "listing_id": str(listing_id),
            "rep_id": str(agencies.rep(PENDING).id),
            "change": "approve",
            "action": "note",
            "webhook_id": str(endpoints[0].id),  # the API removes one, the page the other
            "endpoint_id": str(endpoints[1].id),
        },
    )


def routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, read from the app; writes that remove things come last."""
    found: list[tuple[str, str]] = []
    for included in app.routes:
        router = getattr(included, "original_router", None)
        for route in router.routes if router is not None else [included]:
            for method in sorted(getattr(route, "methods", None) or ()):
                if (
                    method != "HEAD"
                    and getattr(route, "path", "").startswith("/")
                    and "/static" not in route.path
                ):
                    found.append((method, route.path))
    docs = {"/api/openapi.json", "/api/docs", "/docs/oauth2-redirect"}
    found = [route for route in found if route[1] not in docs]
    return iter(sorted(found, key=lambda r: (r[0] == "DELETE" or r[1].endswith("/remove"), r[1], r[0])))


FORMS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/leads/{lead_id}/{action}"): {"note": "walked"},
    ("POST", "/leads/{lead_id}/outcome"): {"outcome": "lost", "reason": "price", "note": "walked"},
    ("POST", "/listings/{listing_id}"): {
        "price": "510000",
        "currency": "USD",
        "status": "available",
        "units": "1",
    },
    ("POST", "/today/tasks/{task_id}/move"): {"due_at": "2026-01-02T10:00"},
    ("POST", "/viewings/{viewing_id}"): {"notes": "walked"},
    ("POST", "/integrations"): {"url": "https://crm.example/other", "events": "lead.created"},
}
JSON: dict[tuple[str, str], object] = {
    ("PATCH", "/api/v1/leads/{lead_id}"): {"status": "qualified"},
    ("POST", "/api/v1/leads/{lead_id}/notes"): {"text": "walked"},
    ("POST", "/api/v1/leads/{lead_id}/follow-up"): {"due_at": "2026-01-02T10:00:00+08:00", "note": "walked"},
    ("POST", "/api/v1/leads/{lead_id}/whatsapp"): {"text": "hello"},
    ("POST", "/api/v1/leads/{lead_id}/outcome"): {"outcome": "lost", "reason": "price", "note": "walked"},
    ("PATCH", "/api/v1/listings/{listing_id}"): {"price": "520000"},
    ("PATCH", "/api/v1/viewings/{viewing_id}"): {"notes": "walked"},
    ("POST", "/api/v1/webhooks"): {"url": "https://crm.example/api", "events": ["lead.hot"]},
}


async def call(
    client: httpx.AsyncClient, method: str, path: str, params: dict[str, str], csrf: str, bearer: str | None
) -> httpx.Response:
    url = re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path)
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    if path.startswith("/api/"):
        if method != "GET" and csrf:
            headers["X-CSRF-Token"] = csrf
        body = JSON.get((method, path))
        if method in ("POST", "PATCH"):
            return await client.request(method, url, json=body if body is not None else {}, headers=headers)
        return await client.request(method, url, headers=headers)
    if method == "POST":
        form = {**FORMS.get((method, path), {}), **({"csrf": csrf} if csrf else {})}
        return await client.post(url, data=form, headers=headers)
    return await client.request(method, url, headers=headers)


async def refusals(services: Services) -> int:
    async with services.database.session() as session:
        return int(
            (await session.execute(select(func.count()).where(AuditLog.allowed.is_(False)))).scalar_one()
        )


async def signed_in(
    app: FastAPI, services: Services, tenant: Tenant, telegram_id: int
) -> tuple[httpx.AsyncClient, str]:
    access = WebAccess(services.database, services.settings, services.clock)
    token = await access.open_session(tenant.id, telegram_id, via="link")
    viewer = await access.viewer(token)
    assert viewer is not None
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", cookies={SESSION_COOKIE: token}
    )
    return client, viewer.csrf_token


async def test_every_route_as_nobody_answers_401(
    web_app: FastAPI, anonymous: httpx.AsyncClient, world: World
) -> None:
    walked = 0
    for method, path in routes(web_app):
        if (method, path) in PUBLIC:
            continue
        answer = await call(anonymous, method, path, world.params, "", None)
        assert answer.status_code == 401, (method, path, answer.status_code)
        assert LEAD_NAME not in answer.text
        walked += 1
    assert walked > 50


async def test_every_route_as_another_agencys_admin_shows_nothing_of_this_one(
    web_app: FastAPI, web_services: Services, agencies: Agencies, world: World
) -> None:
    otto, csrf = await signed_in(web_app, web_services, agencies.other, OTTO)
    async with otto:
        for method, path in routes(web_app):
            if (method, path) in PUBLIC or (method, path) == SIGNS_OUT:
                continue
            before = await refusals(web_services)
            answer = await call(otto, method, path, world.params, csrf, None)
            assert LEAD_NAME not in answer.text, (method, path)
            if OWNED.search(path) or AGENCY_THING.search(path):
                assert answer.status_code in (403, 404), (method, path, answer.status_code)
                assert await refusals(web_services) > before, ("refusal not audited", method, path)
            else:
                assert answer.status_code not in (401, 403, 404), (method, path, answer.status_code)


async def test_every_route_as_a_rep_who_does_not_own_the_lead(
    web_app: FastAPI, web_services: Services, agencies: Agencies, world: World
) -> None:
    boris, csrf = await signed_in(web_app, web_services, agencies.tre, BORIS)
    async with boris:
        for method, path in routes(web_app):
            if (method, path) in PUBLIC or (method, path) == SIGNS_OUT:
                continue
            before = await refusals(web_services)
            answer = await call(boris, method, path, world.params, csrf, None)
            if ADMIN_ONLY.search(path) or ADMIN_ONLY.search(f"{method} {path}") or OWNED.search(path):
                assert answer.status_code in (403, 404), (method, path, answer.status_code)
                assert await refusals(web_services) > before, ("refusal not audited", method, path)
            else:
                assert answer.status_code not in (401, 403, 404), (method, path, answer.status_code)
            if path != "/api/v1/listings" and not path.startswith("/api/v1/listings/"):
                assert LEAD_NAME not in answer.text, (method, path)


async def test_every_route_as_the_rep_who_owns_the_lead(
    web_app: FastAPI, web_services: Services, agencies: Agencies, world: World
) -> None:
    anna, csrf = await signed_in(web_app, web_services, agencies.tre, ANNA)
    async with anna:
        for method, path in routes(web_app):
            if (method, path) in PUBLIC or (method, path) == SIGNS_OUT:
                continue
            answer = await call(anna, method, path, world.params, csrf, None)
            if ADMIN_ONLY.search(path) or ADMIN_ONLY.search(f"{method} {path}"):
                assert answer.status_code == 403, (method, path, answer.status_code)
            else:
                assert answer.status_code not in (401, 403, 404), (method, path, answer.status_code)
        assert LEAD_NAME in (await anna.get("/leads")).text


async def test_every_route_as_the_agencys_admin(
    web_app: FastAPI, web_services: Services, agencies: Agencies, world: World
) -> None:
    olga, csrf = await signed_in(web_app, web_services, agencies.tre, OLGA)
    async with olga:
        for method, path in routes(web_app):
            if (method, path) in PUBLIC or (method, path) == SIGNS_OUT:
                continue
            answer = await call(olga, method, path, world.params, csrf, None)
            assert answer.status_code not in (401, 403, 404), (method, path, answer.status_code)
        assert LEAD_NAME in (await olga.get("/leads")).text


async def test_every_api_route_with_the_agencys_integration_token(
    web_app: FastAPI, web_services: Services, agencies: Agencies, world: World
) -> None:
    token = await integration_token(web_services, agencies.tre)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app), base_url="http://testserver"
    ) as api:
        for method, path in routes(web_app):
            if not path.startswith("/api/v1/"):
                continue
            answer = await call(api, method, path, world.params, "", token)
            if PEOPLE_ONLY.search(f"{method} {path}"):
                assert answer.status_code == 403, (method, path, answer.status_code)
            else:
                assert answer.status_code not in (401, 403, 404), (method, path, answer.status_code)
