"""The admin pages in Chromium: approving a rep by pressing the button, listings at phone and desktop width,
and a right-to-left page."""

from __future__ import annotations

from typing import Any

from agent.services.provider import Services
from evals.bot_api import FakeTelegramAPI
from storage.models import RepStatus, SalesRepresentative
from tests.web.admin_support import add_listing
from tests.web.web_support import OLGA, PENDING, TEAM_TOKEN, Agencies, screenshots


async def _no_page_scroll(page: Any) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def test_an_admin_approves_a_rep_by_pressing_approve(
    browser_as: Any, agencies: Agencies, web_services: Services, api: FakeTelegramAPI
) -> None:
    page = await browser_as(agencies.tre, OLGA)
    await page.goto("/reps")
    assert await _no_page_scroll(page)
    own_row = page.locator(f"#rep-{agencies.rep(OLGA).id}")
    assert await own_row.get_by_role("button").count() == 0  # an admin does not suspend themselves here
    await screenshots(page, "reps")
    await page.set_viewport_size({"width": 390, "height": 844})
    card = page.locator(f"#rep-{agencies.rep(PENDING).id}")
    await card.get_by_role("button", name="Approve").click()
    await page.wait_for_url("**/reps?done=approve*")
    assert "Pavel New is approved. The team bot told them." in await page.locator(".flash").inner_text()
    async with web_services.database.session() as session:
        rep = await session.get(SalesRepresentative, agencies.rep(PENDING).id)
        assert rep is not None and rep.status == RepStatus.ACTIVE
    assert api.sent_texts(chat_id=PENDING, token=TEAM_TOKEN)[0].startswith("Great news!")
    await screenshots(page, "reps-approved")


async def test_listings_at_phone_and_desktop_width(
    browser_as: Any, agencies: Agencies, web_services: Services
) -> None:
    database = web_services.database
    await add_listing(database, agencies.tre, "V-1", "Pool villa in Canggu with a long title that wraps")
    await add_listing(
        database, agencies.tre, "V-2", "Rice-field villa, Ubud", status="reserved", units_available=0
    )
    await add_listing(
        database,
        agencies.tre,
        "A-1",
        "Studio in Seminyak",
        price_period="month",
        price=950,
        transaction="rent",
    )
    await add_listing(database, agencies.tre, "H-1", "Hidden townhouse", status="hidden", currency="IDR")
    page = await browser_as(agencies.tre, OLGA)
    await page.goto("/listings")
    assert await _no_page_scroll(page)
    assert "$950 a month" in await page.locator("body").inner_text()
    await screenshots(page, "listings")
    assert await _no_page_scroll(page)  # at desktop width too
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.get_by_role("link", name="Edit").first.click()
    await page.fill("input[name=price]", "399000")
    await screenshots(page, "listing-edit")
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.get_by_role("button", name="Save").click()
    await page.wait_for_url("**/listings?done=saved*")
    assert "$399,000" in await page.locator("body").inner_text()
    await screenshots(page, "listings-saved")


async def test_an_arabic_admin_gets_the_reps_and_listings_right_to_left(
    browser_as: Any, agencies: Agencies, web_services: Services
) -> None:
    async with web_services.database.session() as session:
        olga = await session.get(SalesRepresentative, agencies.rep(OLGA).id)
        assert olga is not None
        olga.language = "ar"
    await add_listing(web_services.database, agencies.tre, "V-1", "Pool villa in Canggu")
    page = await browser_as(agencies.tre, OLGA)
    await page.goto("/reps")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert "المندوبون" in await page.locator("h1").inner_text()
    assert await _no_page_scroll(page)
    await screenshots(page, "reps-ar")
    await page.goto("/listings")
    assert "العقارات" in await page.locator("h1").inner_text()
    assert await _no_page_scroll(page)
    await screenshots(page, "listings-ar")
