"""/today (follow-ups due and overdue, today's viewings, new hot leads) and /viewings (a week per rep), with
their forms: a task done or moved, a viewing's outcome, notes or cancellation (POST, then back to the page)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from agent.core.zones import zone_of
from agent.services.calendars.reminders import Outcome
from agent.services.dashboard.agenda import Agenda
from agent.services.dashboard.agenda_actions import (
    AgendaActions,
    AgendaRefused,
    CannotChange,
    ViewingChange,
)
from agent.services.dashboard.bounds import in_range
from agent.web.deps import FormDep, ServicesDep, ViewerDep
from agent.web.errors import BadForm, BadInput, Conflict, Forbidden
from agent.web.params import RowId
from agent.web.templating import render
from prompts.calendar import day_label, moment_label, time_label

router = APIRouter(include_in_schema=False)
OUTCOMES = tuple(outcome.value for outcome in Outcome)


def _agenda(services: ServicesDep) -> Agenda:
    return Agenda(services.database, services.settings, services.clock)


def step_key(note: str | None) -> str:
    """The words for an automatic send's step ("ghost", "seq:12", "outreach")."""
    if note == "ghost":
        return "web_agenda:step.ghost"
    if note == "outreach":
        return "web_agenda:step.outreach"
    if note and note.startswith("seq:"):
        return "web_agenda:step.sequence"
    return "web_agenda:step.other"


def _clock_helpers(language: str) -> dict[str, Any]:
    """Formatting on a given zone's clock (a viewing on its rep's), in the viewer's language."""

    def at(moment: datetime, zone: str) -> str:
        return moment_label(moment.astimezone(zone_of(zone)), language)

    def hm(moment: datetime, zone: str) -> str:
        return time_label(moment.astimezone(zone_of(zone)), language)

    def day(value: date) -> str:
        return day_label(value, language)

    return {"at": at, "hm": hm, "day_name": day, "step_key": step_key}


def _back(form_next: object, fallback: str) -> str:
    """Where a form returns: a path of this site only (never another host)."""
    target = str(form_next or "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


@router.get("/today")
async def today(request: Request, viewer: ViewerDep, services: ServicesDep) -> Response:
    agenda = await _agenda(services).today(viewer)
    context = {
        "nav": "today",
        "agenda": agenda,
        "outcomes": OUTCOMES,
        "now": services.clock.now(),
        **_clock_helpers(viewer.language),
    }
    return render(request, "agenda/today.html", viewer, context)


@router.get("/viewings")
async def viewings(
    request: Request,
    viewer: ViewerDep,
    services: ServicesDep,
    rep: str | None = None,
    day: str | None = None,
) -> Response:
    try:
        rep_id = uuid.UUID(rep) if rep else None
        first_day = date.fromisoformat(day) if day else None
    except ValueError:
        raise BadInput("rep must be a rep's id, day a YYYY-MM-DD date") from None
    if first_day is not None and not in_range(first_day):
        raise BadInput("day must be in the years 2000-2100")
    try:
        week = await _agenda(services).week(viewer, rep_id=rep_id, first_day=first_day)
    except AgendaRefused:
        raise Forbidden("not your viewings") from None
    shown = sum(len(d.viewings) for d in week.days)
    context = {
        "nav": "viewings",
        "week": week,
        "rep_param": str(week.rep_id) if week.rep_id else "",
        "outcomes": OUTCOMES,
        "now": services.clock.now(),
        "full": shown >= 500,
        **_clock_helpers(viewer.language),
    }
    return render(request, "agenda/viewings.html", viewer, context)


@router.post("/today/tasks/{task_id}/done")
async def task_done(task_id: RowId, viewer: ViewerDep, services: ServicesDep, form: FormDep) -> Response:
    try:
        await AgendaActions(services).task_done(viewer, task_id)
    except AgendaRefused:
        raise Forbidden("not your task") from None
    return RedirectResponse(_back(form.get("next"), "/today"), status_code=303)


@router.post("/today/tasks/{task_id}/move")
async def task_move(task_id: RowId, viewer: ViewerDep, services: ServicesDep, form: FormDep) -> Response:
    """Move a task to a wall-clock time ("2026-03-07T10:00") read in the viewer's zone."""
    try:
        local = datetime.fromisoformat(str(form.get("due_at") or ""))
    except ValueError:
        raise BadForm("due_at must be a date and time") from None
    if not in_range(local):
        raise BadInput("due_at must be in the years 2000-2100")
    due_at = local.replace(tzinfo=zone_of(viewer.time_zone)) if local.tzinfo is None else local
    try:
        await AgendaActions(services).reschedule_task(viewer, task_id, due_at)
    except AgendaRefused:
        raise Forbidden("not your task") from None
    return RedirectResponse(_back(form.get("next"), "/today"), status_code=303)


@router.post("/viewings/{viewing_id}")
async def viewing_change(
    viewing_id: RowId, viewer: ViewerDep, services: ServicesDep, form: FormDep
) -> Response:
    """The outcome (and notes) of a viewing, or its cancellation (`cancel=1`)."""
    raw_outcome = str(form.get("outcome") or "")
    try:
        outcome = Outcome(raw_outcome) if raw_outcome else None
    except ValueError:
        raise BadForm("unknown outcome") from None
    notes = form.get("notes")
    change = ViewingChange(
        outcome=outcome,
        status="cancelled" if form.get("cancel") else None,
        notes=str(notes) if notes is not None else None,
    )
    try:
        await AgendaActions(services).change_viewing(viewer, viewing_id, change)
    except AgendaRefused:
        raise Forbidden("not your viewing") from None
    except CannotChange as exc:
        raise Conflict(exc.reason) from None
    return RedirectResponse(_back(form.get("next"), "/viewings"), status_code=303)
