"""Who may do what in the team: admins, the tenants they run, refusals (audited) and whom to tell.

Admins are the Telegram ids in ADMIN_TELEGRAM_IDS (every tenant) plus active reps an admin promoted
(their own tenant). Authority is checked here, in code, never in a prompt.

A Telegram update names a user, not an agency. The tenant of an update is that of the user's current rep
record (RepRepository.current_across_tenants: the live one; registration allows one live record per user);
a user with no record (a stranger, a global admin) has none, and an admin action takes the tenant of the rep
or application it is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.team.base import TeamPart
from agent.services.team.cards import Actor, Recipient
from agent.services.team.errors import RepNotFound
from agent.services.team.people import named
from storage.models import RepStatus, SalesRepresentative, Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.reps import LIVE_STATUSES, RepRepository
from storage.repositories.telegram import TelegramRepository
from storage.repositories.tenants import TenantRepository


@dataclass
class Authority(TeamPart):
    """Who administers what; the parts that act for or tell admins build on it."""

    _global_admins: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        self._global_admins = frozenset(self.settings.admin_telegram_ids)

    async def _is_admin(self, session: AsyncSession, telegram_id: int, tenant_id: int | None) -> bool:
        if telegram_id in self._global_admins:
            return True
        reps = RepRepository(session)
        if tenant_id is None:
            return bool(await reps.admin_records_across_tenants(telegram_id))
        return any(rep.telegram_id == telegram_id for rep in await reps.admins(tenant_id))

    async def is_admin(self, telegram_id: int, tenant_id: int | None = None) -> bool:
        """An admin of this tenant (of any tenant when tenant_id is None)."""
        async with self.database.session() as session:
            return await self._is_admin(session, telegram_id, tenant_id)

    async def _admin_tenants(self, session: AsyncSession, telegram_id: int) -> list[Tenant] | None:
        """The tenants this user administers; None means all of them (a global admin)."""
        if telegram_id in self._global_admins:
            return None
        tenant_ids = {
            rep.tenant_id for rep in await RepRepository(session).admin_records_across_tenants(telegram_id)
        }
        tenants = TenantRepository(session)
        return [
            tenant for tenant_id in sorted(tenant_ids) if (tenant := await tenants.get(tenant_id)) is not None
        ]

    async def _refuse(
        self,
        session: AsyncSession,
        actor: Actor,
        action: str,
        tenant_id: int | None,
        target: str | None,
        detail: str | None = None,
        reason: str = "not an admin",
    ) -> None:
        await AuditRepository(session).record(
            action=action,
            now=self.clock.now(),
            actor_telegram_id=actor.telegram_id,
            tenant_id=tenant_id,
            target=target,
            allowed=False,
            detail=f"{reason}: {detail}" if detail else reason,
        )

    async def record_refusal(
        self,
        actor: Actor,
        action: str,
        *,
        tenant_id: int | None = None,
        target: str | None = None,
        detail: str | None = None,
        reason: str = "not an admin",
    ) -> None:
        """Audit an attempt someone without the authority made (the actor's own agency when none is given)."""
        async with self.database.session() as session:
            if tenant_id is None:
                tenant_id = await self._tenant_of(session, actor)
            await self._refuse(session, actor, action, tenant_id, target, detail, reason)

    async def refuse_command(
        self,
        actor: Actor,
        action: str,
        *,
        person: str | None = None,
        statuses: Sequence[str] = (),
        target: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Audit an admin command a non-admin typed or pressed, with its tenant and target when knowable.

        The tenant is the actor's own agency. The target is the one rep the command would have acted on there:
        the one live rep `person` names, or else the one rep in `statuses` (an "approve" with one application
        waiting). A stranger's command points at whichever agency that one rep is in.
        """
        async with self.database.session() as session:
            reps = RepRepository(session)
            tenant_id = await self._tenant_of(session, actor)
            wanted = LIVE_STATUSES if person else tuple(statuses)
            if wanted and target is None:
                candidates = (
                    await reps.list_by_status(tenant_id, *wanted)
                    if tenant_id is not None
                    else await reps.list_by_status_all_tenants(*wanted)
                )
                if person:
                    candidates = named(person, candidates)
                if len(candidates) == 1:
                    target, tenant_id = str(candidates[0].id), candidates[0].tenant_id
            if person and target is None:
                detail = f"{detail}; named {person!r}" if detail else f"named {person!r}"
            await self._refuse(session, actor, action, tenant_id, target, detail)

    async def _tenant_of(self, session: AsyncSession, actor: Actor) -> int | None:
        """The agency an update from this user belongs to: that of their current rep record, if any."""
        rep = await RepRepository(session).current_across_tenants(actor.telegram_id)
        return rep.tenant_id if rep is not None else None

    async def admin_recipients(self, tenant_id: int) -> tuple[Recipient, ...]:
        """Everyone who administers this tenant, each with their language."""
        async with self.database.session() as session:
            return await self.admin_recipients_in(session, tenant_id)

    async def admin_recipients_in(self, session: AsyncSession, tenant_id: int) -> tuple[Recipient, ...]:
        """admin_recipients inside the caller's transaction."""
        reps = RepRepository(session)
        chats: dict[int, str] = {}
        for rep in await reps.admins(tenant_id):
            chats[rep.telegram_chat_id or rep.telegram_id] = rep.language
        known = await TelegramRepository(session).languages(sorted(self._global_admins), self.clock.now())
        for telegram_id in sorted(self._global_admins):
            if telegram_id in chats:
                continue
            own = await reps.by_telegram_id(telegram_id, tenant_id=tenant_id)
            chats[telegram_id] = own.language if own is not None else known.get(telegram_id, "ru")
        return tuple(Recipient(chat_id, language) for chat_id, language in chats.items())

    async def remember_language(self, actor: Actor) -> None:
        """Keep the language of a team-bot user who has no rep record (admins), for alerts."""
        async with self.database.session() as session:
            await TelegramRepository(session).remember_language(
                actor.telegram_id, actor.language, self.clock.now()
            )


async def active_rep(session: AsyncSession, telegram_id: int) -> SalesRepresentative:
    """This user's rep record when it is active (the only kind with clients and a calendar); else RepNotFound."""
    rep = await RepRepository(session).current_across_tenants(telegram_id)
    if rep is None or rep.status != RepStatus.ACTIVE:
        raise RepNotFound("not an active rep")
    return rep
