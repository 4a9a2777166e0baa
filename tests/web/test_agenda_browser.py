"""/today and /viewings in Chromium: phone and desktop width, a form that works, a right-to-left page."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from storage.models import RepTask, SalesRepresentative, Tenant, Viewing
from tests.web.test_agenda_support import NOW, add_alert, add_lead, add_send, add_task, add_viewing, local
from tests.web.web_support import ANNA, BORIS, OLGA, Agencies, screenshots

BrowserAs = Callable[[Tenant, int], Awaitable[Any]]


async def _a_busy_day(services: Services, agencies: Agencies) -> dict[str, int]:
    db = services.database
    anna, boris = agencies.rep(ANNA), agencies.rep(BORIS)
    maya = await add_lead(
        db,
        agencies.tre,
        anna,
        "Maya Kusuma-Wijayakusuma",
        temperature="burning",
        score=91,
        phone="+6281234567",
    )
    omar = await add_lead(db, agencies.tre, anna, "Omar Haddad", temperature="hot", score=77)
    lena = await add_lead(db, agencies.tre, boris, "Лена Смирнова", temperature="warm", score=55)
    overdue = await add_task(
        db,
        anna,
        maya,
        local(1, 10),
        "Send the villa's floor plan and the price list for the two-bedroom option",
    )
    await add_task(db, anna, omar, local(1, 21, 30), "Call back about the mortgage")
    await add_send(db, agencies.tre, omar, local(1, 22), status="held", hold_reason="quiet_hours")
    await add_send(db, agencies.tre, lena, local(1, 19), step_key="seq:3")
    past = await add_viewing(db, anna, maya, NOW - timedelta(hours=2), title="Villa Sunset, Canggu")
    await add_viewing(
        db, anna, omar, local(1, 19), online=True, link="https://meet.example/omar", title="Loft Seminyak"
    )
    await add_viewing(db, boris, lena, local(2, 11), title="Villa Sunset, Canggu")
    await add_viewing(db, anna, omar, local(4, 15), title="Loft Seminyak")
    await add_alert(db, agencies.tre, maya, "burning", local(1, 9))
    await add_alert(db, agencies.tre, omar, "phone_captured", local(1, 12))
    return {"overdue": overdue, "past_viewing": past}


async def _no_page_scroll(page: Any) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


async def test_today_in_a_phone_and_on_a_desktop_and_a_task_done_with_one_tap(
    browser_as: BrowserAs, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    rows = await _a_busy_day(web_services, agencies)
    page = await browser_as(agencies.tre, ANNA)
    await page.goto("/today")
    assert await _no_page_scroll(page)
    assert await page.locator("#overdue .agenda-item").count() == 1
    assert await page.locator("#viewings-today .agenda-item").count() == 2
    await screenshots(page, "today")
    assert await _no_page_scroll(page)  # at 1280 too

    await page.set_viewport_size({"width": 360, "height": 780})
    assert await _no_page_scroll(page)
    await page.locator('#overdue form[action$="/done"] button').click()
    await page.wait_for_url("**/today")
    assert await page.locator("#overdue .agenda-item").count() == 0
    async with web_services.database.session() as session:
        assert (await session.get(RepTask, rows["overdue"])).done_at == NOW  # type: ignore[union-attr]

    await page.locator("#viewings-today select[name=outcome]").select_option("interested")
    await page.locator("#viewings-today form.outcome button").click()
    await page.wait_for_url("**/today")
    async with web_services.database.session() as session:
        assert (await session.get(Viewing, rows["past_viewing"])).outcome == "interested"  # type: ignore[union-attr]


async def test_viewings_week_for_an_admin_at_phone_and_desktop_width(
    browser_as: BrowserAs, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    await _a_busy_day(web_services, agencies)
    page = await browser_as(agencies.tre, OLGA)
    await page.goto("/viewings")
    assert await _no_page_scroll(page)
    assert await page.locator(".agenda-day").count() == 7
    assert await page.locator(".agenda-day .agenda-item").count() == 4
    await screenshots(page, "viewings")

    cancel = page.locator("#day-2026-01-04 button.danger")
    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
    await cancel.click()
    await page.wait_for_timeout(300)
    await page.reload()
    assert await page.locator(".viewing.status-cancelled").count() == 0  # asked first; "no" keeps it
    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await cancel.click()
    await page.wait_for_url("**/viewings?day=2026-01-01")
    assert await page.locator("#day-2026-01-04 .viewing.status-cancelled").count() == 1
    await page.locator("select[name=rep]").select_option(str(agencies.rep(BORIS).id))
    await page.locator(".rep-picker button").click()
    await page.wait_for_url("**/viewings?rep=*")
    assert await page.locator(".agenda-day .agenda-item").count() == 1
    await page.locator("a[rel=next]").click()
    await page.wait_for_url("**day=2026-01-08**")
    assert await page.locator(".agenda-day .agenda-item").count() == 0


async def test_today_reads_right_to_left_in_persian(
    browser_as: BrowserAs, agencies: Agencies, web_services: Services, clock: FrozenClock
) -> None:
    clock.set(NOW)
    await _a_busy_day(web_services, agencies)
    async with web_services.database.session() as session:
        anna = await session.get(SalesRepresentative, agencies.rep(ANNA).id)
        assert anna is not None
        anna.language = "fa"
    page = await browser_as(agencies.tre, ANNA)
    await page.goto("/today")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert "عقب‌افتاده" in await page.locator("#overdue h2").inner_text()
    assert await _no_page_scroll(page)
    await screenshots(page, "today-fa")
    await page.goto("/viewings")
    assert await _no_page_scroll(page)
    await screenshots(page, "viewings-fa")
