"""Browser sessions of the team's web app, found by the digest of the cookie's token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import WebSession


@dataclass
class WebSessionRepository:
    session: AsyncSession

    async def open(
        self,
        *,
        tenant_id: int,
        telegram_id: int,
        token_digest: bytes,
        csrf_token: str,
        via: str,
        now: datetime,
        expires_at: datetime,
    ) -> WebSession:
        row = WebSession(
            id=uuid.uuid4(),
            token_digest=token_digest,
            tenant_id=tenant_id,
            telegram_id=telegram_id,
            via=via,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def live_by_digest_across_tenants(self, token_digest: bytes, now: datetime) -> WebSession | None:
        """The session a cookie names, whichever agency it is in, unless it ended or expired."""
        query = select(WebSession).where(
            WebSession.token_digest == token_digest,
            WebSession.ended_at.is_(None),
            WebSession.expires_at > now,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def end_all(self, tenant_id: int, telegram_id: int, now: datetime) -> int:
        """End every live session of this person in this agency (sign-out everywhere); how many."""
        result = await self.session.execute(
            update(WebSession)
            .where(
                WebSession.tenant_id == tenant_id,
                WebSession.telegram_id == telegram_id,
                WebSession.ended_at.is_(None),
            )
            .values(ended_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def touch(self, row: WebSession, now: datetime) -> None:
        row.last_seen_at = now
