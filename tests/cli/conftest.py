"""The `realty` command line run against the test database, from async tests (each run in its own thread)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator

import pytest
from typer.testing import CliRunner, Result

from agent.cli import app
from agent.settings import get_settings

Realty = Callable[..., Awaitable[Result]]


@pytest.fixture
def realty(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Realty]:
    """`await realty("tenants", "list")`: the command's Result (its own event loop, in a thread)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("CORPORATE_EMAIL_DOMAIN", "ADMIN_TELEGRAM_IDS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()

    async def invoke(*args: str, input: str | None = None) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, app, list(args), input)

    yield invoke
    get_settings.cache_clear()
