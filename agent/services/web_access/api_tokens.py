"""Integrations' API tokens: created by an admin (CLI or team bot), shown once, stored as a digest, revoked.

A token reads `rk_<random>`; its first characters (the prefix) are kept to tell tokens apart in lists and in
the audit. Who a token stands for on a request: agent.services.web_access.api_callers.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from agent.services.team.base import TeamPart
from agent.services.web_access.links import home_agency
from agent.services.web_access.sessions import WebAccess, token_digest
from storage.models import ApiToken
from storage.repositories.audit import AuditRepository
from storage.repositories.tenants import TenantRepository
from storage.repositories.web import ApiTokenRepository

TOKEN_PREFIX = "rk_"
PREFIX_LENGTH = 11
"""`rk_` and eight random characters."""
NAME_LIMIT = 120


class UnknownAgency(Exception):
    """No agency has this slug."""


class TokenNotFound(Exception):
    """The agency has no live token with this id or prefix (or the prefix names several)."""


@dataclass(frozen=True)
class TokenLine:
    id: uuid.UUID
    name: str
    prefix: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    line: TokenLine
    token: str
    """The whole token: shown once, never stored."""


def _line(row: ApiToken) -> TokenLine:
    return TokenLine(
        row.id, row.name, row.prefix, row.created_by, row.created_at, row.last_used_at, row.revoked_at
    )


@dataclass
class ApiTokens(TeamPart):
    async def tenant_id(self, slug: str) -> int:
        async with self.database.session() as session:
            tenant = await TenantRepository(session).by_slug(slug)
        if tenant is None:
            raise UnknownAgency(slug)
        return tenant.id

    async def create(
        self, tenant_id: int, name: str, *, created_by: str, actor_telegram_id: int | None = None
    ) -> NewToken:
        """A new token for the agency, audited; the caller shows `token` once."""
        name = " ".join(name.split())[:NAME_LIMIT] or "integration"
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.database.session() as session:
            row = await ApiTokenRepository(session).create(
                tenant_id=tenant_id,
                name=name,
                token_digest=token_digest(token),
                prefix=token[:PREFIX_LENGTH],
                created_by=created_by,
                now=now,
            )
            await AuditRepository(session).record(
                action="api_token.create",
                now=now,
                actor_telegram_id=actor_telegram_id,
                tenant_id=tenant_id,
                target=row.prefix,
                detail=f"{created_by}: {name}",
            )
            return NewToken(_line(row), token)

    async def list(self, tenant_id: int) -> list[TokenLine]:
        """The agency's tokens, newest first, revoked ones included."""
        async with self.database.session() as session:
            return [_line(row) for row in await ApiTokenRepository(session).of_tenant(tenant_id)]

    async def revoke(
        self, tenant_id: int, id_or_prefix: str, *, revoked_by: str, actor_telegram_id: int | None = None
    ) -> TokenLine:
        """Revoke one live token named by its id or (the start of) its prefix; raises TokenNotFound."""
        wanted = id_or_prefix.strip()
        now = self.clock.now()
        async with self.database.session() as session:
            tokens = ApiTokenRepository(session)
            live = [row for row in await tokens.of_tenant(tenant_id) if row.revoked_at is None]
            matching = [row for row in live if _names(row, wanted)]
            if len(matching) != 1:
                raise TokenNotFound(wanted)
            row = await tokens.revoke(tenant_id, matching[0].id, now)
            if row is None:
                raise TokenNotFound(wanted)
            await AuditRepository(session).record(
                action="api_token.revoke",
                now=now,
                actor_telegram_id=actor_telegram_id,
                tenant_id=tenant_id,
                target=row.prefix,
                detail=f"{revoked_by}: {row.name}",
            )
            return _line(row)


def _names(row: ApiToken, wanted: str) -> bool:
    if not wanted:
        return False
    if str(row.id) == wanted.lower():
        return True
    bare = row.prefix.removeprefix(TOKEN_PREFIX)
    return len(wanted.removeprefix(TOKEN_PREFIX)) >= 2 and (
        row.prefix.startswith(wanted) or bare.startswith(wanted.removeprefix(TOKEN_PREFIX))
    )


@dataclass
class TokenAdmin(TeamPart):
    """Which agency's tokens a team-bot user may manage: their own, when they are its admin."""

    async def agency_of(self, telegram_id: int) -> tuple[int, str] | None:
        """(tenant id, agency name) of the agency this person administers; None for anyone else."""
        async with self.database.session() as session:
            tenant = await home_agency(session, self.settings, telegram_id)
            if tenant is None:
                return None
            access = WebAccess(self.database, self.settings, self.clock)
            found = await access.role_in(session, tenant.id, telegram_id)
            if found is None or found[0] != "admin":
                return None
            return tenant.id, tenant.name
