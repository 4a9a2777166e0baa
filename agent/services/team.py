"""The sales team's rules, enforced in code: who may register, who decides, what a rep sees and changes.

Every admin action checks authority here (never in a prompt) and lands in the audit log, refusals too.
Admins are the Telegram ids in ADMIN_TELEGRAM_IDS (every tenant) plus active reps an admin promoted
(their own tenant).

Tenants: the team bot is one for all agencies. A rep's tenant comes from their e-mail's domain: the tenant
whose `corporate_email_domain` it is; otherwise, when it is CORPORATE_EMAIL_DOMAIN, the only tenant (or
the oldest tenant without a domain of its own). When no domain is configured anywhere, any valid e-mail is
accepted and a single tenant takes it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.clock import Clock
from agent.core.scoring import TEMPERATURE_BADGES, Temperature
from agent.settings import Settings
from storage.db import Database
from storage.models import (
    Lead,
    LeadInteraction,
    LeadStatus,
    Prospect,
    ProspectStatus,
    RepStatus,
    SalesRepresentative,
    Tenant,
)
from storage.repositories.audit import AuditRepository
from storage.repositories.reps import LIVE_STATUSES, RepBookRepository, RepRepository
from storage.repositories.telegram import TelegramRepository
from storage.repositories.tenants import TenantRepository

if TYPE_CHECKING:
    from agent.services.calendars.connection import CalendarCheck, ConnectLink

REGISTRATIONS_PER_DAY = 3
"""Applications one Telegram user may file in 24 hours (counted in the audit log, so every process agrees)."""
NOTE_LIMIT = 1000

_EMAIL_IN_TEXT = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


class Action(StrEnum):
    """Audit log actions."""

    REGISTER = "rep.register"
    WITHDRAW = "rep.withdraw"
    UNREGISTER = "rep.unregister"
    UPDATE_EMAIL = "rep.update_email"
    APPROVE = "rep.approve"
    REJECT = "rep.reject"
    SUSPEND = "rep.suspend"
    REMOVE = "rep.remove"
    RESTORE = "rep.restore"
    PROMOTE = "rep.promote"
    LIST = "rep.list"
    SET_ALERT_CHAT = "tenant.set_alert_chat"


# -- errors ---------------------------------------------------------------------------------------


class TeamError(Exception):
    """A team action that cannot be done; the bot explains it to the user."""


class NotAuthorized(TeamError):
    def __init__(self, action: str) -> None:
        super().__init__(f"{action} needs an admin")
        self.action = action


class EmailRejected(TeamError):
    def __init__(self, reason: Literal["invalid", "domain", "taken"], accepted: Sequence[str] = ()) -> None:
        super().__init__(f"e-mail rejected: {reason}")
        self.reason = reason
        self.accepted = tuple(accepted)


class TooManyRegistrations(TeamError):
    pass


class RegistrationClosed(TeamError):
    """No tenant exists yet to register with."""


class RepNotFound(TeamError):
    pass


class AlreadyDecided(TeamError):
    def __init__(self, card: RepCard) -> None:
        super().__init__(f"{card.name} is already {card.status}")
        self.card = card


class AlreadyRegistered(TeamError):
    def __init__(self, card: RepCard) -> None:
        super().__init__(f"already registered as {card.status}")
        self.card = card


class NotYourClient(TeamError):
    pass


class AmbiguousTenant(TeamError):
    def __init__(self, slugs: Sequence[str]) -> None:
        super().__init__("several tenants: name one")
        self.slugs = tuple(slugs)


# -- read models ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who sent the update, as Telegram says (never as a model or a message text says)."""

    telegram_id: int
    chat_id: int | None = None
    username: str | None = None
    first_name: str | None = None
    language: str = "ru"


@dataclass(frozen=True)
class RepCard:
    id: uuid.UUID
    tenant_id: int
    telegram_id: int
    chat_id: int
    username: str | None
    name: str
    email: str
    language: str
    status: RepStatus
    calendar_connected: bool
    is_admin: bool

    @classmethod
    def of(cls, rep: SalesRepresentative) -> RepCard:
        return cls(
            id=rep.id,
            tenant_id=rep.tenant_id,
            telegram_id=rep.telegram_id,
            chat_id=rep.telegram_chat_id or rep.telegram_id,
            username=rep.telegram_username,
            name=rep.name,
            email=rep.email,
            language=rep.language,
            status=RepStatus(rep.status),
            calendar_connected=rep.calendar_connected,
            is_admin=rep.is_admin,
        )


@dataclass(frozen=True)
class Recipient:
    """A team-bot chat and the language to write to it in."""

    chat_id: int
    language: str


@dataclass(frozen=True)
class Application:
    card: RepCard
    tenant_name: str
    admins: tuple[Recipient, ...]


@dataclass(frozen=True)
class Decision:
    card: RepCard
    approved: bool
    reason: str | None
    calendar_requested: bool


ClientKind = Literal["lead", "prospect"]


@dataclass(frozen=True)
class ClientLine:
    kind: ClientKind
    id: str
    name: str
    phone: str | None
    score: int
    temperature: str
    status: str
    summary: str | None
    notes: str | None = None

    @property
    def badge(self) -> str:
        try:
            return TEMPERATURE_BADGES[Temperature(self.temperature)]
        except ValueError:
            return TEMPERATURE_BADGES[Temperature.COLD]


@dataclass(frozen=True)
class TaskLine:
    kind: Literal["task", "followup"]
    id: int
    due_at: datetime
    client_name: str | None
    note: str | None
    overdue: bool


@dataclass(frozen=True)
class ClientBook:
    card: RepCard
    clients: tuple[ClientLine, ...]
    today: tuple[TaskLine, ...]
    overdue: tuple[TaskLine, ...]
    time_zone: str


@dataclass(frozen=True)
class TeamMember:
    """A list entry for admins."""

    card: RepCard
    tenant_name: str
    clients: int = 0


# -- pure helpers ---------------------------------------------------------------------------------


def team_language(language_code: str | None) -> str:
    """Russian first; English for users whose Telegram speaks something else."""
    if not language_code:
        return "ru"
    code = language_code.lower().split("-")[0]
    return "ru" if code in {"ru", "uk", "be", "kk", "uz", "ky", "tg", "hy", "az", "ka"} else "en"


def email_in(text: str) -> str | None:
    """The first e-mail-looking token of a message ("моя почта ivan@x.ru" -> "ivan@x.ru")."""
    match = _EMAIL_IN_TEXT.search(text)
    return match.group(0).rstrip(".") if match else None


def normalize_email(text: str) -> str:
    """A syntactically valid, normalised address; raises EmailRejected('invalid')."""
    candidate = email_in(text) or text.strip()
    if len(candidate) > 254:
        raise EmailRejected("invalid")
    try:
        return validate_email(candidate, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise EmailRejected("invalid") from None


def clean_name(text: str) -> str | None:
    """A person's name as typed, trimmed; None when it cannot be a name."""
    name = " ".join(text.split())[:120]
    if len(name) < 2 or "@" in name or name.startswith("/") or not any(ch.isalpha() for ch in name):
        return None
    return name


def _domain(value: str | None) -> str | None:
    return value.strip().lower().lstrip("@") if value and value.strip() else None


# -- the service ----------------------------------------------------------------------------------


@dataclass
class TeamService:
    """Team actions for the team bot, the CLI and the graphs; each opens its own transaction."""

    database: Database
    settings: Settings
    clock: Clock
    google_transport: Any = None
    """How Google is reached when a rep connects a calendar (agent.services.calendars GoogleTransport); None: the network."""
    _global_admins: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        self._global_admins = frozenset(self.settings.admin_telegram_ids)

    # authority

    async def _is_admin(self, session: AsyncSession, telegram_id: int, tenant_id: int | None) -> bool:
        if telegram_id in self._global_admins:
            return True
        admins = await RepRepository(session).admins(tenant_id)
        return any(rep.telegram_id == telegram_id for rep in admins)

    async def is_admin(self, telegram_id: int, tenant_id: int | None = None) -> bool:
        """An admin of this tenant (of any tenant when tenant_id is None)."""
        async with self.database.session() as session:
            return await self._is_admin(session, telegram_id, tenant_id)

    async def _admin_tenants(self, session: AsyncSession, telegram_id: int) -> list[Tenant] | None:
        """The tenants this user administers; None means all of them (a global admin)."""
        if telegram_id in self._global_admins:
            return None
        tenant_ids = {
            rep.tenant_id for rep in await RepRepository(session).admins() if rep.telegram_id == telegram_id
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
    ) -> None:
        await AuditRepository(session).record(
            action=action,
            now=self.clock.now(),
            actor_telegram_id=actor.telegram_id,
            tenant_id=tenant_id,
            target=target,
            allowed=False,
            detail=f"not an admin: {detail}" if detail else "not an admin",
        )

    async def record_refusal(
        self,
        actor: Actor,
        action: str,
        *,
        tenant_id: int | None = None,
        target: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Audit an admin action someone without the authority tried (refused before any target was known)."""
        async with self.database.session() as session:
            await self._refuse(session, actor, action, tenant_id, target, detail)

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

    # tenants and e-mail

    async def accepted_domains(self) -> tuple[str, ...]:
        async with self.database.session() as session:
            return await self._accepted_domains(session)

    async def _accepted_domains(self, session: AsyncSession) -> tuple[str, ...]:
        domains = [_domain(t.corporate_email_domain) for t in await TenantRepository(session).all()]
        domains.append(_domain(self.settings.corporate_email_domain))
        return tuple(dict.fromkeys(d for d in domains if d))

    async def _tenant_for_email(self, session: AsyncSession, email: str) -> Tenant:
        domain = email.rsplit("@", 1)[1].lower()
        tenants = await TenantRepository(session).all()
        if not tenants:
            raise RegistrationClosed("no agency is set up yet")
        for tenant in tenants:
            if _domain(tenant.corporate_email_domain) == domain:
                return tenant
        setting = _domain(self.settings.corporate_email_domain)
        accepted = await self._accepted_domains(session)
        if domain == setting or not accepted:
            if len(tenants) == 1:
                return tenants[0]
            without_domain = [tenant for tenant in tenants if not tenant.corporate_email_domain]
            if without_domain:
                return without_domain[0]
            if not accepted:
                raise RegistrationClosed("several agencies and no corporate domain configured")
        raise EmailRejected("domain", accepted)

    async def check_email(self, text: str) -> str:
        """The normalised e-mail if it may register; raises EmailRejected or RegistrationClosed."""
        email = normalize_email(text)
        async with self.database.session() as session:
            await self._tenant_for_email(session, email)
        return email

    # the rep's own record

    async def profile(self, telegram_id: int) -> RepCard | None:
        """This user's live rep record (pending, active or suspended), if any."""
        async with self.database.session() as session:
            rep = await RepRepository(session).by_telegram_id(telegram_id)
            if rep is None or rep.status not in LIVE_STATUSES:
                return None
            return RepCard.of(rep)

    async def register(self, actor: Actor, *, name: str, email: str) -> Application:
        """File a PENDING application and say which admins to notify."""
        now = self.clock.now()
        email = normalize_email(email)
        async with self.database.session() as session:
            reps = RepRepository(session)
            audit = AuditRepository(session)
            existing = await reps.by_telegram_id(actor.telegram_id)
            if existing is not None and existing.status in LIVE_STATUSES:
                raise AlreadyRegistered(RepCard.of(existing))
            recent = await audit.count_by_actor(actor.telegram_id, Action.REGISTER, now - timedelta(days=1))
            if recent >= REGISTRATIONS_PER_DAY:
                raise TooManyRegistrations("too many applications today")
            tenant = await self._tenant_for_email(session, email)
            holder = await reps.by_email(email)
            if (
                holder is not None
                and holder.telegram_id != actor.telegram_id
                and holder.status in LIVE_STATUSES
            ):
                raise EmailRejected("taken", await self._accepted_domains(session))
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

    async def _own_live(
        self, session: AsyncSession, actor: Actor, statuses: Sequence[str]
    ) -> SalesRepresentative | None:
        rep = await RepRepository(session).by_telegram_id(actor.telegram_id, for_update=True)
        return rep if rep is not None and rep.status in statuses else None

    async def withdraw(self, actor: Actor) -> RepCard | None:
        """A pending applicant takes their application back; None when there was none."""
        return await self._leave(actor, (RepStatus.PENDING,), Action.WITHDRAW)

    async def unregister(self, actor: Actor) -> RepCard | None:
        """A rep leaves the system (any live status); None when they were not registered."""
        return await self._leave(actor, LIVE_STATUSES, Action.UNREGISTER)

    async def _leave(self, actor: Actor, statuses: Sequence[str], action: Action) -> RepCard | None:
        now = self.clock.now()
        async with self.database.session() as session:
            rep = await self._own_live(session, actor, statuses)
            if rep is None:
                return None
            rep.status = RepStatus.REMOVED
            rep.is_admin = False
            await _audit_rep_change(session, action, actor, rep, now)
            await _hand_over_prospects(session, rep, now)
            return RepCard.of(rep)

    async def update_email(self, actor: Actor, text: str) -> RepCard:
        """Change the rep's e-mail; it must stay within their agency's domain."""
        now = self.clock.now()
        email = normalize_email(text)
        async with self.database.session() as session:
            rep = await self._own_live(session, actor, LIVE_STATUSES)
            if rep is None:
                raise RepNotFound("not registered")
            tenant = await self._tenant_for_email(session, email)
            if tenant.id != rep.tenant_id:
                own = await TenantRepository(session).get(rep.tenant_id)
                accepted = [
                    d
                    for d in (
                        _domain(own.corporate_email_domain) if own else None,
                        _domain(self.settings.corporate_email_domain),
                    )
                    if d
                ]
                raise EmailRejected("domain", accepted[:1])
            holder = await RepRepository(session).by_email(email)
            if holder is not None and holder.id != rep.id and holder.status in LIVE_STATUSES:
                raise EmailRejected("taken")
            old = rep.email
            rep.email = email
            if rep.calendar_connected and old.lower() != email:
                rep.calendar_connected = False  # the calendar belonged to the old address
            await _audit_rep_change(session, Action.UPDATE_EMAIL, actor, rep, now, detail=f"{old} -> {email}")
            return RepCard.of(rep)

    async def set_language(self, telegram_id: int, language: str) -> None:
        async with self.database.session() as session:
            rep = await RepRepository(session).by_telegram_id(telegram_id, for_update=True)
            if rep is not None and rep.language != language:
                rep.language = language

    # admin decisions

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
                await _audit_rep_change(session, action, actor, rep, now, detail=reason)
                return Decision(RepCard.of(rep), approve, reason, calendar_requested)
        raise NotAuthorized(action)

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
                await _audit_rep_change(session, action, actor, rep, now)
                if change in ("suspend", "remove"):
                    await _hand_over_prospects(session, rep, now)
                return RepCard.of(rep)
            await self._refuse(session, actor, action, rep.tenant_id, str(rep.id))
        raise NotAuthorized(action)

    async def suspend(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.SUSPEND, "suspend")

    async def remove(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.REMOVE, "remove")

    async def restore(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.RESTORE, "restore")

    async def promote(self, actor: Actor, rep_id: uuid.UUID) -> RepCard:
        return await self._admin_change(actor, rep_id, Action.PROMOTE, "promote")

    async def list_reps(self, actor: Actor, statuses: Sequence[str]) -> list[TeamMember]:
        """Reps in these statuses in the tenants this admin runs."""
        async with self.database.session() as session:
            tenants = await self._admin_tenants(session, actor.telegram_id)
            if tenants is not None and not tenants:
                await self._refuse(session, actor, Action.LIST, None, ",".join(statuses))
                refused = True
            else:
                refused = False
                names = {t.id: t.name for t in await TenantRepository(session).all()}
                reps = RepRepository(session)
                rows: list[SalesRepresentative] = []
                if tenants is None:
                    rows = await reps.list_by_status(None, *statuses)
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
            await self._refuse(session, actor, Action.SET_ALERT_CHAT, None, str(chat_id))
        raise NotAuthorized(Action.SET_ALERT_CHAT)

    # the rep's CRM

    async def _active_rep(self, session: AsyncSession, actor: Actor) -> SalesRepresentative:
        rep = await RepRepository(session).by_telegram_id(actor.telegram_id)
        if rep is None or rep.status != RepStatus.ACTIVE:
            raise RepNotFound("not an active rep")
        return rep

    async def my_clients(self, actor: Actor) -> ClientBook:
        """The rep's leads and prospects by score, with today's and overdue follow-ups."""
        now = self.clock.now()
        async with self.database.session() as session:
            rep = await self._active_rep(session, actor)
            book = RepBookRepository(session)
            tenant = await TenantRepository(session).get(rep.tenant_id)
            zone_name = rep.time_zone or (tenant.time_zone if tenant else "UTC")
            zone = _zone(zone_name)
            local_midnight = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0), zone)
            clients = [_lead_line(lead) for lead in await book.leads(rep)]
            clients += [_prospect_line(prospect, lead) for prospect, lead in await book.prospects(rep)]
            clients.sort(key=lambda c: (-c.score, c.name.lower()))
            tasks = await book.open_tasks(rep, local_midnight)
            sends = await book.due_sends(rep, local_midnight)
            names = await book.names(
                {t.lead_id for t in tasks if t.lead_id} | {s.lead_id for s in sends if s.lead_id},
                {t.prospect_id for t in tasks if t.prospect_id}
                | {s.prospect_id for s in sends if s.prospect_id},
            )
            lines = [
                TaskLine(
                    "task",
                    t.id,
                    t.due_at,
                    _client_name(names, t.lead_id, t.prospect_id),
                    t.note,
                    t.due_at < now,
                )
                for t in tasks
            ] + [
                TaskLine(
                    "followup",
                    s.id,
                    s.due_at,
                    _client_name(names, s.lead_id, s.prospect_id),
                    s.step_key,
                    s.due_at < now,
                )
                for s in sends
            ]
            lines.sort(key=lambda line: line.due_at)
            return ClientBook(
                card=RepCard.of(rep),
                clients=tuple(clients),
                today=tuple(line for line in lines if not line.overdue),
                overdue=tuple(line for line in lines if line.overdue),
                time_zone=zone_name,
            )

    async def client(self, actor: Actor, kind: ClientKind, client_id: str) -> ClientLine:
        async with self.database.session() as session:
            rep = await self._active_rep(session, actor)
            book = RepBookRepository(session)
            if kind == "lead":
                lead = await book.lead(rep, int(client_id))
                if lead is None:
                    raise NotYourClient(client_id)
                return _lead_line(lead)
            prospect = await book.prospect(rep, client_id)
            if prospect is None:
                raise NotYourClient(client_id)
            linked = await session.get(Lead, prospect.lead_id) if prospect.lead_id else None
            return _prospect_line(prospect, linked)

    async def mark_hot(self, actor: Actor, kind: ClientKind, client_id: str) -> ClientLine:
        """The rep flags a client as hot: a lead below hot becomes hot until its next rescore."""
        return await self._change_client(actor, kind, client_id, mark_hot=True)

    async def add_note(self, actor: Actor, kind: ClientKind, client_id: str, note: str) -> ClientLine:
        return await self._change_client(actor, kind, client_id, note=note.strip()[:NOTE_LIMIT])

    async def change_status(self, actor: Actor, kind: ClientKind, client_id: str, status: str) -> ClientLine:
        allowed = {s.value for s in (LeadStatus if kind == "lead" else ProspectStatus)}
        if status not in allowed:
            raise TeamError(f"unknown status {status}")
        return await self._change_client(actor, kind, client_id, status=status)

    async def _change_client(
        self,
        actor: Actor,
        kind: ClientKind,
        client_id: str,
        *,
        mark_hot: bool = False,
        note: str | None = None,
        status: str | None = None,
    ) -> ClientLine:
        now = self.clock.now()
        async with self.database.session() as session:
            rep = await self._active_rep(session, actor)
            book = RepBookRepository(session)
            stamp = now.strftime("%Y-%m-%d %H:%M")
            if kind == "lead":
                lead = await book.lead(rep, int(client_id), for_update=True)
                if lead is None:
                    raise NotYourClient(client_id)
                if mark_hot:
                    if lead.temperature in (Temperature.COLD, Temperature.WARM):
                        lead.temperature = Temperature.HOT
                    lead.extra = {
                        **(lead.extra or {}),
                        "marked_hot_by": str(rep.id),
                        "marked_hot_at": now.isoformat(),
                    }
                if note:
                    lead.notes = f"{lead.notes}\n[{stamp}] {note}" if lead.notes else f"[{stamp}] {note}"
                if status:
                    lead.status = status
                session.add(
                    LeadInteraction(
                        tenant_id=lead.tenant_id,
                        lead_id=lead.id,
                        type="rep_action",
                        channel="team_bot",
                        direction="internal",
                        text=note,
                        meta={"rep_id": str(rep.id), "marked_hot": mark_hot, "status": status},
                        created_at=now,
                    )
                )
                await session.flush()
                return _lead_line(lead)
            prospect = await book.prospect(rep, client_id, for_update=True)
            if prospect is None:
                raise NotYourClient(client_id)
            linked = (
                await session.get(Lead, prospect.lead_id, with_for_update=True) if prospect.lead_id else None
            )
            if mark_hot:
                note = note or "🌶️"
                if linked is not None and linked.temperature in (Temperature.COLD, Temperature.WARM):
                    linked.temperature = Temperature.HOT
            if note:
                prospect.notes = (
                    f"{prospect.notes}\n[{stamp}] {note}" if prospect.notes else f"[{stamp}] {note}"
                )
            if status:
                prospect.status = status
            await session.flush()
            return _prospect_line(prospect, linked)

    async def schedule_followup(
        self, actor: Actor, kind: ClientKind, client_id: str, due_at: datetime, note: str | None = None
    ) -> TaskLine:
        """A follow-up the rep owes a client, shown under today's/overdue in "My clients"."""
        async with self.database.session() as session:
            rep = await self._active_rep(session, actor)
            book = RepBookRepository(session)
            if kind == "lead":
                lead = await book.lead(rep, int(client_id))
                if lead is None:
                    raise NotYourClient(client_id)
                task = await book.add_task(rep, due_at=due_at, note=note, lead_id=lead.id)
                name = _lead_line(lead).name
            else:
                prospect = await book.prospect(rep, client_id)
                if prospect is None:
                    raise NotYourClient(client_id)
                task = await book.add_task(rep, due_at=due_at, note=note, prospect_id=prospect.id)
                name = prospect.name
            return TaskLine("task", task.id, task.due_at, name, note, due_at < self.clock.now())

    # the rep's calendar (agent.services.calendars does the OAuth; the team bot carries the conversation)

    async def calendar_link(self, telegram_id: int) -> ConnectLink | None:
        """A fresh Google consent link for this active rep; None when Google Calendar is not configured."""
        from agent.services.calendars.connection import GoogleNotConfigured, start

        async with self.database.session() as session:
            rep = await RepRepository(session).by_telegram_id(telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                raise RepNotFound("not an active rep")
            tenant = await TenantRepository(session).get(rep.tenant_id)
            try:
                link = await start(session, rep, tenant=tenant, settings=self.settings, now=self.clock.now())
            except GoogleNotConfigured:
                return None
            rep.calendar_requested_at = self.clock.now()
            return link

    async def connect_calendar(self, actor: Actor, pasted: str) -> CalendarCheck:
        """Finish the rep's Google authorization with what they pasted back (the code or the whole address).

        Raises agent.services.calendars' AuthorizationProblem subclasses, GoogleUnavailable or GoogleNotConfigured;
        what the authorization spent (its state) stays spent even then.
        """
        from agent.adapters.google import AuthorizationProblem, GoogleTransport
        from agent.services.calendars.connection import finish

        problem: AuthorizationProblem | None = None
        async with self.database.session() as session:
            rep = await self._active_rep(session, actor)
            await session.refresh(rep, with_for_update=True)
            tenant = await TenantRepository(session).get(rep.tenant_id)
            try:
                check = await finish(
                    session,
                    rep,
                    pasted,
                    tenant=tenant,
                    settings=self.settings,
                    transport=self.google_transport or GoogleTransport(),
                    now=self.clock.now(),
                )
            except AuthorizationProblem as exc:
                problem = exc
        if problem is not None:
            raise problem
        return check

    async def rep_time_zone(self, telegram_id: int) -> str:
        async with self.database.session() as session:
            rep = await RepRepository(session).by_telegram_id(telegram_id)
            if rep is None:
                return "UTC"
            if rep.time_zone:
                return rep.time_zone
            tenant = await TenantRepository(session).get(rep.tenant_id)
            return tenant.time_zone if tenant else "UTC"


async def _audit_rep_change(
    session: AsyncSession,
    action: str,
    actor: Actor,
    rep: SalesRepresentative,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Audit a change made to a rep by `actor`, and write it out with the change."""
    await AuditRepository(session).record(
        action=action,
        now=now,
        actor_telegram_id=actor.telegram_id,
        tenant_id=rep.tenant_id,
        target=str(rep.id),
        detail=detail,
    )
    await session.flush()


async def _hand_over_prospects(session: AsyncSession, rep: SalesRepresentative, now: datetime) -> None:
    """A rep who stops working hands their open prospects to the other active reps (the outreach rule)."""
    from agent.services.jobs.outreach import reassign_prospects_of

    await reassign_prospects_of(session, rep.id, now=now)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _client_name(names: dict[str, str], lead_id: int | None, prospect_id: str | None) -> str | None:
    if lead_id is not None:
        return names.get(f"lead:{lead_id}")
    if prospect_id is not None:
        return names.get(f"prospect:{prospect_id}")
    return None


def _lead_summary(lead: Lead) -> str | None:
    parts = [lead.transaction, lead.property_type, lead.location]
    known = [str(part) for part in parts if part]
    return " · ".join(known) if known else None


def _lead_line(lead: Lead) -> ClientLine:
    name = lead.name or (f"@{lead.telegram_username}" if lead.telegram_username else f"#{lead.id}")
    return ClientLine(
        kind="lead",
        id=str(lead.id),
        name=name,
        phone=lead.phone,
        score=lead.lead_score,
        temperature=lead.temperature,
        status=lead.status,
        summary=_lead_summary(lead),
        notes=lead.notes,
    )


def _prospect_line(prospect: Prospect, lead: Lead | None) -> ClientLine:
    return ClientLine(
        kind="prospect",
        id=prospect.id,
        name=prospect.name,
        phone=lead.phone if lead is not None else None,
        score=lead.lead_score if lead is not None else 0,
        temperature=lead.temperature if lead is not None else Temperature.COLD,
        status=prospect.status,
        summary=prospect.context,
        notes=prospect.notes,
    )
