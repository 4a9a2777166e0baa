"""Browser sessions of the team's web app, found by the digest of the cookie's token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiToken, SignInFailure, SignInLink, WebSession


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

    async def end_all_across_tenants(self, telegram_id: int, now: datetime) -> int:
        """End every live session of this person in every agency (sign-out everywhere, a rep suspended or
        removed); how many."""
        result = await self.session.execute(
            update(WebSession)
            .where(WebSession.telegram_id == telegram_id, WebSession.ended_at.is_(None))
            .values(ended_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def purge_across_tenants(self, *, now: datetime, keep: timedelta, link_lifetime: timedelta) -> int:
        """Delete, in every agency, sessions ended or expired more than `keep` ago, sign-in links (used or not;
        a link expires `link_lifetime` after it was sent) and spent Mini App initData expired more than
        `link_lifetime` ago, and sign-in failures older than `keep`; how many rows went."""
        cutoff = now - keep
        statements = (
            delete(WebSession).where(or_(WebSession.ended_at < cutoff, WebSession.expires_at < cutoff)),
            delete(SignInLink).where(SignInLink.expires_at < now - link_lifetime),
            delete(SignInFailure).where(SignInFailure.failed_at < cutoff),
        )
        gone = 0
        for statement in statements:
            result = await self.session.execute(statement)
            gone += int(getattr(result, "rowcount", 0) or 0)
        return gone

    async def touch(self, row: WebSession, now: datetime) -> None:
        row.last_seen_at = now


@dataclass
class ApiTokenRepository:
    session: AsyncSession

    async def create(
        self, *, tenant_id: int, name: str, token_digest: bytes, prefix: str, created_by: str, now: datetime
    ) -> ApiToken:
        row = ApiToken(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            name=name,
            token_digest=token_digest,
            prefix=prefix,
            created_by=created_by,
            created_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def live_by_digest_across_tenants(self, token_digest: bytes) -> ApiToken | None:
        """The unrevoked token a bearer header names, whichever agency it belongs to."""
        query = select(ApiToken).where(ApiToken.token_digest == token_digest, ApiToken.revoked_at.is_(None))
        return (await self.session.execute(query)).scalar_one_or_none()

    async def of_tenant(self, tenant_id: int) -> list[ApiToken]:
        """The agency's tokens, newest first, revoked ones included."""
        query = select(ApiToken).where(ApiToken.tenant_id == tenant_id).order_by(ApiToken.created_at.desc())
        return list((await self.session.execute(query)).scalars())

    async def revoke(self, tenant_id: int, token_id: uuid.UUID, now: datetime) -> ApiToken | None:
        """Revoke one of the agency's tokens; None when it has no such live token."""
        query = (
            select(ApiToken)
            .where(ApiToken.tenant_id == tenant_id, ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .with_for_update()
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is not None:
            row.revoked_at = now
        return row

    async def touch(self, row: ApiToken, now: datetime) -> None:
        row.last_used_at = now
