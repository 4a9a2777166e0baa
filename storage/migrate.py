"""Bring the schema to the newest Alembic revision, once, even when several processes start together."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import Database, DatabaseUnavailable, asyncpg_url

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK_ID = 0x5EA1_7A11  # advisory lock key shared by every realty process


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", asyncpg_url(url))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


class MigrationStopped(DatabaseUnavailable):
    """A migration stopped on purpose and said why (e.g. tokens to encrypt and no key): one line, no traceback."""


async def current_revision(database: Database) -> str | None:
    async with database.engine.connect() as conn:
        return await conn.run_sync(_current_revision)


async def upgrade(database: Database, revision: str = "head") -> str | None:
    """Run pending migrations under an advisory lock; returns the revision now in force.

    After an existing schema changes, the listings' statistics are refreshed: a migration may have rewritten
    the table, which leaves the planner's estimates and the visibility map (index-only scans) to start over,
    and autovacuum does not count a rewrite as changes."""
    async with database.engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_ID})
        try:
            before = await conn.run_sync(_current_revision)
            try:
                await conn.run_sync(_upgrade, revision)
            except RuntimeError as exc:  # a migration's own stop (its message says what to do)
                raise MigrationStopped(f"the database schema was not upgraded: {exc}") from exc
            await conn.commit()
            after = await conn.run_sync(_current_revision)
        except BaseException:
            await conn.rollback()  # undo the failed migration so its own error, not the unlock's, is raised
            raise
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_ID})
            await conn.commit()
    if before is not None and after != before:
        from storage.repositories.properties import refresh_search_statistics

        await refresh_search_statistics(database.engine)
    return after


async def upgrade_if_needed(database: Database) -> None:
    """Cheap when the schema is current: one query, no lock. Says so when an existing schema is upgraded,
    since rewriting a large catalog's table can take a minute."""
    current, head = await current_revision(database), head_revision()
    if current != head:
        if current is not None:
            log.warning(
                "updating the database schema from %s to %s (once; a large catalog takes a minute)",
                current,
                head,
            )
        await upgrade(database)
