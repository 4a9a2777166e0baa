"""The team conversation as a graph: one turn per message, routed by where the conversation waits.

START -> load_actor -> (route_turn) -> one handler node -> END. The checkpointer keeps the stage and the
answers so far per Telegram user (thread `team:<user id>`), so a restart mid-registration loses nothing.
Deterministic: no model is called.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from graphs.onboarding.admin import admin_command, admin_decide, show_admin_menu, take_admin_confirmation
from graphs.onboarding.calendar import calendar_code, calendar_link
from graphs.onboarding.crm import client_action, take_followup_time, take_note
from graphs.onboarding.intents import Intent, first_of, looks_like_authorization, person_in
from graphs.onboarding.registration import (
    cancel_step,
    offer_registration,
    pending_applicant,
    registered_rep,
    take_confirmation,
    take_email,
    take_name,
    take_new_email,
    take_register_answer,
    take_unregister_answer,
)
from graphs.onboarding.replies import action_of, answer_text, ctx
from graphs.onboarding.state import OnboardingInput, OnboardingState, Profile, Stage, TeamContext

Node = Literal[
    "offer_registration",
    "take_register_answer",
    "take_name",
    "take_email",
    "take_confirmation",
    "pending_applicant",
    "registered_rep",
    "take_unregister_answer",
    "take_new_email",
    "cancel_step",
    "admin_decide",
    "admin_command",
    "take_admin_confirmation",
    "show_admin_menu",
    "client_action",
    "take_note",
    "take_followup_time",
    "calendar_link",
    "calendar_code",
]

_CRM_ACTIONS = frozenset(
    {"clients", "client", "hot", "note", "status", "set_status", "followup", "followup_at"}
)
_ADMIN_INTENTS = (
    Intent.LIST_PENDING,
    Intent.LIST_ACTIVE,
    Intent.PROMOTE,
    Intent.RESTORE,
    Intent.SUSPEND,
    Intent.REMOVE,
)
_ADMIN_COMMAND_WORDS = 5
_LIST_COMMAND_WORDS = 3
# Words of a newcomer or a rep about themselves ("yes, I want to join the team"), never an admin command.
_NOT_ADMIN_WORK = (Intent.YES, Intent.NO, Intent.REGISTER, Intent.UNREGISTER, Intent.WITHDRAW)
_WAITING_FOR_INPUT: dict[str, Node] = {
    Stage.ASK_REGISTER: "take_register_answer",
    Stage.ASK_NAME: "take_name",
    Stage.ASK_EMAIL: "take_email",
    Stage.CONFIRM: "take_confirmation",
    Stage.ASK_UNREGISTER: "take_unregister_answer",
    Stage.ASK_NEW_EMAIL: "take_new_email",
    Stage.ASK_NOTE: "take_note",
    Stage.ASK_FOLLOWUP: "take_followup_time",
    Stage.ADMIN_CONFIRM: "take_admin_confirmation",
}
# Stages where "cancel" ends the question instead of being read as the answer.
_CANCELLABLE = frozenset({Stage.ASK_NAME, Stage.ASK_EMAIL, Stage.CONFIRM, Stage.ASK_NEW_EMAIL})


async def load_actor(state: OnboardingState, runtime: Runtime[TeamContext]) -> dict[str, Any]:
    """Who is talking: their rep record and whether they are an admin (from the database, not the text)."""
    context = ctx(runtime)
    team = context.team
    actor = context.actor
    card = await team.profile(actor.telegram_id)
    is_admin = await team.is_admin(actor.telegram_id)
    if card is not None and card.language != actor.language:
        await team.set_language(actor.telegram_id, actor.language)
    if is_admin and card is None:
        await team.remember_language(actor)
    profile: Profile | None = (
        {
            "id": str(card.id),
            "status": card.status.value,
            "name": card.name,
            "email": card.email,
            "calendar_connected": card.calendar_connected,
        }
        if card is not None
        else None
    )
    stage = state.get("stage") or Stage.IDLE
    if card is not None and stage in (Stage.ASK_REGISTER, Stage.ASK_NAME, Stage.ASK_EMAIL, Stage.CONFIRM):
        stage = Stage.IDLE  # registered meanwhile (another device, an admin): the old questions are moot
    return {"profile": profile, "is_admin": is_admin, "stage": stage}


def _is_admin_command(text: str) -> bool:
    """A short message that is an admin command ("promote Oleg", "list pending applications"), not small talk."""
    words = len(text.split())
    if words > _ADMIN_COMMAND_WORDS or first_of(text, *_NOT_ADMIN_WORK):
        return False
    intent = first_of(text, *_ADMIN_INTENTS)
    if intent in (Intent.LIST_PENDING, Intent.LIST_ACTIVE):
        return words <= _LIST_COMMAND_WORDS  # "list pending applications", not "I'm from the sales team"
    return intent is not None and bool(person_in(text))


def route_turn(state: OnboardingState) -> Node:
    """Pick the one node that answers this message."""
    action = action_of(state)
    do = action.get("do")
    inbound = state.get("inbound")
    text = answer_text(state)
    profile = state.get("profile")
    status = profile["status"] if profile else None
    is_admin = bool(state.get("is_admin"))
    stage = state.get("stage") or Stage.IDLE

    if do == "decide" or (inbound is not None and inbound["card_rep_id"]):
        return "admin_decide"
    if do == "rep_change":
        return "admin_command"
    if do in _CRM_ACTIONS:
        return "client_action"
    if stage in _WAITING_FOR_INPUT:
        if stage in _CANCELLABLE and first_of(text, Intent.CANCEL):
            return "cancel_step"
        return _WAITING_FOR_INPUT[stage]

    said = str(action.get("value")) if do == "say" else None
    if status == "pending":
        if not is_admin and first_of(text, Intent.APPROVE) and not first_of(text, Intent.WITHDRAW):
            return "admin_decide"  # an applicant approving (themselves): refused and audited
        return "pending_applicant"
    if status == "active" and looks_like_authorization(text):
        return "calendar_code"
    if status == "active" and (said == Intent.CONNECT_CALENDAR or first_of(text, Intent.CONNECT_CALENDAR)):
        return "calendar_link"
    rep_intent = said in (Intent.UNREGISTER, Intent.UPDATE_EMAIL, Intent.MY_CLIENTS) or first_of(
        text, Intent.UNREGISTER, Intent.UPDATE_EMAIL, Intent.MY_CLIENTS
    )
    if profile is not None and rep_intent:
        return "registered_rep"
    if first_of(text, Intent.APPROVE, Intent.REJECT):
        return "admin_decide"  # refused and audited for anyone but an admin
    if is_admin and (said in _ADMIN_INTENTS or first_of(text, *_ADMIN_INTENTS)):
        return "admin_command"
    if not is_admin and (said in _ADMIN_INTENTS or _is_admin_command(text)):
        return "admin_command"  # refused and audited there
    if profile is not None:
        return "registered_rep"
    if is_admin and not (said in (Intent.YES, Intent.REGISTER) or first_of(text, Intent.REGISTER)):
        return "show_admin_menu"
    return "offer_registration"


builder = StateGraph(OnboardingState, context_schema=TeamContext, input_schema=OnboardingInput)
builder.add_node("load_actor", load_actor)
builder.add_node("offer_registration", offer_registration)
builder.add_node("take_register_answer", take_register_answer)
builder.add_node("take_name", take_name)
builder.add_node("take_email", take_email)
builder.add_node("take_confirmation", take_confirmation)
builder.add_node("pending_applicant", pending_applicant)
builder.add_node("registered_rep", registered_rep)
builder.add_node("take_unregister_answer", take_unregister_answer)
builder.add_node("take_new_email", take_new_email)
builder.add_node("cancel_step", cancel_step)
builder.add_node("admin_decide", admin_decide)
builder.add_node("admin_command", admin_command)
builder.add_node("take_admin_confirmation", take_admin_confirmation)
builder.add_node("show_admin_menu", show_admin_menu)
builder.add_node("client_action", client_action)
builder.add_node("take_note", take_note)
builder.add_node("take_followup_time", take_followup_time)
builder.add_node("calendar_link", calendar_link)
builder.add_node("calendar_code", calendar_code)
builder.add_edge(START, "load_actor")
builder.add_conditional_edges("load_actor", route_turn)
for _name in get_args(Node):
    builder.add_edge(_name, END)

graph = builder.compile(name="onboarding")
"""Without a checkpointer (LangGraph Studio / the API server brings its own); the bots compile `builder` with one."""
