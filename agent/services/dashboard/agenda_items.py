"""The rows of the agenda, read for a viewer: open follow-ups (rep tasks and automatic sends) and viewings.

One statement each, scoped by `agent.services.web_access` and ordered for keyset pagination: follow-ups by
(due_at, kind, id), viewings by (starts_at, id). The same reads serve the pages and the API.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import (
    ColumnElement,
    Subquery,
    and_,
    false,
    func,
    literal,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.zones import zone_of
from agent.services.web_access import Viewer, visible_leads, visible_tasks, visible_viewings
from agent.services.web_access.scope import visible_sends_in_agency
from storage.models import (
    FollowUpSend,
    Lead,
    Property,
    Prospect,
    RepTask,
    SalesRepresentative,
    Tenant,
    Viewing,
)
from storage.repositories.followups import VIEWING_KEY_PREFIX
from storage.repositories.reps import OPEN_SEND_STATUSES

FollowUpKind = Literal["task", "send"]
PAGE_LIMIT = 200


def lead_label(lead_id: int, name: str | None, username: str | None) -> str:
    """How a lead is named on a line: their name, else @username, else #id (as the team bot names them)."""
    return name or (f"@{username}" if username else f"#{lead_id}")


@dataclass(frozen=True)
class FollowUpItem:
    """A follow-up still open: a task a rep owes a client, or an automatic message not sent yet."""

    kind: FollowUpKind
    id: int
    due_at: datetime
    lead_id: int | None
    prospect_id: str | None
    name: str | None
    note: str | None
    """The task's note, or the automatic send's step ("ghost", "seq:12", "outreach")."""
    status: str
    """"open" for a task; the ledger's status (pending, claimed, held) for a send."""
    hold_reason: str | None
    channel: str
    rep_id: uuid.UUID | None
    rep_name: str | None


@dataclass(frozen=True)
class HotLead:
    lead_id: int
    name: str
    score: int
    temperature: str
    alert: str
    alerted_at: datetime
    phone: str | None


@dataclass(frozen=True)
class ViewingItem:
    id: int
    lead_id: int
    lead_name: str
    listing_id: int
    listing_title: str
    rep_id: uuid.UUID | None
    rep_name: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    """The rep's zone (else the agency's): the viewing is shown on the clock of who goes to it."""
    status: str
    outcome: str | None
    online: bool
    meeting_link: str | None
    notes: str | None
    updated_at: datetime

    @property
    def etag(self) -> str:
        return viewing_etag(self.id, self.updated_at, self.starts_at, self.status, self.outcome, self.notes)


def viewing_etag(
    viewing_id: int,
    updated_at: datetime,
    starts_at: datetime,
    status: str,
    outcome: str | None,
    notes: str | None,
) -> str:
    """A strong validator of what a PATCH can change and what others change (time, status, outcome, notes)."""
    seen = "|".join(
        (str(viewing_id), updated_at.isoformat(), starts_at.isoformat(), status, outcome or "", notes or "")
    )
    return '"' + hashlib.sha256(seen.encode()).hexdigest()[:20] + '"'


def _sends_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Sends to the viewer's leads and prospects, or to the rep themself; the agency's for an admin."""
    in_agency = visible_sends_in_agency(viewer)
    if viewer.sees_whole_agency:
        return in_agency
    if viewer.rep_id is None:
        return false()
    return and_(
        in_agency,
        or_(
            and_(FollowUpSend.lead_id.is_not(None), visible_leads(viewer)),
            Prospect.assigned_rep_id == viewer.rep_id,
            FollowUpSend.recipient_rep_id == viewer.rep_id,
        ),
    )


def _tasks(viewer: Viewer, until: datetime | None) -> ColumnElement[bool]:
    open_task = and_(visible_tasks(viewer), RepTask.done_at.is_(None))
    return open_task if until is None else and_(open_task, RepTask.due_at < until)


def _follow_ups(viewer: Viewer, until: datetime | None) -> Subquery:
    """Tasks and sends as one relation (kind, id, due_at, lead, prospect, name, note, status, hold, channel, rep)."""
    lead_join = and_(Lead.id == RepTask.lead_id, Lead.tenant_id == RepTask.tenant_id)
    prospect_join = and_(Prospect.tenant_id == RepTask.tenant_id, Prospect.id == RepTask.prospect_id)
    tasks = (
        select(
            literal("task").label("kind"),
            RepTask.id.label("id"),
            RepTask.due_at.label("due_at"),
            RepTask.lead_id.label("lead_id"),
            RepTask.prospect_id.label("prospect_id"),
            Lead.name.label("lead_name"),
            Lead.telegram_username.label("username"),
            Prospect.name.label("prospect_name"),
            RepTask.note.label("note"),
            literal("open").label("status"),
            null().label("hold_reason"),
            literal("task").label("channel"),
            RepTask.rep_id.label("rep_id"),
        )
        .select_from(RepTask)
        .outerjoin(Lead, lead_join)
        .outerjoin(Prospect, prospect_join)
        .where(_tasks(viewer, until))
    )
    send_lead = and_(Lead.id == FollowUpSend.lead_id, Lead.tenant_id == FollowUpSend.tenant_id)
    send_prospect = and_(
        Prospect.tenant_id == FollowUpSend.tenant_id, Prospect.id == FollowUpSend.prospect_id
    )
    open_send = [
        _sends_scope(viewer),
        FollowUpSend.status.in_(OPEN_SEND_STATUSES),
        # Reminders of viewings are the viewings' own business: the agenda lists the viewings.
        FollowUpSend.step_key.not_like(f"{VIEWING_KEY_PREFIX}%"),
    ]
    if until is not None:
        open_send.append(FollowUpSend.due_at < until)
    sends = (
        select(
            literal("send").label("kind"),
            FollowUpSend.id.label("id"),
            FollowUpSend.due_at.label("due_at"),
            FollowUpSend.lead_id.label("lead_id"),
            FollowUpSend.prospect_id.label("prospect_id"),
            Lead.name.label("lead_name"),
            Lead.telegram_username.label("username"),
            Prospect.name.label("prospect_name"),
            FollowUpSend.step_key.label("note"),
            FollowUpSend.status.label("status"),
            FollowUpSend.hold_reason.label("hold_reason"),
            FollowUpSend.channel.label("channel"),
            func.coalesce(
                FollowUpSend.recipient_rep_id, Lead.assigned_rep_id, Prospect.assigned_rep_id
            ).label("rep_id"),
        )
        .select_from(FollowUpSend)
        .outerjoin(Lead, send_lead)
        .outerjoin(Prospect, send_prospect)
        .where(*open_send)
    )
    return union_all(tasks, sends).subquery("follow_ups")


async def follow_ups(
    session: AsyncSession,
    viewer: Viewer,
    *,
    until: datetime | None = None,
    after: tuple[datetime, str, int] | None = None,
    limit: int = PAGE_LIMIT,
) -> list[FollowUpItem]:
    """Open follow-ups due before `until` (all when None), soonest first, after the keyset `after`."""
    rows = _follow_ups(viewer, until)
    query = (
        select(rows, SalesRepresentative.name.label("rep_name"))
        .outerjoin(SalesRepresentative, SalesRepresentative.id == rows.c.rep_id)
        .order_by(rows.c.due_at, rows.c.kind, rows.c.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(tuple_(rows.c.due_at, rows.c.kind, rows.c.id) > tuple_(*after))
    return [
        FollowUpItem(
            kind=row.kind,
            id=row.id,
            due_at=row.due_at,
            lead_id=row.lead_id,
            prospect_id=row.prospect_id,
            name=(
                lead_label(row.lead_id, row.lead_name, row.username)
                if row.lead_id is not None
                else row.prospect_name
            ),
            note=row.note,
            status=row.status,
            hold_reason=row.hold_reason,
            channel=row.channel,
            rep_id=row.rep_id,
            rep_name=row.rep_name,
        )
        for row in await session.execute(query)
    ]


async def viewings_between(
    session: AsyncSession,
    viewer: Viewer,
    start: datetime | None,
    end: datetime | None,
    *,
    rep_id: uuid.UUID | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = PAGE_LIMIT,
    viewing_id: int | None = None,
) -> list[ViewingItem]:
    """The viewer's viewings starting in [start, end), soonest first, with lead, listing and rep in one read."""
    query = (
        select(
            Viewing,
            Lead.name,
            Lead.telegram_username,
            Property.title,
            SalesRepresentative.name,
            SalesRepresentative.time_zone,
            Tenant.time_zone,
        )
        .join(Lead, and_(Lead.id == Viewing.lead_id, Lead.tenant_id == Viewing.tenant_id))
        .join(Property, Property.id == Viewing.property_id)
        .join(Tenant, Tenant.id == Viewing.tenant_id)
        .outerjoin(SalesRepresentative, SalesRepresentative.id == Viewing.rep_id)
        .where(visible_viewings(viewer))
        .order_by(Viewing.starts_at, Viewing.id)
        .limit(limit)
    )
    if start is not None:
        query = query.where(Viewing.starts_at >= start)
    if end is not None:
        query = query.where(Viewing.starts_at < end)
    if rep_id is not None:
        query = query.where(Viewing.rep_id == rep_id)
    if viewing_id is not None:
        query = query.where(Viewing.id == viewing_id)
    if after is not None:
        query = query.where(tuple_(Viewing.starts_at, Viewing.id) > tuple_(*after))
    items = []
    for viewing, name, username, title, rep_name, rep_zone, agency_zone in (
        await session.execute(query)
    ).tuples():
        items.append(
            ViewingItem(
                id=viewing.id,
                lead_id=viewing.lead_id,
                lead_name=lead_label(viewing.lead_id, name, username),
                listing_id=viewing.property_id,
                listing_title=title,
                rep_id=viewing.rep_id,
                rep_name=rep_name,
                starts_at=viewing.starts_at,
                ends_at=viewing.ends_at,
                time_zone=zone_of(rep_zone, agency_zone).key,
                status=viewing.status,
                outcome=viewing.outcome,
                online=viewing.online,
                meeting_link=viewing.meeting_link,
                notes=viewing.notes,
                updated_at=viewing.updated_at,
            )
        )
    return items


async def viewing_item(session: AsyncSession, viewer: Viewer, viewing_id: int) -> ViewingItem | None:
    """One viewing the viewer may see; None for one they may not (or that does not exist)."""
    found = await viewings_between(session, viewer, None, None, viewing_id=viewing_id, limit=1)
    return found[0] if found else None
