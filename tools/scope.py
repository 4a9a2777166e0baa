"""The one way a tool reaches data: a transaction and the context's own lead, scoped by tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from langgraph.prebuilt import ToolRuntime
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.leads import load_lead
from storage.models import Lead
from tools.context import LeadContext, LeadWork


@asynccontextmanager
async def lead_session(
    ctx: LeadContext, *, lock: bool = True, commits: bool = False
) -> AsyncIterator[tuple[AsyncSession, Lead]]:
    """A transaction with the context's lead (locked unless `lock=False`); LeadNotFound if absent.

    In a turn (`ctx.work`) it is the turn's own transaction, with the lead the turn locked: the tool's
    writes are committed with the turn's, and a tool that fails leaves the lead as it found it. A tool that
    calls an outside service passes `commits=True`: the turn's work so far is committed first, and the
    tool's own on success (rolled back on failure), so what the outside world was told is never undone.
    Outside a turn it is a transaction of its own that commits on success. The lock serialises the tool
    calls of one lead (a model may ask for several at once), so counters and status changes never
    overwrite each other.
    """
    work = ctx.work
    if work is None:
        async with ctx.services.database.session() as session:
            yield session, await load_lead(session, ctx.tenant_id, ctx.lead_id, for_update=lock)
        return
    async with work.lock:
        if commits:
            await work.commit()
        lead = await (work.locked_lead() if lock or commits else work.current_lead())
        if (lead.tenant_id, lead.id) != (ctx.tenant_id, ctx.lead_id):
            raise RuntimeError("the turn's unit of work holds another lead than the context names")
        before = _snapshot(lead)
        pending = set(work.session.new)
        try:
            yield work.session, lead
        except BaseException as exc:
            if commits:
                await work.rollback(now_of(ctx))
            else:
                _undo(work, lead, before, pending)
                work.failed = work.failed or isinstance(exc, DBAPIError)  # PostgreSQL aborted the transaction
            raise
        if commits:
            await work.commit()


def _snapshot(lead: Lead) -> dict[str, Any]:
    """The lead's fields as this session holds them now (what is not loaded is not read)."""
    state = inspect(lead)
    return {attr.key: state.dict[attr.key] for attr in state.mapper.column_attrs if attr.key in state.dict}


def _undo(work: LeadWork, lead: Lead, before: dict[str, Any], pending: set[object]) -> None:
    """Forget what a failed tool changed: the lead's fields are set back (written or not), the rows it added
    and had not written yet are dropped."""
    current = _snapshot(lead)  # a field expired since (a server default) is not read again
    for key, value in before.items():
        if key in current and current[key] != value:
            setattr(lead, key, value)
    for added in set(work.session.new) - pending:
        work.session.expunge(added)


def now_of(ctx: LeadContext) -> datetime:
    return ctx.services.clock.now()


class MissingLeadContext(RuntimeError):
    """A tool ran without a LeadContext: the graph was invoked without `context=LeadContext(...)`."""


def context_of(runtime: ToolRuntime[LeadContext]) -> LeadContext:
    """The LeadContext the run was started with (never anything the model wrote)."""
    context = runtime.context
    if not isinstance(context, LeadContext):
        raise MissingLeadContext("the sales graph must be invoked with context=LeadContext(...)")
    return context
