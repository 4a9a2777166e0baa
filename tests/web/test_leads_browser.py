"""The leads pages in Chromium: the board at phone and desktop width, a lead with its factors, a status change
and a note through the forms, and an Arabic lead page laid out right to left."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.services.team import TeamService
from agent.services.team.cards import Actor
from storage.db import Database
from storage.models import SalesRepresentative, Tenant
from tests.web.leads_support import add_lead, scored_lead
from tests.web.web_support import ANNA, OLGA, Agencies, screenshots

BrowserAs = Callable[[Tenant, int], Awaitable[Any]]


async def no_page_scroll(page: Any) -> bool:
    """Nothing wider than the viewport: the page never scrolls sideways."""
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def test_the_board_at_phone_and_desktop_width(
    browser_as: BrowserAs, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    hot = await scored_lead(database, clock, agencies)
    for i, (score, temperature) in enumerate(((72, "burning"), (55, "hot"), (30, "warm"), (10, "cold"))):
        await add_lead(
            database,
            agencies.tre.id,
            agencies.rep(ANNA).id,
            f"Lead number {i} with a rather long name",
            phone=f"+97150000000{i}",
            lead_score=score,
            temperature=temperature,
            qr_scan_count=i,
            catalog_views=i + 1,
            message_count=i + 2,
            source="website",
        )
    await add_lead(
        database, agencies.tre.id, agencies.rep(ANNA).id, "Asked us to stop", opted_out=True, lead_score=80
    )
    page = await browser_as(agencies.tre, ANNA)
    await page.goto("/leads")
    await screenshots(page, "leads")
    await page.set_viewport_size({"width": 360, "height": 740})
    assert await no_page_scroll(page)
    cards = page.locator(".lead-card")
    assert await cards.count() == 6
    assert "🔥" in await cards.nth(0).inner_text()
    assert "Asked us to stop" in await cards.nth(5).inner_text() and "🔕" in await cards.nth(5).inner_text()
    assert "📱" in await cards.nth(0).inner_text() and "📄" in await cards.nth(0).inner_text()
    await page.fill("input[name=q]", "Rezaei")
    await page.click("form.filters button[type=submit]")
    assert await page.locator(".lead-card").count() == 1
    await page.locator(".lead-card").first.click()
    await page.wait_for_url(f"**/leads/{hot}")


async def test_a_lead_page_with_its_factors_and_a_status_change_and_note_through_the_forms(
    browser_as: BrowserAs, agencies: Agencies, database: Database, clock: FrozenClock, web_services: Services
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    page = await browser_as(agencies.tre, ANNA)
    await page.goto(f"/leads/{lead_id}")
    assert await page.locator("tr[data-factor]").count() >= 10
    assert "3 QR scans × 3 = 9 of 15" in await page.locator("table.factors").inner_text()
    await screenshots(page, "lead")
    await page.set_viewport_size({"width": 360, "height": 740})
    assert await no_page_scroll(page)
    await page.select_option("select[name=status]", "qualified")
    await page.click("form[action$='/status'] button")
    await page.wait_for_url("**done=status**")
    assert "Status changed." in await page.locator(".flash.ok").inner_text()
    await page.fill("textarea[name=note]", "Wants to see it on Saturday")
    await page.click("form[action$='/note'] button")
    await page.wait_for_url("**done=note**")
    assert "Wants to see it on Saturday" in await page.locator("ul.notes").inner_text()
    team = TeamService(web_services.database, web_services.settings, web_services.clock)
    line = await team.client(Actor(telegram_id=ANNA, language="en"), "lead", str(lead_id))
    assert line.status == "qualified" and "Wants to see it on Saturday" in (line.notes or "")


async def test_an_arabic_lead_page_reads_right_to_left(
    browser_as: BrowserAs, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    async with database.session() as session:
        olga = await session.get(SalesRepresentative, agencies.rep(OLGA).id)
        assert olga is not None
        olga.language = "ar"
    lead_id = await scored_lead(database, clock, agencies, name="أحمد رضائي")
    page = await browser_as(agencies.tre, OLGA)
    await page.goto(f"/leads/{lead_id}")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert "إجراءات سريعة" in await page.locator("#actions h2").inner_text()
    assert await page.locator("tr[data-factor]").count() >= 10
    await screenshots(page, "lead-ar")
    await page.set_viewport_size({"width": 360, "height": 740})
    assert await no_page_scroll(page)
    await page.goto("/leads")
    await screenshots(page, "leads-ar")


async def test_a_rep_who_opens_another_reps_lead_sees_not_found_and_the_refusal_is_audited(
    browser_as: BrowserAs, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    from sqlalchemy import select

    from storage.models import AuditLog
    from tests.web.web_support import BORIS

    lead_id = await scored_lead(database, clock, agencies)  # Anna's
    page = await browser_as(agencies.tre, BORIS)
    response = await page.goto(f"/leads/{lead_id}")
    assert response is not None and response.status == 404
    text = await page.locator("main").inner_text()
    assert "Ahmad Rezaei" not in text and "+971501234567" not in text
    await screenshots(page, "lead-refused")
    async with database.session() as session:
        refused = (
            (
                await session.execute(
                    select(AuditLog).where(AuditLog.allowed.is_(False), AuditLog.actor_telegram_id == BORIS)
                )
            )
            .scalars()
            .all()
        )
    assert [row.target for row in refused] == [f"lead:{lead_id}"]
