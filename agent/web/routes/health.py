"""/healthz (the process answers) and /readyz (it can reach PostgreSQL and its bots run), for a load balancer."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from agent.web.deps import ServicesDep
from bot.app import BotRuntime

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, bool]:
    return {"ok": True}


@router.get("/readyz")
async def readyz(request: Request, services: ServicesDep) -> JSONResponse:
    """Ready: the database answers and, when this process runs bots, they have started (not yet, or stopping: 503)."""
    answer: dict[str, object] = {"ok": True, "database": "ok"}
    try:
        async with services.database.session() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means: not ready
        log.warning("readyz: the database is not reachable (%s)", type(exc).__name__)
        answer |= {"ok": False, "database": "unreachable"}
    runtime: BotRuntime | None = request.app.state.bots
    if runtime is not None and runtime.bots.applications():
        bots = runtime.status()
        answer["bots"] = bots
        answer["ok"] = answer["ok"] and bots["running"]
    return JSONResponse(answer, status_code=200 if answer["ok"] else 503)
