"""The ASGI application: `create_app(services)` for `realty serve`, `realty bot --web-port` and the tests."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from agent.services.provider import Services
from agent.web import errors
from agent.web.api import leads as leads_api
from agent.web.routes import health, leads, session

STATIC = Path(__file__).parent / "static"


def create_app(services: Services) -> FastAPI:
    """Every route of the web app over these services; nothing is kept in memory between requests."""
    app = FastAPI(
        title="realty-agent",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.services = services
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (health, session, leads, leads_api):
        app.include_router(module.router)
    return app
