"""Browser sessions: opened for an active rep or an admin of one agency, checked again on every request.

The cookie carries a random token; the database keeps its SHA-256 digest. A session names a person
(Telegram id) in one agency; what they may see is worked out again on each request from their rep record,
so a rep suspended a minute ago is out at once, in every process.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.team.base import TeamPart
from agent.services.team.cards import Actor
from storage.models import RepStatus, SalesRepresentative, Tenant
from storage.repositories.reps import RepRepository
from storage.repositories.tenants import TenantRepository
from storage.repositories.web import WebSessionRepository

SESSION_LIFETIME = timedelta(days=7)
TOUCH_EVERY = timedelta(minutes=5)
"""last_seen_at is written at most this often, so reading a page is not a write."""

Role = Literal["rep", "admin", "integration"]
"""rep: their own leads, viewings and follow-ups; admin: the whole agency, its reps and listings;
integration (an API token): the agency's leads, viewings, follow-ups and listings, but no reps."""


class NotAllowed(Exception):
    """This person is neither an active rep nor an admin of that agency."""


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True)
class Viewer:
    """Who is looking, in which agency, with which role; built from the database on every request."""

    session_id: uuid.UUID
    tenant_id: int
    tenant_slug: str
    tenant_name: str
    telegram_id: int | None
    """None for an integration (API token)."""
    rep_id: uuid.UUID | None
    """None for a global admin (ADMIN_TELEGRAM_IDS) with no rep record here, and for an integration."""
    name: str
    role: Role
    language: str
    time_zone: str
    csrf_token: str
    """Empty for an integration: a bearer token is not sent by a browser on its own, so no CSRF."""
    via: str = "web"
    """What the audit says the change came through: "web", or "api token <prefix>"."""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_whole_agency(self) -> bool:
        """Admins and integrations see every lead of the agency; a rep sees their own."""
        return self.role in ("admin", "integration")

    def actor(self) -> Actor:
        """The same identity the team bot's services take (people only, not integrations)."""
        if self.telegram_id is None:
            raise ValueError("an integration is not a Telegram user")
        return Actor(telegram_id=self.telegram_id, language=self.language)


@dataclass
class WebAccess(TeamPart):
    """Opens, reads and ends sessions."""

    async def role_in(
        self, session: AsyncSession, tenant_id: int, telegram_id: int
    ) -> tuple[Role, SalesRepresentative | None] | None:
        """The role this person has in the agency now, with their rep record; None when they have none."""
        rep = await RepRepository(session).by_telegram_id(telegram_id, tenant_id=tenant_id)
        if telegram_id in self.settings.admin_telegram_ids:
            return "admin", rep if rep is not None and rep.status == RepStatus.ACTIVE else None
        if rep is None or rep.status != RepStatus.ACTIVE:
            return None
        return ("admin" if rep.is_admin else "rep"), rep

    async def open_session(self, tenant_id: int, telegram_id: int, *, via: str) -> str:
        """A new session's cookie token; raises NotAllowed for someone with no role in the agency."""
        now = self.clock.now()
        token = secrets.token_urlsafe(32)
        async with self.database.session() as session:
            if await self.role_in(session, tenant_id, telegram_id) is None:
                raise NotAllowed(str(telegram_id))
            await WebSessionRepository(session).open(
                tenant_id=tenant_id,
                telegram_id=telegram_id,
                token_digest=token_digest(token),
                csrf_token=secrets.token_urlsafe(24),
                via=via,
                now=now,
                expires_at=now + SESSION_LIFETIME,
            )
        return token

    async def viewer(self, token: str | None) -> Viewer | None:
        """The viewer a cookie's token stands for; None when it is unknown, ended, expired or no longer allowed."""
        if not token or len(token) > 200:
            return None
        now = self.clock.now()
        async with self.database.session() as session:
            sessions = WebSessionRepository(session)
            row = await sessions.live_by_digest_across_tenants(token_digest(token), now)
            if row is None:
                return None
            found = await self.role_in(session, row.tenant_id, row.telegram_id)
            tenant = await TenantRepository(session).get(row.tenant_id)
            if found is None or tenant is None:
                return None
            if now - row.last_seen_at > TOUCH_EVERY:
                await sessions.touch(row, now)
            role, rep = found
            return _viewer(row.id, row.csrf_token, tenant, row.telegram_id, role, rep)

    async def sign_out_everywhere(self, viewer: Viewer) -> int:
        """End every session of this person, in every agency they are signed in to, on every device; how many
        ended."""
        if viewer.telegram_id is None:
            return 0
        async with self.database.session() as session:
            return await WebSessionRepository(session).end_all_across_tenants(
                viewer.telegram_id, self.clock.now()
            )


def _viewer(
    session_id: uuid.UUID,
    csrf_token: str,
    tenant: Tenant,
    telegram_id: int,
    role: Role,
    rep: SalesRepresentative | None,
) -> Viewer:
    return Viewer(
        session_id=session_id,
        tenant_id=tenant.id,
        tenant_slug=tenant.slug,
        tenant_name=tenant.name,
        telegram_id=telegram_id,
        rep_id=rep.id if rep is not None else None,
        name=rep.name if rep is not None else str(telegram_id),
        role=role,
        language=(rep.language if rep is not None else tenant.default_language) or "en",
        time_zone=(rep.time_zone if rep is not None and rep.time_zone else tenant.time_zone) or "UTC",
        csrf_token=csrf_token,
    )
