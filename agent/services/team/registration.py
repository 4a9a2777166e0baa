"""A rep's own record: applying with a corporate e-mail, withdrawing, leaving, changing e-mail and language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.team import tenancy
from agent.services.team.authority import Authority
from agent.services.team.cards import Action, Actor, Application, RepCard
from agent.services.team.errors import (
    AlreadyRegistered,
    EmailRejected,
    RegistrationClosed,
    RepNotFound,
    TooManyRegistrations,
)
from agent.services.team.inputs import rep_email
from agent.services.team.rep_changes import audit_rep_change, hand_over_prospects
from storage.models import RepStatus, SalesRepresentative
from storage.repositories.audit import AuditRepository
from storage.repositories.reps import LIVE_STATUSES, RepRepository
from storage.repositories.tenants import TenantRepository

REGISTRATIONS_PER_DAY = 3
"""Applications one Telegram user may file in 24 hours (counted in the audit log, so every process agrees)."""


class Registration(Authority):
    """What a user does about their own rep record; each action opens its own transaction."""

    async def accepted_domains(self) -> tuple[str, ...]:
        async with self.database.session() as session:
            return await tenancy.accepted_domains(session, self.settings)

    async def check_email(self, text: str) -> str:
        """The normalised e-mail if it may register; raises EmailRejected or RegistrationClosed."""
        email = rep_email(text)
        async with self.database.session() as session:
            await tenancy.tenant_for_email(session, self.settings, email)
        return email

    async def profile(self, telegram_id: int) -> RepCard | None:
        """This user's live rep record (pending, active or suspended), if any."""
        async with self.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            if rep is None or rep.status not in LIVE_STATUSES:
                return None
            return RepCard.of(rep)

    async def register(self, actor: Actor, *, name: str, email: str) -> Application:
        """File a PENDING application and say which admins to notify; a refused one is audited."""
        now = self.clock.now()
        try:
            return await self._file(actor, name=name, email=email, now=now)
        except (TooManyRegistrations, EmailRejected, RegistrationClosed) as exc:
            reason = (
                f"email_{exc.reason}"
                if isinstance(exc, EmailRejected)
                else "too_many_today"
                if isinstance(exc, TooManyRegistrations)
                else "registration_closed"
            )
            async with self.database.session() as session:  # the attempt's own transaction was rolled back
                await AuditRepository(session).record(
                    action=Action.REGISTER,
                    now=now,
                    actor_telegram_id=actor.telegram_id,
                    allowed=False,
                    detail=f"refused: {reason}",
                )
            raise

    async def _file(self, actor: Actor, *, name: str, email: str, now: datetime) -> Application:
        email = rep_email(email)
        async with self.database.session() as session:
            reps = RepRepository(session)
            audit = AuditRepository(session)
            existing = await reps.current_across_tenants(actor.telegram_id)
            if existing is not None and existing.status in LIVE_STATUSES:
                raise AlreadyRegistered(RepCard.of(existing))
            recent = await audit.count_by_actor_across_tenants(
                actor.telegram_id, Action.REGISTER, now - timedelta(days=1)
            )
            if recent >= REGISTRATIONS_PER_DAY:
                raise TooManyRegistrations("too many applications today")
            tenant = await tenancy.tenant_for_email(session, self.settings, email)
            holder = await reps.by_email(email, tenant_id=tenant.id)
            if (
                holder is not None
                and holder.telegram_id != actor.telegram_id
                and holder.status in LIVE_STATUSES
            ):
                raise EmailRejected("taken", await tenancy.accepted_domains(session, self.settings))
            rep = await reps.upsert_pending(
                tenant_id=tenant.id,
                telegram_id=actor.telegram_id,
                chat_id=actor.chat_id,
                username=actor.username,
                name=name,
                email=email,
                language=actor.language,
                now=now,
            )
            await audit.record(
                action=Action.REGISTER,
                now=now,
                actor_telegram_id=actor.telegram_id,
                tenant_id=tenant.id,
                target=str(rep.id),
                detail=email,
            )
            admins = await self.admin_recipients_in(session, tenant.id)
            return Application(card=RepCard.of(rep), tenant_name=tenant.name, admins=admins)

    async def withdraw(self, actor: Actor) -> RepCard | None:
        """A pending applicant takes their application back; None when there was none."""
        return await self._leave(actor, (RepStatus.PENDING,), Action.WITHDRAW)

    async def unregister(self, actor: Actor) -> RepCard | None:
        """A rep leaves the system (any live status); None when they were not registered."""
        return await self._leave(actor, LIVE_STATUSES, Action.UNREGISTER)

    async def _leave(self, actor: Actor, statuses: Sequence[str], action: Action) -> RepCard | None:
        now = self.clock.now()
        async with self.database.session() as session:
            rep = await _own_live(session, actor, statuses)
            if rep is None:
                return None
            rep.status = RepStatus.REMOVED
            rep.is_admin = False
            await audit_rep_change(session, action, actor, rep, now)
            await hand_over_prospects(session, rep, now)
            return RepCard.of(rep)

    async def update_email(self, actor: Actor, text: str) -> RepCard:
        """Change the rep's e-mail; it must stay within their agency's domain."""
        now = self.clock.now()
        email = rep_email(text)
        async with self.database.session() as session:
            rep = await _own_live(session, actor, LIVE_STATUSES)
            if rep is None:
                raise RepNotFound("not registered")
            tenant = await tenancy.tenant_for_email(session, self.settings, email)
            if tenant.id != rep.tenant_id:
                own = await TenantRepository(session).get(rep.tenant_id)
                accepted = [
                    d
                    for d in (
                        tenancy.domain_of(own.corporate_email_domain) if own else None,
                        tenancy.domain_of(self.settings.corporate_email_domain),
                    )
                    if d
                ]
                raise EmailRejected("domain", accepted[:1])
            holder = await RepRepository(session).by_email(email, tenant_id=rep.tenant_id)
            if holder is not None and holder.id != rep.id and holder.status in LIVE_STATUSES:
                raise EmailRejected("taken")
            old = rep.email
            rep.email = email
            if rep.calendar_connected and old.lower() != email:
                rep.calendar_connected = False  # the calendar belonged to the old address
            await audit_rep_change(session, Action.UPDATE_EMAIL, actor, rep, now, detail=f"{old} -> {email}")
            return RepCard.of(rep)

    async def set_language(self, telegram_id: int, language: str) -> None:
        async with self.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id, for_update=True)
            if rep is not None and rep.language != language:
                rep.language = language


async def _own_live(
    session: AsyncSession, actor: Actor, statuses: Sequence[str]
) -> SalesRepresentative | None:
    """The actor's own rep record, locked, when it is in one of these statuses."""
    rep = await RepRepository(session).current_across_tenants(actor.telegram_id, for_update=True)
    return rep if rep is not None and rep.status in statuses else None
