"""`realty leads insight`: a lead's insight and next best action printed in a reader's language."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from storage.db import Database
from storage.models import Lead
from storage.repositories.tenants import TenantRepository
from tests.cli.conftest import Realty


async def test_the_insight_is_printed_after_a_refresh_in_the_asked_language(
    realty: Realty, database: Database
) -> None:
    async with database.session() as session:
        agency = await TenantRepository(session).create(name="Insight Homes", slug="insight", time_zone="UTC")
        lead = Lead(
            tenant_id=agency.id,
            name="Tom",
            phone="+971501234567",
            temperature="hot",
            lead_score=61,
            transaction="rent",
            budget_max=Decimal(9000),
            budget_currency="AED",
            budget_period="month",
            last_inbound_at=datetime.now(UTC) - timedelta(hours=1),
        )
        session.add(lead)
        await session.flush()
        lead_id = lead.id

    missing = await realty("leads", "insight", "--tenant", "insight", "--lead-id", str(lead_id))
    assert missing.exit_code == 1 and "no insight yet" in missing.output

    shown = await realty("leads", "insight", "--tenant", "insight", "--lead-id", str(lead_id), "--refresh")
    assert shown.exit_code == 0, shown.output
    assert "Wants: to rent · budget up to 9K AED per month" in shown.output
    assert "Next: call now — hot and has a phone" in shown.output

    ru = await realty("leads", "insight", "-t", "insight", "--lead-id", str(lead_id), "--language", "ru")
    assert "Дальше: позвонить сейчас — горячий и оставил телефон" in ru.output
    raw = await realty("leads", "insight", "-t", "insight", "--lead-id", str(lead_id), "--json")
    content = json.loads(raw.output)
    assert content["source"] == "offline" and content["action"]["kind"] == "call_now"
    assert content["wants"]["budget_max"] == "9000"

    other = await realty("leads", "insight", "-t", "insight", "--lead-id", "999999")
    assert other.exit_code == 1 and "no lead 999999" in other.output
