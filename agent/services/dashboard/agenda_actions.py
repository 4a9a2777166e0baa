"""What a viewer changes on their agenda: a task done or moved, a viewing's outcome, a viewing cancelled.

Each change is made on a row the viewer may see (scoped and locked in one statement) and audited in its own
transaction; anything else is refused and the refusal audited. A viewing's outcome and its cancellation are
the calendar services' (`reminders.settle_outcome`, `service.cancel`), the same ones the team bot uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.services.calendars import reminders, service
from agent.services.calendars.notify import Change, announce
from agent.services.calendars.reminders import Outcome
from agent.services.dashboard.agenda_items import ViewingItem, viewing_etag, viewing_item
from agent.services.provider import Services
from agent.services.web_access import Viewer, audit_change, audit_refusal, visible_tasks, visible_viewings
from storage.models import Lead, RepTask, Tenant, Viewing
from storage.repositories.leads import LeadRepository
from storage.repositories.viewings import LIVE_STATUSES

NOTES_LIMIT = 2000
ViewingStatusChange = Literal["completed", "no_show", "cancelled"]


class AgendaRefused(Exception):
    """The viewer may not reach this task or viewing (another rep's, another agency's, none such)."""


class StaleVersion(Exception):
    """The viewing changed since the caller read it (If-Match does not match)."""

    def __init__(self, current: str) -> None:
        super().__init__(current)
        self.current = current


class CannotChange(Exception):
    """The change does not apply to the viewing as it stands (cancelled already, not started yet...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ViewingChange:
    """What a viewer asks of a viewing; None leaves a field as it is."""

    outcome: Outcome | None = None
    status: ViewingStatusChange | None = None
    notes: str | None = None

    def resolved_outcome(self) -> Outcome | None:
        """The outcome to record: the one given, else what a completed / no-show status means."""
        if self.outcome is not None:
            return self.outcome
        if self.status == "no_show":
            return Outcome.NO_SHOW
        if self.status == "completed":
            return Outcome.ATTENDED
        return None


class AgendaActions:
    """Changes to tasks and viewings on behalf of a viewer."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def task_done(self, viewer: Viewer, task_id: int) -> None:
        """Mark a task done (again is a no-op)."""
        await self._change_task(viewer, task_id, "task.done", None)

    async def reschedule_task(self, viewer: Viewer, task_id: int, due_at: datetime) -> None:
        await self._change_task(viewer, task_id, "task.reschedule", due_at)

    async def _change_task(self, viewer: Viewer, task_id: int, action: str, due_at: datetime | None) -> None:
        clock = self.services.clock
        async with self.services.database.session() as session:
            query = select(RepTask).where(RepTask.id == task_id, visible_tasks(viewer)).with_for_update()
            task = (await session.execute(query)).scalar_one_or_none()
            if task is not None:
                if due_at is None:
                    if task.done_at is None:
                        task.done_at = clock.now()
                        await audit_change(session, clock, viewer, action, f"task:{task_id}")
                    return
                detail = f"{task.due_at.isoformat()} -> {due_at.isoformat()}"
                task.due_at, task.done_at = due_at, None
                await audit_change(session, clock, viewer, action, f"task:{task_id}", detail)
                return
        await audit_refusal(self.services.database, clock, viewer, action, f"task:{task_id}", "not_visible")
        raise AgendaRefused(f"task {task_id}")

    async def change_viewing(
        self, viewer: Viewer, viewing_id: int, change: ViewingChange, *, if_match: str | None = None
    ) -> ViewingItem:
        """Record an outcome, mark completed / no-show, cancel, or note a viewing; the viewing as it is after."""
        clock, now = self.services.clock, self.services.clock.now()
        target = f"viewing:{viewing_id}"
        cancelled = False
        async with self.services.database.session() as session:
            query = (
                select(Viewing).where(Viewing.id == viewing_id, visible_viewings(viewer)).with_for_update()
            )
            viewing = (await session.execute(query)).scalar_one_or_none()
            if viewing is None:
                refused = True
            else:
                refused = False
                current = viewing_etag(
                    viewing.id,
                    viewing.updated_at,
                    viewing.starts_at,
                    viewing.status,
                    viewing.outcome,
                    viewing.notes,
                )
                if if_match is not None and _opaque(if_match) not in (current, "*"):
                    raise StaleVersion(current)
                lead = await session.get(Lead, viewing.lead_id, with_for_update=True)
                if lead is None:
                    raise CannotChange("no_lead")
                details: list[str] = []
                if change.status == "cancelled":
                    await self._cancel(session, viewer, viewing, lead, now)
                    details.append("cancelled")
                    cancelled = True
                else:
                    outcome = change.resolved_outcome()
                    if outcome is not None:
                        if viewing.status not in LIVE_STATUSES:  # recorded, cancelled: settled once
                            raise CannotChange(f"viewing_{viewing.status}")
                        if viewing.starts_at > now:
                            raise CannotChange("not_started")
                        await reminders.settle_outcome(
                            session, viewing, lead, outcome, now, by=_by(viewer), channel="web"
                        )
                        details.append(f"outcome={outcome.value}")
                if change.notes is not None:
                    viewing.notes = change.notes.strip()[:NOTES_LIMIT] or None
                    details.append("notes")
                await audit_change(
                    session, clock, viewer, "viewing.change", target, ", ".join(details) or "nothing"
                )
        if refused:
            await audit_refusal(
                self.services.database, clock, viewer, "viewing.change", target, "not_visible"
            )
            raise AgendaRefused(target)
        if cancelled:
            # Committed: the rep's notice, and the lead's with the .ics, as when the rep cancels in the bot.
            await announce(self.services, viewing_id, Change.CANCELLED, tell_lead=True)
        async with self.services.database.session() as session:
            item = await viewing_item(session, viewer, viewing_id)
        if item is None:  # the viewing went away in between (its lead erased)
            raise AgendaRefused(target)
        return item

    async def _cancel(
        self, session: AsyncSession, viewer: Viewer, viewing: Viewing, lead: Lead, now: datetime
    ) -> None:
        """The calendar service's cancellation: the rep's time freed, the providers told, follow-ups resumed."""
        if viewing.status not in LIVE_STATUSES or viewing.ends_at <= now:
            raise CannotChange("past" if viewing.status in LIVE_STATUSES else f"viewing_{viewing.status}")
        tenant = await session.get(Tenant, viewing.tenant_id)
        if tenant is None:
            raise CannotChange("no_agency")
        calendar = service.calendar_for_tenant(self.services, tenant)
        done = await service.cancel(
            session, lead=lead, tenant=tenant, now=now, calendar=calendar, viewing_id=viewing.id
        )
        if isinstance(done, service.NothingToChange):
            raise CannotChange("past")
        await reminders.withdraw(session, viewing, "cancelled_on_web")
        await LeadRepository(session).add_interaction(
            lead,
            type="viewing_cancelled",
            direction="outbound",
            channel="web",
            now=now,
            meta={"viewing_id": viewing.id, "rep_id": _by(viewer)},
        )


def _opaque(if_match: str) -> str:
    """The tag an If-Match names, a weak one (W/"...") compared by its value."""
    tag = if_match.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _by(viewer: Viewer) -> str:
    """Who made the change, on the lead's timeline: the rep, else what it came through (an API token)."""
    return str(viewer.rep_id) if viewer.rep_id is not None else viewer.via
