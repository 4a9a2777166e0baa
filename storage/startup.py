"""Open the database a process will use: embedded or DATABASE_URL, checked to answer, schema at head."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from storage.db import (
    Database,
    DatabaseSettings,
    DatabaseUnavailable,
    create_database,
    redacted,
    resolve_database_url,
)
from storage.migrate import upgrade_if_needed


async def open_database(settings: DatabaseSettings, *, migrate: bool = True) -> Database:
    """Connect (embedded or DATABASE_URL), check it answers, and bring the schema to head."""
    url = await asyncio.to_thread(resolve_database_url, settings)
    database = create_database(url, pool_size=settings.db_pool_size)
    try:
        async with database.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (TimeoutError, OSError, OperationalError, DBAPIError) as exc:
        await database.dispose()
        raise DatabaseUnavailable(
            f"cannot reach the database at {redacted(url)} ({type(exc).__name__}: {str(exc).splitlines()[0][:160]}). "
            "Check DATABASE_URL (host, port, user, password, database name) and that the server is running, "
            "or unset DATABASE_URL to use the embedded PostgreSQL."
        ) from exc
    if migrate:
        await upgrade_if_needed(database)
    return database
