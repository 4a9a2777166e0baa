"""Signing in, in the system Chromium: through a one-time link's Continue button and through the Mini App's
initData (built with the test team bot's token); the sign-in pages at phone and desktop width."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.services.web_access import SignInLinks
from tests.web.signin_support import init_data
from tests.web.web_support import ANNA, BORIS, Agencies, screenshots

STRANGER = 4243


async def signed_in_as(page: Any, server_url: str) -> str:
    """Who the browser's session cookie signs in (asked of /api/v1/me with the page's cookies)."""
    answer = await page.context.request.get(server_url + "/api/v1/me")
    assert answer.status == 200, await answer.text()
    return str((await answer.json())["name"])


async def new_page(chromium: Any, server_url: str, locale: str = "en-US") -> Any:
    context = await chromium.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    return await context.new_page()


async def test_signing_in_through_a_one_time_link(
    chromium: Any, server_url: str, agencies: Agencies, web_services: Services
) -> None:
    links = SignInLinks(web_services.database, web_services.settings, web_services.clock)
    issued = await links.issue(BORIS)
    assert issued is not None
    url = server_url + issued.url.removeprefix("http://127.0.0.1:8080")
    page = await new_page(chromium, server_url)
    try:
        await page.goto(url)
        assert await page.locator("h1").inner_text() == "Sign in to the dashboard"
        await screenshots(page, "signin-link")
        await page.click("button.signin-continue")
        await page.wait_for_url(server_url + "/leads")
        assert await signed_in_as(page, server_url) == "Boris Rep"
        await page.goto(url)  # the same link again
        assert "no longer works" in await page.locator("h1").inner_text()
        await screenshots(page, "signin-link-used")
    finally:
        await page.context.close()


async def test_signing_in_through_the_mini_app(
    chromium: Any, server_url: str, agencies: Agencies, clock: FrozenClock
) -> None:
    data = init_data(ANNA, clock.now())
    page = await new_page(chromium, server_url)
    try:
        # Telegram opens the Mini App's URL with the signed data in the fragment.
        await page.goto(f"{server_url}/app#tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0")
        await page.wait_for_url(server_url + "/leads")
        assert await signed_in_as(page, server_url) == "Anna Rep"
    finally:
        await page.context.close()


async def test_the_mini_app_uses_telegrams_object_when_it_is_there(
    chromium: Any, server_url: str, agencies: Agencies, clock: FrozenClock
) -> None:
    data = init_data(BORIS, clock.now())
    page = await new_page(chromium, server_url)
    try:
        await page.add_init_script(f"window.Telegram = {{WebApp: {{initData: {data!r}, ready() {{}}}}}};")
        await page.goto(f"{server_url}/app")
        await page.wait_for_url(server_url + "/leads")
        assert await signed_in_as(page, server_url) == "Boris Rep"
    finally:
        await page.context.close()


async def test_the_mini_app_outside_telegram_and_a_refusal_in_persian(
    chromium: Any, server_url: str, agencies: Agencies, clock: FrozenClock
) -> None:
    page = await new_page(chromium, server_url)
    try:
        await page.goto(f"{server_url}/app")
        assert await page.locator("#miniapp-outside").is_visible()
        await screenshots(page, "signin-miniapp-outside")
        stranger = init_data(STRANGER, clock.now(), language="fa")
        await page.goto("about:blank")  # a new document: only the fragment would change otherwise
        await page.goto(f"{server_url}/app#tgWebAppData={quote(stranger, safe='')}")
        await page.wait_for_url(server_url + "/auth/telegram")
        assert await page.locator("html").get_attribute("dir") == "rtl"
        assert "دسترسی به داشبورد ندارید" in await page.locator("h1").inner_text()
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        await screenshots(page, "signin-refused-fa")
    finally:
        await page.context.close()
