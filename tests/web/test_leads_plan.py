"""The board's pages read an index range, not the agency's leads: first and deep pages, agency and rep,
on a few hundred thousand generated leads (the 1,000,000-lead benchmark lives under bench/)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from agent.services.dashboard.leads import BoardFilter, Position, board_statement
from agent.services.dashboard.leads_summary import counts_statement
from agent.services.web_access import Viewer
from storage.db import Database
from tests.web.web_support import ANNA, OLGA, Agencies

pytestmark = pytest.mark.slow

LEADS = 300_000
REPS = 100


def viewer(agencies: Agencies, telegram_id: int, role: str, rep_id: uuid.UUID | None) -> Viewer:
    return Viewer(
        session_id=uuid.uuid4(),
        tenant_id=agencies.tre.id,
        tenant_slug="tre",
        tenant_name="tre",
        telegram_id=telegram_id,
        rep_id=rep_id,
        name="x",
        role=role,  # type: ignore[arg-type]
        language="en",
        time_zone="UTC",
        csrf_token="x",
    )


async def generate(database: Database, agencies: Agencies) -> None:
    """LEADS leads over REPS reps (Anna among them), scores 0-100 (many ties), 2% opted out."""
    async with database.session() as session:
        await session.execute(
            text(
                "INSERT INTO sales_representatives (id, tenant_id, telegram_id, name, email, language, status, "
                "working_hours, calendar_connected, is_admin) "
                "SELECT gen_random_uuid(), :tenant, 10000 + g, 'Rep ' || g, 'r' || g || '@x', 'en', 'active', "
                "'{}', false, false FROM generate_series(1, :reps) g"
            ),
            {"tenant": agencies.tre.id, "reps": REPS - 1},
        )
        await session.execute(
            text(
                "INSERT INTO leads (tenant_id, name, phone, language, status, lead_score, temperature, "
                "qr_scan_count, catalog_views, message_count, voice_message_count, total_interactions, "
                "urgency_mentions, specific_questions, score_confidence, urgency_score, fomo_messages_sent, "
                "ghost_reminder_sent, opted_out, assigned_rep_id, extra) "
                "SELECT :tenant, 'Lead ' || g, '+97150' || lpad(g::text, 7, '0'), 'en', 'new', (g::bigint * 7919) % 101, "
                "'cold', g % 5, g % 3, g % 11, 0, 0, 0, 0, 0, 0, 0, false, g % 50 = 0, reps.ids[1 + g % :reps], '{}' "
                "FROM generate_series(1, :leads) g, "
                "(SELECT array_agg(id ORDER BY telegram_id) AS ids FROM sales_representatives "
                " WHERE tenant_id = :tenant AND status = 'active' AND NOT is_admin) reps"
            ),
            {"tenant": agencies.tre.id, "reps": REPS, "leads": LEADS},
        )
        await session.execute(text("ANALYZE leads"))


def nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += nodes(child)
    return found


async def explain(database: Database, statement: Any) -> tuple[list[dict[str, Any]], float]:
    sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    async with database.session() as session:
        raw = (await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).scalar_one()
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    return nodes(plan["Plan"]), float(plan["Execution Time"])


async def test_first_and_deep_pages_read_the_board_indexes(database: Database, agencies: Agencies) -> None:
    await generate(database, agencies)
    admin = viewer(agencies, OLGA, "admin", agencies.rep(OLGA).id)
    rep = viewer(agencies, ANNA, "rep", agencies.rep(ANNA).id)
    deep = Position(False, 3, 150_000)
    cases = [
        (admin, BoardFilter(), None, "ix_leads_board"),
        (admin, BoardFilter(), deep, "ix_leads_board"),
        (admin, BoardFilter(), Position(True, 50, 100_000), "ix_leads_board"),
        (admin, BoardFilter(temperature="cold", status="new"), deep, "ix_leads_board"),
        (rep, BoardFilter(), None, "ix_leads_board_rep"),
        (rep, BoardFilter(), deep, "ix_leads_board_rep"),
    ]
    for who, wanted, after, index in cases:
        plan, ms = await explain(database, board_statement(who, wanted, after, 50))
        on_leads = [n for n in plan if n.get("Relation Name") == "leads"]
        assert all(n["Node Type"] != "Seq Scan" for n in on_leads), (who.role, after, plan)
        assert index in {n.get("Index Name") for n in on_leads}, (who.role, after, on_leads)
        assert ms < 250, f"{who.role} page after {after}: {ms:.1f} ms"


async def test_a_reps_search_reads_only_their_leads(database: Database, agencies: Agencies) -> None:
    """A rep's search walks their own range of the rep index. An admin's walks the agency's range: a substring
    match needs pg_trgm to use an index, and the embedded server has no pg_trgm."""
    await generate(database, agencies)
    rep = viewer(agencies, ANNA, "rep", agencies.rep(ANNA).id)
    plan, ms = await explain(database, board_statement(rep, BoardFilter(search="0123457"), None, 50))
    assert "ix_leads_board_rep" in {n.get("Index Name") for n in plan}
    assert ms < 100, f"{ms:.1f} ms"


async def test_filters_and_dashboard_counts_read_their_indexes(
    database: Database, agencies: Agencies
) -> None:
    """A temperature or status filter reads its own short range (ix_leads_temperature, ix_leads_status), not a
    walk down the board until enough leads match. The API dashboard's counts are one statement (here the agency
    is the whole table, so a sequential scan is the right plan; among many agencies it reads ix_leads_temperature)."""
    await generate(database, agencies)
    async with database.session() as session:
        await session.execute(
            text(
                "UPDATE leads SET temperature = CASE WHEN lead_score > 95 THEN 'burning' WHEN lead_score > 70 "
                "THEN 'hot' WHEN lead_score > 20 THEN 'warm' ELSE 'cold' END, "
                "status = CASE WHEN id % 200 = 0 THEN 'won' ELSE 'new' END"
            )
        )
        await session.execute(text("ANALYZE leads"))
    admin = viewer(agencies, OLGA, "admin", agencies.rep(OLGA).id)
    cases = [
        (board_statement(admin, BoardFilter(temperature="cold"), None, 50), "ix_leads_temperature"),
        (board_statement(admin, BoardFilter(status="won"), None, 50), "ix_leads_status"),
    ]
    for statement, index in cases:
        plan, ms = await explain(database, statement)
        on_leads = [n for n in plan if n.get("Relation Name") == "leads"]
        assert all(n["Node Type"] != "Seq Scan" for n in on_leads), plan
        assert index in {n.get("Index Name") for n in on_leads}, on_leads
        assert ms < 250, f"{index}: {ms:.1f} ms"
    _, ms = await explain(database, counts_statement(admin))
    assert ms < 250, f"counts: {ms:.1f} ms"
