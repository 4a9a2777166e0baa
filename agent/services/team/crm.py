"""An active rep's own clients: the book with today's and overdue follow-ups, marks, notes, statuses, tasks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import Temperature
from agent.core.zones import zone_of
from agent.services.conversion.likelihood import stored_likelihood
from agent.services.insights.store import mark_due, stored_insight
from agent.services.integrations import events as integration_events
from agent.services.team.authority import Authority, active_rep
from agent.services.team.cards import Action, Actor, ClientBook, ClientKind, ClientLine, RepCard, TaskLine
from agent.services.team.errors import NotYourClient, RepNotFound, TeamError
from agent.services.team.outcome_effects import status_changed
from storage.models import Lead, LeadInteraction, LeadStatus, Prospect, ProspectStatus, SalesRepresentative
from storage.repositories.reps import RepBookRepository, RepRepository
from storage.repositories.tenants import TenantRepository

NOTE_LIMIT = 1000


class RepCrm(Authority):
    """What a rep sees and changes about their clients; only an active rep's own clients are reachable.

    Reaching any other client (a forwarded button, a stale card) is refused and audited in the rep's agency.
    """

    @asynccontextmanager
    async def _refusal_audited(
        self, actor: Actor, action: Action, kind: ClientKind, client_id: str
    ) -> AsyncIterator[None]:
        try:
            yield
        except NotYourClient:
            await self.record_refusal(actor, action, target=f"{kind}:{client_id}", reason="not_their_client")
            raise
        except RepNotFound:
            await self.record_refusal(actor, action, target=f"{kind}:{client_id}", reason="not_an_active_rep")
            raise

    async def my_clients(self, actor: Actor) -> ClientBook:
        """The rep's leads and prospects by score, with today's and overdue follow-ups."""
        now = self.clock.now()
        async with self.database.session() as session:
            rep = await active_rep(session, actor.telegram_id)
            book = RepBookRepository(session)
            zone_name = await _time_zone_of(session, rep)
            zone = zone_of(zone_name)
            local_midnight = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0), zone)
            clients = [_lead_line(lead) for lead in await book.leads(rep)]
            clients += [_prospect_line(prospect, lead) for prospect, lead in await book.prospects(rep)]
            clients.sort(key=lambda c: (c.opted_out, -c.score, c.name.lower()))
            tasks = await book.open_tasks(rep, local_midnight)
            sends = await book.due_sends(rep, local_midnight)
            names = await book.names(
                rep,
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
        async with self._refusal_audited(actor, Action.CLIENT_VIEW, kind, client_id):
            return await self._client(actor, kind, client_id)

    async def _client(self, actor: Actor, kind: ClientKind, client_id: str) -> ClientLine:
        async with self.database.session() as session:
            rep = await active_rep(session, actor.telegram_id)
            book = RepBookRepository(session)
            if kind == "lead":
                lead = await book.lead(rep, int(client_id))
                if lead is None:
                    raise NotYourClient(client_id)
                insight = await stored_insight(session, lead.id, lead.tenant_id)
                return replace(
                    _lead_line(lead),
                    insight=dict(insight.content) if insight else None,
                    conversion=await stored_likelihood(session, lead),
                )
            prospect = await book.prospect(rep, client_id)
            if prospect is None:
                raise NotYourClient(client_id)
            linked = await session.get(Lead, prospect.lead_id) if prospect.lead_id else None
            return _prospect_line(prospect, linked)

    async def mark_hot(self, actor: Actor, kind: ClientKind, client_id: str) -> ClientLine:
        """The rep flags a client as hot: a lead below hot becomes hot until its next rescore."""
        async with self._refusal_audited(actor, Action.CLIENT_MARK_HOT, kind, client_id):
            return await self._change_client(actor, kind, client_id, mark_hot=True)

    async def add_note(self, actor: Actor, kind: ClientKind, client_id: str, note: str) -> ClientLine:
        async with self._refusal_audited(actor, Action.CLIENT_NOTE, kind, client_id):
            return await self._change_client(actor, kind, client_id, note=note.strip()[:NOTE_LIMIT])

    async def change_status(self, actor: Actor, kind: ClientKind, client_id: str, status: str) -> ClientLine:
        allowed = {s.value for s in (LeadStatus if kind == "lead" else ProspectStatus)}
        if status not in allowed:
            raise TeamError(f"unknown status {status}")
        async with self._refusal_audited(actor, Action.CLIENT_STATUS, kind, client_id):
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
            rep = await active_rep(session, actor.telegram_id)
            book = RepBookRepository(session)
            if kind == "lead":
                lead = await book.lead(rep, int(client_id), for_update=True)
                if lead is None:
                    raise NotYourClient(client_id)
                await change_lead(
                    session, lead, by=str(rep.id), now=now, mark_hot=mark_hot, note=note, status=status
                )
                await session.flush()
                return replace(_lead_line(lead), conversion=await stored_likelihood(session, lead))
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
                prospect.notes = with_note(prospect.notes, note, now)
            if status:
                prospect.status = status
            await session.flush()
            return _prospect_line(prospect, linked)

    async def schedule_followup(
        self, actor: Actor, kind: ClientKind, client_id: str, due_at: datetime, note: str | None = None
    ) -> TaskLine:
        """A follow-up the rep owes a client, shown under today's/overdue in "My clients"."""
        async with self._refusal_audited(actor, Action.CLIENT_FOLLOWUP, kind, client_id):
            return await self._schedule_followup(actor, kind, client_id, due_at, note)

    async def _schedule_followup(
        self, actor: Actor, kind: ClientKind, client_id: str, due_at: datetime, note: str | None
    ) -> TaskLine:
        async with self.database.session() as session:
            rep = await active_rep(session, actor.telegram_id)
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

    async def rep_time_zone(self, telegram_id: int) -> str:
        """The zone this rep's days and due times are read in: their own, else their agency's, else UTC."""
        async with self.database.session() as session:
            rep = await RepRepository(session).current_across_tenants(telegram_id)
            if rep is None:
                return "UTC"
            return await _time_zone_of(session, rep)


def with_note(notes: str | None, note: str, now: datetime) -> str:
    """The notes column with one more "[YYYY-MM-DD HH:MM] note" line (UTC), as the team bot and the web write it."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    # One note, one line: a line break (any that str.splitlines honours) in the text would let it forge
    # a separate, back-dated "[stamp] ..." note when the column is read back.
    note = " ".join(part.strip() for part in note.splitlines() if part.strip())
    return f"{notes}\n[{stamp}] {note}" if notes else f"[{stamp}] {note}"


async def change_lead(
    session: AsyncSession,
    lead: Lead,
    *,
    by: str,
    now: datetime,
    mark_hot: bool = False,
    note: str | None = None,
    status: str | None = None,
    channel: str = "team_bot",
) -> None:
    """Mark hot, add a note, set a status on a loaded lead, with the rep_action interaction that records it.

    One way for the team bot (`RepCrm`) and the web app to change a lead, so each shows the other's changes;
    a real status change records lead.status_changed for the agency's webhooks, in this transaction.
    `by` is the acting rep's id (or "telegram:<id>" for an admin without a rep record).
    """
    if mark_hot:
        if lead.temperature in (Temperature.COLD, Temperature.WARM):
            lead.temperature = Temperature.HOT
            # Hot by a person's hand is as hot as by the score: the agency's CRM hears of it the same way.
            await integration_events.record_event(
                session,
                tenant_id=lead.tenant_id,
                kind=integration_events.EventKind.LEAD_HOT,
                data={
                    **integration_events.lead_data(lead, contact=True),
                    "alert": "marked_hot",
                    "changed_by": "web" if channel == "web" else "rep",
                },
                now=now,
            )
        lead.extra = {**(lead.extra or {}), "marked_hot_by": by, "marked_hot_at": now.isoformat()}
    if note:
        lead.notes = with_note(lead.notes, note, now)
    if status and status != lead.status:
        previous, lead.status = lead.status, status
        await integration_events.lead_status_changed(
            session, lead, previous, now, by="web" if channel == "web" else "rep"
        )
        await status_changed(session, lead, previous, now)  # won/lost: outcome time, follow-ups stop
    await mark_due(session, lead.id, now)  # a note or a status changes what the lead's insight says
    session.add(
        LeadInteraction(
            tenant_id=lead.tenant_id,
            lead_id=lead.id,
            type="rep_action",
            channel=channel,
            direction="internal",
            text=note,
            meta={"rep_id": by, "marked_hot": mark_hot, "status": status},
            created_at=now,
        )
    )


async def _time_zone_of(session: AsyncSession, rep: SalesRepresentative) -> str:
    if rep.time_zone:
        return rep.time_zone
    tenant = await TenantRepository(session).get(rep.tenant_id)
    return tenant.time_zone if tenant else "UTC"


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
        opted_out=lead.opted_out,
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
        opted_out=lead is not None and lead.opted_out,
    )
