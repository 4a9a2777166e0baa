"""The app's frame: health checks, who gets a page, CSRF, sign-out everywhere, right-to-left pages."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from agent.services.provider import Services
from storage.models import RepStatus, SalesRepresentative, WebSession
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, BORIS, GLOBAL_ADMIN, OTTO, PENDING, Agencies, screenshots


async def test_health_and_readiness(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/healthz")).json() == {"ok": True}
    ready = await anonymous.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


async def test_nobody_gets_the_signed_out_page(anonymous: httpx.AsyncClient, agencies: Agencies) -> None:
    page = await anonymous.get("/")
    assert page.status_code == 401
    assert "team bot" in page.text and "dashboard" in page.text


async def test_a_signed_in_rep_goes_to_their_leads(clients: SignIn, agencies: Agencies) -> None:
    anna = await clients(agencies.tre, ANNA)
    home = await anna.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/leads"


async def test_only_active_reps_and_admins_get_a_session(clients: SignIn, agencies: Agencies) -> None:
    import pytest

    from agent.services.web_access import NotAllowed

    with pytest.raises(NotAllowed):
        await clients(agencies.tre, PENDING)
    with pytest.raises(NotAllowed):
        await clients(agencies.other, ANNA)  # a rep of tre has no role in the other agency
    with pytest.raises(NotAllowed):
        await clients(agencies.tre, OTTO)  # nor its admin in tre
    assert (await (await clients(agencies.other, GLOBAL_ADMIN)).get("/")).status_code == 303


async def test_a_suspended_rep_is_out_at_once(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    anna = await clients(agencies.tre, ANNA)
    async with web_services.database.session() as session:
        rep = await session.get(SalesRepresentative, agencies.rep(ANNA).id)
        assert rep is not None
        rep.status = RepStatus.SUSPENDED
    assert (await anna.get("/")).status_code == 401


async def test_sign_out_needs_the_csrf_token_and_ends_every_session(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    phone, laptop = await clients(agencies.tre, BORIS), await clients(agencies.tre, BORIS)
    anna = await clients(agencies.tre, ANNA)
    assert (await phone.post("/signout", data={})).status_code == 400
    assert (await phone.post("/signout", data={"csrf": "forged"})).status_code == 400
    assert (await phone.get("/")).status_code == 303  # a refused sign-out signs nobody out
    token = await _csrf(web_services, BORIS)
    assert (await phone.post("/signout", data={"csrf": token})).status_code == 200
    assert (await phone.get("/")).status_code == 401
    assert (await laptop.get("/")).status_code == 401
    assert (await anna.get("/")).status_code == 303  # someone else's session stays


async def _csrf(services: Services, telegram_id: int) -> str:
    async with services.database.session() as session:
        rows = await session.execute(
            select(WebSession.csrf_token).where(WebSession.telegram_id == telegram_id)
        )
        return str(rows.scalars().first())


async def test_an_unknown_page_is_a_page_and_an_unknown_api_route_is_a_problem(
    clients: SignIn, agencies: Agencies
) -> None:
    anna = await clients(agencies.tre, ANNA)
    page = await anna.get("/no-such-page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    problem = await anna.get("/api/v1/no-such-thing")
    assert problem.status_code == 404 and problem.headers["content-type"] == "application/problem+json"


async def test_the_signed_out_page_in_a_browser_reads_right_to_left_in_persian(
    chromium: object, server_url: str, agencies: Agencies
) -> None:
    context = await chromium.new_context(locale="fa-IR")  # type: ignore[attr-defined]
    page = await context.new_page()
    response = await page.goto(f"{server_url}/")  # Chromium asks for Persian (Accept-Language)
    assert response is not None and response.status == 401
    await screenshots(page, "signed-out-fa")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert "داشبورد" in await page.locator("h1 + p").inner_text()
    await context.close()
