"""/api/v1/viewings and /api/v1/follow-ups: the agenda for integrations and the dashboard's own scripts.

Lists page by an opaque cursor (keyset: a viewing's start and id; a follow-up's due time, kind and id).
A viewing answers with an ETag; a PATCH sent with a stale If-Match gets 412 and changes nothing.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from agent.services.calendars.reminders import Outcome
from agent.services.dashboard.agenda_actions import (
    AgendaActions,
    AgendaRefused,
    CannotChange,
    StaleVersion,
    ViewingChange,
)
from agent.services.dashboard.agenda_items import (
    FollowUpItem,
    ViewingItem,
    follow_ups,
    viewing_item,
    viewings_between,
)
from agent.services.dashboard.bounds import as_number, fits_bigint, in_range
from agent.services.web_access import Viewer, audit_refusal
from agent.web.api_auth import ApiViewerDep
from agent.web.deps import ServicesDep
from agent.web.errors import BadForm, Conflict, Forbidden, NotFound, problem
from agent.web.params import Moment, RowId

router = APIRouter(prefix="/api/v1", tags=["viewings", "follow-ups"])

OutcomeName = Literal["attended", "interested", "made_offer", "not_interested", "no_show"]
MAX_PAGE = 200


class ViewingOut(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    id: int
    lead_id: int
    lead_name: str
    listing_id: int
    listing_title: str
    rep_id: uuid.UUID | None
    rep_name: str | None
    starts_at: datetime
    ends_at: datetime
    local_start: str
    """The start on the rep's wall clock, ISO 8601 with its offset."""
    time_zone: str
    """The rep's zone (else the agency's)."""
    status: str
    """scheduled | rescheduled | cancelled | completed | no_show"""
    outcome: str | None
    """attended | interested | not_interested | no_show"""
    online: bool
    meeting_link: str | None
    notes: str | None
    updated_at: datetime
    etag: str

    @classmethod
    def of(cls, item: ViewingItem) -> ViewingOut:
        from agent.core.zones import zone_of

        return cls(
            id=item.id,
            lead_id=item.lead_id,
            lead_name=item.lead_name,
            listing_id=item.listing_id,
            listing_title=item.listing_title,
            rep_id=item.rep_id,
            rep_name=item.rep_name,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            local_start=item.starts_at.astimezone(zone_of(item.time_zone)).isoformat(),
            time_zone=item.time_zone,
            status=item.status,
            outcome=item.outcome,
            online=item.online,
            meeting_link=item.meeting_link,
            notes=item.notes,
            updated_at=item.updated_at,
            etag=item.etag,
        )


class ViewingPage(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    items: list[ViewingOut]
    next_cursor: str | None
    """Pass as ?cursor= for the next page; null on the last one."""


class ViewingPatch(BaseModel):
    """How the viewing went, or its end: an outcome, a status (completed, no_show, cancelled), notes."""

    model_config = ConfigDict(extra="forbid")

    outcome: OutcomeName | None = None
    status: Literal["completed", "no_show", "cancelled"] | None = None
    notes: str | None = Field(default=None, max_length=2000)


class FollowUpOut(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    id: str
    """"task-<id>" (a rep's own task) or "send-<id>" (an automatic message)."""
    kind: Literal["task", "send"]
    due_at: datetime
    overdue: bool
    lead_id: int | None
    prospect_id: str | None
    name: str | None
    note: str | None
    """The task's note, or the automatic message's step (ghost, seq:<id>...)."""
    status: str
    hold_reason: str | None
    channel: str
    rep_id: uuid.UUID | None
    rep_name: str | None

    @classmethod
    def of(cls, item: FollowUpItem, now: datetime) -> FollowUpOut:
        return cls(
            id=f"{item.kind}-{item.id}",
            kind=item.kind,
            due_at=item.due_at,
            overdue=item.due_at < now,
            lead_id=item.lead_id,
            prospect_id=item.prospect_id,
            name=item.name,
            note=item.note,
            status=item.status,
            hold_reason=item.hold_reason,
            channel=item.channel,
            rep_id=item.rep_id,
            rep_name=item.rep_name,
        )


class FollowUpPage(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    items: list[FollowUpOut]
    next_cursor: str | None


def encode_cursor(*parts: Any) -> str:
    values = [part.isoformat() if isinstance(part, datetime) else part for part in parts]
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> tuple[Any, ...]:
    """The keyset a cursor carries, typed as `shape`; a tampered or foreign cursor is a 400."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError(cursor)
        parsed: list[Any] = []
        for value, kind in zip(values, shape, strict=True):
            if kind is datetime:
                moment = _aware(datetime.fromisoformat(value))
                if not in_range(moment):
                    raise ValueError(cursor)
                parsed.append(moment)
            elif not isinstance(value, kind) or (isinstance(value, int) and not fits_bigint(value)):
                raise ValueError(cursor)
            else:
                parsed.append(value)
        return tuple(parsed)
    except (ValueError, TypeError, json.JSONDecodeError):
        raise BadForm("unreadable cursor") from None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _check_rep(services: ServicesDep, viewer: Viewer, rep: uuid.UUID | None) -> None:
    """A rep asks only for their own viewings; asking for another rep's is refused and audited."""
    if rep is None or viewer.sees_whole_agency or rep == viewer.rep_id:
        return
    await audit_refusal(
        services.database, services.clock, viewer, "viewings.list", f"rep:{rep}", "not_visible"
    )
    raise Forbidden("a rep sees their own viewings")


@router.get("/viewings", response_model=ViewingPage)
async def list_viewings(
    viewer: ApiViewerDep,
    services: ServicesDep,
    from_: Annotated[Moment | None, Query(alias="from")] = None,
    to: Moment | None = None,
    rep: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> ViewingPage:
    """Viewings the caller may see, starting in [from, to), soonest first."""
    await _check_rep(services, viewer, rep)
    after = decode_cursor(cursor, (datetime, int)) if cursor else None
    async with services.database.session() as session:
        items = await viewings_between(
            session,
            viewer,
            _aware(from_) if from_ else None,
            _aware(to) if to else None,
            rep_id=rep,
            after=after,  # type: ignore[arg-type]
            limit=limit + 1,
        )
    page, more = items[:limit], len(items) > limit
    last = page[-1] if page else None
    return ViewingPage(
        items=[ViewingOut.of(item) for item in page],
        next_cursor=encode_cursor(last.starts_at, last.id) if more and last else None,
    )


@router.get("/viewings/{viewing_id}", response_model=ViewingOut)
async def get_viewing(
    viewing_id: RowId, viewer: ApiViewerDep, services: ServicesDep, response: Response
) -> ViewingOut:
    async with services.database.session() as session:
        item = await viewing_item(session, viewer, viewing_id)
    if item is None:
        raise NotFound(f"viewing {viewing_id}")
    response.headers["ETag"] = item.etag
    return ViewingOut.of(item)


@router.patch(
    "/viewings/{viewing_id}",
    response_model=ViewingOut,
    responses={412: {"description": "precondition failed"}},
)
async def patch_viewing(
    viewing_id: RowId,
    body: ViewingPatch,
    viewer: ApiViewerDep,
    services: ServicesDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ViewingOut | JSONResponse:
    """Record how a viewing went (outcome, or status completed / no_show), cancel it, or change its notes."""
    change = ViewingChange(
        outcome=Outcome(body.outcome) if body.outcome else None, status=body.status, notes=body.notes
    )
    try:
        item = await AgendaActions(services).change_viewing(viewer, viewing_id, change, if_match=if_match)
    except AgendaRefused:
        raise NotFound(f"viewing {viewing_id}") from None
    except StaleVersion as exc:
        return problem(412, "precondition failed", "stale_etag", etag=exc.current)
    except CannotChange as exc:
        raise Conflict(exc.reason) from None
    response.headers["ETag"] = item.etag
    return ViewingOut.of(item)


@router.get("/follow-ups", response_model=FollowUpPage)
async def list_follow_ups(
    viewer: ApiViewerDep,
    services: ServicesDep,
    due_before: Moment | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> FollowUpPage:
    """Open follow-ups the caller may see: reps' tasks and automatic messages not sent yet, soonest first."""
    after = decode_cursor(cursor, (datetime, str, int)) if cursor else None
    async with services.database.session() as session:
        items = await follow_ups(
            session,
            viewer,
            until=_aware(due_before) if due_before else None,
            after=after,  # type: ignore[arg-type]
            limit=limit + 1,
        )
    now = services.clock.now()
    page, more = items[:limit], len(items) > limit
    last = page[-1] if page else None
    return FollowUpPage(
        items=[FollowUpOut.of(item, now) for item in page],
        next_cursor=encode_cursor(last.due_at, last.kind, last.id) if more and last else None,
    )


@router.post("/follow-ups/{follow_up_id}/done", status_code=204)
async def follow_up_done(follow_up_id: str, viewer: ApiViewerDep, services: ServicesDep) -> Response:
    """Mark a rep's task done ("task-<id>"); automatic messages are sent or stopped by the system, not marked."""
    kind, _, number = follow_up_id.rpartition("-")
    if kind == "send":
        raise Conflict("an automatic follow-up is not marked done")
    task_id = as_number(number)
    if kind not in ("task", "") or not task_id:
        raise NotFound(follow_up_id)
    try:
        await AgendaActions(services).task_done(viewer, task_id)
    except AgendaRefused:
        raise NotFound(follow_up_id) from None
    return Response(status_code=204)
