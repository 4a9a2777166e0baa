"""draft_follow_up: a short message about what the lead actually asked for."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.core.policies.followup_text import FollowUpFacts
from prompts.followups import draft_follow_up_text
from tools.context import LeadContext
from tools.scope import context_of, lead_session


@tool(LeadTool.FOLLOW_UP, parse_docstring=True)
async def draft_follow_up(purpose: str = "check_in", *, runtime: ToolRuntime[LeadContext]) -> dict[str, Any]:
    """Draft a follow-up message (at most 160 characters, in the lead's language) about what they asked for.

    Args:
        purpose: check_in, ghost (after silence), listings (after showing listings) or viewing (invite to book).
    """
    async with lead_session(context_of(runtime), lock=False) as (_session, lead):
        return {"text": draft_follow_up_text(FollowUpFacts.of(lead), purpose)}
