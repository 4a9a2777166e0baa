"""Who a tool acts for. Filled by the code that starts a run (bot, CLI, eval), never by the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolRuntime
from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from agent.services.provider import Services


@dataclass(frozen=True)
class LeadContext:
    """The runtime context of the sales graph: every tool reads identity from here."""

    services: Services
    """The database, clock, model and outside clients of this process."""
    tenant_id: int
    """The agency the lead wrote to."""
    lead_id: int
    """The lead this run talks with; tools act on this lead's record only."""

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
