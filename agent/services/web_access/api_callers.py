"""Integrations' bearer tokens: who a token stands for (an agency-wide, non-person viewer).

Creating, listing and revoking them: agent.services.web_access.api_tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agent.services.team.base import TeamPart
from agent.services.web_access.sessions import Viewer, token_digest
from storage.repositories.tenants import TenantRepository
from storage.repositories.web import ApiTokenRepository

LAST_USE_EVERY = timedelta(minutes=1)
"""last_used_at is written at most this often."""


@dataclass
class ApiCallers(TeamPart):
    async def viewer_of_token(self, token: str) -> Viewer | None:
        """The integration a live token stands for; None for an unknown or revoked token."""
        if not token or len(token) > 200:
            return None
        now = self.clock.now()
        async with self.database.session() as session:
            tokens = ApiTokenRepository(session)
            row = await tokens.live_by_digest_across_tenants(token_digest(token))
            if row is None:
                return None
            tenant = await TenantRepository(session).get(row.tenant_id)
            if tenant is None:
                return None
            if row.last_used_at is None or now - row.last_used_at > LAST_USE_EVERY:
                await tokens.touch(row, now)
            return Viewer(
                session_id=row.id,
                tenant_id=tenant.id,
                tenant_slug=tenant.slug,
                tenant_name=tenant.name,
                telegram_id=None,
                rep_id=None,
                name=row.name,
                role="integration",
                language=tenant.default_language or "en",
                time_zone=tenant.time_zone or "UTC",
                csrf_token="",
                via=f"api token {row.prefix}",
            )
