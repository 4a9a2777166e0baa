"""The lead's own record: preferences, contact details, score."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from agent.core.lead_tools import LeadTool
from agent.core.scoring import LeadScore
from agent.services.integrations import events as integration_events
from agent.services.leads import (
    apply_preferences,
    lead_changed,
    lead_profile,
    missing_fields,
    replace_question,
    rescore,
    save_contact,
    tenant_of,
)
from prompts.scoring import reason
from tools.context import LeadContext
from tools.scope import context_of, lead_session, now_of


@tool(LeadTool.PREFERENCES, parse_docstring=True)
async def update_preferences(
    budget_min: float | None = None,
    budget_max: float | None = None,
    currency: str | None = None,
    budget_period: str | None = None,
    bedrooms: int | None = None,
    bathrooms: int | None = None,
    property_type: str | None = None,
    property_types: list[str] | None = None,
    location: str | None = None,
    locations: list[str] | None = None,
    transaction: str | None = None,
    payment_method: str | None = None,
    timeline: str | None = None,
    pets: bool | None = None,
    furnished: bool | None = None,
    name: str | None = None,
    *,
    runtime: ToolRuntime[LeadContext],
) -> dict[str, Any]:
    """Save what the lead told you they want. Pass only what they actually said; leave the rest out.

    Returns what changed, the profile, what is still missing, and any value that was refused (with why):
    a budget that cannot be one (negative, zero, absurdly large or small) is refused and not kept, and its
    `errors` entry is a sentence in the lead's language to tell them. Status is "saved" or "rejected".

    Args:
        budget_min: Lowest budget, as a plain number (400k = 400000).
        budget_max: Highest budget, as a plain number.
        currency: Three-letter currency code of the budget, e.g. USD, AED, RUB.
        budget_period: month or year when the budget is a rent per period ("3500 a month"); leave out for a price.
        bedrooms: Number of bedrooms wanted.
        bathrooms: Number of bathrooms wanted.
        property_type: villa, apartment, townhouse, house or land.
        property_types: Every type the lead accepts when they name alternatives ("house or villa"), first first.
        location: Area or city the lead wants.
        locations: Every area the lead accepts when they name alternatives ("Canggu or Seminyak"), first first.
        transaction: sale (the lead buys) or rent.
        payment_method: cash, mortgage, installments, crypto or bank_transfer.
        timeline: When the lead wants to move or buy, in their words (e.g. "within 3 months").
        pets: Whether the lead has pets.
        furnished: Whether the lead wants it furnished.
        name: The lead's name, as they gave it.
    """
    changes = {field: value for field, value in locals().items() if field != "runtime"}  # the arguments
    ctx = context_of(runtime)
    async with lead_session(ctx) as (session, lead):
        tenant = await tenant_of(session, lead)
        previous = lead.status
        result = apply_preferences(lead, changes, default_currency=tenant.default_currency)
        if result.updated:
            await lead_changed(session, lead, now_of(ctx))
        await integration_events.lead_status_changed(session, lead, previous, now_of(ctx))
        return {
            "status": "rejected" if result.errors and not result.updated else "saved",
            "updated": result.updated,
            "profile": lead_profile(lead),
            "missing": missing_fields(lead),
            "errors": result.errors,
        }


@tool(LeadTool.CONTACT, parse_docstring=True)
async def capture_contact(
    phone: str | None = None,
    email: str | None = None,
    name: str | None = None,
    *,
    runtime: ToolRuntime[LeadContext],
) -> dict[str, Any]:
    """Save the lead's phone number, e-mail or name exactly as they wrote them; they are validated here.

    Status is "saved"; "rejected" (`errors` holds a message in the lead's language for each value that was
    not valid: say it and ask again); or "confirm": the lead already gave a different phone or e-mail, so
    nothing is replaced yet: ask them the "message" (yes/no). Their yes replaces it on the next turn, by
    itself; do not call this tool again for it.

    Args:
        phone: The phone number as the lead wrote it (local or international format).
        email: The e-mail address as the lead wrote it.
        name: The lead's name.
    """
    ctx = context_of(runtime)
    async with lead_session(ctx) as (session, lead):
        result = await save_contact(session, lead, now=now_of(ctx), phone=phone, email=email, name=name)
        answer: dict[str, Any] = {
            "status": result.status,
            "saved": result.saved,
            "errors": result.errors,
            "alerted": result.alerted,
        }
        if result.pending:
            field, new = next(iter(result.pending.items()))  # one question at a time: the phone first
            old = str(getattr(lead, field) or "")
            answer["pending"] = {field: new}
            answer["message"] = replace_question(lead.language, field, old, new)
    return answer


def score_result(score: LeadScore, language: str | None) -> dict[str, Any]:
    return {
        "score": score.score,
        "temperature": score.temperature.value,
        "confidence": score.confidence,
        "factors": factors_json(score, language),
    }


def factors_json(score: LeadScore, language: str | None) -> list[dict[str, Any]]:
    """Every factor of the score as {"key", "points", "max_points", "reason"}, the reason in `language`."""
    return [
        {"key": f.key, "points": f.points, "max_points": f.max_points, "reason": reason(f, language)}
        for f in score.factors
    ]


@tool(LeadTool.SCORE, parse_docstring=True)
async def score_lead(*, runtime: ToolRuntime[LeadContext]) -> dict[str, Any]:
    """Score this lead now (0-100) with its temperature and the reason for every point."""
    ctx = context_of(runtime)
    async with lead_session(ctx) as (session, lead):
        score = await rescore(session, lead, now_of(ctx))
    return score_result(score, lead.language)
