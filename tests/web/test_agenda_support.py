"""Rows for the agenda tests: leads, tasks, automatic sends, viewings and alerts of the two agencies.

The clock stands at 2026-01-01 09:00 UTC: 17:00 in Asia/Makassar, the "tre" agency's zone (and Anna's).
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from agent.core.policies.slots import blocks_of
from storage.db import Database
from storage.models import (
    AuditLog,
    FollowUpSend,
    Lead,
    LeadAlert,
    RepTask,
    SalesRepresentative,
    Tenant,
    Viewing,
)
from storage.repositories.viewings import ViewingRepository
from tests.viewings.conftest import add_viewable_listing

NOW = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
MAKASSAR = ZoneInfo("Asia/Makassar")
_ids = itertools.count(1)


def local(day: int, hour: int, minute: int = 0, zone: ZoneInfo = MAKASSAR) -> datetime:
    """A wall-clock time in January 2026 in `zone`, as an aware datetime."""
    return datetime(2026, 1, day, hour, minute, tzinfo=zone)


async def add_lead(
    database: Database,
    tenant: Tenant,
    rep: SalesRepresentative | None,
    name: str,
    *,
    temperature: str = "warm",
    score: int = 50,
    phone: str | None = None,
) -> int:
    async with database.session() as session:
        lead = Lead(
            tenant_id=tenant.id,
            name=name,
            language="en",
            assigned_rep_id=rep.id if rep else None,
            temperature=temperature,
            lead_score=score,
            phone=phone,
            status="contact_captured" if phone else "qualifying",
            extra={},
        )
        session.add(lead)
        await session.flush()
        return lead.id


async def add_task(
    database: Database, rep: SalesRepresentative, lead_id: int | None, due_at: datetime, note: str
) -> int:
    async with database.session() as session:
        task = RepTask(tenant_id=rep.tenant_id, rep_id=rep.id, lead_id=lead_id, due_at=due_at, note=note)
        session.add(task)
        await session.flush()
        return task.id


async def add_send(
    database: Database,
    tenant: Tenant,
    lead_id: int,
    due_at: datetime,
    *,
    status: str = "pending",
    step_key: str = "ghost",
    hold_reason: str | None = None,
) -> int:
    async with database.session() as session:
        send = FollowUpSend(
            tenant_id=tenant.id,
            lead_id=lead_id,
            step_key=step_key,
            status=status,
            hold_reason=hold_reason,
            due_at=due_at,
            created_at=NOW - timedelta(days=1),
        )
        session.add(send)
        await session.flush()
        return send.id


async def add_viewing(
    database: Database,
    rep: SalesRepresentative,
    lead_id: int,
    starts_at: datetime,
    *,
    online: bool = False,
    link: str | None = None,
    title: str = "Villa Sunset",
) -> int:
    async with database.session() as session:
        listing_id = await _listing(session, rep.tenant_id, title)
        viewing = Viewing(
            tenant_id=rep.tenant_id,
            lead_id=lead_id,
            property_id=listing_id,
            rep_id=rep.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            time_zone="Asia/Makassar",
            status="scheduled",
            online=online,
            meeting_link=link,
            extra={"calendar": "internal", "revision": 0},
        )
        await ViewingRepository(session).book(viewing, blocks_of(starts_at, 60))
        return viewing.id


async def _listing(session: object, tenant_id: int, title: str) -> int:
    from storage.models import Property

    found = await session.execute(  # type: ignore[attr-defined]
        select(Property.id).where(Property.tenant_id == tenant_id, Property.title == title)
    )
    existing = found.scalar_one_or_none()
    if existing is not None:
        return int(existing)
    return await add_viewable_listing(session, tenant_id, title)  # type: ignore[arg-type]


async def add_alert(database: Database, tenant: Tenant, lead_id: int, kind: str, at: datetime) -> None:
    async with database.session() as session:
        session.add(LeadAlert(tenant_id=tenant.id, lead_id=lead_id, kind=kind, payload={}, created_at=at))


async def audits(database: Database, action: str) -> list[AuditLog]:
    async with database.session() as session:
        rows = await session.execute(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        return list(rows.scalars())


def section(html: str, anchor: str) -> str:
    """The HTML of the <section id="anchor"> of a page."""
    match = re.search(rf'<section[^>]*id="{re.escape(anchor)}"[^>]*>(.*?)</section>', html, re.S)
    assert match is not None, f"no section {anchor}"
    return match.group(1)


async def csrf_of(client: httpx.AsyncClient) -> str:
    """The session's CSRF token, as a page gives it to its scripts."""
    page = await client.get("/today")
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert match is not None
    return match.group(1)
