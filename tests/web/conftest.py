"""Fixtures of the web app's tests: the agencies, the app, an HTTP client, sessions, a live server, Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.services.web_access import WebAccess
from agent.settings import Settings
from agent.web.app import create_app
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.models import Tenant
from tests.web.web_support import (
    GLOBAL_ADMIN,
    TEAM_TOKEN,
    Agencies,
    chromium_path,
    live_server,
    make_agencies,
    open_session,
)

SignIn = Callable[[Tenant, int], Awaitable[httpx.AsyncClient]]


@pytest.fixture
def web_settings(settings: Settings, api: FakeTelegramAPI) -> Settings:
    return settings.model_copy(
        update={
            "telegram_api_base_url": api.base_url,
            "telegram_file_base_url": api.file_base_url,
            "admin_telegram_ids": [GLOBAL_ADMIN],
            "registry_bot_token": SecretStr(TEAM_TOKEN),
            # The webhook tests' receivers listen on a loopback port.
            "webhooks_allow_private_hosts": True,
        }
    )


@pytest.fixture
async def web_services(
    web_settings: Settings, database: Database, clock: FrozenClock
) -> AsyncIterator[Services]:
    services = Services(settings=web_settings, database=database, clock=clock)
    async with services.resources:
        yield services


@pytest.fixture
def web_app(web_services: Services) -> FastAPI:
    return create_app(web_services)


@pytest.fixture
async def agencies(database: Database) -> Agencies:
    return await make_agencies(database)


@pytest.fixture
async def clients(web_app: FastAPI, web_services: Services) -> AsyncIterator[SignIn]:
    """`await clients(tenant, telegram_id)`: an HTTP client signed in as that person (a fresh session each)."""
    access = WebAccess(web_services.database, web_services.settings, web_services.clock)
    opened: list[httpx.AsyncClient] = []

    async def sign_in(tenant: Tenant, telegram_id: int) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web_app),
            base_url="http://testserver",
            cookies=await open_session(access, tenant, telegram_id),
        )
        opened.append(client)
        return client

    yield sign_in
    for client in opened:
        await client.aclose()


@pytest.fixture
async def anonymous(web_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app), base_url="http://testserver"
    ) as c:
        yield c


@pytest.fixture
async def server_url(web_app: FastAPI) -> AsyncIterator[str]:
    async with live_server(web_app) as url:
        yield url


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Any]:
    """The system Chromium under Playwright; the test skips with one line when the machine has none."""
    path = chromium_path()
    if path is None:
        pytest.skip("no system Chromium (Debian package 'chromium'; .ci/run installs it)")
    from playwright.async_api import async_playwright

    from tests.web.web_support import CHROMIUM_FLAGS

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        await browser.close()


@pytest.fixture
async def browser_as(
    chromium: Any, server_url: str, web_services: Services
) -> AsyncIterator[Callable[[Tenant, int], Awaitable[Any]]]:
    """`page = await browser_as(tenant, telegram_id)`: a Chromium page signed in as that person (phone width)."""
    access = WebAccess(web_services.database, web_services.settings, web_services.clock)
    contexts: list[Any] = []

    async def page_for(tenant: Tenant, telegram_id: int) -> Any:
        context = await chromium.new_context(viewport={"width": 390, "height": 844}, base_url=server_url)
        contexts.append(context)
        cookies = await open_session(access, tenant, telegram_id)
        await context.add_cookies(
            [{"name": name, "value": value, "url": server_url} for name, value in cookies.items()]
        )
        return await context.new_page()

    yield page_for
    for context in contexts:
        await context.close()
