"""What admins do with reps: decide applications, suspend, remove, restore, promote, list and find them.

Every action checks the actor's authority over the rep's tenant first; a refusal is audited, then raised.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Literal

from agent.services.team.authority import Authority
from agent.services.team.cards import Action, Actor, Decision, RepCard, TeamMember
from agent.services.team.errors import AlreadyDecided, NotAuthorized, RepNotFound
from agent.services.team.rep_changes import audit_rep_change, end_web_sessions, hand_over_prospects
from storage.models import RepStatus, SalesRepresentative
from storage.repositories.reps import LIVE_STATUSES, RepRepository
from storage.repositories.tenants import TenantRepository


class Administration(Authority):
    """Admin decisions about reps; each opens its own transaction."""

    async def pending_applications(self, actor: Actor) -> list[TeamMember]:
        return await self.list_reps(actor, (RepStatus.PENDING,))

    async def decide(
        self, actor: Actor, rep_id: uuid.UUID, *, approve: bool, reason: str | None = None
    ) -> Decision:
        """Approve or reject a PENDING application; only an admin of its tenant may."""
        now = self.clock.now()
        action = Action.APPROVE if approve else Action.REJECT
        async with self.database.session() as session:
            reps = RepRepository(session)
            rep = await reps.get(rep_id)
            if rep is None:
                raise RepNotFound(str(rep_id))
            allowed = await self._is_admin(session, actor.telegram_id, rep.tenant_id)
            if not allowed:
                await self._refuse(session, actor, action, rep.tenant_id, str(rep.id))
            else:
                await session.refresh(rep, with_for_update=True)
                if rep.status != RepStatus.PENDING:
                    raise AlreadyDecided(RepCard.of(rep))
                deciding_rep = await reps.by_telegram_id(actor.telegram_id, tenant_id=rep.tenant_id)
                rep.decided_by_telegram_id = actor.telegram_id
                rep.approved_by = (
                    deciding_rep.id if deciding_rep is not None and deciding_rep.id != rep.id else None
                )
                calendar_requested = False
                if approve:
                    rep.status = RepStatus.ACTIVE
                    rep.approved_at = now
                    if not rep.calendar_connected:
                        rep.calendar_requested_at = now
                        calendar_requested = True
                else:
                    rep.status = RepStatus.REMOVED
                await audit_rep_change(session, action, actor, rep, now, detail=reason)
                return Decision(RepCard.of(rep), approve, reason, calendar_requested)
        raise NotAuthorized(action)

    async def suspend(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.SUSPEND, "suspend")

    async def remove(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.REMOVE, "remove")

    async def restore(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.RESTORE, "restore")

    async def promote(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.PROMOTE, "promote")

    async def _admin_change(
        self,
        actor: Actor,
        rep_id: uuid.UUID,
        action: Action,
        change: Literal["suspend", "remove", "restore", "promote"],
    ) -> RepCard:
        now = self.clock.now()
        async with self.database.session() as session:
            rep = await RepRepository(session).get(rep_id)
            if rep is None:
                raise RepNotFound(str(rep_id))
            if await self._is_admin(session, actor.telegram_id, rep.tenant_id):
                await session.refresh(rep, with_for_update=True)
                if change == "suspend":
                    if rep.status != RepStatus.ACTIVE:
                        raise AlreadyDecided(RepCard.of(rep))
                    rep.status = RepStatus.SUSPENDED
                    rep.is_admin = False
                elif change == "remove":
                    if rep.status == RepStatus.REMOVED:
                        raise AlreadyDecided(RepCard.of(rep))
                    rep.status = RepStatus.REMOVED
                    rep.is_admin = False
                elif change == "restore":
                    if rep.status != RepStatus.SUSPENDED:
                        raise AlreadyDecided(RepCard.of(rep))
                    rep.status = RepStatus.ACTIVE
                else:
                    if rep.status != RepStatus.ACTIVE or rep.is_admin:
                        raise AlreadyDecided(RepCard.of(rep))
                    rep.is_admin = True
                await audit_rep_change(session, action, actor, rep, now)
                if change in ("suspend", "remove"):
                    await hand_over_prospects(session, rep, now)
                    await end_web_sessions(session, rep, now)
                return RepCard.of(rep)
            await self._refuse(session, actor, action, rep.tenant_id, str(rep.id))
        raise NotAuthorized(action)

    async def list_reps(self, actor: Actor, statuses: Sequence[str]) -> list[TeamMember]:
        """Reps in these statuses in the tenants this admin runs."""
        async with self.database.session() as session:
            tenants = await self._admin_tenants(session, actor.telegram_id)
            if tenants is not None and not tenants:
                tenant_id = await self._tenant_of(session, actor)
                await self._refuse(session, actor, Action.LIST, tenant_id, ",".join(statuses))
                refused = True
            else:
                refused = False
                names = {t.id: t.name for t in await TenantRepository(session).all()}
                reps = RepRepository(session)
                rows: list[SalesRepresentative] = []
                if tenants is None:
                    rows = await reps.list_by_status_all_tenants(*statuses)
                else:
                    for tenant in tenants:
                        rows += await reps.list_by_status(tenant.id, *statuses)
                return [TeamMember(RepCard.of(rep), names.get(rep.tenant_id, "")) for rep in rows]
        if refused:
            raise NotAuthorized(Action.LIST)
        return []

    async def find_reps(self, actor: Actor, query: str) -> list[TeamMember]:
        """Live reps matching a name, @username or e-mail, among those this admin may see."""
        members = await self.list_reps(actor, LIVE_STATUSES)
        needle = query.strip().lower().lstrip("@")
        if not needle:
            return []
        exact = [
            m
            for m in members
            if needle
            in (
                m.card.email.lower(),
                (m.card.username or "").lower(),
                m.card.name.lower(),
                str(m.card.telegram_id),
            )
        ]
        if exact:
            return exact
        return [m for m in members if needle in m.card.name.lower() or needle in m.card.email.lower()]

    async def rep_card(self, rep_id: uuid.UUID) -> RepCard | None:
        async with self.database.session() as session:
            rep = await RepRepository(session).get(rep_id)
            return RepCard.of(rep) if rep is not None else None
