"""`realty reps`: an operator sees an agency's team and suspends or removes a rep as an admin would, audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditLog, Lead, Prospect, SalesRepresentative, Tenant
from storage.repositories.tenants import TenantRepository
from tests.cli.conftest import Realty


async def agency(database: Database, slug: str = "acme") -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name=slug.title(), slug=slug, time_zone="Asia/Makassar", corporate_email_domain=f"{slug}.com"
        )


async def add_rep(
    database: Database, tenant: Tenant, name: str, telegram_id: int, **values: object
) -> SalesRepresentative:
    values.setdefault("status", "active")
    async with database.session() as session:
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=telegram_id,
            name=name,
            email=f"{name.split()[0].lower()}@{tenant.slug}.com",
            **values,
        )
        session.add(rep)
        await session.flush()
        return rep


async def reload(database: Database, rep: SalesRepresentative) -> SalesRepresentative:
    async with database.session() as session:
        found = await session.get(SalesRepresentative, rep.id)
        assert found is not None
        return found


async def test_the_list_shows_name_status_role_telegram_email_and_hours(
    realty: Realty, database: Database
) -> None:
    acme = await agency(database)
    await add_rep(database, acme, "Anna Petrova", 101, telegram_username="anna_p", is_admin=True)
    await add_rep(
        database,
        acme,
        "Boris Orlov",
        102,
        status="pending",
        working_hours={"mon": ["10:00", "19:00"], "tue": ["10:00", "19:00"], "sat": ["10:00", "14:00"]},
        time_zone="Europe/Moscow",
    )
    result = await realty("reps", "list", "--json")  # one agency: no --tenant needed
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["Anna Petrova"]["role"] == "admin" and rows["Anna Petrova"]["telegram_username"] == "@anna_p"
    assert rows["Anna Petrova"]["working_hours"] == "mon-sat 09:00-18:00 default (Asia/Makassar)"
    assert rows["Boris Orlov"]["status"] == "pending" and rows["Boris Orlov"]["email"] == "boris@acme.com"
    assert rows["Boris Orlov"]["working_hours"] == "mon-tue 10:00-19:00, sat 10:00-14:00 (Europe/Moscow)"
    table = await realty("reps", "list", "--status", "active")
    assert "Anna Petrova" in table.output and "Boris" not in table.output


async def test_with_several_agencies_the_tenant_must_be_named(realty: Realty, database: Database) -> None:
    await agency(database, "acme")
    await agency(database, "bravo")
    result = await realty("reps", "list")
    assert result.exit_code == 1
    assert "pass --tenant SLUG, one of acme, bravo" in " ".join(result.output.split())
    assert (await realty("reps", "list", "--tenant", "bravo")).exit_code == 0


async def test_suspending_hands_the_prospects_over_and_is_audited_as_the_cli(
    realty: Realty, database: Database
) -> None:
    acme = await agency(database)
    anna = await add_rep(database, acme, "Anna Petrova", 101, is_admin=True)
    boris = await add_rep(database, acme, "Boris Orlov", 102)
    async with database.session() as session:
        session.add(
            Prospect(id="p-1", tenant_id=acme.id, telegram_id="@buyer", name="Alex", assigned_rep_id=anna.id)
        )
        session.add(Lead(tenant_id=acme.id, name="Maria", assigned_rep_id=anna.id))

    result = await realty("reps", "suspend", "ANNA@acme.com")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Anna Petrova <anna@acme.com> suspended" in output
    assert "1 open prospect(s) handed to the other active reps" in output and "1 lead(s)" in output
    suspended = await reload(database, anna)
    assert (suspended.status, suspended.is_admin) == ("suspended", False)
    async with database.session() as session:
        prospect = await session.get(Prospect, (anna.tenant_id, "p-1"))
        assert prospect is not None and prospect.assigned_rep_id == boris.id
        audit = (await session.execute(select(AuditLog))).scalars().all()
    assert [(a.action, a.tenant_id, a.target, a.actor_telegram_id, a.detail) for a in audit] == [
        ("rep.suspend", acme.id, str(anna.id), None, "actor: cli")
    ]

    again = await realty("reps", "suspend", str(anna.id))
    assert again.exit_code == 1 and "is suspended, not active: nothing to suspend" in again.output


async def test_removing_works_from_any_status_once(realty: Realty, database: Database) -> None:
    acme = await agency(database)
    boris = await add_rep(database, acme, "Boris Orlov", 102, status="pending", telegram_username="boris")
    result = await realty("reps", "remove", "@Boris", "--tenant", "acme")
    assert result.exit_code == 0, result.output
    assert (await reload(database, boris)).status == "removed"
    again = await realty("reps", "remove", "102")
    assert again.exit_code == 1 and "already removed" in again.output
    async with database.session() as session:
        actions = (await session.execute(select(AuditLog.action))).scalars().all()
    assert actions == ["rep.remove"]


async def test_an_unknown_rep_says_how_to_find_one(realty: Realty, database: Database) -> None:
    await agency(database)
    result = await realty("reps", "show", "nobody@acme.com")
    assert result.exit_code == 1
    assert "no rep 'nobody@acme.com' in agency 'acme'" in " ".join(result.output.split())
    assert "realty reps list --tenant acme" in " ".join(result.output.split())
