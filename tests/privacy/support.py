"""Looking for a lead's personal data in every column of every table, checkpoint blobs included."""

from __future__ import annotations

from sqlalchemy import bindparam, text

from storage.db import Database

COUNTED = (
    "leads",
    "lead_interactions",
    "lead_score_factors",
    "lead_alerts",
    "followup_sends",
    "rep_tasks",
    "lead_questions",
    "viewings",
    "audit_log",
    "lead_erasure_requests",
)


async def where_found(database: Database, needle: str) -> list[str]:
    """Every "table.column" of the public schema holding `needle` (text, JSON, numbers and bytes alike)."""
    found: list[str] = []
    async with database.engine.connect() as conn:
        columns = (
            await conn.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
                )
            )
        ).all()
        for table, column, data_type in columns:
            if data_type == "bytea":
                where = f"position(convert_to(:needle, 'UTF8') in \"{column}\") > 0"
            else:
                where = f"\"{column}\"::text ILIKE '%' || :needle || '%'"
            query = text(f'SELECT count(*) FROM "{table}" WHERE {where}').bindparams(
                bindparam("needle", needle)
            )
            if await conn.scalar(query):
                found.append(f"{table}.{column}")
    return found


async def row_counts(database: Database, lead_id: int) -> dict[str, int]:
    """Rows per table that belong to the lead (the counts an erasure must keep)."""
    counts: dict[str, int] = {}
    async with database.engine.connect() as conn:
        for table in COUNTED:
            lead = int(lead_id)
            where = {"leads": f"id = {lead}", "audit_log": f"target = 'lead:{lead}'"}.get(
                table, f"lead_id = {lead}"
            )
            counts[table] = int(await conn.scalar(text(f"SELECT count(*) FROM {table} WHERE {where}")) or 0)
    return counts


async def checkpoint_rows(database: Database, thread: str) -> int:
    async with database.engine.connect() as conn:
        total = 0
        for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
            query = text(f"SELECT count(*) FROM {table} WHERE thread_id = :t").bindparams(
                bindparam("t", thread)
            )
            total += int(await conn.scalar(query) or 0)
        return total
