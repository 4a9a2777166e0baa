"""/healthz (the process answers) and /readyz (it can reach PostgreSQL), for a load balancer."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from agent.web.deps import ServicesDep

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, bool]:
    return {"ok": True}


@router.get("/readyz")
async def readyz(services: ServicesDep) -> JSONResponse:
    try:
        async with services.database.session() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means: not ready
        log.warning("readyz: the database is not reachable (%s)", type(exc).__name__)
        return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
    return JSONResponse({"ok": True, "database": "ok"})
