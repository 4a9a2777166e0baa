"""The rep connects their Google Calendar by conversation: a consent link, then the address pasted back.

The OAuth itself (state, PKCE, the code exchange, the corporate-domain check, a real call behind
"connected ✓") is agent.services.calendars.connection's; these nodes only carry the conversation, with its texts.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.adapters.google import (
    LOOPBACK_REDIRECT_URI,
    AuthorizationCodeRejected,
    AuthorizationDenied,
    AuthorizationProblem,
    GoogleUnavailable,
    MissingPermissions,
    WrongAccountDomain,
)
from agent.services.calendars.connection import (
    STATE_TTL,
    AuthorizationLinkExpired,
    GoogleNotConfigured,
    NoPendingAuthorization,
)
from agent.services.team import RepNotFound, TeamService
from graphs.onboarding.replies import answer_text, ctx, reply, say
from graphs.onboarding.state import OnboardingState, Stage, TeamContext
from prompts.calendar import say as calendar_text

Update = dict[str, Any]


async def connect_prompt(team: TeamService, telegram_id: int, language: str) -> str:
    """The consent link with how to use it; or, without Google configured, that the internal calendar is used."""
    link = await team.calendar_link(telegram_id)
    if link is None:
        return calendar_text("google_not_configured", language)
    key = "connect_prompt" if link.pasted_back else "connect_prompt_callback"
    minutes = int(STATE_TTL.total_seconds() // 60)
    return calendar_text(
        key, language, domain=link.domain, url=link.url, redirect=LOOPBACK_REDIRECT_URI, minutes=minutes
    )


async def calendar_link(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """The rep asked to connect (or reconnect) their calendar: send a fresh consent link."""
    context = ctx(runtime)
    try:
        text = await connect_prompt(context.team, context.actor.telegram_id, context.language)
    except RepNotFound:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "not_active_rep"))]}
    return {"stage": Stage.IDLE, "replies": [reply(text)]}


async def calendar_code(state: OnboardingState, runtime: Runtime[TeamContext]) -> Update:
    """The rep pasted Google's redirect address (or the code): finish the connection and say how it went."""
    context = ctx(runtime)
    team = context.team
    language = context.language
    fresh_link = False
    try:
        check = await team.connect_calendar(context.actor, answer_text(state))
    except RepNotFound:
        return {"stage": Stage.IDLE, "replies": [reply(say(context, "not_active_rep"))]}
    except GoogleNotConfigured:
        text = calendar_text("google_not_configured", language)
    except GoogleUnavailable:
        text = calendar_text("google_unavailable", language)
    except AuthorizationLinkExpired:
        text, fresh_link = calendar_text("link_expired", language), True
    except NoPendingAuthorization:
        text = calendar_text("no_pending_link", language)
    except AuthorizationCodeRejected:
        text, fresh_link = calendar_text("code_rejected", language), True
    except WrongAccountDomain as wrong:
        text = calendar_text("wrong_domain", language, email=wrong.email, domain=wrong.domain)
        fresh_link = True  # the spent link cannot be used again
    except AuthorizationDenied:
        text = calendar_text("denied", language)
    except MissingPermissions:
        text = calendar_text("missing_permissions", language)
    except AuthorizationProblem:
        text = calendar_text("not_a_code", language)
    else:
        if check.connected:
            text = calendar_text("connected", language, account=check.account or "")
        elif check.reconnect:
            text = calendar_text("reconnect_needed", language)
        else:
            text = calendar_text("calendar_status_unchecked", language, account=check.account or "")
    replies = [reply(text)]
    if fresh_link:
        replies.append(reply(await connect_prompt(team, context.actor.telegram_id, language)))
    return {"stage": Stage.IDLE, "replies": replies}
