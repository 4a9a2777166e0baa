"""/reps (admins): applications waiting with approve/reject, the team with suspend, restore and remove."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from agent.web.deps import FormDep, ServicesDep
from agent.web.errors import NotFound
from agent.web.routes.admin_common import AdminPageDep
from agent.web.routes.admin_rep_changes import (
    CHANGES,
    Change,
    NothingToChange,
    change_rep,
    pending_reps,
    team_page,
    team_service,
)
from agent.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/reps")
async def reps(
    request: Request,
    viewer: AdminPageDep,
    services: ServicesDep,
    after: str | None = None,
    done: str | None = None,
    rep: str | None = None,
    told: str | None = None,
) -> Response:
    """Applications waiting, then the active and suspended reps by name."""
    async with services.database.session() as session:
        pending = await pending_reps(session, viewer)
        team, next_cursor = await team_page(session, viewer, cursor=after)
    notice = await _notice(services, viewer.tenant_id, done, rep, told)
    return render(
        request,
        "admin/reps.html",
        viewer,
        {
            "nav": "reps",
            "pending": pending,
            "team": team,
            "next_cursor": next_cursor,
            "paged": bool(after),
            "notice": notice,
        },
    )


async def _notice(
    services: ServicesDep, tenant_id: int, done: str | None, rep: str | None, told: str | None
) -> dict[str, object] | None:
    """The confirmation after a change (POST-redirect-GET): what was done to whom, and whether they heard."""
    if done not in (*CHANGES, "already") or not rep:
        return None
    try:
        card = await team_service(services).rep_card(uuid.UUID(rep))
    except ValueError:
        return None
    if card is None or card.tenant_id != tenant_id:
        return None
    return {"done": done, "name": card.name, "status": card.status.value, "told": told}


@router.post("/reps/{rep_id}/{change}")
async def change(
    rep_id: uuid.UUID, change: str, viewer: AdminPageDep, services: ServicesDep, form: FormDep
) -> Response:
    """Approve, reject, suspend, remove or restore: the team service decides who may, and audits it."""
    if change not in CHANGES:
        raise NotFound(change)
    wanted: Change = change  # type: ignore[assignment]
    try:
        outcome = await change_rep(services, viewer, rep_id, wanted)
    except NothingToChange as unchanged:
        return RedirectResponse(f"/reps?done=already&rep={unchanged.card.id}", status_code=303)
    told = "1" if outcome.told else "0"
    return RedirectResponse(f"/reps?done={change}&rep={rep_id}&told={told}", status_code=303)
