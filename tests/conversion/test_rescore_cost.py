"""What the likelihood adds to a rescore: two statements for an open lead, none for a closed or opted-out one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent.services.leads.scoring import rescore
from agent.services.leads.training import train_slug
from storage.db import Database
from storage.models import Lead, Tenant
from tests.conversion.support import NOW, add_open_lead, add_outcomes, by_source_ads, make_agency
from tests.lead_chat.test_turn_cost import counting


async def rescore_statements(database: Database, lead_id: int, **fields: object) -> list[str]:
    """The statements one rescore of the lead sends (lead and agency already loaded, as in a turn)."""
    async with database.session() as session:
        lead = await session.get(Lead, lead_id)
        assert lead is not None and await session.get(Tenant, lead.tenant_id) is not None
        for name, value in fields.items():
            setattr(lead, name, value)
        await rescore(session, lead, NOW)  # the first rescore of a unit reads the model once
        with counting(database) as tally:
            await rescore(session, lead, NOW + timedelta(minutes=1))
    return [s.splitlines()[0] for s in tally.statements]


async def test_an_open_lead_pays_one_read_and_one_write_and_no_prices_without_listings(
    database: Database,
) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    lead = await add_open_lead(database, tenant, source="ads")
    without_model = await rescore_statements(database, lead.id)
    assert (await train_slug(database, "acme", NOW)).status == "active"

    with_model = await rescore_statements(database, lead.id)

    added = len(with_model) - len(without_model)
    assert added == 2, "\n".join(with_model)
    assert not any("properties" in s for s in with_model)


@pytest.mark.parametrize("closed", [{"status": "won"}, {"status": "lost"}, {"opted_out": True}])
async def test_a_closed_or_opted_out_lead_pays_nothing_for_the_likelihood(
    database: Database, closed: dict[str, object]
) -> None:
    tenant = await make_agency(database)
    await add_outcomes(database, tenant, 240, by_source_ads)
    lead = await add_open_lead(database, tenant, source="ads")
    without_model = await rescore_statements(database, lead.id, **closed)
    assert (await train_slug(database, "acme", NOW)).status == "active"

    with_model = await rescore_statements(database, lead.id, **closed)

    assert len(with_model) == len(without_model), "\n".join(with_model)
    assert not any("lead_likelihoods" in s or "lead_interactions" in s for s in with_model)
