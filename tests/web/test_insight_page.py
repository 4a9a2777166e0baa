"""The lead page shows the lead's insight and next best action in the viewer's language (and the API too)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from agent.core.clock import FrozenClock
from agent.services.insights import refresh_insight
from agent.services.provider import Services
from storage.db import Database
from storage.models import Lead, LeadInteraction, LeadQuestion, SalesRepresentative, Tenant
from tests.web.leads_support import scored_lead
from tests.web.web_support import ANNA, OLGA, Agencies, screenshots

BrowserAs = Callable[[Tenant, int], Awaitable[Any]]
SignIn = Callable[[Tenant, int], Awaitable[Any]]


async def with_insight(services: Services, lead_id: int, clock: FrozenClock) -> None:
    """A lead who asked a question nobody answered yet, objected to the price, and was then refreshed."""
    now = clock.now()
    async with services.database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        lead.temperature, lead.phone = "warm", None
        session.add(
            LeadInteraction(
                tenant_id=lead.tenant_id,
                lead_id=lead.id,
                type="voice",
                direction="inbound",
                text="The Marina ones are too expensive for us, honestly",
                created_at=now - timedelta(minutes=10),
            )
        )
        session.add(
            LeadQuestion(
                tenant_id=lead.tenant_id,
                lead_id=lead.id,
                question="Is the service charge included?",
                asked_at=now - timedelta(minutes=9),
            )
        )
        await session.flush()
        await refresh_insight(session, services, lead, now)


async def test_the_lead_page_shows_the_insight_and_the_next_action(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock, web_services: Services
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    client = await clients(agencies.tre, ANNA)
    before = (await client.get(f"/leads/{lead_id}")).text
    assert 'id="insight"' in before and "No insight yet." in before

    await with_insight(web_services, lead_id, clock)
    page = (await client.get(f"/leads/{lead_id}")).text
    assert "Next: answer their question — “Is the service charge included?” is waiting for an answer" in page
    assert "Wants: to buy · villa · in Dubai Marina · budget up to 2.5M AED" in page
    assert "price: “The Marina ones are too expensive for us, honestly”" in page
    assert "From: chat 1 · voice 1 · follow-up replies 0 · notes 0" in page

    detail = (await client.get(f"/api/v1/leads/{lead_id}")).json()
    assert detail["insight"]["next"].startswith("Next: answer their question")
    assert detail["insight"]["content"]["action"]["kind"] == "answer_question"


async def test_the_insight_at_phone_width_in_english_and_arabic(
    browser_as: BrowserAs, agencies: Agencies, database: Database, clock: FrozenClock, web_services: Services
) -> None:
    lead_id = await scored_lead(database, clock, agencies)
    await with_insight(web_services, lead_id, clock)
    page = await browser_as(agencies.tre, ANNA)
    await page.goto(f"/leads/{lead_id}")
    assert "Next: answer their question" in await page.locator("#insight [data-next-action]").inner_text()
    await screenshots(page, "lead-insight")
    await page.set_viewport_size({"width": 360, "height": 740})
    assert bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))

    async with database.session() as session:
        olga = await session.get(SalesRepresentative, agencies.rep(OLGA).id)
        assert olga is not None
        olga.language = "ar"
    page = await browser_as(agencies.tre, OLGA)
    await page.goto(f"/leads/{lead_id}")
    assert (await page.locator("#insight h2").inner_text()) == "ملخص"
    assert "التالي: أجب عن سؤاله" in await page.locator("#insight [data-next-action]").inner_text()
    await screenshots(page, "lead-insight-ar")
