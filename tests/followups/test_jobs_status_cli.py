"""`realty jobs status` says, for the sends skipped for want of a channel, which setting or command would let them go."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from agent.core.clock import FrozenClock
from agent.services.jobs.run import run_due
from agent.settings import Settings
from evals.bot_api import FakeTelegramAPI
from storage.db import Database
from storage.repositories.followups import FollowUpRepository, PlannedSend
from tests.jobs_support import job_context_on, make_lead, make_tenant

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
REALTY = str(Path(sys.executable).parent / "realty")


async def test_jobs_status_names_what_to_configure_for_each_skipped_channel(
    database: Database, database_url: str, data_dir: Path, settings: Settings, api: FakeTelegramAPI
) -> None:
    tenant = await make_tenant(database, slug="acme", token=None)  # no lead bot yet
    leads = [
        await make_lead(database, tenant, last_inbound_at=NOW, email=f"lead{n}@example.com") for n in range(3)
    ]
    async with database.session() as session:
        await FollowUpRepository(session).plan(
            [
                PlannedSend(tenant.id, f"check:{n}", "telegram", NOW, "Hi!", lead.id)
                for n, lead in enumerate(leads)
            ]
            + [PlannedSend(tenant.id, "check:mail", "email", NOW, "Hi!", leads[0].id)],
            NOW,
        )
    async with job_context_on(database, settings, api, FrozenClock(NOW)) as services:  # no SMTP either
        report = await run_due(services, outreach=False)
    assert report.dispatch.skipped == 4 and api.sent() == []

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "WHATSAPP_"))}
    process = await asyncio.create_subprocess_exec(
        REALTY,
        "jobs",
        "status",
        env=env | {"DATABASE_URL": database_url, "REALTY_DATA_DIR": str(data_dir)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert "skipped 4" in lines[0]
    telegram = next(line for line in lines if "· telegram:" in line)
    assert telegram.startswith("skipped (no channel) 3 · acme · telegram: tenant has no lead bot")
    assert "realty bot set-token acme TOKEN`" in telegram
    email = next(line for line in lines if "· email:" in line)
    assert email.startswith("skipped (no channel) 1 · acme · email: SMTP is not configured")
    assert "set SMTP_HOST and SMTP_FROM" in email
