"""draft_follow_up: a short message about what the lead actually asked for."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.policies.followup_text import FollowUpFacts, draft_follow_up_text
from storage.models import Lead
from tools.context import LeadContext
from tools.scope import context_of, lead_session


def facts_of(lead: Lead) -> FollowUpFacts:
    return FollowUpFacts(
        language=lead.language,
        name=lead.name,
        property_type=lead.property_type,
        transaction=lead.transaction,
        location=lead.location,
        bedrooms=lead.bedrooms,
        budget_min=lead.budget_min,
        budget_max=lead.budget_max,
        currency=lead.budget_currency,
    )


async def draft_follow_up_impl(ctx: LeadContext, purpose: str = "check_in") -> dict[str, Any]:
    async with lead_session(ctx, lock=False) as (_session, lead):
        return {"text": draft_follow_up_text(facts_of(lead), purpose)}


@tool(parse_docstring=True)
async def draft_follow_up(purpose: str = "check_in", *, runtime: ToolRuntime[Any]) -> dict[str, Any]:
    """Draft a follow-up message (at most 160 characters, in the lead's language) about what they asked for.

    Args:
        purpose: check_in, ghost (after silence), listings (after showing listings) or viewing (invite to book).
    """
    return await draft_follow_up_impl(context_of(runtime), purpose)
