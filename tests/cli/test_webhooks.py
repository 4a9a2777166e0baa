"""`realty webhooks`: an operator adds, lists and removes an agency's endpoints; the secret is printed once and
stored encrypted, so `realty secrets rotate` re-encrypts it with the other stored secrets."""

from __future__ import annotations

import re

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from agent.settings import get_settings
from storage.db import Database
from storage.models import AuditLog, WebhookEndpoint
from storage.repositories.tenants import TenantRepository
from tests.cli.conftest import Realty
from tests.secrets_support import TEST_TOKEN_ENCRYPTION_KEY


async def test_an_operator_adds_lists_rotates_and_removes_a_webhook(
    realty: Realty, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = TEST_TOKEN_ENCRYPTION_KEY.get_secret_value()
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", older)
    get_settings.cache_clear()
    async with database.session() as session:
        await TenantRepository(session).create(name="Acme", slug="acme")

    wrong = await realty("webhooks", "add", "http://crm.acme.example/hook", "--tenant", "acme")
    assert wrong.exit_code == 1 and "https://" in wrong.output
    unknown = await realty("webhooks", "add", "https://crm.acme.example/hook", "--tenant", "nope")
    assert unknown.exit_code == 1

    added = await realty(
        "webhooks", "add", "https://crm.acme.example/hook", "--tenant", "acme", "--event", "lead.hot", "-e", "lead.created"
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    secret = re.search(r"whsec_\S+", added.output)
    assert secret is not None
    async with database.session() as session:
        (endpoint,) = (await session.scalars(select(WebhookEndpoint))).all()
    assert endpoint.events == ["lead.created", "lead.hot"]
    assert secret.group(0).encode() not in endpoint.secret_encrypted

    listed = await realty("webhooks", "list", "--tenant", "acme")
    assert str(endpoint.id) in listed.output and "nothing sent yet" in listed.output
    assert "whsec_" not in listed.output

    newer = Fernet.generate_key().decode()
    monkeypatch.setenv("TOKEN_ENCRYPTION_KEY", f"{newer},{older}")
    get_settings.cache_clear()
    rotated = await realty("secrets", "rotate")
    assert rotated.exit_code == 0 and "1 webhook secret" in rotated.output, rotated.output
    async with database.session() as session:
        stored = await session.get(WebhookEndpoint, endpoint.id)
        assert stored is not None
        assert Fernet(newer.encode()).decrypt(stored.secret_encrypted).decode() == secret.group(0)

    removed = await realty("webhooks", "remove", str(endpoint.id), "--tenant", "acme")
    assert removed.exit_code == 0, removed.output
    again = await realty("webhooks", "remove", str(endpoint.id), "--tenant", "acme")
    assert again.exit_code == 1
    async with database.session() as session:
        actions = [row.action for row in await session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["webhook.add", "webhook.remove"]
