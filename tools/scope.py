"""The one way a tool reaches data: a transaction and the context's own lead, scoped by tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from langgraph.prebuilt import ToolRuntime
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.leads import load_lead
from storage.models import Lead
from tools.context import LeadContext


@asynccontextmanager
async def lead_session(ctx: LeadContext, *, lock: bool = True) -> AsyncIterator[tuple[AsyncSession, Lead]]:
    """A committing transaction with the context's lead (locked unless `lock=False`); LeadNotFound if absent.

    The lock serialises the tool calls of one lead (a model may ask for several at once), so counters
    and status changes never overwrite each other.
    """
    async with ctx.services.database.session() as session:
        lead = await load_lead(session, ctx.tenant_id, ctx.lead_id, for_update=lock)
        yield session, lead


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
