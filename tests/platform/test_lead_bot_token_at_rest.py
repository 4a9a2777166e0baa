"""A lead bot's token is stored encrypted with TOKEN_ENCRYPTION_KEY (as calendar tokens are): never in the clear,
one agency per bot, readable after a key rotation; migration 0007 encrypts the tokens stored before it, and
without a key it stops with what to do instead of leaving them in the clear."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner, Result

from agent.adapters.crypto import LeadBotTokens, TokenUnreadable, token_digest
from agent.cli import app
from agent.settings import Settings, get_settings
from storage.db import Database, create_database
from storage.migrate import MigrationStopped, current_revision, head_revision, upgrade
from storage.models import Tenant
from storage.repositories.tenants import TenantRepository

TOKEN = "8380712345:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"
NEW_TENANT = (
    "INSERT INTO tenants (name, slug, time_zone, default_language, country_code, default_currency, "
    "quiet_hours_start, quiet_hours_end, meeting_provider{extra}) "
    "VALUES (:name, :slug, 'UTC', 'en', 'US', 'USD', '21:00', '08:00', 'none'{values})"
)


def sync_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, parts.query, parts.fragment))


@pytest.fixture
def realty(
    database_url: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Result]]:
    """The `realty` command line against the test database, with the test session's key."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert settings.token_encryption_key is not None
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", settings.token_encryption_key.get_secret_value())
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_settings.cache_clear()


def test_set_token_stores_the_token_encrypted_and_realty_bot_reads_it_back(
    realty: Callable[..., Result], database: Database, database_url: str, settings: Settings
) -> None:
    engine = create_engine(sync_url(database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(NEW_TENANT.format(extra="", values="")), {"name": "Acme", "slug": "acme"})
        result = realty("bot", "set-token", "acme", TOKEN, "--no-check")
        assert result.exit_code == 0, result.output
        with engine.connect() as conn:
            row = conn.execute(text("SELECT * FROM tenants WHERE slug = 'acme'")).mappings().one()
            dump = conn.execute(text("SELECT t::text FROM tenants t WHERE slug = 'acme'")).scalar_one()
    finally:
        engine.dispose()
    assert TOKEN not in dump and TOKEN.split(":")[1] not in dump  # not in any column
    assert "lead_bot_token" not in row  # the plaintext column is gone
    assert row["lead_bot_token_digest"] == token_digest(TOKEN)
    holder = Tenant(
        lead_bot_token_encrypted=bytes(row["lead_bot_token_encrypted"]),
        lead_bot_token_digest=row["lead_bot_token_digest"],
    )
    assert LeadBotTokens(settings).read(holder) == TOKEN

    removed = realty("bot", "set-token", "acme", "", "--no-check")
    assert removed.exit_code == 0, removed.output
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as conn:
            gone = conn.execute(
                text(
                    "SELECT lead_bot_token_encrypted, lead_bot_token_digest FROM tenants WHERE slug = 'acme'"
                )
            ).one()
    finally:
        engine.dispose()
    assert tuple(gone) == (None, None)


def test_set_token_without_a_key_says_how_to_make_one(
    realty: Callable[..., Result],
    database: Database,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    engine = create_engine(sync_url(database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(NEW_TENANT.format(extra="", values="")), {"name": "Acme", "slug": "acme"})
    finally:
        engine.dispose()
    monkeypatch.delenv("TOKEN_ENCRYPTION_KEY")
    monkeypatch.chdir(tmp_path)  # no .env here
    get_settings.cache_clear()
    result = realty("bot", "set-token", "acme", TOKEN, "--no-check")
    assert result.exit_code != 0
    assert "TOKEN_ENCRYPTION_KEY is not set" in result.output and "Traceback" not in result.output


async def test_one_bot_serves_one_agency_and_a_rotated_key_still_reads_it(
    database: Database, settings: Settings
) -> None:
    old = LeadBotTokens(settings)
    async with database.session() as session:
        first = await TenantRepository(session).create(name="A", slug="a", **old.columns(TOKEN))
        first_id = first.id
    with pytest.raises(IntegrityError):
        async with database.session() as session:
            await TenantRepository(session).create(name="B", slug="b", **old.columns(TOKEN))

    assert settings.token_encryption_key is not None
    new_key = Fernet.generate_key().decode()
    rotated = LeadBotTokens(
        settings.model_copy(
            update={
                "token_encryption_key": SecretStr(
                    f"{new_key},{settings.token_encryption_key.get_secret_value()}"
                )
            }
        )
    )
    async with database.session() as session:
        tenant = await session.get(Tenant, first_id)
        assert tenant is not None
        assert rotated.read(tenant) == TOKEN
        assert (
            tenant.lead_bot_token_encrypted is not None
            and TOKEN.encode() not in tenant.lead_bot_token_encrypted
        )
        wrong = LeadBotTokens(settings.model_copy(update={"token_encryption_key": SecretStr(new_key)}))
        with pytest.raises(TokenUnreadable, match="realty bot set-token"):
            wrong.read(tenant)
    async with database.session() as session:
        listed = await TenantRepository(session).with_lead_bots()
    assert [tenant.slug for tenant in listed] == ["a"]


@pytest.fixture
async def fresh_database(database: Database, database_url: str) -> Iterator[Database]:
    """An empty database on the session's server, for migrations run from an older revision."""
    name = f"realty_mig_{uuid.uuid4().hex[:10]}"
    async with database.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    parts = urlsplit(database_url)
    fresh = create_database(
        urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, "")), pool_size=2
    )
    try:
        yield fresh  # type: ignore[misc]
    finally:
        await fresh.dispose()
        async with database.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


async def _at_0006_with_a_plaintext_token(database: Database) -> None:
    await upgrade(database, "0006")
    async with database.engine.begin() as conn:
        await conn.execute(
            text(NEW_TENANT.format(extra=", lead_bot_token", values=", :token")),
            {"name": "Old", "slug": "old", "token": TOKEN},
        )


@pytest.mark.slow
async def test_migration_0007_encrypts_the_tokens_stored_before_it(
    fresh_database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await _at_0006_with_a_plaintext_token(fresh_database)
    assert settings.token_encryption_key is not None
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", settings.token_encryption_key.get_secret_value())
    await upgrade(fresh_database)
    async with fresh_database.session() as session:
        tenant = (await session.execute(select(Tenant).where(Tenant.slug == "old"))).scalar_one()
        dump = (await session.execute(text("SELECT t::text FROM tenants t"))).scalar_one()
    assert TOKEN not in dump
    assert LeadBotTokens(settings).read(tenant) == TOKEN
    assert tenant.lead_bot_token_digest == token_digest(TOKEN)


@pytest.mark.slow
async def test_migration_0007_without_a_key_stops_and_keeps_the_token(
    fresh_database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await _at_0006_with_a_plaintext_token(fresh_database)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOKEN_ENCRYPTION_KEY", raising=False)
    with pytest.raises(  # a DatabaseUnavailable: every command prints it as one line, no traceback
        MigrationStopped, match="1 agencies have a lead-bot token to encrypt: set TOKEN_ENCRYPTION_KEY"
    ):
        await upgrade(fresh_database)
    assert await current_revision(fresh_database) == "0006"  # rolled back: nothing half-done, nothing lost
    (tmp_path / ".env").write_text(f"TOKEN_ENCRYPTION_KEY={Fernet.generate_key().decode()}\n")
    assert await upgrade(fresh_database) == head_revision()  # the key from .env, as the settings read it
