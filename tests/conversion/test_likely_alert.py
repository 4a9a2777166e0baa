"""A lead whose learned likelihood rises across the agency's threshold is announced once, with the reasons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agent.services.leads.scoring import rescore
from agent.services.leads.training import train_slug
from bot.alerts import render_alert
from storage.db import Database
from storage.models import Lead, LeadAlert, Tenant
from tests.conversion.support import NOW, add_open_lead, add_outcomes, by_source_ads, make_agency


async def alerts(database: Database) -> list[LeadAlert]:
    async with database.session() as session:
        return list((await session.execute(select(LeadAlert).where(LeadAlert.kind == "likely"))).scalars())


async def rescore_with(database: Database, lead_id: int, minutes: int, **fields: object) -> None:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None
        for name, value in fields.items():
            setattr(lead, name, value)
        await rescore(session, lead, NOW + timedelta(minutes=minutes))


async def test_a_lead_rising_across_the_threshold_is_announced_once_with_its_reasons(
    database: Database,
) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    lead = await add_open_lead(database, tenant, source="referral", name="Tom")
    assert (await train_slug(database, "acme", NOW)).status == "active"

    await rescore_with(database, lead.id, 1)
    assert await alerts(database) == []  # unlikely: nothing to announce

    await rescore_with(database, lead.id, 2, source="ads")
    [alert] = await alerts(database)
    assert alert.lead_id == lead.id
    conversion = alert.payload["conversion"]
    assert isinstance(conversion, dict) and conversion["probability"] > 0.5  # type: ignore[operator]
    async with database.session() as session:
        stored = await session.get(Lead, lead.id)
        assert stored is not None
        text = render_alert(alert, stored, "en")
    assert "% likely to convert (model of" in text and "For converting: Source: ads (+" in text

    await rescore_with(database, lead.id, 3, source="referral")  # down, then up again: still one alert
    await rescore_with(database, lead.id, 4, source="ads")
    assert len(await alerts(database)) == 1


async def test_the_agency_threshold_decides_and_a_won_lead_is_never_announced(database: Database) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    won = await add_open_lead(database, tenant, source="referral")
    assert (await train_slug(database, "acme", NOW)).status == "active"
    async with database.session() as session:
        agency = await session.get(Tenant, tenant.id)
        assert agency is not None
        agency.likely_alert_threshold = 0.999

    await rescore_with(database, won.id, 1, source="ads")
    assert await alerts(database) == []  # likely, but below this agency's threshold

    async with database.session() as session:
        agency = await session.get(Tenant, tenant.id)
        assert agency is not None
        agency.likely_alert_threshold = 0.5
    await rescore_with(database, won.id, 2, source="referral")
    await rescore_with(database, won.id, 3, source="ads", status="won", outcome_at=NOW)
    assert await alerts(database) == []  # the deal is done: nobody needs telling
