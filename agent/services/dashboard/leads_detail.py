"""One lead as the web app shows it: profile, score with every factor and its reason, the conversation,
viewings, follow-ups and notes; only when the viewer may see the lead (`visible_leads`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from agent.core.scoring import score_lead
from agent.core.zones import zone_of
from agent.services.conversion.display import ConversionView, lead_conversion
from agent.services.dashboard.bounds import as_number, in_range
from agent.services.dashboard.leads import BadCursor, display_name, lead_badge
from agent.services.insights import ShownInsight, insight_for
from agent.services.leads.scoring import lead_signals
from agent.services.web_access import Viewer, visible_leads, visible_tasks
from prompts.scoring import reason
from storage.models import (
    FollowUpSend,
    Lead,
    LeadInteraction,
    Property,
    RepTask,
    SalesRepresentative,
    Tenant,
    Viewing,
)
from storage.repositories.leads import FactorRow, LeadRepository

CONVERSATION_PAGE = 40


@dataclass(frozen=True)
class Factor:
    key: str
    points: int
    max_points: int
    reason: str


@dataclass(frozen=True)
class Message:
    id: int
    at: datetime
    direction: str
    type: str
    channel: str
    text: str | None


@dataclass(frozen=True)
class ViewingLine:
    id: int
    starts_at: datetime
    time_zone: str
    status: str
    listing: str | None
    online: bool


@dataclass(frozen=True)
class FollowUpLine:
    """An automatic send (kind "send") or a task a rep owes (kind "task")."""

    kind: str
    id: int
    due_at: datetime
    status: str
    text: str | None


@dataclass(frozen=True)
class Note:
    stamp: str | None
    text: str


@dataclass(frozen=True)
class LeadDetail:
    lead: Lead
    name: str
    badge: str
    rep_name: str | None
    tenant_time_zone: str
    factors: tuple[Factor, ...]
    messages: tuple[Message, ...]
    earlier_cursor: str | None
    """The cursor of the conversation's earlier page, when there is one."""
    viewings: tuple[ViewingLine, ...]
    follow_ups: tuple[FollowUpLine, ...]
    notes: tuple[Note, ...]
    insight: ShownInsight | None = None
    """The lead's insight and next best action in the viewer's language (agent.services.insights)."""
    conversion: ConversionView | None = None
    """The learned conversion likelihood (None without an agency model)."""

    @property
    def etag(self) -> str:
        return lead_etag(self.lead)


def lead_etag(lead: Lead) -> str:
    """Changes whenever the lead row does (updated_at moves on every write)."""
    stamp = int(lead.updated_at.timestamp() * 1_000_000) if lead.updated_at else 0
    return f'W/"lead-{lead.id}-{stamp}-{lead.lead_score}"'


async def visible_lead(
    session: AsyncSession, viewer: Viewer, lead_id: int, *, for_update: bool = False
) -> Lead | None:
    """The lead when this viewer may see it; None otherwise (the caller answers 404 and audits)."""
    query = select(Lead).where(Lead.id == lead_id, visible_leads(viewer))
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


def split_notes(notes: str | None) -> tuple[Note, ...]:
    """The notes column as the team bot writes it: one "[YYYY-MM-DD HH:MM] text" line per note."""
    found: list[Note] = []
    for line in (notes or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("[") and "] " in line:
            stamp, _, body = line[1:].partition("] ")
            found.append(Note(stamp, body))
        else:
            found.append(Note(None, line))
    return tuple(found)


def factors_in(
    lead: Lead, stored: Sequence[FactorRow], tenant_zone: str, language: str
) -> tuple[Factor, ...]:
    """The stored factors, each reason in `language` when the score can be replayed exactly, else as stored.

    A score is stored with reasons in the lead's language; replaying the pure scoring at `scored_at` with the
    lead's signals gives the same factors as long as the signals did not change since (then the words of the
    replay are used; if they changed, the stored reason is the truth and is shown as it is).
    """
    if lead.scored_at is None or not stored:
        return tuple(Factor(f.key, f.points, f.max_points, f.reason) for f in stored)
    replay = score_lead(lead_signals(lead, zone_of(lead.time_zone or tenant_zone)), lead.scored_at)
    same = {(f.key, f.points, f.max_points) for f in replay.factors} == {
        (f.key, f.points, f.max_points) for f in stored
    }
    if not same:
        return tuple(Factor(f.key, f.points, f.max_points, f.reason) for f in stored)
    words = {f.key: reason(f, language) for f in replay.factors}
    return tuple(Factor(f.key, f.points, f.max_points, words.get(f.key, f.reason)) for f in stored)


def _conversation_cursor(message: Message) -> str:
    return f"{int(message.at.timestamp() * 1_000_000)}.{message.id}"


def _parse_conversation_cursor(cursor: str) -> tuple[datetime, int]:
    micros, _, message_id = cursor.partition(".")
    at, number = as_number(micros), as_number(message_id)
    if at is None or number is None:
        raise BadCursor(cursor[:40])
    try:
        moment = datetime.fromtimestamp(at / 1_000_000, UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise BadCursor(cursor[:40]) from exc
    if not in_range(moment):
        raise BadCursor(cursor[:40])
    return moment, number


async def conversation(
    session: AsyncSession, lead: Lead, before: str | None = None, limit: int = CONVERSATION_PAGE
) -> tuple[tuple[Message, ...], str | None]:
    """The latest `limit` interactions before the cursor, newest last, and the cursor of the page before."""
    where = [LeadInteraction.lead_id == lead.id, LeadInteraction.tenant_id == lead.tenant_id]
    if before:
        at, interaction_id = _parse_conversation_cursor(before)
        where.append(tuple_(LeadInteraction.created_at, LeadInteraction.id) < tuple_(at, interaction_id))
    query = (
        select(LeadInteraction)
        .where(and_(*where))
        .order_by(LeadInteraction.created_at.desc(), LeadInteraction.id.desc())
        .limit(limit + 1)
    )
    rows = list((await session.execute(query)).scalars())
    messages = [
        Message(row.id, row.created_at, row.direction, row.type, row.channel, row.text)
        for row in rows[:limit]
    ]
    messages.reverse()
    earlier = _conversation_cursor(messages[0]) if len(rows) > limit and messages else None
    return tuple(messages), earlier


async def lead_detail(
    session: AsyncSession, viewer: Viewer, lead_id: int, before: str | None = None
) -> LeadDetail | None:
    """Everything the lead page shows; None when the viewer may not see the lead."""
    found = (
        await session.execute(
            select(Lead, SalesRepresentative.name, Tenant.time_zone)
            .join(Tenant, Tenant.id == Lead.tenant_id)
            .outerjoin(SalesRepresentative, SalesRepresentative.id == Lead.assigned_rep_id)
            .where(Lead.id == lead_id, visible_leads(viewer))
        )
    ).one_or_none()
    if found is None:
        return None
    lead, rep_name, tenant_zone = found
    stored = await LeadRepository(session).factors(lead)
    messages, earlier = await conversation(session, lead, before)
    viewings = (
        await session.execute(
            select(Viewing, Property.title)
            .outerjoin(Property, Property.id == Viewing.property_id)
            .where(Viewing.tenant_id == lead.tenant_id, Viewing.lead_id == lead.id)
            .order_by(Viewing.starts_at)
        )
    ).all()
    return LeadDetail(
        lead=lead,
        name=display_name(lead.name, lead.telegram_username, lead.id),
        badge=lead_badge(lead.temperature, lead.opted_out),
        rep_name=rep_name,
        tenant_time_zone=tenant_zone or "UTC",
        factors=factors_in(lead, stored, tenant_zone or "UTC", viewer.language),
        messages=messages,
        earlier_cursor=earlier,
        viewings=tuple(
            ViewingLine(v.id, v.starts_at, v.time_zone, v.status, title, v.online) for v, title in viewings
        ),
        follow_ups=await follow_ups(session, viewer, lead),
        notes=split_notes(lead.notes),
        insight=await insight_for(session, lead, viewer.language, tenant_zone),
        conversion=await lead_conversion(session, lead, viewer.language),
    )


async def follow_ups(session: AsyncSession, viewer: Viewer, lead: Lead) -> tuple[FollowUpLine, ...]:
    """The lead's automatic sends (any status) and the open tasks reps owe it, by due time."""
    sends = (
        await session.execute(
            select(FollowUpSend)
            .where(FollowUpSend.tenant_id == lead.tenant_id, FollowUpSend.lead_id == lead.id)
            .order_by(FollowUpSend.due_at.desc())
            .limit(30)
        )
    ).scalars()
    tasks = (
        await session.execute(
            select(RepTask)
            .where(visible_tasks(viewer), RepTask.lead_id == lead.id, RepTask.done_at.is_(None))
            .order_by(RepTask.due_at)
            .limit(30)
        )
    ).scalars()
    lines = [FollowUpLine("send", s.id, s.due_at, s.status, s.text) for s in sends]
    lines += [FollowUpLine("task", t.id, t.due_at, "open", t.note) for t in tasks]
    lines.sort(key=lambda line: line.due_at)
    return tuple(lines)
