"""Nodes for people joining and leaving: a new user registers, an applicant waits or withdraws, a rep leaves."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.services.team import (
    AlreadyRegistered,
    EmailRejected,
    RegistrationClosed,
    RepCard,
    RepNotFound,
    TooManyRegistrations,
    email_in,
    rep_name,
)
from graphs.onboarding.crm import client_book
from graphs.onboarding.intents import Intent
from graphs.onboarding.replies import (
    answer_text,
    button,
    ctx,
    domains_phrase,
    first_name,
    intent_of,
    name_of,
    outbound,
    reply,
    say,
    say_button,
    text_for,
)
from graphs.onboarding.state import OnboardingState, Outbound, Reply, Stage, TeamContext

Update = dict[str, Any]


async def _email_question(context: TeamContext, name: str) -> Reply:
    domains = await context.team.accepted_domains()
    if not domains:
        return reply(say(context, "ask_email_any", first=first_name(name)))
    return reply(say(context, "ask_email", first=first_name(name), domains=domains_phrase(context, domains)))


async def _email_problem(context: TeamContext, problem: EmailRejected) -> Reply:
    domains = problem.accepted or await context.team.accepted_domains()
    if problem.reason == "taken":
        return reply(say(context, "email_taken"))
    if problem.reason == "domain" and domains:
        return reply(say(context, "email_domain", domains=domains_phrase(context, domains)))
    example = f"ivan@{domains[0]}" if domains else "ivan@company.com"
    return reply(say(context, "email_invalid", example=example))


def _ask_name(context: TeamContext) -> Update:
    return {"stage": Stage.ASK_NAME, "replies": [reply(say(context, "ask_name"))]}


async def offer_registration(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """A new user: ask whether they want to register (straight to the name when they already said so)."""
    context = ctx(runtime)
    if intent_of(state, Intent.REGISTER, Intent.YES):
        return _ask_name(context)
    buttons = [[say_button(context, "btn_register", Intent.YES), say_button(context, "btn_no", Intent.NO)]]
    return {"stage": Stage.ASK_REGISTER, "replies": [reply(say(context, "greet_new"), buttons)]}


async def take_register_answer(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Yes: ask the name. No: leave them be. Anything else: ask again."""
    context = ctx(runtime)
    intent = intent_of(state, Intent.NO, Intent.YES, Intent.REGISTER)
    if intent is Intent.NO:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "declined"))]}
    if intent is not None:
        return _ask_name(context)
    return await offer_registration(state, runtime)


async def take_name(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Keep the name and ask for the corporate e-mail."""
    context = ctx(runtime)
    name = rep_name(answer_text(state))
    if name is None:
        return {"replies": [reply(say(context, "bad_name"))]}
    return {"stage": Stage.ASK_EMAIL, "name": name, "replies": [await _email_question(context, name)]}


async def take_email(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Accept only the corporate domain; anything else is politely asked again."""
    context = ctx(runtime)
    text = answer_text(state)
    if intent_of(state, Intent.EDIT) and not email_in(text):
        return _ask_name(context)
    try:
        email = await context.team.check_email(text)
    except EmailRejected as problem:
        return {"replies": [await _email_problem(context, problem)]}
    except RegistrationClosed:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "closed"))]}
    name = state.get("name") or ""
    buttons = [[say_button(context, "btn_send", Intent.YES), say_button(context, "btn_edit", Intent.EDIT)]]
    return {
        "stage": Stage.CONFIRM,
        "email": email,
        "replies": [reply(say(context, "confirm", name=name, email=email), buttons)],
    }


def application_card(context: TeamContext, card: RepCard, tenant_name: str, language: str) -> str:
    telegram = f"@{card.username}" if card.username else f"id {card.telegram_id}"
    return text_for(
        language, "application_card", name=card.name, email=card.email, telegram=telegram, tenant=tenant_name
    )


async def take_confirmation(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Yes: file the application and send every admin its card. Edit: start over from the name."""
    context = ctx(runtime)
    intent = intent_of(state, Intent.EDIT, Intent.NO, Intent.YES)
    if intent in (Intent.EDIT, Intent.NO):
        return _ask_name(context)
    if intent is not Intent.YES:
        return {"replies": [reply(say(context, "confirm_unclear"))]}
    try:
        application = await context.team.register(
            context.actor, name=state.get("name") or "", email=state.get("email") or ""
        )
    except AlreadyRegistered as registered:
        return {"stage": Stage.IDLE, "replies": [status_card(context, registered.card, is_admin=False)]}
    except TooManyRegistrations:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "too_many"))]}
    except RegistrationClosed:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "closed"))]}
    except EmailRejected as problem:
        return {"stage": Stage.ASK_EMAIL, "replies": [await _email_problem(context, problem)]}
    card = application.card
    cards: list[Outbound] = []
    for admin in application.admins:
        decide = [
            button(text_for(admin.language, "btn_approve"), do="decide", rep_id=str(card.id), approve=True),
            button(text_for(admin.language, "btn_reject"), do="decide", rep_id=str(card.id), approve=False),
        ]
        text = application_card(context, card, application.tenant_name, admin.language)
        cards.append(outbound(admin.chat_id, text, [decide], card_rep_id=str(card.id)))
    return {
        "stage": Stage.IDLE,
        "name": None,
        "email": None,
        "replies": [reply(say(context, "submitted"))],
        "outbox": cards,
    }


async def _left_notices(context: TeamContext, card: RepCard, what_key: str) -> list[Outbound]:
    admins = await context.team.admin_recipients(card.tenant_id)
    return [
        outbound(
            admin.chat_id,
            text_for(
                admin.language,
                "rep_left_notice",
                name=card.name,
                email=card.email,
                what=text_for(admin.language, what_key),
            ),
        )
        for admin in admins
        if admin.chat_id != card.chat_id
    ]


async def pending_applicant(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """An applicant waiting for a decision: withdraw when they say so, otherwise show where things stand."""
    context = ctx(runtime)
    if intent_of(state, Intent.WITHDRAW, Intent.UNREGISTER):
        card = await context.team.withdraw(context.actor)
        if card is not None:
            return {
                "stage": Stage.IDLE,
                "replies": [reply(say(context, "withdrawn"))],
                "outbox": await _left_notices(context, card, "left_withdrew"),
            }
    profile = state.get("profile")
    name, email = (profile["name"], profile["email"]) if profile else ("", "")
    buttons = [[say_button(context, "btn_withdraw", Intent.WITHDRAW)]]
    return {
        "stage": Stage.IDLE,
        "replies": [reply(say(context, "pending_status", name=name, email=email), buttons)],
    }


def status_card(context: TeamContext, card: RepCard, *, is_admin: bool) -> Reply:
    """Status, e-mail, calendar; and what the rep can do from here."""
    text = say(
        context,
        "status_card",
        first=first_name(card.name),
        status=name_of(context.language, "rep_status", card.status),
        email=card.email,
        calendar=say(context, "calendar_connected" if card.calendar_connected else "calendar_not_connected"),
    )
    rows = []
    if card.status == "suspended":
        text += "\n\n" + say(context, "suspended_note")
    else:
        rows.append([say_button(context, "btn_clients", Intent.MY_CLIENTS)])
        if not card.calendar_connected:
            rows.append([say_button(context, "btn_calendar", Intent.CONNECT_CALENDAR)])
    rows.append([say_button(context, "btn_update_email", Intent.UPDATE_EMAIL)])
    rows.append([say_button(context, "btn_unregister", Intent.UNREGISTER)])
    if is_admin:
        rows.append(
            [
                say_button(context, "btn_pending", Intent.LIST_PENDING),
                say_button(context, "btn_active", Intent.LIST_ACTIVE),
            ]
        )
    return reply(text, rows)


async def _current_card(context: TeamContext) -> RepCard | None:
    return await context.team.profile(context.actor.telegram_id)


async def registered_rep(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """A registered rep: status card and options (update e-mail, unregister, my clients)."""
    context = ctx(runtime)
    card = await _current_card(context)
    if card is None:
        return await offer_registration(state, runtime)
    intent = intent_of(state, Intent.UNREGISTER, Intent.UPDATE_EMAIL, Intent.MY_CLIENTS)
    if intent is Intent.UNREGISTER:
        buttons = [
            [
                say_button(context, "btn_unregister_yes", Intent.YES),
                say_button(context, "btn_stay", Intent.NO),
            ]
        ]
        return {"stage": Stage.ASK_UNREGISTER, "replies": [reply(say(context, "ask_unregister"), buttons)]}
    if intent is Intent.UPDATE_EMAIL:
        if email_in(answer_text(state)):
            return await take_new_email(state, runtime)
        domains = await context.team.accepted_domains()
        question = (
            say(context, "ask_new_email", domains=domains_phrase(context, domains))
            if domains
            else say(context, "ask_new_email_any")
        )
        return {"stage": Stage.ASK_NEW_EMAIL, "replies": [reply(question)]}
    if intent is Intent.MY_CLIENTS and card.status == "active":
        return {"stage": Stage.IDLE, "replies": await client_book(context)}
    return {
        "stage": Stage.IDLE,
        "replies": [status_card(context, card, is_admin=bool(state.get("is_admin")))],
    }


async def take_unregister_answer(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Unregister only on a clear yes."""
    context = ctx(runtime)
    if intent_of(state, Intent.NO, Intent.YES, Intent.UNREGISTER) in (Intent.YES, Intent.UNREGISTER):
        card = await context.team.unregister(context.actor)
        if card is not None:
            return {
                "stage": Stage.IDLE,
                "replies": [reply(say(context, "unregistered"))],
                "outbox": await _left_notices(context, card, "left_unregistered"),
            }
    return {"stage": Stage.IDLE, "replies": [reply(say(context, "kept"))]}


async def take_new_email(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Change the rep's e-mail within their agency's domain."""
    context = ctx(runtime)
    if intent_of(state, Intent.CANCEL, Intent.NO):
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "cancelled"))]}
    before = await _current_card(context)
    try:
        card = await context.team.update_email(context.actor, answer_text(state))
    except EmailRejected as problem:
        return {"stage": Stage.ASK_NEW_EMAIL, "replies": [await _email_problem(context, problem)]}
    except (RepNotFound, RegistrationClosed):
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "closed"))]}
    lost_calendar = before is not None and before.calendar_connected and not card.calendar_connected
    key = "email_updated_calendar" if lost_calendar else "email_updated"
    return {"stage": Stage.IDLE, "replies": [reply(say(context, key, email=card.email))]}


async def cancel_step(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """Leave whatever question was open."""
    context = ctx(runtime)
    return {
        "stage": Stage.IDLE,
        "name": None,
        "email": None,
        "client": None,
        "admin_action": None,
        "replies": [reply(say(context, "cancelled"))],
    }
