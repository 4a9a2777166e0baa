"""One-time sign-in links the team bot sends: who may get one, issuing, and using one.

The link carries a random token; only its SHA-256 digest is stored. A link lives ten minutes and opens
one session: using it is one atomic UPDATE ... WHERE used_at IS NULL AND expires_at > now RETURNING, so two
clicks racing in two processes open one session at most. Looking at a link (GET, as chat apps' link
previews do) never uses it. Mini App initData is single use too: its `hash` is kept here as a spent link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.telegram_webapp import MAX_AGE, WebAppUser
from agent.services.team.base import TeamPart
from agent.services.web_access.sessions import token_digest
from agent.settings import Settings
from storage.models import RepStatus, SignInLink, Tenant
from storage.repositories.reps import RepRepository
from storage.repositories.tenants import TenantRepository

LINK_LIFETIME = timedelta(minutes=10)
INIT_DATA_PREFIX = "initdata:"
"""Spent Mini App initData shares the links' table; the prefix keeps its digests apart from links' tokens."""
LOCAL_WEB_ADDRESS = "http://127.0.0.1:8080"
"""Where `realty bot` serves the dashboard when PUBLIC_BASE_URL is not set."""


@dataclass(frozen=True)
class IssuedLink:
    tenant: Tenant
    url: str


@dataclass(frozen=True)
class LinkHolder:
    """Who a used link signs in, and where."""

    tenant_id: int
    telegram_id: int


def web_address(settings: Settings) -> str:
    """The dashboard's base address: PUBLIC_BASE_URL, else the local one."""
    return (settings.public_base_url or LOCAL_WEB_ADDRESS).rstrip("/")


def mini_app_url(settings: Settings) -> str | None:
    """The Mini App's address, when the deployment has a public https one (Telegram requires https)."""
    base = settings.public_base_url
    if not base or not base.lower().startswith("https://"):
        return None
    return base.rstrip("/") + "/app"


async def home_agency(
    session: AsyncSession, settings: Settings, telegram_id: int, slug: str | None = None
) -> Tenant | None:
    """The agency this person signs in to: an active rep's own; for a global admin `slug`, else their own
    agency, else the first one. None for a stranger, an applicant or a suspended rep."""
    tenants = TenantRepository(session)
    rep = await RepRepository(session).current_across_tenants(telegram_id)
    active = rep is not None and rep.status == RepStatus.ACTIVE
    if telegram_id in settings.admin_telegram_ids:
        if slug:
            return await tenants.by_slug(slug)
        if rep is not None and active:
            return await tenants.get(rep.tenant_id)
        every = await tenants.all()
        return every[0] if every else None
    if rep is None or not active:
        return None
    return await tenants.get(rep.tenant_id)


@dataclass
class SignInLinks(TeamPart):
    async def issue(self, telegram_id: int) -> IssuedLink | None:
        """A fresh link for an active rep or an admin; None for anyone else."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.database.session() as session:
            tenant = await home_agency(session, self.settings, telegram_id)
            if tenant is None:
                return None
            session.add(
                SignInLink(
                    token_digest=token_digest(token),
                    tenant_id=tenant.id,
                    telegram_id=telegram_id,
                    created_at=now,
                    expires_at=now + LINK_LIFETIME,
                )
            )
            await session.execute(delete(SignInLink).where(SignInLink.expires_at < now - LINK_LIFETIME))
        return IssuedLink(tenant, f"{web_address(self.settings)}/signin/{token}")

    async def is_live(self, token: str) -> bool:
        """Whether the link can still be used (for the page a GET shows; it does not use the link)."""
        if not token or len(token) > 200:
            return False
        async with self.database.session() as session:
            found = await session.execute(select(SignInLink.token_digest).where(*self._live(token)))
            return found.first() is not None

    async def use(self, token: str) -> LinkHolder | None:
        """Use the link once: who it signs in; None when it is unknown, used or expired."""
        if not token or len(token) > 200:
            return None
        async with self.database.session() as session:
            row = (
                await session.execute(
                    update(SignInLink)
                    .where(*self._live(token))
                    .values(used_at=self.clock.now())
                    .returning(SignInLink.tenant_id, SignInLink.telegram_id)
                )
            ).first()
        return LinkHolder(row.tenant_id, row.telegram_id) if row is not None else None

    async def spend_init_data(self, user: WebAppUser, tenant_id: int) -> bool:
        """Mark this Mini App initData used (its `hash`'s digest, kept until it is too old anyway); False when
        it was used before, so one initData opens one session, however often it is replayed."""
        spent = (
            insert(SignInLink)
            .values(
                token_digest=token_digest(INIT_DATA_PREFIX + user.hash),
                tenant_id=tenant_id,
                telegram_id=user.id,
                created_at=user.auth_date,
                expires_at=max(user.auth_date, self.clock.now()) + MAX_AGE,
                used_at=self.clock.now(),
            )
            .on_conflict_do_nothing(index_elements=[SignInLink.token_digest])
            .returning(SignInLink.token_digest)
        )
        async with self.database.session() as session:
            return (await session.execute(spent)).first() is not None

    def _live(self, token: str) -> tuple[ColumnElement[bool], ...]:
        return (
            SignInLink.token_digest == token_digest(token),
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > self.clock.now(),
        )
