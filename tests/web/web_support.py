"""The web app under test: two agencies with their people, sessions opened as any of them, a live server and
the system Chromium (through Playwright) for the browser tests.

People (Telegram ids): in "tre", ANNA and BORIS are reps and OLGA a promoted admin; in "other", OTTO is an
admin; GLOBAL_ADMIN is in ADMIN_TELEGRAM_IDS. Screenshots go to `test-output/screenshots/` (or
$REALTY_TEST_OUTPUT/screenshots).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from agent.services.web_access import WebAccess
from agent.web.deps import SESSION_COOKIE
from storage.db import Database
from storage.models import RepStatus, SalesRepresentative, Tenant
from storage.repositories.tenants import TenantRepository

ROOT = Path(__file__).resolve().parents[2]
TEAM_TOKEN = "7000000001:WEBTEAMTOKENxxxxxxxxxxxxxxxxxxxxxxx"
GLOBAL_ADMIN = 900
ANNA, BORIS, OLGA, OTTO, PENDING = 101, 102, 103, 201, 104
PHONE = (390, 844)
DESKTOP = (1280, 800)


@dataclass
class Agencies:
    tre: Tenant
    other: Tenant
    reps: dict[int, SalesRepresentative]

    def rep(self, telegram_id: int) -> SalesRepresentative:
        return self.reps[telegram_id]


async def make_agencies(database: Database) -> Agencies:
    """Two agencies; Anna and Boris (reps), Olga (admin) and a pending applicant in tre; Otto (admin) in other."""
    async with database.session() as session:
        tenants = TenantRepository(session)
        tre = await tenants.create(name="True Real Estate", slug="tre", time_zone="Asia/Makassar")
        other = await tenants.create(name="Other Homes", slug="other", time_zone="Europe/Moscow")
        people = [
            (tre, ANNA, "Anna Rep", "anna@tre.example", "en", RepStatus.ACTIVE, False),
            (tre, BORIS, "Boris Rep", "boris@tre.example", "ru", RepStatus.ACTIVE, False),
            (tre, OLGA, "Olga Admin", "olga@tre.example", "en", RepStatus.ACTIVE, True),
            (tre, PENDING, "Pavel New", "pavel@tre.example", "en", RepStatus.PENDING, False),
            (other, OTTO, "Otto Admin", "otto@other.example", "en", RepStatus.ACTIVE, True),
        ]
        reps: dict[int, SalesRepresentative] = {}
        for tenant, telegram_id, name, email, language, status, is_admin in people:
            rep = SalesRepresentative(
                tenant_id=tenant.id,
                telegram_id=telegram_id,
                telegram_chat_id=telegram_id,
                name=name,
                email=email,
                language=language,
                status=status,
                is_admin=is_admin,
            )
            session.add(rep)
            reps[telegram_id] = rep
        await session.flush()
        return Agencies(tre=tre, other=other, reps=reps)


async def open_session(access: WebAccess, tenant: Tenant, telegram_id: int) -> dict[str, str]:
    """Cookies of a fresh session of this person in this agency (as a sign-in would give)."""
    token = await access.open_session(tenant.id, telegram_id, via="link")
    return {SESSION_COOKIE: token}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def live_server(app: FastAPI) -> AsyncIterator[str]:
    """The app on uvicorn at 127.0.0.1:<free port>, in this event loop; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium (Debian's package), or $REALTY_CHROMIUM; None when there is none."""
    configured = os.environ.get("REALTY_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot_dir() -> Path:
    base = Path(os.environ.get("REALTY_TEST_OUTPUT") or ROOT / "test-output")
    folder = base / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def screenshots(page: Any, name: str) -> list[Path]:
    """The page at phone (390×844) and desktop (1280×800) width, saved as <name>-<w>x<h>.png."""
    saved = []
    for width, height in (PHONE, DESKTOP):
        await page.set_viewport_size({"width": width, "height": height})
        path = screenshot_dir() / f"{name}-{width}x{height}.png"
        await page.screenshot(path=str(path), full_page=True)
        saved.append(path)
    return saved
