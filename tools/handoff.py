"""request_human: hand the conversation to a person on the team."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.services.leads import hand_off
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of


@tool(LeadTool.HUMAN, parse_docstring=True)
async def request_human(reason: str, *, runtime: ToolRuntime[LeadContext]) -> dict[str, Any]:
    """Hand the conversation to a human agent: when the lead asks for a person, or you cannot help.

    Args:
        reason: One sentence for the agent: what the lead needs.
    """
    ctx = context_of(runtime)
    async with lead_session(ctx) as (session, lead):
        rep = await hand_off(session, lead, reason, now_of(ctx))
    return {"status": "handed_off", "rep_name": rep.name if rep else None}
