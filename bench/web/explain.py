"""EXPLAIN ANALYZE the dashboard's read statements on a kept bench data folder, for a rep and an admin.

    uv run python -m bench.web.explain --data-dir /work/perfdata [--plans]

Prints, per statement, the execution time, the buffers touched and the rows read (every plan node's rows plus
the rows its filter removed), so a statement that walks far more rows than it returns stands out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.dialects import postgresql

from agent.services.dashboard.leads import BoardFilter, board_statement
from agent.services.dashboard.leads_summary import summary_statements
from agent.services.web_access import Viewer
from storage.db import create_database
from storage.embedded import embedded_database_url
from storage.models import Lead, SalesRepresentative


def viewer(tenant_id: int, rep_id: uuid.UUID | None, role: str) -> Viewer:
    return Viewer(
        session_id=uuid.uuid4(),
        tenant_id=tenant_id,
        tenant_slug="bench",
        tenant_name="bench",
        telegram_id=None,
        rep_id=rep_id,
        name="bench",
        role=role,  # type: ignore[arg-type]
        language="en",
        time_zone="UTC",
        csrf_token="",
    )


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def sql_of(statement: Select[*tuple[Any, ...]]) -> str:
    return str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def statements(
    rep: Viewer, admin: Viewer, name: str, digits: str
) -> Iterator[tuple[str, Select[*tuple[Any, ...]]]]:
    filters = {
        "none": BoardFilter(),
        "temperature=cold": BoardFilter(temperature="cold"),
        "temperature=burning": BoardFilter(temperature="burning"),
        "status=won": BoardFilter(status="won"),
        "status=new": BoardFilter(status="new"),
        "temperature=burning&status=lost": BoardFilter(temperature="burning", status="lost"),
        "source=referral": BoardFilter(source="referral"),
        "opted_out": BoardFilter(opted_out=True),
        f"q={name}": BoardFilter(search=name),
        f"q={digits}": BoardFilter(search=digits),
    }
    for who, seer in (("rep", rep), ("admin", admin)):
        for label, wanted in filters.items():
            yield f"board {who} {label}", board_statement(seer, wanted, None, 50)
        for label, statement in summary_statements(seer, datetime.now(UTC)).items():
            yield f"summary {who} {label}", statement


async def main(args: argparse.Namespace) -> None:
    database = create_database(embedded_database_url(Path(args.data_dir)), pool_size=2)
    try:
        async with database.session() as session:
            tenant_id, rep_id = (
                await session.execute(
                    select(Lead.tenant_id, Lead.assigned_rep_id)
                    .join(SalesRepresentative, SalesRepresentative.id == Lead.assigned_rep_id)
                    .where(SalesRepresentative.status == "active")
                    .limit(1)
                )
            ).one()
            name = (await session.scalar(select(func.split_part(Lead.name, " ", 1)).limit(1))) or "a"
            for label, statement in statements(
                viewer(tenant_id, rep_id, "rep"), viewer(tenant_id, None, "admin"), name, "123"
            ):
                sql = sql_of(statement)
                for _ in range(args.repeat - 1):  # warm the cache first
                    await session.execute(text(sql))
                raw = await session.scalar(text("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql))
                found = (json.loads(raw) if isinstance(raw, str) else raw)[0]
                plan = found["Plan"]
                read = sum(n.get("Actual Rows", 0) + n.get("Rows Removed by Filter", 0) for n in _nodes(plan))
                blocks = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
                print(
                    f"{label:48} {found['Execution Time']:8.2f} ms  {plan.get('Actual Rows', 0):>6} out"
                    f"  {read:>8} rows read  {blocks:>6} blocks"
                )
                if args.plans:
                    for line in (await session.execute(text("EXPLAIN ANALYZE " + sql))).scalars():
                        print("   ", line)
    finally:
        await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--plans", action="store_true", help="print every plan in full")
    parser.add_argument("--repeat", type=int, default=2, help="runs per statement (the last is explained)")
    asyncio.run(main(parser.parse_args()))
