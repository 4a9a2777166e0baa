"""Nodes for admins: decide applications by reply or button, list the team, suspend/remove/restore/promote.

Authority is checked by TeamService for every action, whatever the router decided; refusals are audited.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from langgraph.runtime import Runtime

from agent.services.team import (
    Action,
    AlreadyDecided,
    Decision,
    NotAuthorized,
    RepCard,
    RepNotFound,
    TeamMember,
)
from graphs.onboarding.calendar import connect_prompt
from graphs.onboarding.intents import Intent, decision_reason, first_of, person_in
from graphs.onboarding.replies import (
    action_of,
    answer_text,
    button,
    ctx,
    first_name,
    intent_of,
    name_of,
    outbound,
    reply,
    say,
    text_for,
)
from graphs.onboarding.state import Button, OnboardingState, Outbound, Stage, TeamContext
from storage.models import RepStatus

Update = dict[str, Any]
Change = Literal["suspend", "remove", "restore", "promote"]

_CHANGE_OF_INTENT: dict[Intent, Change] = {
    Intent.SUSPEND: "suspend",
    Intent.REMOVE: "remove",
    Intent.RESTORE: "restore",
    Intent.PROMOTE: "promote",
}
_ACTIVE_STATUSES = (RepStatus.ACTIVE.value, RepStatus.SUSPENDED.value)
_ACTIVE_LIST = ",".join(_ACTIVE_STATUSES)
_LIST_LIMIT = 30
_BUTTON_LIMIT = 10


def _not_admin(context: TeamContext) -> Update:
    return {"stage": Stage.IDLE, "replies": [reply(say(context, "not_admin"))]}


async def _verdict_for_rep(context: TeamContext, decision: Decision) -> list[Outbound]:
    """What the rep hears, in their language; after an approval, the request to connect a calendar."""
    card = decision.card
    language = card.language
    if decision.approved:
        prompt = await connect_prompt(context.team, card.telegram_id, language)
        return [
            outbound(card.chat_id, text_for(language, "rep_approved")),
            outbound(card.chat_id, prompt),
        ]
    text = (
        text_for(language, "rep_rejected_reason", reason=decision.reason)
        if decision.reason
        else text_for(language, "rep_rejected")
    )
    return [outbound(card.chat_id, text + text_for(language, "rep_rejected_tail"))]


def _decision_buttons(context: TeamContext, members: list[TeamMember]) -> list[list[Button]]:
    return [
        [
            button(f"✅ {first_name(m.card.name)}", do="decide", rep_id=str(m.card.id), approve=True),
            button(f"❌ {first_name(m.card.name)}", do="decide", rep_id=str(m.card.id), approve=False),
        ]
        for m in members[:_BUTTON_LIMIT]
    ]


async def admin_decide(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Approve or reject: by a button, by a reply to the card, or by saying so when one application waits."""
    context = ctx(runtime)
    team = context.team
    action = action_of(state)
    inbound = state.get("inbound")
    text = answer_text(state)
    if action.get("do") == "decide":
        rep_id: str | None = str(action.get("rep_id"))
        approve = bool(action.get("approve"))
        reason = None
    else:
        verdict = first_of(text, Intent.REJECT, Intent.APPROVE)
        rep_id = inbound["card_rep_id"] if inbound else None
        if verdict is None:
            return {"stage": Stage.IDLE, "replies": [reply(say(context, "decide_how"))]}
        approve = verdict is Intent.APPROVE
        reason = decision_reason(text) if not approve else None
    if rep_id is None:
        if not state.get("is_admin"):
            action_name = Action.APPROVE if approve else Action.REJECT
            await team.refuse_command(
                context.actor, action_name, statuses=(RepStatus.PENDING,), detail=text[:200]
            )
            return _not_admin(context)
        pending = await team.pending_applications(context.actor)
        if not pending:
            return {"stage": Stage.IDLE, "replies": [reply(say(context, "no_pending"))]}
        if len(pending) > 1:
            buttons = _decision_buttons(context, pending)
            return {"stage": Stage.IDLE, "replies": [reply(say(context, "which_application"), buttons)]}
        rep_id = str(pending[0].card.id)
    try:
        decision = await team.decide(context.actor, uuid.UUID(rep_id), approve=approve, reason=reason)
    except NotAuthorized:
        return _not_admin(context)
    except AlreadyDecided as decided:
        status = name_of(context.language, "rep_status", decided.card.status)
        return {
            "stage": Stage.IDLE,
            "replies": [reply(say(context, "already_decided", name=decided.card.name, status=status))],
        }
    except (RepNotFound, ValueError):
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "no_pending"))]}
    name = decision.card.name
    if decision.approved:
        confirmation = say(context, "admin_approved", name=name)
    elif decision.reason:
        confirmation = say(context, "admin_rejected_reason", name=name, reason=decision.reason)
    else:
        confirmation = say(context, "admin_rejected", name=name)
    return {
        "stage": Stage.IDLE,
        "replies": [reply(confirmation)],
        "outbox": await _verdict_for_rep(context, decision),
    }


def _member_line(context: TeamContext, index: int, member: TeamMember) -> str:
    card = member.card
    telegram = f" · @{card.username}" if card.username else ""
    status = (
        ""
        if card.status in ("active", "pending")
        else f" · {name_of(context.language, 'rep_status', card.status)}"
    )
    admin = " ⭐" if card.is_admin else ""
    agency = f" · {member.tenant_name}" if member.tenant_name else ""
    return f"{index}. {card.name}{admin} — {card.email}{telegram}{agency}{status}"


async def _list(context: TeamContext, intent: Intent) -> Update:
    team = context.team
    if intent is Intent.LIST_PENDING:
        members = await team.pending_applications(context.actor)
        if not members:
            return {"stage": Stage.IDLE, "replies": [reply(say(context, "no_pending"))]}
        lines = "\n".join(_member_line(context, i, m) for i, m in enumerate(members[:_LIST_LIMIT], 1))
        text = say(context, "pending_list", count=len(members), lines=lines)
        return {"stage": Stage.IDLE, "replies": [reply(text, _decision_buttons(context, members))]}
    members = await team.list_reps(context.actor, _ACTIVE_STATUSES)
    if not members:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "no_active"))]}
    lines = "\n".join(_member_line(context, i, m) for i, m in enumerate(members[:_LIST_LIMIT], 1))
    buttons = []
    for member in members[:_BUTTON_LIMIT]:
        first = first_name(member.card.name)
        rep_id = str(member.card.id)
        if member.card.status == "suspended":
            row = [button(f"▶️ {first}", do="rep_change", change="restore", rep_id=rep_id)]
        else:
            row = [button(f"⏸ {first}", do="rep_change", change="suspend", rep_id=rep_id)]
        row.append(button(f"🗑 {first}", do="rep_change", change="remove", rep_id=rep_id))
        buttons.append(row)
    text = say(context, "active_list", count=len(members), lines=lines)
    return {"stage": Stage.IDLE, "replies": [reply(text, buttons)]}


async def _refuse_command(context: TeamContext, intent: Intent | None, text: str) -> None:
    """Audit an admin command a non-admin gave, on the rep or the list it was about."""
    if intent is Intent.LIST_PENDING:
        await context.team.refuse_command(context.actor, Action.LIST, target=RepStatus.PENDING.value)
    elif intent in _CHANGE_OF_INTENT:
        action = f"rep.{_CHANGE_OF_INTENT[intent]}"
        await context.team.refuse_command(
            context.actor, action, person=person_in(text) or None, detail=text[:200]
        )
    else:
        await context.team.refuse_command(context.actor, Action.LIST, target=_ACTIVE_LIST)


def _confirm_change(context: TeamContext, change: Change, card: RepCard) -> Update:
    buttons = [
        [
            button(say(context, "btn_yes"), do="say", value=Intent.YES.value),
            button(say(context, "btn_cancel"), do="say", value=Intent.NO.value),
        ]
    ]
    return {
        "stage": Stage.ADMIN_CONFIRM,
        "admin_action": {"change": change, "rep_id": str(card.id), "name": card.name, "email": card.email},
        "replies": [reply(say(context, f"confirm_{change}", name=card.name, email=card.email), buttons)],
    }


async def admin_command(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """List pending or active reps; suspend, remove, restore or promote one (after a confirmation)."""
    context = ctx(runtime)
    team = context.team
    action = action_of(state)
    try:
        if action.get("do") == "rep_change":
            change: Change = action["change"]
            card = await team.rep_card(uuid.UUID(str(action.get("rep_id"))))
            if card is None:
                return {"stage": Stage.IDLE, "replies": [reply(say(context, "nobody_found", query="?"))]}
            if not await team.is_admin(context.actor.telegram_id, card.tenant_id):
                await team.record_refusal(
                    context.actor, f"rep.{change}", tenant_id=card.tenant_id, target=str(card.id)
                )
                return _not_admin(context)
            return _confirm_change(context, change, card)
        intent = intent_of(
            state,
            Intent.PROMOTE,
            Intent.RESTORE,
            Intent.SUSPEND,
            Intent.REMOVE,
            Intent.LIST_PENDING,
            Intent.LIST_ACTIVE,
        )
        if not state.get("is_admin"):
            await _refuse_command(context, intent, answer_text(state))
            return _not_admin(context)
        if intent in (Intent.LIST_PENDING, Intent.LIST_ACTIVE):
            return await _list(context, intent)
        if intent is None:
            return admin_menu(context)
        change = _CHANGE_OF_INTENT[intent]
        query = person_in(answer_text(state))
        if not query:
            return {"stage": Stage.IDLE, "replies": [reply(say(context, "who_is_it"))]}
        found = await team.find_reps(context.actor, query)
    except NotAuthorized:
        return _not_admin(context)
    if not found:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "nobody_found", query=query))]}
    if len(found) > 1:
        buttons = [
            [button(f"{m.card.name} — {m.card.email}", do="rep_change", change=change, rep_id=str(m.card.id))]
            for m in found[:_BUTTON_LIMIT]
        ]
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "which_rep"), buttons)]}
    return _confirm_change(context, change, found[0].card)


async def take_admin_confirmation(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Carry out the confirmed change and tell the rep."""
    context = ctx(runtime)
    team = context.team
    pending = state.get("admin_action") or {}
    if intent_of(state, Intent.NO, Intent.CANCEL, Intent.YES) is not Intent.YES or not pending:
        return {"stage": Stage.IDLE, "admin_action": None, "replies": [reply(say(context, "cancelled"))]}
    change = pending["change"]
    rep_id = uuid.UUID(pending["rep_id"])
    apply = {
        "suspend": team.suspend,
        "remove": team.remove,
        "restore": team.restore,
        "promote": team.promote,
    }[change]
    try:
        card = await apply(context.actor, rep_id)
    except NotAuthorized:
        return {**_not_admin(context), "admin_action": None}
    except AlreadyDecided as decided:
        status = name_of(context.language, "rep_status", decided.card.status)
        text = say(context, "cannot_change", name=decided.card.name, status=status)
        return {"stage": Stage.IDLE, "admin_action": None, "replies": [reply(text)]}
    except RepNotFound:
        return {
            "stage": Stage.IDLE,
            "admin_action": None,
            "replies": [reply(say(context, "nobody_found", query=pending.get("name", "")))],
        }
    notice = {
        "suspend": "rep_suspended",
        "remove": "rep_removed",
        "restore": "rep_restored",
        "promote": "rep_promoted",
    }
    return {
        "stage": Stage.IDLE,
        "admin_action": None,
        "replies": [reply(say(context, f"done_{change}", name=card.name))],
        "outbox": [outbound(card.chat_id, text_for(card.language, notice[change]))],
    }


def admin_menu(context: TeamContext) -> Update:
    buttons = [
        [
            button(say(context, "btn_pending"), do="say", value=Intent.LIST_PENDING.value),
            button(say(context, "btn_active"), do="say", value=Intent.LIST_ACTIVE.value),
        ]
    ]
    return {"stage": Stage.IDLE, "replies": [reply(say(context, "admin_menu"), buttons)]}


async def show_admin_menu(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """An admin who is not a rep said something general: what they can do here."""
    return admin_menu(ctx(runtime))
