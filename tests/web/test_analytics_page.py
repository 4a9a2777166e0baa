"""The /analytics page: charts with their tables, in the viewer's language, at phone and desktop width."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import update

from agent.core.clock import FrozenClock
from storage.db import Database
from storage.models import SalesRepresentative
from tests.web.analytics_history import History, build_history
from tests.web.conftest import SignIn
from tests.web.web_support import ANNA, BORIS, OLGA, Agencies, screenshots

SECTIONS = (
    "funnel",
    "by_temperature",
    "by_source",
    "by_deep_link",
    "by_channel",
    "speed",
    "followups",
    "ghost",
)


@pytest.fixture
async def history(database: Database, agencies: Agencies, clock: FrozenClock) -> History:
    return await build_history(database, agencies, clock.now())


async def speaks(database: Database, telegram_id: int, language: str) -> None:
    async with database.session() as session:
        await session.execute(
            update(SalesRepresentative)
            .where(SalesRepresentative.telegram_id == telegram_id)
            .values(language=language)
        )


async def test_a_rep_reads_each_chart_with_its_numbers_in_a_table(
    clients: SignIn, agencies: Agencies, history: History
) -> None:
    page = await (await clients(agencies.tre, ANNA)).get("/analytics")
    assert page.status_code == 200
    html = page.text
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert html.count("<svg") == len(SECTIONS) and html.count("<title>") == len(SECTIONS) + 1  # + the page's
    assert html.count("<table>") == len(SECTIONS)
    # Anna's funnel table: 5 new, 4 qualified (80 %), won 1 (20 %).
    assert '<th scope="row">Qualified</th><td class="num">4</td><td class="num">80%</td>' in html
    assert '<th scope="row">Won</th><td class="num">1</td><td class="num">20%</td>' in html
    assert (
        '<th scope="row">Warm · step 1</th><td class="num">2</td><td class="num">1</td><td class="num">50%</td>'
        in html
    )
    assert "2 min" in html  # her median first reply (120 s)
    assert 'name="rep"' not in html  # no rep picker for a rep


async def test_an_admin_picks_a_rep_and_sees_their_numbers(
    clients: SignIn, agencies: Agencies, history: History
) -> None:
    olga = await clients(agencies.tre, OLGA)
    boris = str(agencies.rep(BORIS).id)
    page = await olga.get("/analytics", params={"days": 7, "rep": boris})
    assert page.status_code == 200
    assert f'<option value="{boris}" selected>Boris Rep</option>' in page.text
    assert '<th scope="row">New</th><td class="num">1</td>' in page.text
    assert 'aria-current="page">7 days</a>' in page.text
    assert (await olga.get("/analytics", params={"rep": "not-an-id"})).status_code == 400


async def test_the_page_in_arabic_and_english_at_phone_and_desktop_width(
    browser_as: Callable[..., Awaitable[Any]], database: Database, agencies: Agencies, history: History
) -> None:
    page = await browser_as(agencies.tre, ANNA)
    await page.goto("/analytics")
    await screenshots(page, "analytics")
    await speaks(database, OLGA, "ar")
    page = await browser_as(agencies.tre, OLGA)
    await page.goto("/analytics")
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert await page.locator("h1").inner_text() == "التحليلات"
    for width in (360, 390, 1280):
        await page.set_viewport_size({"width": width, "height": 800})
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways at {width} px"
    # The table's first column (the labels) is on the right.
    box = await page.locator("#funnel table th[scope=row]").first.bounding_box()
    table = await page.locator("#funnel table").bounding_box()
    assert box["x"] + box["width"] > table["x"] + table["width"] - 5
    await screenshots(page, "analytics-ar")
