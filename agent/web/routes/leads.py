"""/leads (the board) and /leads/{id} (a lead) with its quick actions: forms, POST-redirect-GET."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from agent.core.scoring import Temperature
from agent.core.zones import zone_of
from agent.services.dashboard.bounds import as_number, in_range
from agent.services.dashboard.lead_actions import (
    LEAD_STATUSES,
    LeadActionError,
    LeadActions,
    LeadHidden,
)
from agent.services.dashboard.lead_outcome import outcome_form
from agent.services.dashboard.lead_takeover import TAKEOVER_VERBS, take_or_hand_back, takeover_view
from agent.services.dashboard.leads import (
    BadCursor,
    BoardFilter,
    active_reps,
    board_page,
    board_sources,
)
from agent.services.dashboard.leads_detail import lead_detail
from agent.services.provider import Services
from agent.services.web_access import Viewer, audit_refusal
from agent.web.deps import FormDep, ServicesDep, ViewerDep
from agent.web.errors import BadForm, BadInput, NotFound
from agent.web.params import RowId
from agent.web.templating import render

router = APIRouter(include_in_schema=False)

TEMPERATURES = tuple(t.value for t in Temperature)
DONE = frozenset({"status", "note", "follow_up", "mark_hot", "reassign", "send_listing"})
ERRORS = frozenset({"bad_value", "unreachable", "admins_only", "no_team_chat"})


def tel_link(phone: str | None) -> str | None:
    """`tel:+971501234567` for an E.164 number."""
    return f"tel:{phone}" if phone else None


def whatsapp_link(phone: str | None) -> str | None:
    """`https://wa.me/971501234567`: WhatsApp's click-to-chat takes the digits only."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return f"https://wa.me/{digits}" if digits else None


def _rep_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError as exc:
        raise BadForm("rep") from exc


def board_filter(
    temperature: str | None,
    status: str | None,
    rep: str | None,
    source: str | None,
    opted: str | None,
    q: str | None,
) -> BoardFilter:
    return BoardFilter(
        temperature=temperature if temperature in TEMPERATURES else None,
        status=status if status in LEAD_STATUSES else None,
        rep_id=_rep_id(rep),
        source=(source or "").strip()[:64] or None,
        opted_out={"yes": True, "no": False}.get(opted or ""),
        search=q,
    )


@router.get("/leads")
async def leads_page(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    temperature: str | None = None,
    status: str | None = None,
    rep: str | None = None,
    source: str | None = None,
    opted: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    wanted = board_filter(temperature, status, rep, source, opted, q)
    async with services.database.session() as session:
        try:
            page = await board_page(session, viewer, wanted, cursor)
        except BadCursor as exc:
            raise BadInput("cursor") from exc
        reps = await active_reps(session, viewer) if viewer.is_admin else []
    params = {
        key: value
        for key, value in {
            "temperature": temperature,
            "status": status,
            "rep": rep,
            "source": source,
            "opted": opted,
            "q": q,
        }.items()
        if value
    }
    return render(
        request,
        "leads/list.html",
        viewer,
        {
            "nav": "leads",
            "page": page,
            "params": params,
            "paged": bool(cursor),
            "temperatures": TEMPERATURES,
            "statuses": LEAD_STATUSES,
            "sources": board_sources(),
            "reps": reps,
        },
    )


async def _refuse_view(services: Services, viewer: Viewer, lead_id: int) -> NotFound:
    await audit_refusal(
        services.database, services.clock, viewer, "lead.view", f"lead:{lead_id}", "not_their_lead"
    )
    return NotFound("lead")


@router.get("/leads/{lead_id}")
async def lead_page(
    request: Request,
    lead_id: RowId,
    viewer: ViewerDep,
    services: ServicesDep,
    before: Annotated[str | None, Query(max_length=60)] = None,
    done: str | None = None,
    error: str | None = None,
) -> Response:
    async with services.database.session() as session:
        try:
            detail = await lead_detail(session, viewer, lead_id, before)
        except BadCursor as exc:
            raise BadInput("before") from exc
        reps = await active_reps(session, viewer) if viewer.is_admin and detail is not None else []
        outcome = await outcome_form(session, detail.lead, viewer.language) if detail is not None else None
        takeover = await takeover_view(session, viewer, detail.lead) if detail is not None else None
    if detail is None:
        raise await _refuse_view(services, viewer, lead_id)
    lead = detail.lead
    return render(
        request,
        "leads/lead.html",
        viewer,
        {
            "nav": "leads",
            "d": detail,
            "lead": lead,
            "tel": tel_link(lead.phone),
            "wa": whatsapp_link(lead.phone),
            "statuses": LEAD_STATUSES,
            "sources": board_sources(),
            "reps": reps,
            "done": done if done in DONE else None,
            "error": error if error in ERRORS else None,
            "zone": zone_of(viewer.time_zone),
            "outcome": outcome,
            "takeover": takeover,
        },
    )


def _actions(services: Services) -> LeadActions:
    return LeadActions(services.database, services.clock, services.channels)


def _back(lead_id: int, *, done: str | None = None, error: str | None = None) -> RedirectResponse:
    query = f"?done={done}" if done else f"?error={error}"
    return RedirectResponse(f"/leads/{lead_id}{query}#actions", status_code=303)


def _field(form: FormDep, name: str) -> str:
    return str(form.get(name) or "").strip()


@router.post("/leads/{lead_id}/{action}")
async def lead_action(
    lead_id: RowId, action: str, viewer: ViewerDep, services: ServicesDep, form: FormDep
) -> Response:
    """One quick action from the lead page; the page comes back with a one-line confirmation."""
    actions = _actions(services)
    try:
        if action == "status":
            await actions.change_status(viewer, lead_id, _field(form, "status"))
        elif action == "note":
            await actions.add_note(viewer, lead_id, _field(form, "note"))
        elif action == "follow_up":
            await actions.schedule_follow_up(
                viewer, lead_id, _local_time(_field(form, "due_at"), viewer), _field(form, "note")
            )
        elif action == "mark_hot":
            await actions.mark_hot(viewer, lead_id)
        elif action == "reassign":
            await actions.reassign(viewer, lead_id, _rep_id(_field(form, "rep")) or uuid.UUID(int=0))
        elif action == "send_listing":
            number = as_number(_field(form, "listing"))
            if number is None:
                return _back(lead_id, error="bad_value")
            await actions.send_listing(viewer, lead_id, number)
        elif action in TAKEOVER_VERBS:  # a person talks to the lead instead of the AI, or hands it back
            if not (await take_or_hand_back(services, viewer, lead_id, action)).done:
                return _back(lead_id, error="admins_only")  # only an admin takes a lead from someone else
        else:
            raise NotFound(action)
    except LeadHidden as exc:
        raise NotFound("lead") from exc
    except LeadActionError as exc:
        return _back(lead_id, error=exc.code if exc.code in ERRORS else "bad_value")
    return _back(lead_id, done=action)


def _local_time(value: str, viewer: Viewer) -> datetime:
    """A `datetime-local` field's value, read on the viewer's clock."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadForm("due_at") from exc
    if not in_range(moment):
        raise BadInput("due_at must be in the years 2000-2100")
    return moment.replace(tzinfo=zone_of(viewer.time_zone)) if moment.tzinfo is None else moment
