"""A lead page shows the learned likelihood with its reasons once the agency has a model, and nothing before."""

from __future__ import annotations

from agent.core.clock import FrozenClock
from agent.services.leads.training import train_slug
from storage.db import Database
from tests.conversion.support import add_outcomes, by_source_ads
from tests.web.conftest import SignIn
from tests.web.leads_support import scored_lead
from tests.web.web_support import ANNA, Agencies


async def test_the_lead_page_shows_the_likelihood_only_with_a_model_in_use(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    before = await scored_lead(database, clock, agencies, source="ads")
    anna = await clients(agencies.tre, ANNA)
    page = await anna.get(f"/leads/{before}")
    assert page.status_code == 200 and "likely to convert" not in page.text

    await add_outcomes(database, agencies.tre, 240, by_source_ads)
    run = await train_slug(database, "tre", clock.now())
    assert run.status == "active"

    page = await anna.get(f"/leads/{before}")
    assert "conversion-card" in page.text
    assert "% likely to convert" in page.text and "AUC" in page.text
    assert "For converting" in page.text and "Source: ads (+" in page.text


async def test_the_leads_board_and_api_show_the_likelihood_only_with_a_model_in_use(
    clients: SignIn, agencies: Agencies, database: Database, clock: FrozenClock
) -> None:
    lead = await scored_lead(database, clock, agencies, source="ads")
    anna = await clients(agencies.tre, ANNA)
    board = await anna.get("/leads")
    assert board.status_code == 200 and "likely to convert" not in board.text
    [item] = [i for i in (await anna.get("/api/v1/leads")).json()["items"] if i["id"] == lead]
    assert item["likely"] is None

    await add_outcomes(database, agencies.tre, 240, by_source_ads)
    assert (await train_slug(database, "tre", clock.now())).status == "active"

    [item] = [i for i in (await anna.get("/api/v1/leads")).json()["items"] if i["id"] == lead]
    assert 0.0 < item["likely"] < 1.0
    board = await anna.get("/leads")
    card = board.text.split(f'data-lead="{lead}"', 1)[1].split("</a>", 1)[0]
    assert f"{round(item['likely'] * 100)}% likely to convert" in card
