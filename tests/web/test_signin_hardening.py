"""Sign-in hardening: initData is fresh and single use, pages refuse foreign frames, proxies are trusted only
when named, suspended reps and sign-out-everywhere end every session, foreign sign-in posts are refused, and
old sign-in rows are purged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.services.agencies.reps import suspend_rep
from agent.services.provider import Services
from agent.services.team import TeamService
from agent.services.team.cards import Actor
from agent.services.web_access import SignInLinks, WebAccess, ip_key, purge_old_sign_ins
from agent.services.web_access.sessions import token_digest
from agent.web.deps import SESSION_COOKIE
from agent.web.server import listening_socket, web_config
from storage.models import AuditLog, SalesRepresentative, SignInFailure, SignInLink, WebSession
from tests.web.conftest import SignIn
from tests.web.signin_support import init_data
from tests.web.web_support import ANNA, BORIS, GLOBAL_ADMIN, OLGA, Agencies

Client = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def browser(web_app: FastAPI) -> AsyncIterator[Client]:
    """`browser(**headers)`: a cookie-keeping https client (as Telegram's Mini App browser is)."""
    opened: list[httpx.AsyncClient] = []

    def make(**headers: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web_app, client=("10.0.0.1", 5000)),
            base_url="https://testserver",
            headers=headers,
        )
        opened.append(client)
        return client

    yield make
    for client in opened:
        await client.aclose()


async def refusal_reasons(services: Services) -> list[str | None]:
    async with services.database.session() as session:
        query = select(AuditLog.detail).where(AuditLog.action == "web.sign_in", AuditLog.allowed.is_(False))
        return list((await session.execute(query.order_by(AuditLog.id))).scalars())


async def live_sessions(services: Services, telegram_id: int) -> list[WebSession]:
    async with services.database.session() as session:
        query = select(WebSession).where(WebSession.telegram_id == telegram_id, WebSession.ended_at.is_(None))
        return list((await session.execute(query)).scalars())


# -- 1. initData: ten minutes, once ---------------------------------------------------------------------


async def test_init_data_older_than_ten_minutes_is_refused(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    stale = init_data(ANNA, clock.now() - timedelta(minutes=11))
    assert (await browser().post("/auth/telegram", data={"init_data": stale})).status_code == 401
    fresh = init_data(ANNA, clock.now() - timedelta(minutes=9))
    assert (await browser().post("/auth/telegram", data={"init_data": fresh})).status_code == 303
    assert await refusal_reasons(web_services) == ["initdata_too_old"]


async def test_the_same_init_data_opens_one_session_only(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    data = {"init_data": init_data(ANNA, clock.now())}
    assert (await browser().post("/auth/telegram", data=data)).status_code == 303
    clock.advance(timedelta(minutes=2))
    replayed = await browser().post("/auth/telegram", data=data)
    assert replayed.status_code == 401 and SESSION_COOKIE not in replayed.cookies
    assert len(await live_sessions(web_services, ANNA)) == 1
    assert await refusal_reasons(web_services) == ["initdata_replayed"]


# -- 2. frames ------------------------------------------------------------------------------------------


async def test_html_pages_may_be_framed_only_by_us_and_telegram(
    browser: Client, clients: SignIn, agencies: Agencies
) -> None:
    for answer in (await browser().get("/app"), await browser().get("/")):
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["content-security-policy"] == (
            "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
        )
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "same-origin"
    health = await browser().get("/healthz")
    assert "content-security-policy" not in health.headers


# -- 3. behind a proxy ----------------------------------------------------------------------------------


async def _post_via_live_server(app: FastAPI, trusted: str, path: str) -> httpx.Response:
    sock = listening_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(web_config(app, trusted))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            return await client.post(path, headers=headers)
    finally:
        server.should_exit = True
        await task
        sock.close()


async def failure_keys(services: Services) -> set[str]:
    async with services.database.session() as session:
        return set((await session.execute(select(SignInFailure.key))).scalars())


async def test_a_named_proxy_gives_the_client_address_and_https(
    web_app: FastAPI, agencies: Agencies, web_services: Services
) -> None:
    links = SignInLinks(web_services.database, web_services.settings, web_services.clock)
    issued = await links.issue(BORIS)
    assert issued is not None
    path = "/signin/" + issued.url.rsplit("/", 1)[1]
    used = await _post_via_live_server(web_app, "127.0.0.1", path)
    assert used.status_code == 303 and "secure" in used.headers["set-cookie"].lower()
    await _post_via_live_server(web_app, "127.0.0.1", "/signin/no-such-link")
    assert await failure_keys(web_services) == {ip_key("203.0.113.7")}


async def test_an_unnamed_proxy_is_not_believed(
    web_app: FastAPI, agencies: Agencies, web_services: Services
) -> None:
    await _post_via_live_server(web_app, "10.9.9.9", "/signin/no-such-link")
    assert await failure_keys(web_services) == {ip_key("127.0.0.1")}


def test_the_setting_reaches_uvicorn(web_app: FastAPI) -> None:
    config = web_config(web_app, "10.0.0.0/8,192.168.1.2")
    config.load()
    assert config.proxy_headers and config.forwarded_allow_ips == "10.0.0.0/8,192.168.1.2"


# -- 4, 5. ending sessions ------------------------------------------------------------------------------


async def test_a_suspended_rep_is_out_and_stays_out_after_restore(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    anna = await clients(agencies.tre, ANNA)
    assert (await anna.get("/leads")).status_code == 200
    team = TeamService(web_services.database, web_services.settings, web_services.clock)
    olga = Actor(telegram_id=OLGA, language="en")
    await team.suspend(olga, agencies.rep(ANNA).id)
    assert await live_sessions(web_services, ANNA) == []
    await team.restore(olga, agencies.rep(ANNA).id)
    assert (await anna.get("/leads")).status_code == 401


async def test_the_cli_suspending_a_rep_ends_their_sessions(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    await clients(agencies.tre, BORIS)
    assert len(await live_sessions(web_services, BORIS)) == 1
    async with web_services.database.session() as session:
        rep = await session.get(SalesRepresentative, agencies.rep(BORIS).id)
        assert rep is not None
        await suspend_rep(session, rep, web_services.clock.now())
    assert await live_sessions(web_services, BORIS) == []


async def test_sign_out_everywhere_ends_the_sessions_of_every_agency(
    clients: SignIn, agencies: Agencies, web_services: Services
) -> None:
    here = await clients(agencies.tre, GLOBAL_ADMIN)
    there = await clients(agencies.other, GLOBAL_ADMIN)
    assert len(await live_sessions(web_services, GLOBAL_ADMIN)) == 2
    access = WebAccess(web_services.database, web_services.settings, web_services.clock)
    viewer = await access.viewer(here.cookies[SESSION_COOKIE])
    assert viewer is not None
    answer = await here.post("/signout", data={"csrf": viewer.csrf_token})
    assert answer.status_code == 200
    assert await live_sessions(web_services, GLOBAL_ADMIN) == []
    assert (await there.get("/leads")).status_code == 401


# -- 7. login CSRF --------------------------------------------------------------------------------------


async def test_a_sign_in_posted_from_another_site_is_refused(
    browser: Client, agencies: Agencies, clock: FrozenClock, web_services: Services
) -> None:
    data = {"init_data": init_data(ANNA, clock.now())}
    for origin in ("https://evil.example", "null"):
        foreign = await browser(origin=origin).post("/auth/telegram", data=data)
        assert foreign.status_code == 403 and SESSION_COOKIE not in foreign.cookies
    links = SignInLinks(web_services.database, web_services.settings, web_services.clock)
    issued = await links.issue(BORIS)
    assert issued is not None
    path = "/signin/" + issued.url.rsplit("/", 1)[1]
    referred = await browser(referer="https://evil.example/page").post(path)
    assert referred.status_code == 403
    assert await refusal_reasons(web_services) == ["foreign_origin"] * 3
    assert await live_sessions(web_services, ANNA) == [] and await live_sessions(web_services, BORIS) == []
    ours = await browser(origin="https://testserver").post("/auth/telegram", data=data)
    assert ours.status_code == 303  # the Mini App posts from our own /app page
    assert (await browser(referer=f"https://testserver{path}").post(path)).status_code == 303


# -- 8. purge -------------------------------------------------------------------------------------------


async def test_old_sign_in_rows_are_purged_and_recent_ones_kept(
    clients: SignIn, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    links = SignInLinks(web_services.database, web_services.settings, web_services.clock)
    await clients(agencies.tre, ANNA)
    access = WebAccess(web_services.database, web_services.settings, web_services.clock)
    old_link = await links.issue(ANNA)
    assert old_link is not None
    await SignInLinks(web_services.database, web_services.settings, web_services.clock).use(
        old_link.url.rsplit("/", 1)[1]
    )
    async with web_services.database.session() as session:
        session.add(SignInFailure(key="ip:old", failed_at=clock.now()))
    viewer_token = await access.open_session(agencies.tre.id, BORIS, via="link")

    clock.advance(timedelta(days=8))  # ANNA's session (7 days) expired a day ago: kept, a week not over
    async with web_services.database.session() as session:
        session.add(SignInFailure(key="ip:new", failed_at=clock.now()))
    assert await access.viewer(viewer_token) is None
    assert await purge_old_sign_ins(web_services.database, web_services.clock) == 2  # the old link, failure
    fresh_link = await links.issue(BORIS)
    assert fresh_link is not None
    assert await purge_old_sign_ins(web_services.database, web_services.clock) == 0

    async with web_services.database.session() as session:
        keys = set((await session.execute(select(SignInFailure.key))).scalars())
        link_digests = set((await session.execute(select(SignInLink.token_digest))).scalars())
        sessions = (await session.execute(select(func.count()).select_from(WebSession))).scalar_one()
    assert keys == {"ip:new"}
    assert link_digests == {token_digest(fresh_link.url.rsplit("/", 1)[1])}
    assert sessions == 2

    clock.advance(timedelta(days=7, minutes=1))
    assert (
        await purge_old_sign_ins(web_services.database, web_services.clock) == 4
    )  # 2 sessions, link, failure
    async with web_services.database.session() as session:
        assert (await session.execute(select(func.count()).select_from(WebSession))).scalar_one() == 0
