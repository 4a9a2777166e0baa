"""One way to reach the database: resolve the URL, open the engine, migrate if needed, hand out sessions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from agent.settings import Settings
from storage.embedded import embedded_database_url

log = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached; the message says what to check."""


def libpq_url(url: str) -> str:
    """`postgresql://...` for libpq clients (psycopg: checkpointer, job queue)."""
    parts = urlsplit(url)
    scheme = "postgresql"
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment))


def asyncpg_url(url: str) -> str:
    """`postgresql+asyncpg://...` for SQLAlchemy."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql+asyncpg", parts.netloc, parts.path, parts.query, parts.fragment))


def redacted(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        creds, host = netloc.rsplit("@", 1)
        user, _, password = creds.partition(":")
        netloc = f"{user}:***@{host}" if password else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when set, otherwise the embedded server's URL (started on demand)."""
    if settings.database_url:
        return libpq_url(settings.database_url)
    return embedded_database_url(settings.realty_data_dir)


@dataclass
class Database:
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on error."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def create_database(url: str, *, pool_size: int = 10) -> Database:
    engine = create_async_engine(
        asyncpg_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        connect_args={"timeout": 10, "server_settings": {"application_name": "realty-agent"}},
    )
    return Database(url=url, engine=engine, sessionmaker=async_sessionmaker(engine, expire_on_commit=False))


async def open_database(settings: Settings, *, migrate: bool = True) -> Database:
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
        from storage.migrate import upgrade_if_needed

        await upgrade_if_needed(database)
    return database
