"""ask_agent: a question the listing data cannot answer goes to the lead's agent, who answers in the team bot."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.core.policies.field_rules import record_id
from agent.services.questions import NoOneToAsk, ask_team, clean_question, send_cards
from agent.services.team import TeamService
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of


@tool(LeadTool.ASK_AGENT, parse_docstring=True)
async def ask_agent(
    question: str, property_id: int | None = None, *, runtime: ToolRuntime[LeadContext]
) -> dict[str, Any]:
    """Ask the lead's agent a question the listing data cannot answer (a gym nearby, the neighbours, a discount).

    Status is "asked" (tell the lead you asked the agent, named by rep_name when given, and that the answer
    will come here), or "unavailable" (nobody can be asked now: say you don't have that information).

    Args:
        question: The lead's question, in the lead's own words.
        property_id: The listing the question is about, if any.
    """
    ctx = context_of(runtime)
    text = clean_question(question)
    if not text:
        return {"status": "error", "error": "empty_question"}
    try:
        async with lead_session(ctx, commits=True) as (session, lead):  # the team hears of it once it is kept
            services = ctx.services
            team = TeamService(services.database, services.settings, services.clock)
            asked = await ask_team(
                session, services, team, lead, text, now_of(ctx), property_id=record_id(property_id)
            )
    except NoOneToAsk:
        return {"status": "unavailable", "reason": "no_agent"}
    await send_cards(ctx.services, asked.question_id, asked.cards)
    return {"status": "asked", "question_id": asked.question_id, "rep_name": asked.rep_name}
