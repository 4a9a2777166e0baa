"""Every repository read is scoped to one tenant, or says that it is not: in its name, or below with a reason.

A method is scoped when it takes a required `tenant_id`, or a row that belongs to one tenant (a rep, a lead, a
viewing...) and reads within that row's tenant; the behaviour tests at the end check the second kind against
two agencies whose data collide. A method that reads several tenants' rows ends in `_all_tenants` or
`_across_tenants`, or is listed in CROSS_TENANT_BY_DESIGN with the reason it may. A new method that is none of
these fails `test_every_repository_method_is_scoped_or_says_it_is_not`.
"""

from __future__ import annotations

import dis
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import storage.repositories
from storage.db import Database
from storage.models import (
    CallbackState,
    LeadQuestion,
    OAuthState,
    ProcessedUpdate,
    RepStatus,
    RepTask,
    SalesRepresentative,
    Tenant,
)
from storage.repositories.audit import AuditRepository
from storage.repositories.leads import LeadRepository
from storage.repositories.questions import QuestionRepository
from storage.repositories.reps import RepBookRepository, RepRepository
from storage.repositories.tenants import TenantRepository

CROSS_TENANT_SUFFIXES = ("_all_tenants", "_across_tenants")
TENANT_ROWS = frozenset(
    {
        "Tenant",
        "SalesRepresentative",
        "Lead",
        "Prospect",
        "Viewing",
        "FollowUpSend",
        "LeadQuestion",
        "ErasureRequest",
        "WebSession",
        "ApiToken",
    }
)
"""Rows that belong to one tenant: a method given one reads within its tenant."""

NOT_TENANT_DATA: dict[str, tuple[tuple[type[Any], ...], str]] = {
    "TenantRepository": ((Tenant,), "the agencies themselves: the table every tenant_id points to"),
    "TelegramRepository": (
        (ProcessedUpdate, CallbackState),
        "bot bookkeeping: update ids per bot, button payloads under unguessable keys, users' languages",
    ),
    "OAuthStateRepository": (
        (OAuthState,),
        "one rep's pending Google authorization, found by the rep's UUID or the unguessable state",
    ),
}
"""Repositories of tables with no tenant column; the last test checks that they have none."""

CROSS_TENANT_BY_DESIGN: dict[str, tuple[str, ...]] = {
    "the follow-up dispatcher and its reconciler serve every tenant's queue; a claimed row is found by its id": (
        "FollowUpRepository.lock_due",
        "FollowUpRepository.reconcile_stale_claims",
        "FollowUpRepository.expire_approvals",
        "FollowUpRepository.record_sent",
        "FollowUpRepository.record_outcome",
        "FollowUpRepository.release",
        "FollowUpRepository.get_for_update",
        "FollowUpRepository.skip_flush_wait",
    ),
    "the questions' timeouts serve every tenant; a claimed question is found by its id": (
        "QuestionRepository.lock_due",
        "QuestionRepository.release",
        "QuestionRepository.expire",
    ),
    "writes rows that each carry their own tenant_id; reads nothing": (
        "AuditRepository.record",
        "FollowUpRepository.plan",
    ),
    "by the primary key of one row (a serial or a UUID the server handed out), so one tenant's; "
    "the caller checks that row's tenant before acting (authority, question.tenant_id)": (
        "RepRepository.get",
        "QuestionRepository.get",
        "QuestionRepository.note_card",
        "FollowUpRepository.cancel_open_for_lead",
        "FollowUpRepository.cancel_open_by_key_prefix",
        "FollowUpRepository.cancel_cards_to",
        "ViewingRepository.busy_blocks",
    ),
    "operator reports and maintenance over every tenant (realty jobs status, re-embedding, ANALYZE)": (
        "FollowUpRepository.counts_by_status",
        "FollowUpRepository.attention_needed",
        "reembed_stale",
        "refresh_search_statistics",
    ),
    "checkpoint threads have no tenant column: the team bot's threads are keyed by the rep's chat, and erasure looks "
    "for the erased lead's contacts in them": ("threads_mentioning",),
}
DECLARED = {name: reason for reason, names in CROSS_TENANT_BY_DESIGN.items() for name in names}


def repository_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every public async method of every class, and every public async function, in storage/repositories.

    Async is what reaches the database (the session is an AsyncSession), so a class not named *Repository that
    starts to query is walked too.
    """
    for module_info in pkgutil.iter_modules(storage.repositories.__path__):
        module = importlib.import_module(f"{storage.repositories.__name__}.{module_info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isclass(value):
                for method_name, method in vars(value).items():
                    if not method_name.startswith("_") and inspect.iscoroutinefunction(method):
                        yield f"{name}.{method_name}", method
            elif inspect.iscoroutinefunction(value):
                yield name, value


def _uses(function: Callable[..., Any], parameter: str) -> bool:
    """Whether the body reads the parameter (a tenant_id taken and never filtered on scopes nothing)."""
    code = function.__code__
    return parameter in code.co_cellvars or any(  # a closure (a comprehension, a lambda) reads it too
        instruction.opname in ("LOAD_FAST", "LOAD_DEREF") and instruction.argval == parameter
        for instruction in dis.get_instructions(code)
    )


def scope_of(name: str, function: Callable[..., Any]) -> str | None:
    """How the function is scoped, or None when it is not."""
    if name.split(".")[-1].endswith(CROSS_TENANT_SUFFIXES):
        return "declared by its name"
    for parameter in inspect.signature(function).parameters.values():
        annotation = str(parameter.annotation)
        if (
            parameter.name == "tenant_id"
            and parameter.default is inspect.Parameter.empty
            and "None" not in annotation
            and _uses(function, "tenant_id")
        ):
            return "takes tenant_id"
        if annotation in TENANT_ROWS:
            return f"takes a {annotation}"
    return None


def exempt_class(name: str) -> bool:
    return "." in name and name.split(".")[0] in NOT_TENANT_DATA


def test_every_repository_method_is_scoped_or_says_it_is_not() -> None:
    functions = dict(repository_functions())
    assert (
        "RepRepository.by_telegram_id" in functions and "upsert_listings" in functions
    )  # the walk finds them
    unscoped = [
        name
        for name, function in sorted(functions.items())
        if scope_of(name, function) is None and name not in DECLARED and not exempt_class(name)
    ]
    assert unscoped == [], (
        "these repository methods may read several tenants' rows: take a required tenant_id (or a row of one "
        "tenant), or end the name in _all_tenants/_across_tenants, or list them in CROSS_TENANT_BY_DESIGN "
        f"with a reason: {unscoped}"
    )


def test_the_declared_list_names_only_existing_methods_that_need_it() -> None:
    functions = dict(repository_functions())
    missing = [name for name in DECLARED if name not in functions]
    scoped_anyway = [name for name in DECLARED if name in functions and scope_of(name, functions[name])]
    assert missing == [] and scoped_anyway == [], (missing, scoped_anyway)


@pytest.mark.parametrize(
    ("signature", "scoped"),
    [
        ("async def by_phone(self, phone: str) -> None: ...", False),
        ("async def by_phone(self, phone: str, *, tenant_id: int | None = None) -> None: ...", False),
        ("async def by_phone(self, phone: str, *, tenant_id: int) -> None: ...", False),  # taken, never read
        ("async def by_phone(self, phone: str, *, tenant_id: int) -> int: return tenant_id", True),
        ("async def by_phone_all_tenants(self, phone: str) -> None: ...", True),
        ("async def by_phone_across_tenants(self, phone: str) -> None: ...", True),
        ("async def of_rep(self, rep: SalesRepresentative) -> None: ...", True),
    ],
)
def test_a_new_method_is_judged_by_its_signature(signature: str, scoped: bool) -> None:
    namespace: dict[str, Any] = {}
    exec(f"from __future__ import annotations\n{signature}", namespace)
    function = next(value for key, value in namespace.items() if key.startswith("by_") or key == "of_rep")
    assert (scope_of(f"NewRepository.{function.__name__}", function) is not None) is scoped


def test_repositories_exempt_as_holding_no_tenant_data_really_hold_none() -> None:
    for models, _reason in NOT_TENANT_DATA.values():
        for model in models:
            if model is Tenant:
                continue
            assert "tenant_id" not in model.__table__.columns, model.__tablename__


# -- behaviour: two agencies whose data collide ---------------------------------------------------------

TELEGRAM_ID = 700_100
EMAIL = "same.person@agency.example"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def _agency(database: Database, slug: str) -> tuple[Tenant, SalesRepresentative]:
    """An agency with an active rep: the same Telegram user and e-mail in every agency."""
    async with database.session() as session:
        tenant = await TenantRepository(session).create(name=slug.title(), slug=slug)
        rep = SalesRepresentative(
            tenant_id=tenant.id,
            telegram_id=TELEGRAM_ID,
            name=f"Rep of {slug}",
            email=EMAIL,
            status=RepStatus.ACTIVE,
            is_admin=True,
        )
        session.add(rep)
        await session.flush()
        return tenant, rep


async def test_each_scoped_look_up_returns_only_its_own_agencys_rows(database: Database) -> None:
    a, rep_a = await _agency(database, "alpha")
    b, rep_b = await _agency(database, "beta")
    async with database.session() as session:
        leads = LeadRepository(session)
        lead_a = await leads.create(a.id, telegram_user_id=42, name="Lead of alpha", assigned_rep_id=rep_a.id)
        lead_b = await leads.create(b.id, telegram_user_id=42, name="Lead of beta", assigned_rep_id=rep_b.id)
        # Rows of beta that point at alpha's rep: only the query's own tenant filter keeps them out.
        session.add(RepTask(tenant_id=b.id, rep_id=rep_a.id, lead_id=lead_b.id, due_at=NOW, note="beta task"))
        session.add(
            LeadQuestion(tenant_id=b.id, lead_id=lead_b.id, rep_id=rep_a.id, question="beta?", asked_at=NOW)
        )
        audit = AuditRepository(session)
        await audit.record(action="x", now=NOW, actor_telegram_id=TELEGRAM_ID, tenant_id=a.id)
        await audit.record(action="x", now=NOW, actor_telegram_id=TELEGRAM_ID, tenant_id=b.id)

    async with database.session() as session:
        reps = RepRepository(session)
        for tenant, rep in ((a, rep_a), (b, rep_b)):
            found = await reps.by_telegram_id(TELEGRAM_ID, tenant_id=tenant.id)
            assert found is not None and found.id == rep.id
            by_email = await reps.by_email(EMAIL.upper(), tenant_id=tenant.id)
            assert by_email is not None and by_email.id == rep.id
            assert [r.id for r in await reps.list_by_status(tenant.id, RepStatus.ACTIVE)] == [rep.id]
            assert [r.id for r in await reps.admins(tenant.id)] == [rep.id]
            assert [e.tenant_id for e in await AuditRepository(session).recent(tenant.id)] == [tenant.id]
        assert {r.id for r in await reps.admin_records_across_tenants(TELEGRAM_ID)} == {rep_a.id, rep_b.id}
        assert len(await reps.list_by_status_all_tenants(RepStatus.ACTIVE)) == 2

        leads = LeadRepository(session)
        found_lead = await leads.by_telegram_user(a.id, 42)
        assert found_lead is not None and found_lead.id == lead_a.id

        book = RepBookRepository(session)
        assert await book.names(rep_a, {lead_a.id, lead_b.id}, set()) == {
            f"lead:{lead_a.id}": "Lead of alpha"
        }
        assert await book.lead(rep_a, lead_b.id) is None
        assert [lead.id for lead in await book.leads(rep_a)] == [lead_a.id]
        assert await book.open_tasks(rep_a, NOW + timedelta(days=1)) == []
        assert await QuestionRepository(session).open_for_rep(rep_a) == []
        assert len(await QuestionRepository(session).of_lead(lead_b)) == 1


async def test_the_team_bot_speaks_to_a_user_about_their_live_record_whichever_agency_holds_it(
    database: Database,
) -> None:
    a, rep_a = await _agency(database, "alpha")
    b, rep_b = await _agency(database, "beta")
    async with database.session() as session:
        removed = await session.get(SalesRepresentative, rep_b.id)
        assert removed is not None
        removed.status = RepStatus.REMOVED  # the newer record is gone; the older one, in alpha, is live
    async with database.session() as session:
        current = await RepRepository(session).current_across_tenants(TELEGRAM_ID)
        assert current is not None and (current.id, current.tenant_id) == (rep_a.id, a.id)
        assert await RepRepository(session).current_across_tenants(TELEGRAM_ID + 1) is None
        assert await RepRepository(session).by_telegram_id(TELEGRAM_ID, tenant_id=b.id) is not None
