"""The lead page's outcome form: POST /leads/{id}/outcome (won or lost, a reason, a note) and /leads/{id}/reopen.

Included before agent.web.routes.leads, whose /leads/{id}/{action} would otherwise take these paths.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from agent.services.dashboard.lead_actions import LeadActionError, LeadHidden
from agent.services.dashboard.lead_outcome import OutcomeActions
from agent.web.deps import FormDep, ServicesDep, ViewerDep
from agent.web.errors import NotFound
from agent.web.params import RowId

router = APIRouter(include_in_schema=False)


def _back(lead_id: int, query: str) -> RedirectResponse:
    return RedirectResponse(f"/leads/{lead_id}?{query}#outcome", status_code=303)


def _field(form: FormDep, name: str) -> str:
    return str(form.get(name) or "").strip()


@router.post("/leads/{lead_id}/outcome")
async def record(lead_id: RowId, viewer: ViewerDep, services: ServicesDep, form: FormDep) -> Response:
    """Mark the deal won or lost; the page comes back saying so, or with the error."""
    actions = OutcomeActions(services.database, services.clock, services.channels)
    try:
        await actions.record(
            viewer,
            lead_id,
            _field(form, "outcome"),
            _field(form, "reason") or None,
            _field(form, "note") or None,
        )
    except LeadHidden as exc:
        raise NotFound("lead") from exc
    except LeadActionError:
        return _back(lead_id, "error=bad_value")
    return _back(lead_id, "outcome=saved")


@router.post("/leads/{lead_id}/reopen")
async def reopen(lead_id: RowId, viewer: ViewerDep, services: ServicesDep, form: FormDep) -> Response:
    """Reopen a won or lost deal."""
    actions = OutcomeActions(services.database, services.clock, services.channels)
    try:
        await actions.reopen(viewer, lead_id)
    except LeadHidden as exc:
        raise NotFound("lead") from exc
    except LeadActionError:
        return _back(lead_id, "error=bad_value")
    return _back(lead_id, "outcome=reopened")
