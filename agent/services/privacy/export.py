"""Everything stored about a lead, as one JSON-ready document (`realty leads export`)."""

from __future__ import annotations

from typing import Any

from agent.adapters.checkpointer import conversation_store
from agent.services.leads import lead_profile, load_lead
from agent.services.privacy.checkpoints import lead_threads, thread_state
from agent.services.privacy.jsonable import row_dict
from agent.services.provider import Services
from storage.repositories.privacy import LeadDataRepository

EXPORT_FORMAT = 1


async def export_lead(services: Services, tenant_id: int, lead_id: int) -> dict[str, Any]:
    """The lead's profile, interactions, viewings, follow-ups, questions, alerts, score, audit entries about
    them and their conversation's checkpoints; LeadNotFound for a lead of another tenant."""
    async with services.database.session() as session:
        lead = await load_lead(session, tenant_id, lead_id, for_update=False)
        rows = await LeadDataRepository(session).rows(lead)
        document: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "exported_at": services.clock.now().isoformat(),
            "tenant_id": tenant_id,
            "lead_id": lead_id,
            "profile": lead_profile(lead),
            "lead": row_dict(lead),
            "interactions": [row_dict(r) for r in rows.interactions],
            "score_factors": [row_dict(r) for r in rows.factors],
            "alerts": [row_dict(r) for r in rows.alerts],
            "followups": [row_dict(r) for r in rows.sends],
            "rep_tasks": [row_dict(r) for r in rows.tasks],
            "questions": [row_dict(r) for r in rows.questions],
            "viewings": [row_dict(r) for r in rows.viewings],
            "prospects": [row_dict(r) for r in rows.prospects],
            "erasure_requests": [row_dict(r) for r in rows.erasure_requests],
            "audit": [row_dict(r) for r in rows.audit],
        }
    store = await conversation_store(services)
    states = [await thread_state(store, thread) for thread in lead_threads(tenant_id, lead_id)]
    document["conversations"] = [state for state in states if state is not None]
    return document
