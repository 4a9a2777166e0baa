"""/api/v1/reps: the agency's reps (admins read them); approve, reject, suspend, remove and restore them
(admins only: a person decides about people; an integration token sees no reps, not even their e-mails)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from agent.services.web_access import Viewer, audit_refusal
from agent.web.api_auth import ApiViewerDep, api_viewer
from agent.web.deps import ServicesDep, services_of
from agent.web.errors import Forbidden, problem
from agent.web.routes.admin_rep_changes import (
    TEAM_PAGE_SIZE,
    Change,
    NothingToChange,
    RepRow,
    change_rep,
    team_page,
)
from storage.models import RepStatus

router = APIRouter(prefix="/api/v1", tags=["reps"])


async def rep_reader(request: Request, viewer: Annotated[Viewer, Depends(api_viewer)]) -> Viewer:
    """An admin of the agency; a rep and an integration are refused, and the refusal audited."""
    if not viewer.is_admin:
        services = services_of(request)
        await audit_refusal(
            services.database, services.clock, viewer, "rep.list", request.url.path, "not_admin"
        )
        raise Forbidden("admins only")
    return viewer


RepReaderDep = Annotated[Viewer, Depends(rep_reader)]
StatusFilter = Literal["pending", "active", "suspended", "removed"]


class Rep(BaseModel):
    """A rep of the agency, or an application (status pending)."""

    id: uuid.UUID
    name: str
    email: str
    telegram_username: str | None
    status: str
    is_admin: bool
    calendar_connected: bool
    language: str
    registered_at: datetime | None

    @classmethod
    def of(cls, row: RepRow) -> Rep:
        return cls(
            id=row.id,
            name=row.name,
            email=row.email,
            telegram_username=row.telegram_username,
            status=row.status,
            is_admin=row.is_admin,
            calendar_connected=row.calendar_connected,
            language=row.language,
            registered_at=row.registered_at,
        )


class RepList(BaseModel):
    """One page by name; pass `next_cursor` as `cursor` for the next (null: this was the last)."""

    items: list[Rep]
    next_cursor: str | None


class RepChanged(BaseModel):
    """The rep after the change, and whether the team bot told them."""

    id: uuid.UUID
    name: str
    status: str
    is_admin: bool
    told: bool


@router.get("/reps", response_model=RepList)
async def list_reps(
    viewer: RepReaderDep,
    services: ServicesDep,
    status: Annotated[list[StatusFilter] | None, Query()] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = TEAM_PAGE_SIZE,
) -> RepList:
    """The agency's reps in these statuses (default: pending, active and suspended), by name."""
    statuses = tuple(status or (RepStatus.PENDING, RepStatus.ACTIVE, RepStatus.SUSPENDED))
    async with services.database.session() as session:
        rows, next_cursor = await team_page(session, viewer, statuses=statuses, cursor=cursor, limit=limit)
    return RepList(items=[Rep.of(row) for row in rows], next_cursor=next_cursor)


async def _change(
    services: ServicesDep, viewer: ApiViewerDep, rep_id: uuid.UUID, change: Change
) -> JSONResponse:
    try:
        outcome = await change_rep(services, viewer, rep_id, change)
    except NothingToChange as unchanged:
        return problem(409, "conflict", f"rep {unchanged.card.status}", status_now=unchanged.card.status)
    card = outcome.card
    body = RepChanged(
        id=card.id, name=card.name, status=card.status, is_admin=card.is_admin, told=outcome.told
    )
    return JSONResponse(body.model_dump(mode="json"))


@router.post("/reps/{rep_id}/approve", response_model=RepChanged)
async def approve(rep_id: uuid.UUID, viewer: ApiViewerDep, services: ServicesDep) -> JSONResponse:
    """Approve a pending application (admins only); the rep hears it from the team bot."""
    return await _change(services, viewer, rep_id, "approve")


@router.post("/reps/{rep_id}/reject", response_model=RepChanged)
async def reject(rep_id: uuid.UUID, viewer: ApiViewerDep, services: ServicesDep) -> JSONResponse:
    """Reject a pending application (admins only)."""
    return await _change(services, viewer, rep_id, "reject")


@router.post("/reps/{rep_id}/suspend", response_model=RepChanged)
async def suspend(rep_id: uuid.UUID, viewer: ApiViewerDep, services: ServicesDep) -> JSONResponse:
    """Suspend an active rep (admins only); their leads go back to the queue."""
    return await _change(services, viewer, rep_id, "suspend")


@router.post("/reps/{rep_id}/remove", response_model=RepChanged)
async def remove(rep_id: uuid.UUID, viewer: ApiViewerDep, services: ServicesDep) -> JSONResponse:
    """Remove a rep (admins only); their leads go back to the queue."""
    return await _change(services, viewer, rep_id, "remove")


@router.post("/reps/{rep_id}/restore", response_model=RepChanged)
async def restore(rep_id: uuid.UUID, viewer: ApiViewerDep, services: ServicesDep) -> JSONResponse:
    """Restore a suspended rep (admins only)."""
    return await _change(services, viewer, rep_id, "restore")
