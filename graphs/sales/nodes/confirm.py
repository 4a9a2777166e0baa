"""A replaced phone or e-mail, confirmed: the lead's yes to "Shall I replace …?" saves the value kept in state.

The value waits in the graph's state (`pending_contact`), never in the lead's row, so nothing reads it (no
alert, no follow-up) before the lead says yes; any other answer drops it and keeps what the lead gave before.
"""

from __future__ import annotations

from typing import Any

from agent.core.policies.field_rules import confirms_replacement
from agent.services.leads import save_contact, shown_phone
from graphs.sales.context import LeadContext
from graphs.sales.messages import last_human
from graphs.sales.state import SalesState
from tools.scope import lead_session, now_of


async def settle_pending_contact(state: SalesState, ctx: LeadContext) -> dict[str, Any]:
    """At the start of a turn: the pending replacement saved on a yes, dropped otherwise; what happened to it."""
    pending = state.get("pending_contact") or {}
    if not pending:
        return {"contact_change": None} if state.get("contact_change") else {}
    field, value = next(iter(pending.items()))
    human = last_human(list(state.get("messages") or []))
    answer = str(human.text) if human is not None else ""
    async with lead_session(ctx) as (session, lead):
        if confirms_replacement(answer):
            await save_contact(session, lead, now=now_of(ctx), replace=True, **{field: value})
        current = str(getattr(lead, field, None) or "")
    change = {
        "field": field,
        "value": shown_phone(current) if field == "phone" else current,
        "outcome": "replaced" if current == value else "kept",
    }
    return {"pending_contact": None, "contact_change": change}
