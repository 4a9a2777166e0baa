"""`realty api-tokens`: an operator creates a token (shown once), lists the agency's tokens and revokes one."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.db import Database
from storage.models import ApiToken, AuditLog
from storage.repositories.tenants import TenantRepository
from tests.cli.conftest import Realty


async def agencies(database: Database) -> None:
    async with database.session() as session:
        tenants = TenantRepository(session)
        await tenants.create(name="Acme", slug="acme", time_zone="Asia/Makassar")
        await tenants.create(name="Beta", slug="beta", time_zone="Asia/Makassar")


async def test_create_list_and_revoke_a_token(realty: Realty, database: Database) -> None:
    await agencies(database)
    created = await realty("api-tokens", "create", "Zapier", "--tenant", "acme")
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("rk_") and "Copy it now" in created.output
    async with database.session() as session:
        row = (await session.execute(select(ApiToken))).scalar_one()
    assert row.prefix == token[:11] and row.created_by == "cli"

    listed = await realty("api-tokens", "list", "--tenant", "acme", "--json")
    [line] = json.loads(listed.output)
    assert (line["name"], line["prefix"], line["revoked_at"]) == ("Zapier", token[:11], None)
    assert token not in listed.output
    assert json.loads((await realty("api-tokens", "list", "--tenant", "beta", "--json")).output) == []

    wrong_agency = await realty("api-tokens", "revoke", token[:11], "--tenant", "beta")
    assert wrong_agency.exit_code == 1 and "no single live API token" in wrong_agency.output
    # "--" ends the options: a random prefix without "rk_" may start with "-".
    revoked = await realty("api-tokens", "revoke", "--tenant", "acme", "--", token[3:9])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    table = await realty("api-tokens", "list", "--tenant", "acme")
    assert "Zapier" in table.output and "revoked" in table.output
    async with database.session() as session:
        actions = (await session.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars().all()
    assert list(actions) == ["api_token.create", "api_token.revoke"]


async def test_an_unknown_agency_is_named(realty: Realty, database: Database) -> None:
    await agencies(database)
    result = await realty("api-tokens", "create", "Zapier", "--tenant", "nope")
    assert result.exit_code != 0 and "nope" in result.output


async def test_help_explains_how_a_token_is_used(realty: Realty) -> None:
    result = await realty("api-tokens", "--help")
    assert result.exit_code == 0 and "Authorization: Bearer" in result.output
