"""`realty secrets rotate`: every stored secret re-encrypted with the first key, so the old key can be removed;
a token no key reads is named and left as it is; a dry run changes nothing; without a key, one line on making one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from agent.adapters.crypto import LeadBotTokens, TokenUnreadable, decrypt_token, encrypt_token, token_digest
from agent.cli import app
from agent.settings import Settings, get_settings
from storage.db import Database
from storage.models import SalesRepresentative, Tenant

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
LEAD_BOT_TOKENS = {
    "acme": "8380712345:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra",
    "bali": "8380754321:AAF-other_bot",
}
GOOGLE_TOKEN = {"token": "ya29.access", "refresh_token": "1//refresh-secret", "client_id": "x"}


def keyed(settings: Settings, keys: str) -> Settings:
    return settings.model_copy(update={"token_encryption_key": SecretStr(keys)})


@pytest.fixture
def engine(database: Database, database_url: str) -> Iterator[Engine]:
    parts = urlsplit(database_url)
    sync = create_engine(urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, parts.query, "")))
    yield sync
    sync.dispose()


@pytest.fixture
def realty(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[..., Result]]:
    """`realty` against the test database with TOKEN_ENCRYPTION_KEY as given (no .env)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)

    def invoke(keys: str | None, *args: str) -> Result:
        if keys is None:
            monkeypatch.delenv("TOKEN_ENCRYPTION_KEY", raising=False)
        else:
            monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", keys)
        get_settings.cache_clear()
        return CliRunner().invoke(app, ["secrets", "rotate", *args])

    yield invoke
    get_settings.cache_clear()


def _store_with_key_a(engine: Engine, settings: Settings, *, stray_tenant: bool = False) -> None:
    """Two agencies with lead bots and two reps with Google tokens, all encrypted with key A; optionally a
    third agency whose token was encrypted with a key nobody has any more."""
    a = keyed(settings, KEY_A)
    with Session(engine) as session, session.begin():
        for slug, token in LEAD_BOT_TOKENS.items():
            tenant = Tenant(name=slug.title(), slug=slug, **LeadBotTokens(a).columns(token))
            session.add(tenant)
            session.flush()
            session.add(
                SalesRepresentative(
                    tenant_id=tenant.id,
                    telegram_id=1000 + tenant.id,
                    name=f"Rep {slug}",
                    email=f"rep@{slug}.example",
                    status="active",
                    google_token_encrypted=encrypt_token(GOOGLE_TOKEN, a),
                )
            )
        if stray_tenant:
            lost = keyed(settings, Fernet.generate_key().decode())
            stray = Tenant(name="Lost", slug="lost", **LeadBotTokens(lost).columns("8380700000:AAlost"))
            session.add(stray)
            session.flush()
            session.add(
                SalesRepresentative(
                    tenant_id=stray.id,
                    telegram_id=2000,
                    name="Rep lost",
                    email="rep@lost.example",
                    status="active",
                    google_token_encrypted=encrypt_token(GOOGLE_TOKEN, lost),
                )
            )


def _stored(engine: Engine) -> tuple[dict[str, bytes], dict[str, bytes]]:
    with Session(engine) as session:
        tenants = {t.slug: t.lead_bot_token_encrypted for t in session.scalars(select(Tenant))}
        reps = {r.email: r.google_token_encrypted for r in session.scalars(select(SalesRepresentative))}
    return tenants, reps


def test_rotate_re_encrypts_everything_so_the_new_key_alone_reads_it(
    realty: Callable[..., Result], engine: Engine, settings: Settings
) -> None:
    _store_with_key_a(engine, settings)
    result = realty(f"{KEY_B},{KEY_A}")
    assert result.exit_code == 0, result.output
    assert "re-encrypted 2 lead-bot tokens and 2 calendar tokens with the first key" in result.output
    assert "you may now remove the old key" in result.output

    b_only = keyed(settings, KEY_B)
    with Session(engine) as session:
        tenants = {t.slug: t for t in session.scalars(select(Tenant))}
        reps = list(session.scalars(select(SalesRepresentative)))
    for slug, token in LEAD_BOT_TOKENS.items():
        assert LeadBotTokens(b_only).read(tenants[slug]) == token
        assert tenants[slug].lead_bot_token_digest == token_digest(token)  # the digest stays valid
    assert [decrypt_token(rep.google_token_encrypted or b"", b_only) for rep in reps] == [GOOGLE_TOKEN] * 2
    with pytest.raises(TokenUnreadable):
        LeadBotTokens(keyed(settings, KEY_A)).read(tenants["acme"])  # the old key is no longer needed
    for token in LEAD_BOT_TOKENS.values():
        assert token not in result.output


def test_a_token_no_key_reads_is_named_left_as_it_is_and_the_command_fails_with_a_runnable_hint(
    realty: Callable[..., Result], engine: Engine, settings: Settings
) -> None:
    _store_with_key_a(engine, settings, stray_tenant=True)
    before = _stored(engine)
    result = realty(f"{KEY_B},{KEY_A}")
    assert result.exit_code == 1
    assert "unreadable with every key: agency lost: its lead-bot token" in result.output
    assert (
        "unreadable with every key: agency lost, rep rep@lost.example: their calendar token" in result.output
    )
    assert "re-encrypted 2 lead-bot tokens and 2 calendar tokens" in result.output
    assert "you may now remove the old key" not in result.output
    hint = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(hint) == 1 and "2 stored tokens no key can read" in hint[0]
    assert "realty secrets rotate` again" in hint[0] and "realty bot set-token" in hint[0]
    assert "AAlost" not in result.output and "refresh-secret" not in result.output
    assert "Traceback" not in result.output
    tenants, reps = _stored(engine)
    assert tenants["lost"] == before[0]["lost"] and reps["rep@lost.example"] == before[1]["rep@lost.example"]
    assert LeadBotTokens(keyed(settings, KEY_B)).read(_tenant(engine, "acme")) == LEAD_BOT_TOKENS["acme"]
    assert CliRunner().invoke(app, ["secrets", "rotate", "--help"]).exit_code == 0  # the hinted command runs


def _tenant(engine: Engine, slug: str) -> Tenant:
    with Session(engine) as session:
        return session.scalars(select(Tenant).where(Tenant.slug == slug)).one()


def test_a_dry_run_counts_and_changes_nothing(
    realty: Callable[..., Result], engine: Engine, settings: Settings
) -> None:
    _store_with_key_a(engine, settings)
    before = _stored(engine)
    result = realty(f"{KEY_B},{KEY_A}", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would re-encrypt 2 lead-bot tokens and 2 calendar tokens with the first key" in result.output
    assert _stored(engine) == before
    with pytest.raises(TokenUnreadable):
        LeadBotTokens(keyed(settings, KEY_B)).read(_tenant(engine, "acme"))


def test_without_a_key_it_says_how_to_make_one(realty: Callable[..., Result], database: Database) -> None:
    result = realty(None)
    assert result.exit_code == 1
    assert "TOKEN_ENCRYPTION_KEY is not set" in result.output and "Fernet.generate_key()" in result.output
    assert "Traceback" not in result.output
