"""Pending calendar authorizations: one live state per rep, looked up when the code comes back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OAuthState


@dataclass
class OAuthStateRepository:
    session: AsyncSession

    async def replace_for_rep(
        self,
        *,
        rep_id: str,
        state: str,
        code_verifier: str,
        provider: str,
        now: datetime,
        expires_at: datetime,
    ) -> OAuthState:
        """The rep's new pending authorization; any older link of theirs stops working."""
        await self.session.execute(delete(OAuthState).where(OAuthState.rep_id == rep_id))
        row = OAuthState(
            state=state,
            rep_id=rep_id,
            provider=provider,
            code_verifier=code_verifier,
            created_at=now,
            expires_at=expires_at,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, state: str, *, for_update: bool = False) -> OAuthState | None:
        query = select(OAuthState).where(OAuthState.state == state)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def latest_for_rep(self, rep_id: str, *, for_update: bool = False) -> OAuthState | None:
        query = (
            select(OAuthState)
            .where(OAuthState.rep_id == rep_id)
            .order_by(OAuthState.created_at.desc())
            .limit(1)
        )
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def delete_for_rep(self, rep_id: str) -> None:
        await self.session.execute(delete(OAuthState).where(OAuthState.rep_id == rep_id))

    async def purge_expired(self, now: datetime) -> int:
        result = await self.session.execute(
            delete(OAuthState).where(OAuthState.expires_at <= now).returning(OAuthState.state)
        )
        return len(result.all())
