"""Where a tenant's hot-lead alerts go: the group an admin names as its alert chat."""

from __future__ import annotations

from agent.services.team.authority import Authority
from agent.services.team.cards import Action, Actor
from agent.services.team.errors import AmbiguousTenant, NotAuthorized, RegistrationClosed
from storage.models import Tenant
from storage.repositories.audit import AuditRepository
from storage.repositories.telegram import TelegramRepository
from storage.repositories.tenants import TenantRepository


class AlertChat(Authority):
    async def set_alert_chat(self, actor: Actor, chat_id: int, slug: str | None = None) -> Tenant:
        """Make this group the alert chat of the admin's tenant (named by slug when they run several)."""
        now = self.clock.now()
        async with self.database.session() as session:
            tenants = await self._admin_tenants(session, actor.telegram_id)
            if tenants is None:
                tenants = await TenantRepository(session).all()
                administers = True
            else:
                administers = bool(tenants)
            if administers:
                if slug:
                    tenants = [t for t in tenants if t.slug == slug]
                if len(tenants) != 1:
                    raise (
                        AmbiguousTenant([t.slug for t in tenants])
                        if tenants
                        else RegistrationClosed(slug or "")
                    )
                tenant = tenants[0]
                tenant.alert_chat_id = chat_id
                await AuditRepository(session).record(
                    action=Action.SET_ALERT_CHAT,
                    now=now,
                    actor_telegram_id=actor.telegram_id,
                    tenant_id=tenant.id,
                    target=str(chat_id),
                )
                await TelegramRepository(session).remember_language(chat_id, actor.language, now)
                await session.flush()
                return tenant
            named = await TenantRepository(session).by_slug(slug) if slug else None
            tenant_id = named.id if named is not None else await self._tenant_of(session, actor)
            await self._refuse(session, actor, Action.SET_ALERT_CHAT, tenant_id, str(chat_id))
        raise NotAuthorized(Action.SET_ALERT_CHAT)
