"""The web bench's own harness, at a tiny scale: the generator fills every table it says it does (real
constraints, factors that add up to the score), and one scenario runs for a second against the app in its
own process with a real session, and reports numbers."""

from __future__ import annotations

import random
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from agent.services.provider import Services
from agent.settings import Settings
from agent.web.app import create_app
from bench.web.generate import TABLES, generate
from bench.web.load import SCENARIOS, Sessions, next_page, route_exists, run_scenario
from bench.web.rows import Shape
from bench.web.server import free_port, server_process
from storage.db import Database


async def count(database: Database, sql: str) -> int:
    async with database.session() as session:
        return int((await session.execute(text(sql))).scalar_one())


async def test_the_generator_fills_every_table_with_consistent_rows(database: Database) -> None:
    shape = Shape(agencies=2, reps_per_agency=3, leads=600)
    generated = await generate(database, shape, connections=2)

    assert await count(database, "SELECT count(*) FROM tenants") == 2
    assert await count(database, "SELECT count(*) FROM sales_representatives") == 6
    assert await count(database, "SELECT count(*) FROM leads") == 600
    for table in TABLES:
        assert await count(database, f"SELECT count(*) FROM {table}") == generated.tables[table].rows > 0, (
            table
        )
    assert generated.tables["lead_score_factors"].rows == 600 * 15
    assert generated.tables["lead_interactions"].rows >= 600 * 2
    # Every lead's factors add up to its stored score, and its rep works in the lead's agency.
    assert not await count(
        database,
        """SELECT count(*) FROM leads l
           WHERE l.lead_score <> (SELECT sum(value) FROM lead_score_factors f WHERE f.lead_id = l.id)""",
    )
    assert not await count(
        database,
        """SELECT count(*) FROM leads l JOIN sales_representatives r ON r.id = l.assigned_rep_id
           WHERE r.tenant_id <> l.tenant_id""",
    )
    assert await count(database, "SELECT count(DISTINCT temperature) FROM leads") >= 3
    assert await count(
        database, "SELECT count(*) FROM leads WHERE source = 'expo_qr' AND source_code IS NOT NULL"
    )
    assert await count(database, "SELECT count(*) FROM rep_tasks WHERE done_at IS NULL AND due_at < now()")
    figures = generated.figures()
    assert figures["rows"]["leads"] == 600 and figures["seconds"]["total"] > 0


@pytest.mark.slow  # a server process of its own: about 20 s on a busy 2-CPU machine
async def test_one_scenario_runs_against_the_app_in_its_own_process_and_reports_numbers(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    generated = await generate(database, Shape(agencies=1, reps_per_agency=4, leads=100), connections=2)
    services = Services(settings, database)
    async with services.resources:
        app = create_app(services)
    assert route_exists(app, "/healthz") and not route_exists(app, "/no-such-page")
    scenario = next(s for s in SCENARIOS if s.probe == "/")  # a signed-in request: the session is checked
    env = {"DATABASE_URL": settings.database_url or "", "REALTY_DATA_DIR": str(tmp_path)}

    async with server_process(free_port(), env, pool_size=4, log=tmp_path / "server.log") as url:
        sessions = Sessions(database, settings, generated, url)
        try:
            callers = await sessions.callers(scenario.who, 4, random.Random(1))
            result = await run_scenario(scenario, callers, generated, database, seconds=1.0, warmup=0.2)
        finally:
            await sessions.close()

    assert result["requests"] > 0 and result["errors"] == 0, result
    assert set(result["statuses"]) == {"303"}  # signed in: redirected to the leads list
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["throughput_rps"] > 0 and result["server_p95_ms"] >= 0
    assert result["pg_per_request"]["xact_commit"] >= 0
    assert result["verdict"] == "baseline"


def test_the_next_page_is_read_from_the_html_link_or_the_api_cursor() -> None:
    page = httpx.Response(
        200,
        headers={"content-type": "text/html"},
        text='<a href="/leads?temperature=hot&amp;cursor=p1">prev</a> <a rel="next" href="?temperature=hot&amp;cursor=n2">',
        request=httpx.Request("GET", "http://127.0.0.1:1/leads?temperature=hot"),
    )
    assert next_page(page) == "http://127.0.0.1:1/leads?temperature=hot&cursor=n2"
    unmarked = httpx.Response(200, text='<a href="/leads?cursor=x9">more</a>', request=page.request)
    assert next_page(unmarked) == "http://127.0.0.1:1/leads?cursor=x9"
    assert next_page(httpx.Response(200, text="<p>last page</p>", request=page.request)) is None
    api = httpx.Response(
        200,
        json={"items": [], "next_cursor": "c3"},
        request=httpx.Request("GET", "http://h/api/v1/leads?status=new"),
    )
    assert next_page(api) == "http://h/api/v1/leads?status=new&cursor=c3"
    assert next_page(httpx.Response(200, json={"next_cursor": None}, request=api.request)) is None
