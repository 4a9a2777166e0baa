"""One embedded PostgreSQL per test session, schema migrated once, every table emptied after each test.

`uv run pytest` runs everything (the README's test command, and CI's). The quick loop while you work leaves
out the tests marked slow (the dispatch race and kill, the schema upgrade, recall@10, the SGD sample):
`uv run pytest -m "not slow"`, or one feature's folder, e.g. `uv run pytest tests/viewings -m "not slow"`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from agent.core.clock import FrozenClock
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database, create_database
from storage.embedded import embedded_database_url
from storage.migrate import upgrade
from storage.models import Base
from tests.secrets_support import TEST_TOKEN_ENCRYPTION_KEY

pytest_plugins = ["tests.sales_support"]  # the sales-conversation fixtures

# Tests never reach the network: a key or URL from the developer's shell must not leak in.
for _name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DATABASE_URL", "REGISTRY_BOT_TOKEN"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    # Short path: the server's unix socket lives in it.
    with tempfile.TemporaryDirectory(prefix="realty-test-", dir="/tmp") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> Iterator[str]:
    url = os.environ.get("REALTY_TEST_DATABASE_URL") or embedded_database_url(data_dir)
    yield url
    if not os.environ.get("REALTY_TEST_DATABASE_URL"):
        from storage.embedded import stop_embedded_server

        stop_embedded_server(data_dir)


@pytest.fixture(scope="session")
def settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        realty_data_dir=data_dir,
        token_encryption_key=TEST_TOKEN_ENCRYPTION_KEY,
    )


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    db = create_database(database_url, pool_size=5)
    await upgrade(db)
    yield db
    await db.dispose()


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "database" not in request.fixturenames:
        return
    db: Database = request.getfixturevalue("database")
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    """The loopback Telegram Bot API (real wire format); a test module may put another outside service here."""
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()
