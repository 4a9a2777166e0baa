"""The rep's CRM in chat: clients by score with badges, today's and overdue follow-ups, quick actions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dateparser
from langgraph.runtime import Runtime

from agent.core.zones import zone_of
from agent.services.conversion.display import card_lines
from agent.services.takeover import take_over_button
from agent.services.team import (
    ClientBook,
    ClientKind,
    ClientLine,
    NotYourClient,
    RepNotFound,
    TaskLine,
    TeamError,
)
from graphs.onboarding.insight import insight_lines
from graphs.onboarding.intents import Intent
from graphs.onboarding.outcomes import outcome_row
from graphs.onboarding.replies import action_of, answer_text, button, ctx, intent_of, name_of, reply, say
from graphs.onboarding.state import Button, OnboardingState, Reply, Stage, TeamContext
from storage.models import LeadStatus, ProspectStatus

Update = dict[str, Any]

_LIST_LIMIT = 20
_CLIENT_BUTTONS = 10
_TASK_LIMIT = 10
_PRESETS = ("in_hour", "tomorrow_10", "in_3_days")
_PRESET_LABELS = {"in_hour": "btn_in_hour", "tomorrow_10": "btn_tomorrow", "in_3_days": "btn_in_3_days"}
# Statuses a rep may set from the chat (the agent sets the rest).
_LEAD_STATUSES = (
    LeadStatus.QUALIFIED,
    LeadStatus.CONTACT_CAPTURED,
    LeadStatus.VIEWING_SCHEDULED,
)  # won and lost have their own buttons, with a reason (graphs.onboarding.outcomes)
_PROSPECT_STATUSES = (
    ProspectStatus.CONTACTED,
    ProspectStatus.IN_CONVERSATION,
    ProspectStatus.CONVERTED,
    ProspectStatus.ARCHIVED,
)


def _task_line(line: TaskLine, zone: ZoneInfo, today: bool) -> str:
    local = line.due_at.astimezone(zone)
    when = local.strftime("%H:%M") if today else local.strftime("%d.%m %H:%M")
    who = line.client_name or "—"
    note = f": {line.note}" if line.note else ""
    return f"• {when} — {who}{note}"


def render_book(context: TeamContext, book: ClientBook) -> Reply:
    """One message: the clients (hottest first), then overdue and today's follow-ups; a button per client."""
    language = context.language
    if not book.clients and not book.today and not book.overdue:
        return reply(say(context, "no_clients"))
    zone = zone_of(book.time_zone)
    parts = [say(context, "clients_header", count=len(book.clients))]
    for index, client in enumerate(book.clients[:_LIST_LIMIT], 1):
        status = name_of(language, "client_status", client.status)
        lines = [f"{index}. {client.badge} {client.name} — {client.score} · {status}"]
        if client.summary:
            lines.append(f"    {client.summary[:120]}")
        if client.phone:
            lines.append(f"    📞 {client.phone}")
        parts.append("\n".join(lines))
    if book.overdue:
        parts.append(
            say(context, "overdue_header")
            + "\n"
            + "\n".join(_task_line(t, zone, False) for t in book.overdue[:_TASK_LIMIT])
        )
    if book.today:
        parts.append(
            say(context, "today_header")
            + "\n"
            + "\n".join(_task_line(t, zone, True) for t in book.today[:_TASK_LIMIT])
        )
    if book.clients:
        parts.append(say(context, "clients_hint"))
    buttons: list[list[Button]] = []
    row: list[Button] = []
    for client in book.clients[:_CLIENT_BUTTONS]:
        row.append(button(f"{client.badge} {client.name}"[:40], do="client", kind=client.kind, id=client.id))
        if len(row) == 2:
            buttons.append(row)
            row = []
    if row:
        buttons.append(row)
    return reply("\n\n".join(parts), buttons)


async def client_book(context: TeamContext) -> list[Reply]:
    try:
        book = await context.team.my_clients(context.actor)
    except RepNotFound:
        return [reply(say(context, "not_active_rep"))]
    return [render_book(context, book)]


def client_card(context: TeamContext, client: ClientLine) -> Reply:
    """The client's card; the phone number is plain text, which Telegram makes tappable for a call."""
    language = context.language
    text = say(
        context,
        "client_card",
        badge=client.badge,
        name=client.name,
        score=client.score,
        temperature=name_of(language, "temperature", client.temperature),
        status=name_of(language, "client_status", client.status),
    )
    lines = [text]
    if client.summary:
        lines.append(client.summary[:300])
    if client.conversion is not None:
        lines.extend(card_lines(client.conversion, client.score, client.badge, language))
    lines.append(say(context, "phone_line", phone=client.phone) if client.phone else say(context, "no_phone"))
    if client.opted_out:
        lines.append(say(context, "opted_out_line"))
    if client.notes:
        lines.append(say(context, "notes_line", notes=client.notes[-600:]))
    lines.extend(insight_lines(client.insight, language))
    target = {"kind": client.kind, "id": client.id}
    first_row = [button(say(context, "btn_note"), do="note", **target)]
    if not client.opted_out:  # a lead who asked us to stop is never put forward as one to call now
        first_row.insert(0, button(say(context, "btn_hot"), do="hot", **target))
    buttons = [
        first_row,
        [
            button(say(context, "btn_status"), do="status", **target),
            button(say(context, "btn_followup"), do="followup", **target),
        ],
        [button(say(context, "btn_back"), do="clients")],
    ]
    if client.kind == "lead" and client.id.isdigit():
        # Won/lost (agent.services.team.outcomes) and a person talking instead of the AI (bot.takeover).
        take = take_over_button(language, int(client.id))
        buttons[2:2] = [
            [button(take["label"], **take["action"])],
            outcome_row(language, client.id, client.status),
        ]
    return reply("\n".join(lines), buttons)


def _target(action: dict[str, Any]) -> tuple[ClientKind, str]:
    kind: ClientKind = "prospect" if action.get("kind") == "prospect" else "lead"
    return kind, str(action.get("id", ""))


def preset_due(preset: str, now: datetime, zone: ZoneInfo) -> datetime:
    local = now.astimezone(zone)
    if preset == "in_hour":
        return now + timedelta(hours=1)
    days = 1 if preset == "tomorrow_10" else 3
    return datetime.combine(local.date() + timedelta(days=days), time(10, 0), zone)


def parse_due(text: str, now: datetime, zone_name: str) -> datetime | None:
    """A future moment from free text ("завтра в 11:00", "in 2 hours"), in the rep's time zone."""
    zone = zone_of(zone_name)
    parsed = dateparser.parse(
        text,
        languages=["ru", "en"],
        settings={
            "TIMEZONE": zone_name,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        },
    )
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed if parsed > now - timedelta(minutes=1) else None


async def _schedule(context: TeamContext, kind: ClientKind, client_id: str, due: datetime) -> Update:
    team = context.team
    line = await team.schedule_followup(context.actor, kind, client_id, due)
    zone = zone_of(await team.rep_time_zone(context.actor.telegram_id))
    when = due.astimezone(zone).strftime("%d.%m %H:%M")
    return {
        "stage": Stage.IDLE,
        "client": None,
        "replies": [reply(say(context, "followup_saved", when=when, name=line.client_name or ""))],
    }


async def client_action(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """A CRM button: open a card, mark hot, note, status, follow-up, back to the list."""
    context = ctx(runtime)
    team = context.team
    action = action_of(state)
    do = action.get("do")
    try:
        if do == "clients":
            return {"stage": Stage.IDLE, "replies": await client_book(context)}
        kind, client_id = _target(action)
        if do == "client":
            return {
                "stage": Stage.IDLE,
                "replies": [client_card(context, await team.client(context.actor, kind, client_id))],
            }
        if do == "hot":
            client = await team.mark_hot(context.actor, kind, client_id)
            return {
                "stage": Stage.IDLE,
                "replies": [
                    reply(say(context, "marked_hot", name=client.name)),
                    client_card(context, client),
                ],
            }
        client = await team.client(context.actor, kind, client_id)
        target = {"kind": kind, "id": client_id, "name": client.name}
        if do == "note":
            return {
                "stage": Stage.ASK_NOTE,
                "client": target,
                "replies": [reply(say(context, "ask_note", name=client.name))],
            }
        if do == "status":
            statuses = _LEAD_STATUSES if kind == "lead" else _PROSPECT_STATUSES
            rows = [
                [
                    button(
                        name_of(context.language, "client_status", s),
                        do="set_status",
                        kind=kind,
                        id=client_id,
                        status=s.value,
                    )
                ]
                for s in statuses
            ]
            return {
                "stage": Stage.IDLE,
                "replies": [reply(say(context, "choose_status", name=client.name), rows)],
            }
        if do == "set_status":
            client = await team.change_status(context.actor, kind, client_id, str(action.get("status")))
            status = name_of(context.language, "client_status", client.status)
            return {
                "stage": Stage.IDLE,
                "replies": [reply(say(context, "status_changed", name=client.name, status=status))],
            }
        if do == "followup":
            rows = [
                [button(say(context, _PRESET_LABELS[p]), do="followup_at", kind=kind, id=client_id, preset=p)]
                for p in _PRESETS
            ]
            return {
                "stage": Stage.ASK_FOLLOWUP,
                "client": target,
                "replies": [reply(say(context, "ask_followup", name=client.name), rows)],
            }
        if do == "followup_at":
            zone = zone_of(await team.rep_time_zone(context.actor.telegram_id))
            due = preset_due(str(action.get("preset")), team.clock.now(), zone)
            return await _schedule(context, kind, client_id, due)
    except NotYourClient:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "not_your_client"))]}
    except RepNotFound:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "not_active_rep"))]}
    except (TeamError, ValueError):
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "button_expired"))]}
    return {"stage": Stage.IDLE, "replies": [reply(say(context, "button_expired"))]}


async def take_note(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Save the rep's note on the client chosen before."""
    context = ctx(runtime)
    client = state.get("client") or {}
    if intent_of(state, Intent.CANCEL) or not client:
        return {"stage": Stage.IDLE, "client": None, "replies": [reply(say(context, "cancelled"))]}
    kind, client_id = _target(client)
    try:
        line = await context.team.add_note(context.actor, kind, client_id, answer_text(state))
    except (NotYourClient, RepNotFound):
        return {"stage": Stage.IDLE, "client": None, "replies": [reply(say(context, "not_your_client"))]}
    return {
        "stage": Stage.IDLE,
        "client": None,
        "replies": [reply(say(context, "note_saved")), client_card(context, line)],
    }


async def take_followup_time(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Schedule the follow-up at the time the rep wrote."""
    context = ctx(runtime)
    client = state.get("client") or {}
    if intent_of(state, Intent.CANCEL) or not client:
        return {"stage": Stage.IDLE, "client": None, "replies": [reply(say(context, "cancelled"))]}
    zone_name = await context.team.rep_time_zone(context.actor.telegram_id)
    due = parse_due(answer_text(state), context.team.clock.now(), zone_name)
    if due is None:
        return {"replies": [reply(say(context, "bad_time"))]}
    kind, client_id = _target(client)
    try:
        return await _schedule(context, kind, client_id, due)
    except (NotYourClient, RepNotFound):
        return {"stage": Stage.IDLE, "client": None, "replies": [reply(say(context, "not_your_client"))]}
