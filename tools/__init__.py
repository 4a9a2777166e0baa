"""The lead agent's tools. Identity comes from the runtime context (`LeadContext`), never from arguments.

Each tool is one typed async function whose docstring is what the model reads, named by
`agent.core.lead_tools.LeadTool`. Outside a graph (tests, benches) `tools.context.call_tool` runs one.
"""

from __future__ import annotations

from langchain_core.tools import BaseTool

from tools.ask import ask_agent
from tools.booking import book_viewing
from tools.details import listing_details
from tools.followup import draft_follow_up
from tools.handoff import request_human
from tools.profile import capture_contact, score_lead, update_preferences
from tools.search import search_properties
from tools.viewings_change import cancel_viewing, reschedule_viewing

LEAD_TOOLS: list[BaseTool] = [
    # In the order of LeadTool, one tool per name.
    search_properties,
    update_preferences,
    capture_contact,
    score_lead,
    draft_follow_up,
    book_viewing,
    reschedule_viewing,
    cancel_viewing,
    request_human,
    ask_agent,
    listing_details,
]

__all__ = [
    "LEAD_TOOLS",
    "ask_agent",
    "book_viewing",
    "cancel_viewing",
    "capture_contact",
    "draft_follow_up",
    "listing_details",
    "request_human",
    "reschedule_viewing",
    "score_lead",
    "search_properties",
    "update_preferences",
]
