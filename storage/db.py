"""One way to reach the database: resolve the URL, open the engine, hand out sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


class DatabaseSettings(Protocol):
    """What storage reads of the settings (the application's `Settings` has these fields)."""

    @property
    def database_url(self) -> str | None: ...
    @property
    def realty_data_dir(self) -> Path: ...
    @property
    def db_pool_size(self) -> int: ...


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached; the message says what to check."""


POSTGRESQL_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+asyncpg", "postgresql+psycopg"})
"""The DATABASE_URL schemes accepted: PostgreSQL, spelt as libpq, SQLAlchemy or Heroku spell it."""


class InvalidDatabaseUrl(DatabaseUnavailable):
    """DATABASE_URL is not a PostgreSQL URL; the message says what it should look like."""


def check_database_url(url: str) -> str:
    """`url` when it is a PostgreSQL URL; InvalidDatabaseUrl otherwise.

    Another database's URL (mysql://, sqlite://) is refused, not rewritten: its host would be asked for PostgreSQL.
    """
    example = "postgresql://user:password@host:5432/realty"
    parts = urlsplit(url.strip())
    if not parts.scheme or "://" not in url:
        raise InvalidDatabaseUrl(
            f"DATABASE_URL is not a URL; set it like {example}, or unset it to use the embedded PostgreSQL"
        )
    if parts.scheme.lower() not in POSTGRESQL_SCHEMES:
        raise InvalidDatabaseUrl(
            f"DATABASE_URL is a {parts.scheme}:// URL, but realty-agent needs PostgreSQL (>= 15 with pgvector); "
            f"set it like {example}, or unset it to use the embedded PostgreSQL"
        )
    return url.strip()


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


def resolve_database_url(settings: DatabaseSettings) -> str:
    """DATABASE_URL when set, otherwise the embedded server's URL (started on demand)."""
    if settings.database_url:
        return libpq_url(check_database_url(settings.database_url))
    from storage.embedded import embedded_database_url  # the server's tooling only where it is started

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
        pool_pre_ping=True,  # a connection broken by a database restart is replaced, not handed out
        connect_args={"timeout": 10, "server_settings": {"application_name": "realty-agent"}},
    )
    return Database(url=url, engine=engine, sessionmaker=async_sessionmaker(engine, expire_on_commit=False))
