"""Every change made through the web app or the API, and every refusal there, in the audit log.

The actor is the viewer's Telegram id (None for an integration); the detail says what it came through
("web", "api token ab12cd34") and, for a refusal, the reason code.
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.clock import Clock
from agent.services.web_access.sessions import Viewer
from storage.db import Database
from storage.repositories.audit import AuditRepository

_refusals: ContextVar[int] = ContextVar("web_refusals_audited", default=0)
"""How many refusals this request has audited: the web app's error handler audits the ones nobody did."""


def start_counting_refusals() -> None:
    """At the start of a request (the web app's middleware)."""
    _refusals.set(0)


def refusals_audited() -> int:
    return _refusals.get()


async def audit_change(
    session: AsyncSession,
    clock: Clock,
    viewer: Viewer,
    action: str,
    target: str,
    detail: str | None = None,
) -> None:
    """Record a change in the same transaction as the change itself."""
    await AuditRepository(session).record(
        action=action,
        now=clock.now(),
        actor_telegram_id=viewer.telegram_id,
        tenant_id=viewer.tenant_id,
        target=target,
        detail=f"{viewer.via}: {detail}" if detail else viewer.via,
    )


async def audit_refusal(
    database: Database, clock: Clock, viewer: Viewer | None, action: str, target: str, reason: str
) -> None:
    """Record a refused attempt in its own transaction (the refused change itself is not made)."""
    _refusals.set(_refusals.get() + 1)
    async with database.session() as session:
        await AuditRepository(session).record(
            action=action,
            now=clock.now(),
            actor_telegram_id=viewer.telegram_id if viewer else None,
            tenant_id=viewer.tenant_id if viewer else None,
            target=target,
            allowed=False,
            detail=f"{reason} ({viewer.via})" if viewer else reason,
        )
