"""Who gets in: the Mini App's initData and one-time links open a session for active reps and admins only;
every refusal has its page, an audit row and a count against the sign-in rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.services.web_access import SignInLinks
from agent.services.web_access.rate_limits import FAILURES_ALLOWED
from agent.web.deps import SESSION_COOKIE
from storage.models import AuditLog, WebSession
from tests.web.signin_support import init_data
from tests.web.web_support import ANNA, BORIS, GLOBAL_ADMIN, OLGA, PENDING, Agencies

STRANGER = 4242

Client = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def browser(web_app: FastAPI) -> AsyncIterator[Client]:
    """`browser(ip="10.0.0.1")`: a cookie-keeping client over https (Secure cookies come back) from that IP."""
    opened: list[httpx.AsyncClient] = []

    def make(ip: str = "10.0.0.1", language: str = "en") -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web_app, client=(ip, 5000)),
            base_url="https://testserver",
            headers={"accept-language": language},
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


async def refusals(services: Services) -> list[AuditLog]:
    async with services.database.session() as session:
        query = select(AuditLog).where(AuditLog.action == "web.sign_in", AuditLog.allowed.is_(False))
        return list((await session.execute(query.order_by(AuditLog.id))).scalars())


async def sessions_of(services: Services, telegram_id: int) -> list[WebSession]:
    async with services.database.session() as session:
        query = select(WebSession).where(WebSession.telegram_id == telegram_id)
        return list((await session.execute(query)).scalars())


# -- the Mini App ------------------------------------------------------------------------------------


async def test_the_mini_app_page_carries_its_own_script(browser: Client) -> None:
    page = await browser().get("/app?tenant=tre")
    assert page.status_code == 200
    assert '<script src="/static/miniapp.js"></script>' in page.text and "telegram.org" not in page.text
    script = await browser().get("/static/miniapp.js")
    assert script.status_code == 200 and "tgWebAppData" in script.text


async def test_a_rep_opening_the_mini_app_is_signed_in(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    client = browser()
    answer = await client.post("/auth/telegram", data={"init_data": init_data(ANNA, clock.now())})
    assert answer.status_code == 303 and answer.headers["location"] == "/leads"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=none" in cookie
    assert (await client.get("/")).headers.get("location") == "/leads"  # the session works
    [session] = await sessions_of(web_services, ANNA)
    assert session.via == "miniapp" and session.tenant_id == agencies.tre.id


async def test_tampered_data_is_refused_and_audited(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    forged = init_data(ANNA, clock.now(), tamper={"user": f'{{"id":{OLGA},"first_name":"Olga"}}'})
    answer = await browser().post("/auth/telegram", data={"init_data": forged})
    assert answer.status_code == 401 and SESSION_COOKIE not in answer.cookies
    assert "sign-in could not be checked" in answer.text
    [row] = await refusals(web_services)
    assert row.detail == "initdata_bad_hash"
    assert await sessions_of(web_services, OLGA) == []


async def test_old_data_gets_its_own_page(browser: Client, agencies: Agencies, clock: FrozenClock) -> None:
    stale = init_data(ANNA, clock.now() - timedelta(days=2))
    answer = await browser(language="ru").post("/auth/telegram", data={"init_data": stale})
    assert answer.status_code == 401 and "Вход устарел" in answer.text


async def test_a_stranger_and_an_applicant_are_refused_in_their_language(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    stranger = init_data(STRANGER, clock.now(), language="ar")
    answer = await browser().post("/auth/telegram", data={"init_data": stranger})
    assert answer.status_code == 403 and 'dir="rtl"' in answer.text
    assert "لا يمكنك الدخول إلى لوحة التحكم" in answer.text
    applicant = init_data(PENDING, clock.now(), language="ru")
    answer = await browser().post("/auth/telegram", data={"init_data": applicant})
    assert answer.status_code == 403 and "Нет доступа к кабинету" in answer.text
    targets = [row.target for row in await refusals(web_services)]
    assert targets == [f"telegram:{STRANGER}", f"telegram:{PENDING}"]


async def test_a_global_admin_picks_the_agency(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    data = {"init_data": init_data(GLOBAL_ADMIN, clock.now()), "tenant": "other"}
    assert (await browser().post("/auth/telegram", data=data)).status_code == 303
    first = {"init_data": init_data(GLOBAL_ADMIN, clock.now() - timedelta(seconds=1))}  # opened again
    assert (await browser().post("/auth/telegram", data=first)).status_code == 303
    tenants = sorted(s.tenant_id for s in await sessions_of(web_services, GLOBAL_ADMIN))
    assert tenants == sorted([agencies.other.id, agencies.tre.id])


# -- one-time links ----------------------------------------------------------------------------------


def links(services: Services) -> SignInLinks:
    return SignInLinks(services.database, services.settings, services.clock)


async def test_a_link_is_used_by_continue_not_by_looking_at_it(
    browser: Client, agencies: Agencies, web_services: Services
) -> None:
    issued = await links(web_services).issue(BORIS)
    assert issued is not None and issued.tenant.id == agencies.tre.id
    path = issued.url.removeprefix("http://127.0.0.1:8080")
    assert path.startswith("/signin/")
    preview, client = browser(ip="149.154.161.1"), browser()
    for _ in range(2):  # a chat app's link preview, then the person
        looked = await preview.get(path)
        assert looked.status_code == 200 and f'action="{path}"' in looked.text
    assert await sessions_of(web_services, BORIS) == []
    used = await client.post(path)
    assert used.status_code == 303 and used.headers["location"] == "/leads"
    assert "samesite=lax" in used.headers["set-cookie"].lower()
    assert (await client.get("/")).headers.get("location") == "/leads"
    [session] = await sessions_of(web_services, BORIS)
    assert session.via == "link"
    again = await browser().post(path)
    assert again.status_code == 410 and "no longer works" in again.text
    assert (await browser().get(path)).status_code == 410
    assert [row.detail for row in await refusals(web_services)] == ["link_unknown_used_or_expired"]


async def test_a_link_dies_after_ten_minutes(
    browser: Client, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    issued = await links(web_services).issue(ANNA)
    assert issued is not None
    clock.advance(timedelta(minutes=10, seconds=1))
    answer = await browser().post(issued.url.removeprefix("http://127.0.0.1:8080"))
    assert answer.status_code == 410 and await sessions_of(web_services, ANNA) == []


async def test_only_active_reps_and_admins_get_a_link(agencies: Agencies, web_services: Services) -> None:
    assert await links(web_services).issue(STRANGER) is None
    assert await links(web_services).issue(PENDING) is None
    admin = await links(web_services).issue(GLOBAL_ADMIN)
    assert admin is not None and admin.tenant.slug in ("tre", "other")


async def test_a_rep_suspended_after_the_link_was_sent_is_refused(
    browser: Client, agencies: Agencies, web_services: Services
) -> None:
    from storage.models import RepStatus, SalesRepresentative

    issued = await links(web_services).issue(ANNA)
    assert issued is not None
    async with web_services.database.session() as session:
        rep = await session.get(SalesRepresentative, agencies.rep(ANNA).id)
        assert rep is not None
        rep.status = RepStatus.SUSPENDED
    answer = await browser().post(issued.url.removeprefix("http://127.0.0.1:8080"))
    assert answer.status_code == 403 and await sessions_of(web_services, ANNA) == []


# -- the rate limit ----------------------------------------------------------------------------------


async def test_too_many_failures_from_one_address_are_stopped(
    browser: Client, agencies: Agencies, clock: FrozenClock
) -> None:
    attacker = browser(ip="203.0.113.9")
    for _ in range(FAILURES_ALLOWED):
        assert (await attacker.post("/signin/guessed-token")).status_code == 410
    genuine = {"init_data": init_data(ANNA, clock.now())}
    stopped = await attacker.post("/auth/telegram", data=genuine)
    assert stopped.status_code == 429 and "Too many attempts" in stopped.text
    assert (await browser(ip="198.51.100.7").post("/auth/telegram", data=genuine)).status_code == 303
    clock.advance(timedelta(minutes=10, seconds=1))
    assert (
        await attacker.post("/auth/telegram", data={"init_data": init_data(ANNA, clock.now())})
    ).status_code == 303


async def test_too_many_failures_for_one_telegram_id_are_stopped_from_any_address(
    browser: Client, agencies: Agencies, clock: FrozenClock
) -> None:
    data = {"init_data": init_data(PENDING, clock.now())}
    for attempt in range(FAILURES_ALLOWED):
        answer = await browser(ip=f"192.0.2.{attempt}").post("/auth/telegram", data=data)
        assert answer.status_code == 403
    assert (await browser(ip="192.0.2.200").post("/auth/telegram", data=data)).status_code == 429
