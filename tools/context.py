"""Who a tool acts for, and within which unit of work. Filled by the code that starts a run (bot, CLI, eval),
never by the model."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolRuntime
from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.leads import lead_changed, rescore_at_end
from agent.services.provider import Services
from storage.models import Lead, Tenant
from storage.repositories.leads import LeadRepository


class TurnAborted(RuntimeError):
    """A tool's database error aborted the turn's transaction: nothing more may be written or committed in it."""


@dataclass
class LeadWork:
    """A turn's unit of work: one session whose transaction the turn owns, the lead locked in it, its tenant.

    The turn commits the lead's message before the model runs (an outside call); the tools then work in the
    next transaction one at a time (`lock`), and the lead is scored once, when the turn settles. A tool that
    calls an outside service (a calendar, a meeting) commits too: what the turn did so far first, then its
    own work (`tools.scope.lead_session(commits=True)`). After a commit, the first tool that changes the lead
    reads it again and locks it; a read that changes nothing (`current_lead`) takes no lock.
    """

    session: AsyncSession
    lead: Lead
    tenant: Tenant
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    committed: bool = False
    """Part of the turn is committed: its inbound message is kept whatever happens next."""
    failed: bool = False
    """A database error aborted the transaction: PostgreSQL would turn a COMMIT into a silent ROLLBACK."""
    _unlocked: bool = False

    @classmethod
    async def open(cls, session: AsyncSession, tenant_id: int, lead_id: int) -> LeadWork:
        """The lead of this tenant locked in `session` (LeadNotFound otherwise), scored once, at the end."""
        lead, tenant = await LeadRepository(session).require_with_tenant(tenant_id, lead_id, for_update=True)
        rescore_at_end(session)
        return cls(session, lead, tenant)

    async def locked_lead(self) -> Lead:
        """The lead, locked in the current transaction: after a commit it is read again (with what others changed)."""
        if self.failed:
            raise TurnAborted
        if self._unlocked:
            self.lead, self.tenant = await LeadRepository(self.session).require_with_tenant(
                self.tenant.id, self.lead.id, for_update=True, refresh=True
            )
            self._unlocked = False
        return self.lead

    async def current_lead(self) -> Lead:
        """The lead for a read that changes nothing, without taking its row lock: as this turn last saw or
        committed it (a tool that changes the lead locks it and reads it again first)."""
        if self.failed:
            raise TurnAborted
        return self.lead

    async def commit(self) -> None:
        """Keep what the turn did so far; the lead's row lock goes with the transaction."""
        if self.failed:
            raise TurnAborted
        await self.session.commit()
        self.committed = True
        self._unlocked = True

    async def rollback(self, now: datetime) -> None:
        """Drop what the turn did since its last commit; the lead is read again and scored when the turn settles."""
        tenant_id, lead_id = self.tenant.id, self.lead.id  # before the rollback expires them
        await self.session.rollback()
        self.lead, self.tenant = await LeadRepository(self.session).require_with_tenant(
            tenant_id, lead_id, for_update=True, refresh=True
        )
        self._unlocked = False
        await lead_changed(self.session, self.lead, now)


@dataclass(frozen=True)
class LeadContext:
    """The runtime context of the sales graph: every tool reads identity from here."""

    services: Services
    """The database, clock, model and outside clients of this process."""
    tenant_id: int
    """The agency the lead wrote to."""
    lead_id: int
    """The lead this run talks with; tools act on this lead's record only."""
    work: LeadWork | None = None
    """The turn's unit of work (`graphs.sales.conversation`); without one, each tool opens its own transaction."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """A tool's argument check takes the context by its type: services are clients, not data."""
        return core_schema.is_instance_schema(cls)


def runtime_for(ctx: LeadContext) -> ToolRuntime[LeadContext]:
    """A tool runtime carrying `ctx`, for running a tool outside a graph (tests, benches)."""
    return ToolRuntime(
        state={}, context=ctx, config={}, stream_writer=lambda _chunk: None, tool_call_id=None, store=None
    )


async def call_tool(tool: BaseTool, ctx: LeadContext, **args: Any) -> Any:
    """Run a lead tool for `ctx` with the arguments a model would pass, and return its result."""
    return await tool.ainvoke({**args, "runtime": runtime_for(ctx)})
