"""The lead service: counters, attribution, rescoring, and hot-lead alerts that fire once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy import func, select

from agent.core.clock import FrozenClock
from agent.services.leads import (
    create_lead,
    deep_link_source,
    ensure_demo_rep,
    get_or_create_telegram_lead,
    lead_profile,
    load_lead,
    record_inbound,
    record_outbound,
    record_source,
    rescore,
    save_contact,
)
from storage.db import Database
from storage.models import (
    FollowUpSend,
    Lead,
    LeadAlert,
    LeadInteraction,
    LeadScoreFactor,
    RepStatus,
    SalesRepresentative,
    Tenant,
)
from storage.repositories.followups import FollowUpRepository, PlannedSend
from storage.repositories.leads import LeadNotFound
from storage.repositories.tenants import TenantRepository

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


async def new_tenant(database: Database, slug: str = "bali", **fields: object) -> Tenant:
    async with database.session() as session:
        defaults: dict[str, object] = {
            "time_zone": "Asia/Makassar",
            "country_code": "ID",
            "default_currency": "USD",
        }
        return await TenantRepository(session).create(name=slug.title(), slug=slug, **{**defaults, **fields})


async def new_lead(database: Database, tenant: Tenant, **fields: object) -> int:
    async with database.session() as session:
        lead = await create_lead(
            session, tenant.id, name=fields.pop("name", None), language=str(fields.pop("language", "en"))
        )  # type: ignore[arg-type]
        for key, value in fields.items():
            setattr(lead, key, value)
        await session.flush()
        return lead.id


async def test_a_telegram_user_is_one_lead_even_when_two_first_messages_race(database: Database) -> None:
    tenant = await new_tenant(database)

    async def first_contact() -> int:
        async with database.session() as session:
            lead = await get_or_create_telegram_lead(
                session, tenant, 555, chat_id=555, name="Ana", language="ru"
            )
            return lead.id

    ids = await asyncio.gather(first_contact(), first_contact())
    assert ids[0] == ids[1]
    async with database.session() as session:
        lead = await load_lead(session, tenant.id, ids[0])
        assert lead.language == "ru" and lead.name == "Ana" and lead.status == "new"
        assert (await session.execute(select(func.count()).select_from(Lead))).scalar_one() == 1


async def test_inbound_messages_count_and_rescore(database: Database) -> None:
    tenant = await new_tenant(database)
    lead_id = await new_lead(database, tenant)
    async with database.session() as session:
        lead = await load_lead(session, tenant.id, lead_id)
        await record_inbound(
            session, lead, text="Hi, I need a villa urgently. What is the price per m2?", kind="text", now=NOW
        )
        await record_inbound(
            session,
            lead,
            text="(voice transcript) can we see it this week?",
            kind="voice",
            now=NOW + timedelta(minutes=1),
        )
        await record_inbound(session, lead, text=None, kind="button", now=NOW + timedelta(minutes=2))
        await record_outbound(session, lead, text="Sure!", now=NOW + timedelta(minutes=2))
    async with database.session() as session:
        lead = await load_lead(session, tenant.id, lead_id)
        assert (lead.message_count, lead.voice_message_count, lead.total_interactions) == (2, 1, 3)
        assert lead.urgency_mentions >= 2 and lead.specific_questions >= 1
        assert lead.first_inbound_at == NOW and lead.last_inbound_at == NOW + timedelta(minutes=2)
        assert lead.last_outbound_at == NOW + timedelta(minutes=2)
        factors = list(
            (
                await session.execute(select(LeadScoreFactor).where(LeadScoreFactor.lead_id == lead_id))
            ).scalars()
        )
        assert sum(f.value for f in factors) == lead.lead_score > 0
        assert {f.factor for f in factors} >= {"messages", "voice", "recency", "urgency"}
        assert lead.scored_at == NOW + timedelta(minutes=2) and lead.temperature in {
            "cold",
            "warm",
            "hot",
            "burning",
        }
        types = [
            i.type
            for i in (await session.execute(select(LeadInteraction).order_by(LeadInteraction.id))).scalars()
        ]
        assert types == ["message", "voice", "button", "message"]


async def test_a_lead_who_writes_has_their_open_follow_ups_cancelled_but_keeps_viewing_reminders(
    database: Database,
) -> None:
    tenant = await new_tenant(database)
    writer, quiet = await new_lead(database, tenant), await new_lead(database, tenant)

    def planned(lead_id: int, step_key: str, *, approval: bool = False) -> PlannedSend:
        due = NOW + timedelta(hours=2)
        return PlannedSend(
            tenant.id, step_key, "telegram", due, "Still looking?", lead_id, awaiting_approval=approval
        )

    async with database.session() as session:
        await FollowUpRepository(session).plan(
            [
                planned(writer, "ghost:1"),
                planned(writer, "seq:7", approval=True),
                planned(writer, "reminder:3.0:24h"),
                planned(quiet, "ghost:1"),
            ],
            NOW - timedelta(hours=1),
        )
    async with database.session() as session:
        await record_inbound(
            session, await load_lead(session, tenant.id, writer), text="Hi", kind="text", now=NOW
        )

    async with database.session() as session:
        rows = (await session.execute(select(FollowUpSend))).scalars().all()
        status = {(row.lead_id, row.step_key): row.status for row in rows}
    assert status == {
        (writer, "ghost:1"): "cancelled",
        (writer, "seq:7"): "cancelled",
        (writer, "reminder:3.0:24h"): "pending",
        (quiet, "ghost:1"): "pending",
    }


async def test_deep_links_attribute_first_touch_and_count_every_scan(database: Database) -> None:
    tenant = await new_tenant(database)
    lead_id = await new_lead(database, tenant)
    async with database.session() as session:
        lead = await load_lead(session, tenant.id, lead_id)
        assert await record_source(session, lead, "expo_dubai2026", NOW) == "expo_qr"
        assert await record_source(session, lead, "qr-booth7", NOW) == "expo_qr"
        assert await record_source(session, lead, "catalog_villas", NOW) == "catalog"
        assert await record_source(session, lead, "mystery", NOW) is None
        assert await record_source(session, lead, "'; drop table leads; --", NOW) is None
        assert (lead.qr_scan_count, lead.catalog_views) == (2, 1)
        assert (lead.source, lead.source_code) == ("expo_qr", "expo_dubai2026")
        factors = {f.factor: f.value for f in (await session.execute(select(LeadScoreFactor))).scalars()}
        assert factors["qr_scans"] == 6 and factors["catalog_views"] == 2 and factors["source"] > 0
    assert deep_link_source("ref_anna") is not None and deep_link_source("ref_anna").source == "referral"  # type: ignore[union-attr]


async def listen(database: Database, channel: str) -> tuple[asyncpg.Connection, asyncio.Queue[str]]:
    connection = await asyncpg.connect(database.url)
    queue: asyncio.Queue[str] = asyncio.Queue()
    await connection.add_listener(channel, lambda _c, _pid, _channel, payload: queue.put_nowait(payload))
    return connection, queue


async def test_a_lead_who_shares_a_phone_triggers_one_alert_with_the_story(database: Database) -> None:
    tenant = await new_tenant(database)
    lead_id = await new_lead(
        database,
        tenant,
        name="Dewi",
        transaction="sale",
        property_type="villa",
        location="Canggu",
        budget_max=1_200_000,
        budget_currency="USD",
        message_count=4,
        last_inbound_at=NOW,
    )
    connection, notifications = await listen(database, "lead_alerts")
    try:
        async with database.session() as session:
            lead = await load_lead(session, tenant.id, lead_id)
            result = await save_contact(session, lead, now=NOW, phone="0812 3456 7890")
            assert result.saved == {"phone": "+6281234567890"} and result.alerted
        alert_id = await asyncio.wait_for(notifications.get(), timeout=1.0)

        async with database.session() as session:
            lead = await load_lead(session, tenant.id, lead_id)
            again = await save_contact(  # a new number the lead confirmed replacing the first (issue 13)
                session, lead, now=NOW + timedelta(minutes=5), phone="+62 812 9999 8888", replace=True
            )
            assert again.saved["phone"] == "+6281299998888" and not again.alerted
            alerts = list(
                (await session.execute(select(LeadAlert).where(LeadAlert.kind == "phone_captured"))).scalars()
            )
        assert notifications.empty()
    finally:
        await connection.close()

    assert [str(a.id) for a in alerts] == [alert_id]
    payload = alerts[0].payload
    assert (
        payload["name"] == "Dewi" and payload["phone"] == "+6281234567890" and payload["lead_id"] == lead_id
    )
    assert payload["goal"] == "to buy · villa · Canggu" and payload["budget"] == "up to 1.2M USD"
    assert payload["language"] == "en" and payload["temperature"] in {"hot", "burning", "warm"}
    assert isinstance(payload["score"], int) and payload["score"] > 0
    top = payload["top_factors"]
    assert isinstance(top, list) and 1 <= len(top) <= 3 and any("phone" in reason.lower() for reason in top)


async def test_crossing_into_burning_alerts_once(database: Database) -> None:
    tenant = await new_tenant(database)
    lead_id = await new_lead(database, tenant, message_count=10, qr_scan_count=5, last_inbound_at=NOW)
    async with database.session() as session:
        lead = await load_lead(session, tenant.id, lead_id)
        first = await rescore(session, lead, NOW)
        assert first.temperature.value != "burning"
        lead.phone, lead.budget_max, lead.transaction, lead.property_type, lead.location = (
            "+14155550100",
            500_000,
            "sale",
            "villa",
            "Ubud",
        )
        burning = await rescore(session, lead, NOW)
        assert burning.temperature.value == "burning"
        await rescore(session, lead, NOW + timedelta(minutes=1))
        lead.last_inbound_at = NOW - timedelta(days=5)
        assert (await rescore(session, lead, NOW)).temperature.value != "burning"
        lead.last_inbound_at = NOW
        await rescore(session, lead, NOW)
        kinds = list((await session.execute(select(LeadAlert.kind))).scalars())
    assert kinds == ["burning"]


async def test_profile_is_json_and_leads_never_cross_tenants(database: Database) -> None:
    bali = await new_tenant(database)
    dubai = await new_tenant(database, "dubai", time_zone="Asia/Dubai", country_code="AE")
    lead_id = await new_lead(database, bali, name="Ivan", budget_max=300_000)
    async with database.session() as session:
        lead = await load_lead(session, bali.id, lead_id)
        profile = lead_profile(lead)
        assert json.loads(json.dumps(profile))["budget_max"] == 300000
        with pytest.raises(LeadNotFound, match="realty leads list"):
            await load_lead(session, dubai.id, lead_id)


async def test_the_demo_rep_is_active_and_made_once(database: Database) -> None:
    tenant = await new_tenant(database, corporate_email_domain="bali-homes.com")
    async with database.session() as session:
        first = await ensure_demo_rep(session, tenant)
        first.status = RepStatus.SUSPENDED.value
        second = await ensure_demo_rep(session, tenant)
        assert first.id == second.id and second.status == "active"
        assert second.email == "demo.agent@bali-homes.com" and second.telegram_id == 100000001
        assert (
            await session.execute(select(func.count()).select_from(SalesRepresentative))
        ).scalar_one() == 1


def test_clock_fixture_is_aware(clock: FrozenClock) -> None:
    assert clock.now().tzinfo is not None


def test_leads_cli_ranks_by_score_and_explains_a_lead(
    database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from agent.cli import app
    from agent.settings import get_settings
    from storage.db import create_database

    async def seed() -> tuple[int, int]:
        db = create_database(database_url, pool_size=1)
        try:
            tenant = await new_tenant(db)
            cold = await new_lead(db, tenant, name="Cold")
            async with db.session() as session:
                hot = await load_lead(
                    session, tenant.id, await new_lead(db, tenant, name="Hot", location="Ubud")
                )
                await record_inbound(
                    session, hot, text="urgent: how much is it?", kind="text", now=datetime.now(UTC)
                )
                return hot.id, cold
        finally:
            await db.dispose()

    hot_id, cold_id = asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        listed = runner.invoke(app, ["leads", "list", "--tenant", "bali", "--json"])
        assert listed.exit_code == 0, listed.output
        rows = json.loads(listed.stdout)
        assert [row["id"] for row in rows] == [hot_id, cold_id] and rows[1]["badge"] == "❄️"
        shown = runner.invoke(app, ["leads", "show", str(hot_id), "--tenant", "bali", "--json"])
        report = json.loads(shown.stdout)
        assert report["profile"]["location"] == "Ubud" and report["interactions"][0]["type"] == "message"
        assert sum(f["points"] for f in report["score"]["factors"]) == report["score"]["score"] > 0
        table = runner.invoke(app, ["leads", "show", str(hot_id), "--tenant", "bali"])
        assert table.exit_code == 0 and "Hot" in table.stdout and "recency" in table.stdout
        missing = runner.invoke(app, ["leads", "show", "999", "--tenant", "bali"])
        assert missing.exit_code == 1 and "realty leads list" in missing.output
        unknown = runner.invoke(app, ["leads", "list", "--tenant", "nowhere"])
        assert unknown.exit_code == 1 and "no tenant 'nowhere'" in unknown.output
    finally:
        get_settings.cache_clear()
