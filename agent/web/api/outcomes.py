"""POST /api/v1/leads/{id}/outcome: a deal won or lost, with a reason from the agency's list and a note;
GET /api/v1/outcome-reasons: that list. An integration token acts for its agency; a rep for their own leads."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, ConfigDict, Field

from agent.services.dashboard.lead_actions import LeadActionError
from agent.services.dashboard.lead_outcome import OutcomeActions
from agent.services.dashboard.leads_detail import lead_etag, visible_lead
from agent.services.team.outcomes import OutcomeDone, reasons_of
from agent.web.api.leads import _problem
from agent.web.api_auth import ApiViewerDep
from agent.web.deps import ServicesDep
from agent.web.params import RowId
from storage.models import Tenant

router = APIRouter(prefix="/api/v1", tags=["leads"])


class OutcomeIn(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    outcome: Literal["won", "lost", "reopen"]
    """won or lost; reopen takes a won or lost lead back to the status it had before."""
    reason: str | None = Field(default=None, max_length=40)
    """One of the agency's reason codes for this outcome (GET /api/v1/outcome-reasons)."""
    note: str | None = Field(default=None, max_length=1000)


class OutcomeOut(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    lead_id: int
    status: str
    previous_status: str
    reason: str | None
    note: str | None
    stopped_sends: int
    """Planned or held follow-up messages cancelled."""
    stopped_tasks: int
    """Reps' open follow-up tasks closed."""
    etag: str


class ReasonsOut(BaseModel):
    won: list[str]
    lost: list[str]


@router.post("/leads/{lead_id}/outcome", response_model=OutcomeOut)
async def record_outcome(
    lead_id: RowId,
    body: OutcomeIn,
    viewer: ApiViewerDep,
    services: ServicesDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> OutcomeOut:
    """Record how the deal ended (every follow-up of the lead stops), or reopen it. Send `If-Match` with the
    ETag you read: if the lead changed since, 412 (nothing changed)."""
    actions = OutcomeActions(services.database, services.clock, services.channels)
    try:
        if body.outcome == "reopen":
            done: OutcomeDone = await actions.reopen(viewer, lead_id, if_match=if_match)
        else:
            done = await actions.record(
                viewer, lead_id, body.outcome, body.reason, body.note, if_match=if_match
            )
    except LeadActionError as exc:
        _problem(exc)
    async with services.database.session() as session:
        lead = await visible_lead(session, viewer, lead_id)
        etag = lead_etag(lead) if lead is not None else ""
    response.headers["ETag"] = etag
    return OutcomeOut(
        lead_id=done.lead_id,
        status=done.status,
        previous_status=done.previous,
        reason=done.reason,
        note=done.note,
        stopped_sends=done.stopped.sends,
        stopped_tasks=done.stopped.tasks,
        etag=etag,
    )


@router.get("/outcome-reasons", response_model=ReasonsOut)
async def outcome_reasons(viewer: ApiViewerDep, services: ServicesDep) -> ReasonsOut:
    """The agency's reason codes for a won and for a lost deal."""
    async with services.database.session() as session:
        reasons = reasons_of(await session.get(Tenant, viewer.tenant_id))
    return ReasonsOut(won=list(reasons["won"]), lost=list(reasons["lost"]))
