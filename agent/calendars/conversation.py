"""The calendar desk of the team bot: Google's callback, and reps' answers about how a viewing went.

Links and pasted codes are part of the onboarding conversation (graphs/onboarding/calendar.py over
`connection`). Two things arrive outside it: Google's redirect to the callback endpoint (when
PUBLIC_BASE_URL is set), and a rep's reply to "how did the viewing go?", which the team bot offers here
before the onboarding graph; it is taken only when a finished viewing of that rep waits for an answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from agent.calendars import connection
from agent.calendars.google import (
    AuthorizationCodeRejected,
    AuthorizationDenied,
    AuthorizationProblem,
    GoogleUnavailable,
    MissingPermissions,
    WrongAccountDomain,
)
from agent.calendars.messages import say
from agent.calendars.reminders import parse_outcome, record_outcome
from agent.calendars.service import calendar_providers, lead_name
from agent.runtime import Services
from storage.models import RepStatus
from storage.repositories.reps import RepRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """What the bot says back, to whom."""

    chat_id: int
    texts: list[str] = field(default_factory=list)


class CalendarDesk:
    """Calendar conversations with reps outside the onboarding graph."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def on_outcome_answer(self, telegram_id: int, text: str) -> Answer | None:
        """Record "attended / interested / not interested / no-show" for the rep's finished viewing; None: not that."""
        outcome = parse_outcome(text)
        if outcome is None:
            return None
        async with self.services.database.session() as session:
            rep = await RepRepository(session).by_telegram_id(telegram_id)
            if rep is None or rep.status != RepStatus.ACTIVE:
                return None
            recorded = await record_outcome(session, rep, outcome, self.services.clock.now())
            if recorded is None:
                return None  # no viewing waits for an answer: the words were meant for the conversation
            text = say(
                "outcome_recorded",
                rep.language,
                lead=lead_name(recorded.lead),
                outcome=say(f"outcome_{outcome.value}", rep.language),
            )
            return Answer(rep.telegram_chat_id or rep.telegram_id, [text])

    async def on_callback(
        self, state: str, code: str | None, error: str | None
    ) -> tuple[Answer | None, bool]:
        """Google's redirect reached the callback endpoint: (what to tell the rep in Telegram, connected?)."""
        async with self.services.database.session() as session:
            rep = await connection.rep_for_state(session, state)
            if rep is None:
                return None, False
            language, chat_id = rep.language, rep.telegram_chat_id or rep.telegram_id
            try:
                _, check = await connection.finish_callback(
                    session,
                    state=state,
                    code=code,
                    error=error,
                    settings=self.services.settings,
                    transport=calendar_providers(self.services).google,
                    now=self.services.clock.now(),
                )
            except (AuthorizationProblem, GoogleUnavailable, connection.GoogleNotConfigured) as exc:
                log.info("rep %s: calendar callback refused: %s", rep.id, exc)
                return Answer(chat_id, [problem_text(exc, language)]), False
        if check.connected:
            return Answer(chat_id, [say("connected", language, account=check.account or rep.email)]), True
        if check.unavailable:
            return Answer(chat_id, [say("google_unavailable", language)]), False
        return Answer(chat_id, [say("reconnect_needed", language)]), False


def problem_text(error: Exception, language: str) -> str:
    """What a rep is told when a connection attempt fails."""
    if isinstance(error, connection.GoogleNotConfigured):
        return say("google_not_configured", language)
    if isinstance(error, GoogleUnavailable):
        return say("google_unavailable", language)
    if isinstance(error, WrongAccountDomain):
        return say("wrong_domain", language, email=error.email, domain=error.domain)
    if isinstance(error, MissingPermissions):
        return say("missing_permissions", language)
    if isinstance(error, AuthorizationDenied):
        return say("denied", language)
    if isinstance(error, AuthorizationCodeRejected):  # expired, spent or unknown: only a new link helps
        return say("no_pending_link", language)
    return say("not_a_code", language)
