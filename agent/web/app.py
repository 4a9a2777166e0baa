"""The ASGI application: `create_app(services)` for `realty serve`, `realty bot --web-port` and the tests."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from agent.services.provider import Services
from agent.web import errors
from agent.web.api import agenda as api_agenda
from agent.web.api import analytics as analytics_api
from agent.web.api import leads as leads_api
from agent.web.api import listings as api_listings
from agent.web.api import me, webhooks
from agent.web.api import outcomes as api_outcomes
from agent.web.api import reps as api_reps
from agent.web.routes import (
    admin_listings,
    admin_reps,
    agenda,
    analytics,
    google,
    health,
    integrations,
    lead_outcome,
    leads,
    session,
    signin,
    telegram,
)
from agent.web.security_headers import SecurityHeaders
from bot.app import BotRuntime

STATIC = Path(__file__).parent / "static"


def create_app(services: Services, *, bots: BotRuntime | None = None) -> FastAPI:
    """Every route of the web app over these services; nothing is kept in memory between requests.

    `bots`: this process's bots (started and stopped by agent.web.server.serve); their webhooks and their
    state in /readyz. Without it the webhook paths answer 404."""
    app = FastAPI(
        title="realty-agent",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.services = services
    app.state.bots = bots
    errors.install(app)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        health,
        session,
        telegram,
        google,
        admin_listings,
        admin_reps,
        api_listings,
        api_reps,
        analytics,
        analytics_api,
        signin,
        me,
        agenda,
        api_agenda,
        integrations,
        webhooks,
        lead_outcome,  # before leads: its /leads/{id}/{action} would take /leads/{id}/outcome
        api_outcomes,
        leads,
        leads_api,
    ):
        app.include_router(module.router)
    return app
