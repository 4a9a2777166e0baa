"""API tokens open /api/v1 as the agency's integration until revoked; a session's writes need X-CSRF-Token."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from agent.services.provider import Services
from agent.services.web_access import ApiTokens, WebAccess
from agent.web.deps import SESSION_COOKIE
from storage.models import ApiToken
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, Agencies


def tokens(services: Services) -> ApiTokens:
    return ApiTokens(services.database, services.settings, services.clock)


async def test_a_token_is_shown_once_and_stored_as_a_digest(
    agencies: Agencies, web_services: Services
) -> None:
    created = await tokens(web_services).create(agencies.tre.id, "Zapier", created_by="cli")
    assert created.token.startswith("rk_") and created.line.prefix == created.token[:11]
    async with web_services.database.session() as session:
        row = (await session.execute(select(ApiToken))).scalar_one()
    assert created.token.encode() not in row.token_digest and len(row.token_digest) == 32
    assert [line.name for line in await tokens(web_services).list(agencies.tre.id)] == ["Zapier"]
    assert await tokens(web_services).list(agencies.other.id) == []


async def test_a_bearer_token_is_its_agencys_integration_until_revoked(
    anonymous: httpx.AsyncClient, agencies: Agencies, web_services: Services
) -> None:
    created = await tokens(web_services).create(agencies.tre.id, "Zapier", created_by="cli")
    bearer = {"Authorization": f"Bearer {created.token}"}
    me = await anonymous.get("/api/v1/me", headers=bearer)
    assert me.status_code == 200
    assert me.json()["agency"] == "tre" and me.json()["role"] == "integration"
    assert (await anonymous.post("/api/v1/me/ping", headers=bearer)).status_code == 200  # no CSRF for bearer
    [line] = await tokens(web_services).list(agencies.tre.id)
    assert line.last_used_at is not None
    await tokens(web_services).revoke(agencies.tre.id, created.line.prefix[3:7], revoked_by="cli")
    refused = await anonymous.get("/api/v1/me", headers=bearer)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "unknown or revoked API token"


async def test_a_session_writes_only_with_its_csrf_token(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    anna = await clients(agencies.tre, ANNA)
    me = await anna.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["role"] == "rep" and me.json()["telegram_id"] == ANNA
    without = await anna.post("/api/v1/me/ping")
    assert without.status_code == 400 and without.headers["content-type"] == "application/problem+json"
    assert (await anna.post("/api/v1/me/ping", headers={"X-CSRF-Token": "guessed"})).status_code == 400
    access = WebAccess(web_services.database, web_services.settings, web_services.clock)
    viewer = await access.viewer(anna.cookies[SESSION_COOKIE])
    assert viewer is not None
    answer = await anna.post("/api/v1/me/ping", headers={"X-CSRF-Token": viewer.csrf_token})
    assert answer.status_code == 200 and answer.json()["ok"] is True


async def test_nobody_and_a_wrong_scheme_are_refused(
    anonymous: httpx.AsyncClient, agencies: Agencies
) -> None:
    assert (await anonymous.get("/api/v1/me")).status_code == 401
    assert (await anonymous.get("/api/v1/me", headers={"Authorization": "Basic abc"})).status_code == 401
    assert (
        await anonymous.get("/api/v1/me", headers={"Authorization": "Bearer rk_nothing"})
    ).status_code == 401
