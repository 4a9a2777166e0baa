"""`/api/v1/me`: who the caller is (agency, role), for an integration checking its token or the dashboard's
own scripts; `POST /api/v1/me/ping` is the smallest write, to check a session's X-CSRF-Token."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from agent.services.web_access import Viewer
from agent.web.api_auth import ApiViewerDep
from agent.web.deps import ServicesDep

router = APIRouter(prefix="/api/v1", tags=["me"])


class Me(BaseModel):
    agency: str
    """The agency's slug."""
    agency_name: str
    role: str
    """rep, admin or integration."""
    name: str
    telegram_id: int | None
    language: str
    time_zone: str


class Pong(BaseModel):
    ok: bool
    at: datetime


def _me(viewer: Viewer) -> Me:
    return Me(
        agency=viewer.tenant_slug,
        agency_name=viewer.tenant_name,
        role=viewer.role,
        name=viewer.name,
        telegram_id=viewer.telegram_id,
        language=viewer.language,
        time_zone=viewer.time_zone,
    )


@router.get("/me")
async def who_am_i(viewer: ApiViewerDep) -> Me:
    """The caller: their agency and role (a bearer token is an agency's integration)."""
    return _me(viewer)


@router.post("/me/ping")
async def ping(viewer: ApiViewerDep, services: ServicesDep) -> Pong:
    """A write that changes nothing: a session must send X-CSRF-Token, a bearer token need not."""
    return Pong(ok=True, at=services.clock.now())
