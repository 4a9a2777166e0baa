"""Taking a lead's conversation over from the AI, and handing it back: who may, and who is told.

Only the lead's assigned (active) rep or an admin of the lead's agency may take over; an admin may take over
from anyone (the one who was talking, and the lead's rep, are told), a rep may not take over from someone
else. Every take-over and hand-back is audited (`lead.take_over`, `lead.hand_back`) and kept on the lead's
timeline; every refusal is audited with `allowed = false`. The lead's row is locked while it changes, so the
lead's turn (which reads `taken_over_by` on the same locked row) sees either before or after, never half.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.clock import Clock
from agent.services.calendars.service import lead_name
from agent.services.insights.store import mark_due
from agent.services.team.cards import Actor
from prompts.catalogue import text
from storage.db import Database
from storage.models import Lead, RepStatus, SalesRepresentative
from storage.repositories.audit import AuditRepository
from storage.repositories.leads import LeadRepository
from storage.repositories.reps import RepRepository
from storage.repositories.telegram import TelegramRepository

TAKE_ACTION = "lead.take_over"
HAND_BACK_ACTION = "lead.hand_back"


class Admins(Protocol):
    """Who administers an agency (agent.services.team.TeamService is one)."""

    async def is_admin(self, telegram_id: int, tenant_id: int | None = None) -> bool: ...


class Outcome(StrEnum):
    TAKEN = "taken"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    BUSY = "busy"
    GONE = "gone"
    HANDED_BACK = "handed_back"
    NOT_TAKEN = "not_taken"
    HAND_BACK_REFUSED = "hand_back_refused"


@dataclass(frozen=True)
class Notice:
    """Someone else to tell, in their language, in their private chat with the team bot."""

    chat_id: int
    text: str


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    lead_id: int
    reply: str
    """What the one who asked is told, in their language."""
    notices: tuple[Notice, ...] = ()

    @property
    def done(self) -> bool:
        return self.outcome in (Outcome.TAKEN, Outcome.ALREADY, Outcome.HANDED_BACK)


@dataclass(frozen=True)
class Held:
    """A lead someone is talking to in person."""

    lead_id: int
    tenant_id: int
    name: str


@dataclass
class Takeovers:
    """take_over / hand_back for the team bot, the web dashboard and the API."""

    database: Database
    admins: Admins
    clock: Clock

    async def take_over(
        self, actor: Actor, lead_id: int, *, tenant_id: int | None = None, via: str | None = None
    ) -> Decision:
        """`actor` talks to the lead from now on; the AI stays quiet until they hand it back."""
        now = self.clock.now()
        async with self.database.session() as session:
            lead = await _locked(session, lead_id, tenant_id)
            if lead is None:
                return await _gone(session, actor, lead_id, tenant_id, TAKE_ACTION, via, now)
            name = lead_name(lead)
            admin = await self.admins.is_admin(actor.telegram_id, lead.tenant_id)
            rep = await _assigned_rep(session, lead)
            own = rep is not None and rep.telegram_id == actor.telegram_id
            if not (admin or own):
                await _audit(session, TAKE_ACTION, actor, lead, now, via, "not_their_lead", allowed=False)
                return Decision(
                    Outcome.NOT_YOURS,
                    lead.id,
                    text(actor.language, "takeover", "refused_not_yours", lead=name),
                )
            before = lead.taken_over_by
            if before == actor.telegram_id:
                return Decision(
                    Outcome.ALREADY, lead.id, text(actor.language, "takeover", "already_yours", lead=name)
                )
            if before is not None and not admin:
                holder = await _person(session, before, lead.tenant_id, actor.language)
                await _audit(
                    session, TAKE_ACTION, actor, lead, now, via, f"taken_over_by={before}", allowed=False
                )
                return Decision(
                    Outcome.BUSY,
                    lead.id,
                    text(actor.language, "takeover", "refused_busy", person=holder, lead=name),
                )
            lead.taken_over_by = actor.telegram_id
            lead.taken_over_at = now
            await mark_due(session, lead.id, now)  # the next best action is now "wait: a person is talking"
            me = await _person(session, actor.telegram_id, lead.tenant_id, actor.language, actor.first_name)
            await _audit(
                session, TAKE_ACTION, actor, lead, now, via, f"from={before}" if before is not None else None
            )
            await _on_timeline(session, lead, "timeline_taken", me, actor.telegram_id, now, "take_over")
            notices: list[Notice] = []
            if before is not None:
                language = await person_language(session, before, lead.tenant_id, now)
                notices.append(
                    Notice(before, text(language, "takeover", "taken_from_you", person=me, lead=name))
                )
            if rep is not None and not own and rep.telegram_id != before:
                notices.append(
                    Notice(
                        rep.telegram_chat_id or rep.telegram_id,
                        text(rep.language, "takeover", "taken_from_rep", person=me, lead=name),
                    )
                )
            reply = text(actor.language, "takeover", "taken", lead=name)
            return Decision(Outcome.TAKEN, lead.id, reply, tuple(notices))

    async def hand_back(
        self, actor: Actor, lead_id: int, *, tenant_id: int | None = None, via: str | None = None
    ) -> Decision:
        """The AI answers the lead again (it knows what was said meanwhile: the checkpoint has it)."""
        now = self.clock.now()
        async with self.database.session() as session:
            lead = await _locked(session, lead_id, tenant_id)
            if lead is None:
                return await _gone(session, actor, lead_id, tenant_id, HAND_BACK_ACTION, via, now)
            name = lead_name(lead)
            holder = lead.taken_over_by
            # Who may is decided before anything about the lead is said (even "nobody is talking to Tom").
            admin = await self.admins.is_admin(actor.telegram_id, lead.tenant_id)
            if holder is None and not admin:
                rep = await _assigned_rep(session, lead)
                if rep is None or rep.telegram_id != actor.telegram_id:
                    await _audit(
                        session, HAND_BACK_ACTION, actor, lead, now, via, "not_their_lead", allowed=False
                    )
                    return Decision(
                        Outcome.NOT_YOURS,
                        lead.id,
                        text(actor.language, "takeover", "refused_not_yours", lead=name),
                    )
            if holder is None:
                return Decision(
                    Outcome.NOT_TAKEN, lead.id, text(actor.language, "takeover", "not_taken", lead=name)
                )
            if holder != actor.telegram_id and not admin:
                await _audit(
                    session, HAND_BACK_ACTION, actor, lead, now, via, f"taken_over_by={holder}", allowed=False
                )
                person = await _person(session, holder, lead.tenant_id, actor.language)
                return Decision(
                    Outcome.HAND_BACK_REFUSED,
                    lead.id,
                    text(actor.language, "takeover", "refused_hand_back", person=person, lead=name),
                )
            lead.taken_over_by = None
            lead.taken_over_at = None
            await mark_due(session, lead.id, now)
            me = await _person(session, actor.telegram_id, lead.tenant_id, actor.language, actor.first_name)
            await _audit(
                session,
                HAND_BACK_ACTION,
                actor,
                lead,
                now,
                via,
                f"taken_over_by={holder}" if holder != actor.telegram_id else None,
            )
            await _on_timeline(session, lead, "timeline_handed_back", me, actor.telegram_id, now, "hand_back")
            notices = []
            if holder != actor.telegram_id:
                language = await person_language(session, holder, lead.tenant_id, now)
                notices.append(
                    Notice(holder, text(language, "takeover", "handed_back_to_you", person=me, lead=name))
                )
            reply = text(actor.language, "takeover", "handed_back", lead=name)
            return Decision(Outcome.HANDED_BACK, lead.id, reply, tuple(notices))

    async def held_by(self, telegram_id: int) -> list[Held]:
        """The leads this person is talking to now, longest first."""
        async with self.database.session() as session:
            rows = await session.execute(
                select(Lead)
                .where(Lead.taken_over_by == telegram_id)
                .order_by(Lead.taken_over_at, Lead.id)
                .limit(50)
            )
            return [Held(lead.id, lead.tenant_id, lead_name(lead)) for lead in rows.scalars()]

    async def holder_name(self, lead: Lead, language: str) -> str | None:
        """Who is talking to this lead in person (None: the AI is)."""
        if lead.taken_over_by is None:
            return None
        async with self.database.session() as session:
            return await _person(session, lead.taken_over_by, lead.tenant_id, language)


async def _gone(
    session: AsyncSession,
    actor: Actor,
    lead_id: int,
    tenant_id: int | None,
    action: str,
    via: str | None,
    now: datetime,
) -> Decision:
    """No such lead (or not in this agency): the attempt is audited all the same."""
    await AuditRepository(session).record(
        action=action,
        now=now,
        actor_telegram_id=actor.telegram_id,
        tenant_id=tenant_id,
        target=f"lead:{lead_id}",
        allowed=False,
        detail=_detail("no_such_lead", f"via={via}" if via else None),
    )
    return Decision(Outcome.GONE, lead_id, text(actor.language, "takeover", "lead_gone"))


async def hand_back_unreachable(session: AsyncSession, lead: Lead, now: datetime) -> list[Notice]:
    """The person talking to `lead` cannot be reached in the team bot (blocked it, never started it): the lead
    goes back to the AI (audited, on the timeline); whom to tell: the lead's rep, when it is someone else."""
    holder = lead.taken_over_by
    if holder is None:
        return []
    lead.taken_over_by = None
    lead.taken_over_at = None
    await mark_due(session, lead.id, now)
    await AuditRepository(session).record(
        action=HAND_BACK_ACTION,
        now=now,
        actor_telegram_id=None,
        tenant_id=lead.tenant_id,
        target=f"lead:{lead.id}",
        detail=_detail(f"taken_over_by={holder}", "unreachable"),
    )
    rep = await _assigned_rep(session, lead)
    language = rep.language if rep is not None else lead.language
    person = await _person(session, holder, lead.tenant_id, language)
    await _on_timeline(session, lead, "timeline_unreachable", person, holder, now, "hand_back")
    if rep is None or rep.telegram_id == holder:
        return []
    told = text(rep.language, "takeover", "unreachable_handed_back", person=person, lead=lead_name(lead))
    return [Notice(rep.telegram_chat_id or rep.telegram_id, told)]


async def _audit(
    session: AsyncSession,
    action: str,
    actor: Actor,
    lead: Lead,
    now: datetime,
    via: str | None,
    *parts: str | None,
    allowed: bool = True,
) -> None:
    """One audit row about this lead: what was done or refused, and how ("via=web")."""
    await AuditRepository(session).record(
        action=action,
        now=now,
        actor_telegram_id=actor.telegram_id,
        tenant_id=lead.tenant_id,
        target=f"lead:{lead.id}",
        allowed=allowed,
        detail=_detail(*parts, f"via={via}" if via else None),
    )


def _detail(*parts: str | None) -> str | None:
    """The audit's record: "from=123; via=web" (None when there is nothing to add)."""
    return "; ".join(part for part in parts if part) or None


async def _locked(session: AsyncSession, lead_id: int, tenant_id: int | None) -> Lead | None:
    query = select(Lead).where(Lead.id == lead_id).with_for_update()
    if tenant_id is not None:
        query = query.where(Lead.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def _assigned_rep(session: AsyncSession, lead: Lead) -> SalesRepresentative | None:
    if lead.assigned_rep_id is None:
        return None
    rep = await session.get(SalesRepresentative, lead.assigned_rep_id)
    return rep if rep is not None and rep.status == RepStatus.ACTIVE else None


async def _person(
    session: AsyncSession, telegram_id: int, tenant_id: int, language: str, first_name: str | None = None
) -> str:
    """How the team knows this person: their rep record's name in the agency, else their Telegram name."""
    rep = await RepRepository(session).by_telegram_id(telegram_id, tenant_id=tenant_id)
    if rep is not None:
        return rep.name
    return first_name or text(language, "takeover", "someone")


async def person_name(session: AsyncSession, telegram_id: int, tenant_id: int, language: str) -> str:
    """`_person` for readers outside this module (the dashboard's indicator)."""
    return await _person(session, telegram_id, tenant_id, language)


async def person_language(session: AsyncSession, telegram_id: int, tenant_id: int, now: datetime) -> str:
    rep = await RepRepository(session).by_telegram_id(telegram_id, tenant_id=tenant_id)
    if rep is not None:
        return rep.language
    known = await TelegramRepository(session).languages([telegram_id], now)
    return known.get(telegram_id) or "en"


async def _on_timeline(
    session: AsyncSession, lead: Lead, key: str, person: str, telegram_id: int, now: datetime, event: str
) -> None:
    await LeadRepository(session).add_interaction(
        lead,
        type="takeover",
        direction="internal",
        text=text(lead.language, "takeover", key, person=person),
        now=now,
        meta={"event": event, "telegram_id": telegram_id},
    )
