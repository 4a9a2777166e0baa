"""/api/v1/leads: the board with cursor pagination, a lead with its ETag, changes (If-Match), notes,
follow-ups, rescoring, WhatsApp, the CRM dashboard and a CSV export of what the caller may see."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, NoReturn

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from agent.services.dashboard.lead_actions import (
    BadValue,
    ChannelMissing,
    LeadActionError,
    LeadActions,
    LeadHidden,
    NotAllowedHere,
    StaleLead,
)
from agent.services.dashboard.lead_takeover import NoTeamChat, take_or_hand_back
from agent.services.dashboard.leads import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    BadCursor,
    BoardFilter,
    LeadCard,
    board_page,
)
from agent.services.dashboard.leads_detail import LeadDetail, lead_detail, split_notes, visible_lead
from agent.services.dashboard.leads_summary import summary
from agent.services.provider import Services
from agent.services.takeover import Outcome
from agent.services.web_access import Viewer, audit_refusal
from agent.web.api_auth import ApiViewerDep
from agent.web.deps import ServicesDep
from agent.web.errors import BadForm, Conflict, Forbidden, NotFound, PreconditionFailed, WebError
from agent.web.params import Moment, RowId
from agent.web.routes.leads import board_filter

router = APIRouter(prefix="/api/v1", tags=["leads"])

EXPORT_BATCH = 500


class Unavailable(WebError):
    """The channel is not configured or cannot reach the lead (the detail says what to set)."""

    status = 409
    page = "unavailable"


class LeadOut(BaseModel):
    id: int
    name: str
    phone: str | None
    score: int
    temperature: str
    badge: str
    status: str
    source: str | None
    opted_out: bool
    qr_scan_count: int
    catalog_views: int
    message_count: int
    rep_id: uuid.UUID | None
    rep_name: str | None
    last_inbound_at: datetime | None
    likely: float | None = None
    """Conversion likelihood (0..1) under the agency's learned model in use; null without one."""

    @classmethod
    def of(cls, card: LeadCard) -> LeadOut:
        return cls(
            id=card.id,
            name=card.name,
            phone=card.phone,
            score=card.score,
            temperature=card.temperature,
            badge=card.badge,
            status=card.status,
            source=card.source,
            opted_out=card.opted_out,
            qr_scan_count=card.qr_scan_count,
            catalog_views=card.catalog_views,
            message_count=card.message_count,
            rep_id=card.rep_id,
            rep_name=card.rep_name,
            last_inbound_at=card.last_inbound_at,
            likely=card.likely,
        )


class LeadPage(BaseModel):
    items: list[LeadOut]
    model_config = ConfigDict(use_attribute_docstrings=True)

    next_cursor: str | None
    """Pass as ?cursor= for the next page; null on the last page."""


class FactorOut(BaseModel):
    key: str
    points: int
    max_points: int
    reason: str


class MessageOut(BaseModel):
    id: int
    at: datetime
    direction: str
    type: str
    channel: str
    text: str | None


class FollowUpOut(BaseModel):
    kind: str
    id: int
    due_at: datetime
    status: str
    text: str | None


class NoteOut(BaseModel):
    stamp: str | None
    text: str


class InsightOut(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    next: str
    """The next best action and its reason, in the caller's language."""
    lines: list[str]
    """The insight in the caller's language: summary (by the model, when one wrote it), wants, urgency, ..."""
    source: str
    """offline | model"""
    refreshed: str
    content: dict[str, Any]
    """The stored insight, language-neutral (action kind and reason, recorded facts)."""


class LeadDetailOut(BaseModel):
    id: int
    name: str
    phone: str | None
    email: str | None
    language: str
    status: str
    outcome_at: datetime | None
    outcome_reason: str | None
    outcome_note: str | None
    source: str | None
    score: int
    temperature: str
    badge: str
    opted_out: bool
    rep_id: uuid.UUID | None
    rep_name: str | None
    qr_scan_count: int
    catalog_views: int
    message_count: int
    factors: list[FactorOut]
    messages: list[MessageOut]
    earlier_cursor: str | None
    follow_ups: list[FollowUpOut]
    notes: list[NoteOut]
    insight: InsightOut | None = None
    etag: str

    @classmethod
    def of(cls, d: LeadDetail) -> LeadDetailOut:
        lead = d.lead
        return cls(
            id=lead.id,
            name=d.name,
            phone=lead.phone,
            email=lead.email,
            language=lead.language,
            status=lead.status,
            outcome_at=lead.outcome_at,
            outcome_reason=lead.outcome_reason,
            outcome_note=lead.outcome_note,
            source=lead.source,
            score=lead.lead_score,
            temperature=lead.temperature,
            badge=d.badge,
            opted_out=lead.opted_out,
            rep_id=lead.assigned_rep_id,
            rep_name=d.rep_name,
            qr_scan_count=lead.qr_scan_count,
            catalog_views=lead.catalog_views,
            message_count=lead.message_count,
            factors=[
                FactorOut(key=f.key, points=f.points, max_points=f.max_points, reason=f.reason)
                for f in d.factors
            ],
            messages=[
                MessageOut(
                    id=m.id, at=m.at, direction=m.direction, type=m.type, channel=m.channel, text=m.text
                )
                for m in d.messages
            ],
            earlier_cursor=d.earlier_cursor,
            follow_ups=[
                FollowUpOut(kind=f.kind, id=f.id, due_at=f.due_at, status=f.status, text=f.text)
                for f in d.follow_ups
            ],
            notes=[NoteOut(stamp=n.stamp, text=n.text) for n in d.notes],
            insight=InsightOut(
                next=d.insight.view.next,
                lines=list(d.insight.view.lines),
                source=d.insight.source,
                refreshed=d.insight.refreshed,
                content=d.insight.content,
            )
            if d.insight
            else None,
            etag=d.etag,
        )


class LeadChange(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    status: str
    """One of: new, qualifying, qualified, contact_captured, viewing_scheduled, handed_off, won, lost."""


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


class FollowUpIn(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    due_at: Moment
    """When, with a zone offset (ISO 8601), in the years 2000-2100."""
    note: str | None = Field(default=None, max_length=1000)


class FollowUpCreated(BaseModel):
    id: int
    due_at: datetime
    rep_id: uuid.UUID
    note: str | None


class WhatsAppIn(BaseModel):
    text: str = Field(min_length=1, max_length=4096)


class Sent(BaseModel):
    message_id: str


class TaskOut(BaseModel):
    id: int
    lead_id: int | None
    due_at: datetime
    note: str | None


class Dashboard(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    counts: dict[str, int]
    """Live (not opted-out) leads by temperature."""
    hot_leads: list[LeadOut]
    today_follow_ups: list[TaskOut]
    overdue_follow_ups: list[TaskOut]


def _actions(services: Services) -> LeadActions:
    return LeadActions(services.database, services.clock, services.channels)


def _problem(exc: LeadActionError) -> NoReturn:
    """Raise the problem an action's refusal is for the API."""
    if isinstance(exc, LeadHidden):
        raise NotFound("no such lead")
    if isinstance(exc, StaleLead):
        raise PreconditionFailed(f"the lead changed since you read it; its ETag is now {exc.detail}")
    if isinstance(exc, NotAllowedHere):
        raise Forbidden(exc.detail)
    if isinstance(exc, ChannelMissing):
        raise Unavailable(exc.detail)
    if isinstance(exc, BadValue):
        raise BadForm(exc.detail)
    raise BadForm(exc.detail)


@router.get("/leads", response_model=LeadPage)
async def list_leads(
    viewer: ApiViewerDep,
    services: ServicesDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    temperature: str | None = None,
    status: str | None = None,
    rep: str | None = None,
    source: str | None = None,
    opted: Annotated[str | None, Query(pattern="^(yes|no)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> LeadPage:
    """The caller's leads by score (opted-out last); follow `next_cursor` for the next page."""
    wanted = board_filter(temperature, status, rep, source, opted, q)
    async with services.database.session() as session:
        try:
            page = await board_page(session, viewer, wanted, cursor, limit)
        except BadCursor as exc:
            raise BadForm("unknown cursor") from exc
    return LeadPage(items=[LeadOut.of(card) for card in page.leads], next_cursor=page.next_cursor)


@router.get("/leads/dashboard", response_model=Dashboard)
async def dashboard(viewer: ApiViewerDep, services: ServicesDep) -> Dashboard:
    """Counts by temperature, the hottest leads, and the caller's follow-ups due today and overdue."""
    async with services.database.session() as session:
        found = await summary(session, viewer, services.clock.now())
    return Dashboard(
        counts=found.counts,
        hot_leads=[LeadOut.of(card) for card in found.hot_leads],
        today_follow_ups=[
            TaskOut(id=t.id, lead_id=t.lead_id, due_at=t.due_at, note=t.note) for t in found.today
        ],
        overdue_follow_ups=[
            TaskOut(id=t.id, lead_id=t.lead_id, due_at=t.due_at, note=t.note) for t in found.overdue
        ],
    )


EXPORT_COLUMNS = (
    "id",
    "name",
    "phone",
    "score",
    "temperature",
    "status",
    "source",
    "opted_out",
    "qr_scan_count",
    "catalog_views",
    "message_count",
    "rep",
    "last_inbound_at",
)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's CSV injection rule: a cell starting with these may run as a formula in a spreadsheet."""
PHONE = re.compile(r"\+[0-9]{4,20}")


def cell(text: str) -> str:
    """A text cell made inert for spreadsheets (names come from Telegram): a leading `'` keeps it text.
    A plain phone number (+digits) is no formula and is written as it is."""
    if text.startswith(FORMULA_START) and not PHONE.fullmatch(text):
        return "'" + text
    return text


@router.get("/leads/export.csv", response_class=StreamingResponse)
async def export_csv(viewer: ApiViewerDep, services: ServicesDep) -> StreamingResponse:
    """Every lead the caller may see, as CSV (UTF-8 with a BOM, so spreadsheet programs read it as UTF-8),
    streamed in keyset batches."""

    async def rows() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        yield "\ufeff" + buffer.getvalue()
        cursor: str | None = None
        while True:
            async with services.database.session() as session:
                page = await board_page(session, viewer, BoardFilter(), cursor, EXPORT_BATCH)
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for c in page.leads:
                writer.writerow(
                    (
                        c.id,
                        cell(c.name),
                        cell(c.phone or ""),
                        c.score,
                        c.temperature,
                        c.status,
                        cell(c.source or ""),
                        "yes" if c.opted_out else "no",
                        c.qr_scan_count,
                        c.catalog_views,
                        c.message_count,
                        cell(c.rep_name or ""),
                        c.last_inbound_at.isoformat() if c.last_inbound_at else "",
                    )
                )
            yield buffer.getvalue()
            cursor = page.next_cursor
            if cursor is None:
                return

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"', "Cache-Control": "no-store"},
    )


async def _detail(services: Services, viewer: Viewer, lead_id: int, before: str | None = None) -> LeadDetail:
    async with services.database.session() as session:
        try:
            found = await lead_detail(session, viewer, lead_id, before)
        except BadCursor as exc:
            raise BadForm("unknown cursor") from exc
    if found is None:
        await audit_refusal(
            services.database, services.clock, viewer, "lead.view", f"lead:{lead_id}", "not_their_lead"
        )
        raise NotFound("no such lead")
    return found


@router.get("/leads/{lead_id}", response_model=LeadDetailOut)
async def get_lead(
    lead_id: RowId,
    viewer: ApiViewerDep,
    services: ServicesDep,
    response: Response,
    before: Annotated[str | None, Query(max_length=60)] = None,
) -> LeadDetailOut:
    """One lead: profile, score factors with reasons, conversation (newest last), follow-ups, notes; with an ETag."""
    detail = await _detail(services, viewer, lead_id, before)
    response.headers["ETag"] = detail.etag
    return LeadDetailOut.of(detail)


@router.patch("/leads/{lead_id}", response_model=LeadDetailOut)
async def change_lead(
    lead_id: RowId,
    change: LeadChange,
    viewer: ApiViewerDep,
    services: ServicesDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> LeadDetailOut:
    """Change the status. Send `If-Match` with the ETag you read: if the lead changed since, 412 (nothing changed)."""
    try:
        await _actions(services).change_status(viewer, lead_id, change.status, if_match=if_match)
    except LeadActionError as exc:
        _problem(exc)
    detail = await _detail(services, viewer, lead_id)
    response.headers["ETag"] = detail.etag
    return LeadDetailOut.of(detail)


@router.post("/leads/{lead_id}/notes", response_model=list[NoteOut], status_code=201)
async def add_note(
    lead_id: RowId, note: NoteIn, viewer: ApiViewerDep, services: ServicesDep
) -> list[NoteOut]:
    """Add a note (shown in the team bot too); the lead's notes come back."""
    try:
        lead = await _actions(services).add_note(viewer, lead_id, note.text)
    except LeadActionError as exc:
        _problem(exc)
    return [NoteOut(stamp=n.stamp, text=n.text) for n in split_notes(lead.notes)]


@router.post("/leads/{lead_id}/follow-up", response_model=FollowUpCreated, status_code=201)
async def follow_up(
    lead_id: RowId, body: FollowUpIn, viewer: ApiViewerDep, services: ServicesDep
) -> FollowUpCreated:
    """Schedule a follow-up task (the caller's own as a rep, else the lead's rep's)."""
    try:
        task = await _actions(services).schedule_follow_up(viewer, lead_id, body.due_at, body.note)
    except LeadActionError as exc:
        _problem(exc)
    return FollowUpCreated(id=task.id, due_at=task.due_at, rep_id=task.rep_id, note=task.note)


@router.post("/leads/{lead_id}/score", response_model=LeadDetailOut)
async def rescore(
    lead_id: RowId, viewer: ApiViewerDep, services: ServicesDep, response: Response
) -> LeadDetailOut:
    """Score the lead again now; its factors and reasons come back."""
    try:
        await _actions(services).rescore(viewer, lead_id)
    except LeadActionError as exc:
        _problem(exc)
    detail = await _detail(services, viewer, lead_id)
    response.headers["ETag"] = detail.etag
    return LeadDetailOut.of(detail)


@router.post("/leads/{lead_id}/whatsapp", response_model=Sent)
async def whatsapp(lead_id: RowId, body: WhatsAppIn, viewer: ApiViewerDep, services: ServicesDep) -> Sent:
    """Send a WhatsApp text to the lead (needs WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID; 409 otherwise)."""
    try:
        sent = await _actions(services).send_whatsapp(viewer, lead_id, body.text)
    except LeadActionError as exc:
        _problem(exc)
    return Sent(message_id=sent)


class TakeoverOut(BaseModel):
    lead_id: int
    outcome: str
    """taken | already | handed_back | not_taken (done); busy | hand_back_refused (409)."""
    taken_over_by: int | None
    """The Telegram id of the person talking to the lead now; null: the AI is."""
    message: str


async def _takeover(services: Services, viewer: Viewer, lead_id: int, verb: str) -> TakeoverOut:
    try:
        decision = await take_or_hand_back(services, viewer, lead_id, verb)
    except NoTeamChat as exc:  # the caller must open the team bot first
        raise Conflict(exc.detail) from exc
    except LeadActionError as exc:
        _problem(exc)
    if decision.outcome in (Outcome.BUSY, Outcome.HAND_BACK_REFUSED):
        raise Conflict(decision.reply)
    if decision.outcome is Outcome.NOT_YOURS:
        raise Forbidden(decision.reply)
    if decision.outcome is Outcome.GONE:
        raise NotFound("no such lead")
    async with services.database.session() as session:
        lead = await visible_lead(session, viewer, lead_id)
    return TakeoverOut(
        lead_id=lead_id,
        outcome=decision.outcome.value,
        taken_over_by=lead.taken_over_by if lead is not None else None,
        message=decision.reply,
    )


@router.post("/leads/{lead_id}/takeover", response_model=TakeoverOut)
async def take_over(lead_id: RowId, viewer: ApiViewerDep, services: ServicesDep) -> TakeoverOut:
    """The caller talks to the lead in person from now on (their messages come to the caller in the team bot);
    the AI stays quiet. People only (the lead's rep or an admin); 409 when someone else talks to the lead."""
    return await _takeover(services, viewer, lead_id, "takeover")


@router.post("/leads/{lead_id}/handback", response_model=TakeoverOut)
async def hand_back(lead_id: RowId, viewer: ApiViewerDep, services: ServicesDep) -> TakeoverOut:
    """The AI answers the lead again, knowing what was said meanwhile. The one talking to the lead or an admin."""
    return await _takeover(services, viewer, lead_id, "handback")
